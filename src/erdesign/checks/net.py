"""NET: peering link subnets and addresses.

Sizes, host bits, both links present, no overlap with each other, with VNets,
with other link subnets, with on-prem or Global Reach prefixes, public ranges
on Microsoft peering, and who holds which address on each link.

The sizes and the address assignment come from rules/data/addressing.yaml, the
special-purpose ranges from rules/data/special_prefixes.yaml.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Optional, Union

from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Design, Node, Peering, PeeringLink, Router, RouterInterface
from ._common import ROLES, evidence, interface_of, link_of, network, peerings, who

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


# --------------------------------------------------------------------------- helpers

def addressing_rules(peering: Peering) -> dict:
    """The addressing.yaml block for this peering type (Microsoft peering has its own)."""
    data = table("addressing")
    return data["microsoft_peering" if peering.type == "MicrosoftPeering" else "private_peering"]


# --------------------------------------------------------------------------- link subnets

@dataclass(frozen=True)
class LinkSubnet:
    circuit: Circuit
    peering: Peering
    node: Node          # the peering, or its ipv6 block
    field: tuple        # where the prefix is written: ("primary_prefix",) or ("prefix",) for a whole /29
    role: str           # primary | secondary | both (a whole /29 or /125 taken as one block)
    network: Network    # the network meant (host bits cleared)
    seq: int = 0        # order in the design, for "reported on the later one"

    @property
    def plural(self) -> bool:
        """A whole /29 (/125) is both link subnets at once: verbs after its label are plural."""
        return self.role == "both"

    @property
    def label(self) -> str:
        family = "IPv6 " if self.network.version == 6 else ""
        if self.role == "both":
            return f"{family}link subnets {self.network}"
        return f"{self.role} {family}link subnet {self.network}"

    def verb(self, singular: str, plural: str) -> str:
        """The verb form that agrees with the label: 'overlaps' / 'overlap'."""
        return plural if self.plural else singular


def _net(text: str) -> Network:
    net = network(text)  # one parse per prefix per run, shared with the other checks
    if net is None:
        raise ValueError(f"{text!r} is not a prefix")
    return net


def _last(net: Network) -> int:
    """The last address of `net` as an integer (its broadcast address, without caching one per network)."""
    return int(net.network_address) | ((1 << (net.max_prefixlen - net.prefixlen)) - 1)


def _link_prefixes(peering: Peering) -> Iterator[tuple[Node, tuple, str, Network]]:
    """(node, field, role, network) of the link subnets as written; a whole /29 (/125) has role 'both'."""
    for node in (peering, peering.ipv6):
        if node is None:
            continue
        if node.prefix:
            yield node, ("prefix",), "both", _net(node.prefix)
            continue
        for role in ROLES:
            text = getattr(node, f"{role}_prefix")
            if text:
                yield node, (f"{role}_prefix",), role, _net(text)


def link_blocks(circuit: Circuit, peering: Peering) -> list[LinkSubnet]:
    """Link subnets as written: a whole /29 (/125) stays one block, so a problem with it is reported once."""
    return [LinkSubnet(circuit, peering, node, field, role, net) for node, field, role, net in _link_prefixes(peering)]


def link_subnets(circuit: Circuit, peering: Peering) -> list[LinkSubnet]:
    """The peering's IPv4 and IPv6 link subnets as written, a whole /29 (/125) split into its halves."""
    out: list[LinkSubnet] = []
    for node, field, role, net in _link_prefixes(peering):
        if role == "both":
            whole_len = addressing_rules(peering)["ipv4" if net.version == 4 else "ipv6"]["whole_prefix_length"]
            if net.prefixlen == whole_len:
                halves = net.subnets(prefixlen_diff=1)
                out += [LinkSubnet(circuit, peering, node, field, r, h) for r, h in zip(ROLES, halves)]
                continue
            role = "primary"
        out.append(LinkSubnet(circuit, peering, node, field, role, net))
    return out


def _written_prefixes(peering: Peering) -> Iterator[tuple[Node, str, str, str]]:
    """(node, field, text, field as shown) of every link prefix written on the peering or its ipv6 block."""
    for node in (peering, peering.ipv6):
        if node is None:
            continue
        for name in ("prefix", "primary_prefix", "secondary_prefix"):
            text = getattr(node, name)
            if text:
                yield node, name, text, ("ipv6." if node is not peering else "") + name


# --------------------------------------------------------------------------- NET001 size, NET002 host bits

@check("NET001")
def link_subnet_size(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        rules = addressing_rules(peering)
        for node, name, text, shown in _written_prefixes(peering):
            net = _net(text)
            fam = rules["ipv4" if net.version == 4 else "ipv6"]
            want = fam["whole_prefix_length"] if name == "prefix" else fam["per_link_prefix_length"]
            if net.prefixlen == want:
                continue
            if name == "prefix":
                advice = (f"give the whole block as a /{want} (split into two /{fam['per_link_prefix_length']}), "
                          f"or primary_prefix and secondary_prefix as two /{fam['per_link_prefix_length']}")
            else:
                advice = f"each link subnet must be a /{want} (or give one /{fam['whole_prefix_length']} as prefix)"
            yield Finding(
                "NET001",
                f"{who(circuit, peering)}: {shown} {text} is a /{net.prefixlen}; {advice}",
                node=node, field=(name,),
                evidence=[evidence("addressing", rules["source"],
                                   f"IPv{net.version} {'whole peering block' if name == 'prefix' else 'per-link subnet'} "
                                   "prefix length", f"/{want}")],
            )


@check("NET002")
def link_subnet_host_bits(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        for node, name, text, shown in _written_prefixes(peering):
            net = _net(text)
            if ipaddress.ip_interface(text.strip()).ip == net.network_address:
                continue
            yield Finding(
                "NET002",
                f"{who(circuit, peering)}: {shown} {text} has host bits set; the network is {net}",
                node=node, field=(name,),
                hint=f"Write {net} (Azure expects the network address of the subnet, not an interface address).",
            )


# --------------------------------------------------------------------------- NET003 both links, NET004 distinct links

@check("NET003")
def missing_link_subnet(design: Design) -> Iterable[Finding]:
    source = table("addressing")["redundancy"]["source"]
    ev = evidence("addressing", source, "BGP sessions needed for the availability SLA", "primary and secondary")
    for circuit, peering in peerings(design):
        lengths = addressing_rules(peering)
        v4 = (peering.prefix, peering.primary_prefix, peering.secondary_prefix)
        v6 = (peering.ipv6.prefix, peering.ipv6.primary_prefix, peering.ipv6.secondary_prefix) if peering.ipv6 else (None,) * 3
        if not any(v4) and not any(v6):
            v4_lengths = lengths["ipv4"]
            yield Finding(
                "NET003",
                f"{who(circuit, peering)}: no link subnets; give primary_prefix and secondary_prefix "
                "(or prefix as one block) so that both BGP sessions can be set up",
                node=peering, evidence=[ev],
                hint=f"Add primary_prefix and secondary_prefix (two /{v4_lengths['per_link_prefix_length']}), "
                     f"or prefix (one /{v4_lengths['whole_prefix_length']}).",
            )
            continue
        for node, (whole, primary, secondary), family in ((peering, v4, ""), (peering.ipv6, v6, "IPv6 ")):
            if node is None or whole or bool(primary) == bool(secondary):
                continue  # none of this family, a whole block, or both links: fine
            missing = "secondary" if primary else "primary"
            present = "primary" if primary else "secondary"
            prefix = "ipv6." if node is not peering else ""
            fam = lengths["ipv6" if family else "ipv4"]
            yield Finding(
                "NET003",
                f"{who(circuit, peering)}: {family}{prefix}{present}_prefix is given but {prefix}{missing}_prefix is missing; "
                f"both BGP sessions (primary and secondary) are needed for the SLA",
                node=node, field=(f"{present}_prefix",), evidence=[ev],
                hint=f"Add {prefix}{missing}_prefix (a /{fam['per_link_prefix_length']} for the {missing} link), "
                     f"or give the whole /{fam['whole_prefix_length']} as {prefix}prefix.",
            )


@check("NET004")
def link_subnets_distinct(design: Design) -> Iterable[Finding]:
    for circuit, peering in peerings(design):
        subs = link_subnets(circuit, peering)
        for version in (4, 6):
            pair = [s for s in subs if s.network.version == version and s.field != ("prefix",)]
            if len(pair) != 2:
                continue
            first, second = pair
            if not first.network.overlaps(second.network):
                continue
            how = "is the same as" if first.network == second.network else "overlaps"
            yield Finding(
                "NET004",
                f"{who(circuit, peering)}: secondary link subnet {second.network} {how} the primary link subnet "
                f"{first.network}; the two links need distinct, non-overlapping subnets",
                node=second.node, field=second.field,
            )


# --------------------------------------------------------------------------- NET005-NET008 overlaps (one sweep)

@dataclass(frozen=True, slots=True)  # one per prefix of the design: no __dict__ each
class _Range:
    kind: str           # link | vnet | onprem | gr
    first: int
    last: int
    version: int
    network: Network
    owner: object       # LinkSubnet, VNet, Site or GlobalReachLink
    text: str = ""      # how to name a non-link range in a message
    seq: int = 0        # order in the design
    node: Optional[Node] = None  # where the prefix is written (NET011)
    field: tuple = ()


def _collect_ranges(design: Design) -> list[_Range]:
    """Every link subnet, VNet address space, on-prem prefix and Global Reach prefix, in design order."""
    ranges: list[_Range] = []

    def add(kind: str, net: Network, owner, text: str = "") -> None:
        ranges.append(_Range(kind, int(net.network_address), _last(net), net.version, net, owner,
                             text, len(ranges)))

    seq = 0
    for circuit, peering in peerings(design):
        for sub in link_blocks(circuit, peering):
            add("link", sub.network, LinkSubnet(sub.circuit, sub.peering, sub.node, sub.field, sub.role, sub.network, seq))
            seq += 1
    for vnet in design.vnets:
        # fall back to subnet prefixes when the address space is not written
        spaces = vnet.address_space or [p for s in vnet.subnets for p in s.all_prefixes()]
        for text in spaces:
            add("vnet", _net(text), vnet, f"VNet '{vnet.name}' address space {text}")
    for site in design.sites:
        for text in site.advertised_prefixes:
            add("onprem", _net(text), site, f"on-prem prefix {text} advertised by site '{site.name}'")
    for circuit in design.circuits:
        for gr in circuit.global_reach:
            for text in (gr.address_prefix, gr.address_prefix_v6):
                if text:
                    add("gr", _net(text), gr, f"Global Reach prefix {text} of circuit '{circuit.name}' to '{gr.peer_circuit}'")
    return ranges


def overlapping_pairs(ranges: list[_Range], focus: str = "link",
                      against: Optional[frozenset] = None) -> Iterator[tuple[_Range, _Range]]:
    """Every (focus, other) pair of overlapping ranges, in O(n log n + pairs): `focus` ranges
    against ranges of the kinds in `against` (every kind, focus included, when None).

    CIDR blocks are laminar (two blocks are disjoint or one holds the other),
    so after sorting by (start, -end) the blocks still open at a point form a
    chain: a stack whose top has the smallest end. Two stacks are kept, one of
    the open `against` blocks and one of the open focus blocks, so that each
    block is only compared with blocks of the other side.
    """
    ordered = sorted(ranges, key=lambda r: (r.version, r.first, -r.last))
    open_others: list[_Range] = []
    open_focus: list[_Range] = []
    version = None
    for r in ordered:
        if r.version != version:
            open_others, open_focus, version = [], [], r.version
        while open_others and open_others[-1].last < r.first:
            open_others.pop()
        while open_focus and open_focus[-1].last < r.first:
            open_focus.pop()
        is_other = against is None or r.kind in against
        if r.kind == focus:
            for other in open_others:
                yield r, other
            open_focus.append(r)
        elif is_other:
            for f in open_focus:
                yield f, r
        if is_other:
            open_others.append(r)


_OVERLAP_RULE = {"vnet": "NET005", "link": "NET006", "onprem": "NET007", "gr": "NET008"}


@check("NET005", "NET006", "NET007", "NET008")
def link_subnet_overlaps(design: Design) -> Iterable[Finding]:
    ranges = _collect_ranges(design)
    source = table("addressing")["private_peering"]["source"]
    gr_source = table("addressing")["global_reach"]["source"]
    by_link: dict[int, dict[str, list[_Range]]] = {}
    for link_range, other in overlapping_pairs(ranges):
        sub: LinkSubnet = link_range.owner
        if other.kind == "link":
            o: LinkSubnet = other.owner
            if o.peering is sub.peering and o.network.version == sub.network.version:
                continue  # primary vs secondary of one peering: NET004
            # report on the later of the two, naming the earlier
            later, earlier = (sub, o) if sub.seq > o.seq else (o, sub)
            bucket = by_link.setdefault(later.seq, {"_sub": later})
            bucket.setdefault("link", []).append(earlier)
        else:
            bucket = by_link.setdefault(sub.seq, {"_sub": sub})
            bucket.setdefault(other.kind, []).append(other)
    for seq in sorted(by_link):
        bucket = by_link.pop(seq)
        sub = bucket.pop("_sub")
        head = f"{who(sub.circuit, sub.peering)}: {sub.label}"
        for kind in ("vnet", "link", "onprem", "gr"):
            others = bucket.get(kind)
            if not others:
                continue
            if kind == "link":
                others = sorted({id(o): o for o in others}.values(), key=lambda o: o.seq)
                first = others[0]
                what = f"{first.label} of {who(first.circuit, first.peering)}"
            else:
                # a VNet, site or Global Reach link is named once, however many of its prefixes overlap
                by_owner: dict = {}
                for o in sorted(others, key=lambda o: o.seq):
                    by_owner.setdefault(id(o.owner), o)
                others = list(by_owner.values())
                first = others[0]
                what = first.text
            more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
            rule = _OVERLAP_RULE[kind]
            why = {
                "vnet": "peering subnets must not overlap address ranges used in Azure",
                "link": "each peering needs its own link subnets",
                "onprem": "the link addresses would be ambiguous in your routing domain",
                "gr": "a Global Reach prefix must not be used anywhere else",
            }[kind]
            ev = []
            if kind == "vnet":
                ev = [evidence("addressing", source, "requirement", "peering link subnets don't overlap VNet address spaces")]
            elif kind == "gr":
                ev = [evidence("addressing", gr_source, "requirement", "the Global Reach prefix is not used in Azure or on-prem")]
            yield Finding(rule, f"{head} {sub.verb('overlaps', 'overlap')} {what}{more}; {why}",
                          node=sub.node, field=sub.field, evidence=ev)


# --------------------------------------------------------------------------- NET011 VNet overlaps on-prem

def _vnet_and_onprem_ranges(design: Design) -> list[_Range]:
    """VNet address spaces and the prefixes on-premises advertises (sites, private peerings), in design order."""
    ranges: list[_Range] = []

    def add(kind: str, text: str, owner, what: str, node: Node, field: tuple) -> None:
        net = _net(text)
        ranges.append(_Range(kind, int(net.network_address), _last(net), net.version, net, owner,
                             what, len(ranges), node, field))

    for vnet in design.vnets:
        if vnet.address_space:
            for i, text in enumerate(vnet.address_space):
                add("vnet", text, vnet, f"VNet '{vnet.name}' address space {text}", vnet, ("address_space", i))
        else:  # as NET005 does: the subnets stand for an address space that is not written
            for subnet in vnet.subnets:
                for text in subnet.all_prefixes():
                    field = ("prefix",) if text == subnet.prefix else ("prefixes", subnet.prefixes.index(text))
                    add("vnet", text, vnet, f"VNet '{vnet.name}' subnet '{subnet.name}' {text}", subnet, field)
    for site in design.sites:
        for i, text in enumerate(site.advertised_prefixes):
            add("onprem", text, site, f"on-prem prefix {text} advertised by site '{site.name}'",
                site, ("advertised_prefixes", i))
    for circuit, peering in peerings(design):
        if peering.type != "AzurePrivatePeering":
            continue  # Microsoft peering advertises public NAT prefixes to Microsoft services, not to VNets
        for node in (peering, peering.ipv6):
            for i, text in enumerate(node.advertised_prefixes if node is not None else ()):
                add("onprem", text, (circuit, peering), f"on-prem prefix {text} advertised on {who(circuit, peering)}",
                    node, ("advertised_prefixes", i))
    return ranges


@check("NET011")
def vnet_overlaps_onprem(design: Design) -> Iterable[Finding]:
    by_vnet: dict[int, tuple[_Range, list[_Range]]] = {}
    for vnet_range, onprem in overlapping_pairs(_vnet_and_onprem_ranges(design), "vnet", frozenset({"onprem"})):
        by_vnet.setdefault(vnet_range.seq, (vnet_range, []))[1].append(onprem)
    for seq in sorted(by_vnet):
        vnet_range, others = by_vnet[seq]
        distinct: dict[Network, _Range] = {}
        for o in sorted(others, key=lambda o: o.seq):
            distinct.setdefault(o.network, o)  # the same prefix from a site and a peering is one overlap
        first, *rest = distinct.values()
        more = f" (and {len(rest)} more)" if rest else ""
        overlap = vnet_range.network if vnet_range.network.prefixlen >= first.network.prefixlen else first.network
        yield Finding(
            "NET011",
            f"{vnet_range.text} overlaps {first.text}{more}; traffic for {overlap} can't reach both sides: Azure "
            "keeps it in the VNet (VNet routes win over routes learned from on-premises), so that part of "
            "on-premises is unreachable from Azure",
            node=vnet_range.node, field=vnet_range.field,
            hint="Give the VNet an address space on-premises doesn't use (or stop advertising the overlap from on-premises).",
        )


# --------------------------------------------------------------------------- NET009 public ranges on Microsoft peering

@lru_cache(maxsize=1)
def _special_ranges() -> dict[int, list[tuple[int, int, dict]]]:
    data = table("special_prefixes")
    out: dict[int, list] = {4: [], 6: []}
    for key in ("ipv4", "ipv6"):
        for entry in data[key]:
            net = ipaddress.ip_network(entry["prefix"])
            out[net.version].append((int(net.network_address), int(net.broadcast_address), entry))
    return out


def special_range_of(net: Network) -> Optional[dict]:
    """The first special-purpose range (special_prefixes.yaml) that overlaps `net`, or None."""
    first, last = int(net.network_address), _last(net)
    for lo, hi, entry in _special_ranges()[net.version]:
        if lo <= last and first <= hi:
            return entry
    return None


def _microsoft_peering_prefixes(circuit: Circuit, peering: Peering):
    """(label, label is plural, network, node, field) of every prefix a Microsoft peering uses."""
    for sub in link_blocks(circuit, peering):
        yield sub.label, sub.plural, sub.network, sub.node, sub.field
    for name in ("advertised_public_prefixes", "advertised_prefixes"):
        for i, text in enumerate(getattr(peering, name)):
            yield f"advertised prefix {text}", False, _net(text), peering, (name, i)
    if peering.ipv6:
        for i, text in enumerate(peering.ipv6.advertised_prefixes):
            yield f"advertised prefix {text}", False, _net(text), peering.ipv6, ("advertised_prefixes", i)


@check("NET009")
def microsoft_peering_public(design: Design) -> Iterable[Finding]:
    specials = table("special_prefixes")
    defaults = specials["default_routes"]
    for circuit, peering in peerings(design):
        if peering.type != "MicrosoftPeering":
            continue
        for label, plural, net, node, field in _microsoft_peering_prefixes(circuit, peering):
            is_, it = ("are", "they") if plural else ("is", "it")
            if net.prefixlen == 0 and str(net) in defaults["prefixes"]:
                yield Finding(
                    "NET009",
                    f"{who(circuit, peering)}: {label} {is_} a default route, which Microsoft peering doesn't accept",
                    node=node, field=field,
                    evidence=[evidence("special_prefixes", defaults["source"], "default route on Microsoft peering",
                                       "not accepted")],
                )
                continue
            entry = special_range_of(net)
            if entry is None:
                continue
            inside = net.subnet_of(ipaddress.ip_network(entry["prefix"]))
            if inside:
                relation = "lie in" if plural else "lies in"
            else:
                relation = "overlap" if plural else "overlaps"
            yield Finding(
                "NET009",
                f"{who(circuit, peering)}: {label} {is_} not public: {it} {relation} {entry['prefix']} "
                f"({entry['name']}, {entry['rfc']}); Microsoft peering needs public addresses you own",
                node=node, field=field,
                evidence=[evidence("special_prefixes", entry["source"], "special-purpose range",
                                   f"{entry['prefix']} {entry['name']} ({entry['rfc']})")],
            )


# --------------------------------------------------------------------------- NET010 who holds which address

def interface_in_subnet(router: Router, net: Network) -> Optional[RouterInterface]:
    """The router's interface on a link subnet: the one whose ip lies in it, else one whose own subnet overlaps it."""
    overlapping = None
    for iface in router.interfaces:
        if not iface.ip:
            continue
        addr = ipaddress.ip_interface(iface.ip)
        if addr.version != net.version:
            continue
        if addr.ip in net:
            return iface
        if overlapping is None and "/" in iface.ip and addr.network.overlaps(net):
            overlapping = iface
    return overlapping


def _same_address(a: str, b: str) -> bool:
    return ipaddress.ip_interface(a).ip == ipaddress.ip_interface(b).ip


@dataclass
class _LinkCheck:
    """What NET010 knows about the router side of one link subnet."""

    circuit: Circuit
    peering: Peering
    role: str
    net: Network
    link: PeeringLink
    iface: Optional[RouterInterface]  # the interface named, or found by its address
    found_by_subnet: bool

    @property
    def router(self) -> str:
        return f"router '{self.link.router}'" if self.link.router else "the router"

    @property
    def where(self) -> str:
        return f"{who(self.circuit, self.peering)}: "

    def hint(self) -> str:
        return f"Give the router {self.net.network_address + 1} and leave {self.net.network_address + 2} to Microsoft."


def _link_checks(design: Design) -> Iterator[tuple[_LinkCheck, int]]:
    """(_LinkCheck, IP version) for every link subnet whose link names a router, an interface or an ip."""
    for circuit, peering in peerings(design):
        subs = {(s.role, s.network.version): s for s in link_subnets(circuit, peering)}
        for role in ROLES:
            link = link_of(peering, role)
            if link is None:
                continue
            for version in (4, 6):
                sub = subs.get((role, version))
                if sub is None:
                    continue
                iface, by_subnet = None, False
                if version == 4:
                    iface = interface_of(design, link)
                    router = design.router(link.router) if link.router else None
                    if iface is None and router is not None and not link.interface and not link.ip:
                        iface = interface_in_subnet(router, sub.network)
                        by_subnet = iface is not None
                yield _LinkCheck(circuit, peering, role, sub.network, link, iface, by_subnet), version


def _check_link(c: _LinkCheck, version: int, ev) -> Optional[Finding]:
    """At most one finding for the router's address on one link subnet."""
    if version == 6:
        candidates = [(c.link.ipv6, c.link, ("ipv6",))] if c.link.ipv6 else []
    else:
        candidates = [(c.link.ip, c.link, ("ip",))] if c.link.ip else []
        if c.iface is not None and c.iface.ip:
            candidates.append((c.iface.ip, c.iface, ("ip",)))
    if not candidates:
        return None
    if len(candidates) == 2 and not _same_address(candidates[0][0], candidates[1][0]):
        return _mismatch(c, ev)
    text, node, field = candidates[0]  # the link's own ip wins over its interface's
    message = _address_problem(text, c.net)
    if message is None:
        return None
    found = f" (interface '{c.iface.name}', found by its address)" if c.found_by_subnet and node is c.iface else ""
    return Finding(
        "NET010", f"{c.where}{c.router} address {text}{found} on the {c.role} link {message}",
        node=node, field=field, evidence=[ev], hint=c.hint(),
    )


def _mismatch(c: _LinkCheck, ev) -> Finding:
    """The link's ip and its interface's ip differ: one finding, on the one that is wrong."""
    link_ip, iface_ip = c.link.ip, c.iface.ip
    iface = f"interface '{c.iface.name}'"
    if _address_problem(link_ip, c.net) is None:
        problem = _address_problem(iface_ip, c.net)
        return Finding(
            "NET010",
            f"{c.where}{c.router} {iface} has address {iface_ip} but the {c.role} link says {link_ip}"
            + (f"; {iface_ip} {problem}" if problem else ""),
            node=c.iface, field=("ip",), evidence=[ev],
            hint=f"Set the interface's ip to {link_ip} (the first usable of {c.net}).",
        )
    problem = _address_problem(link_ip, c.net)
    iface_ok = _address_problem(iface_ip, c.net) is None
    return Finding(
        "NET010",
        f"{c.where}the {c.role} link says {c.router} has address {link_ip} but its {iface} has {iface_ip}; "
        f"{link_ip} {problem}",
        node=c.link, field=("ip",), evidence=[ev],
        hint=f"Set the link's ip to {iface_ip}, as on the interface." if iface_ok else c.hint(),
    )


def _microsoft_address_on_interfaces(design: Design, checked: set, reported: set, ev) -> Iterator[Finding]:
    """An interface of a router a peering names holding Microsoft's address of one of that peering's link subnets
    (unless the interface was checked already, or the same address was reported on a link of that router)."""
    for circuit, peering in peerings(design):
        routers = []
        for role in ROLES:
            link = link_of(peering, role)
            router = design.router(link.router) if link is not None and link.router else None
            if router is not None and router not in routers:
                routers.append(router)
        if not routers:
            continue
        msft = {s.network.network_address + 2: s for s in link_subnets(circuit, peering)}
        for router in routers:
            for iface in router.interfaces:
                if not iface.ip or id(iface) in checked:
                    continue
                address = ipaddress.ip_interface(iface.ip).ip
                sub = msft.get(address)
                if sub is None or (router.name, address) in reported:
                    continue
                checked.add(id(iface))
                yield Finding(
                    "NET010",
                    f"{who(circuit, peering)}: router '{router.name}' interface '{iface.name}' has address {iface.ip}, "
                    f"Microsoft's address on the {sub.role} link (second usable of {sub.network}); the router takes "
                    f"the first usable, {sub.network.network_address + 1}",
                    node=iface, field=("ip",), evidence=[ev],
                    hint=f"Give the interface {sub.network.network_address + 1} and leave "
                         f"{sub.network.network_address + 2} to Microsoft.",
                )


@check("NET010")
def link_address_assignment(design: Design) -> Iterable[Finding]:
    assignment = table("addressing")["link_address_assignment"]
    ev = evidence("addressing", assignment["source"], "address assignment in each link subnet",
                  f"first usable: {assignment['first_usable']} router, second usable: {assignment['second_usable']}")
    checked: set[int] = set()  # interfaces already looked at (one finding per defect)
    reported: set[tuple] = set()  # (router, address) already reported on a link
    for c, version in _link_checks(design):
        if c.iface is not None:
            checked.add(id(c.iface))
        finding = _check_link(c, version, ev)
        if finding is not None:
            if c.link.router and finding.node is c.link:
                reported.add((c.link.router, ipaddress.ip_interface(getattr(c.link, finding.field[0])).ip))
            yield finding
    yield from _microsoft_address_on_interfaces(design, checked, reported, ev)


def _address_problem(text: str, net: Network) -> Optional[str]:
    iface = ipaddress.ip_interface(text)
    mine, msft = net.network_address + 1, net.network_address + 2
    if iface.version != net.version or iface.ip not in net:
        return f"is not in the link subnet {net}; the router takes {mine} (first usable), Microsoft {msft}"
    if iface.ip == msft:
        return f"is Microsoft's address (second usable of {net}); the router takes the first usable, {mine}"
    if iface.ip != mine:
        return f"is not the first usable of {net}; the router takes {mine}, Microsoft {msft}"
    if "/" in text and iface.network.prefixlen != net.prefixlen:
        return f"has mask /{iface.network.prefixlen} but the link subnet is {net}"
    return None
