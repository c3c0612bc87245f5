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
from ..model import Circuit, Design, Node, Peering, PeeringLink
from ._common import ROLES, evidence, interface_of, link_of, peerings, who

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
    def label(self) -> str:
        family = "IPv6 " if self.network.version == 6 else ""
        if self.role == "both":
            return f"{family}link subnets {self.network}"
        return f"{self.role} {family}link subnet {self.network}"


def _net(text: str) -> Network:
    return ipaddress.ip_network(text, strict=False)


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
def link_subnet_size(design: Design, ctx=None) -> Iterable[Finding]:
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
def link_subnet_host_bits(design: Design, ctx=None) -> Iterable[Finding]:
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
def missing_link_subnet(design: Design, ctx=None) -> Iterable[Finding]:
    source = table("addressing")["redundancy"]["source"]
    ev = evidence("addressing", source, "BGP sessions needed for the availability SLA", "primary and secondary")
    for circuit, peering in peerings(design):
        v4 = (peering.prefix, peering.primary_prefix, peering.secondary_prefix)
        v6 = (peering.ipv6.prefix, peering.ipv6.primary_prefix, peering.ipv6.secondary_prefix) if peering.ipv6 else (None,) * 3
        if not any(v4) and not any(v6):
            yield Finding(
                "NET003",
                f"{who(circuit, peering)}: no link subnets; give primary_prefix and secondary_prefix "
                "(or prefix as one block) so that both BGP sessions can be set up",
                node=peering, evidence=[ev],
            )
            continue
        for node, (whole, primary, secondary), family in ((peering, v4, ""), (peering.ipv6, v6, "IPv6 ")):
            if node is None or whole or bool(primary) == bool(secondary):
                continue  # none of this family, a whole block, or both links: fine
            missing = "secondary" if primary else "primary"
            present = "primary" if primary else "secondary"
            prefix = "ipv6." if node is not peering else ""
            yield Finding(
                "NET003",
                f"{who(circuit, peering)}: {family}{prefix}{present}_prefix is given but {prefix}{missing}_prefix is missing; "
                f"both BGP sessions (primary and secondary) are needed for the SLA",
                node=node, field=(f"{present}_prefix",), evidence=[ev],
            )


@check("NET004")
def link_subnets_distinct(design: Design, ctx=None) -> Iterable[Finding]:
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

@dataclass(frozen=True)
class _Range:
    kind: str           # link | vnet | onprem | gr
    first: int
    last: int
    version: int
    network: Network
    owner: object       # LinkSubnet, VNet, Site or GlobalReachLink
    text: str = ""      # how to name a non-link range in a message
    seq: int = 0        # order in the design


def _collect_ranges(design: Design) -> list[_Range]:
    """Every link subnet, VNet address space, on-prem prefix and Global Reach prefix, in design order."""
    ranges: list[_Range] = []

    def add(kind: str, net: Network, owner, text: str = "") -> None:
        ranges.append(_Range(kind, int(net.network_address), int(net.broadcast_address), net.version, net, owner,
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


def overlapping_pairs(ranges: list[_Range]) -> Iterator[tuple[_Range, _Range]]:
    """Every (link, other) pair of overlapping ranges, in O(n log n + pairs).

    CIDR blocks are laminar (two blocks are disjoint or one holds the other),
    so after sorting by (start, -end) the blocks still open at a point form a
    chain: a stack whose top has the smallest end. Two stacks are kept, one of
    every open block and one of the open link subnets, so that a non-link
    block is only compared with links.
    """
    ordered = sorted(ranges, key=lambda r: (r.version, r.first, -r.last))
    open_all: list[_Range] = []
    open_links: list[_Range] = []
    version = None
    for r in ordered:
        if r.version != version:
            open_all, open_links, version = [], [], r.version
        while open_all and open_all[-1].last < r.first:
            open_all.pop()
        while open_links and open_links[-1].last < r.first:
            open_links.pop()
        if r.kind == "link":
            for other in open_all:
                yield r, other
            open_links.append(r)
        else:
            for link in open_links:
                yield link, r
        open_all.append(r)


_OVERLAP_RULE = {"vnet": "NET005", "link": "NET006", "onprem": "NET007", "gr": "NET008"}


@check("NET005", "NET006", "NET007", "NET008")
def link_subnet_overlaps(design: Design, ctx=None) -> Iterable[Finding]:
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
            yield Finding(rule, f"{head} overlaps {what}{more}; {why}", node=sub.node, field=sub.field, evidence=ev)


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
    first, last = int(net.network_address), int(net.broadcast_address)
    for lo, hi, entry in _special_ranges()[net.version]:
        if lo <= last and first <= hi:
            return entry
    return None


def _microsoft_peering_prefixes(circuit: Circuit, peering: Peering):
    for sub in link_blocks(circuit, peering):
        yield sub.label, sub.network, sub.node, sub.field
    for name in ("advertised_public_prefixes", "advertised_prefixes"):
        for i, text in enumerate(getattr(peering, name)):
            yield f"advertised prefix {text}", _net(text), peering, (name, i)
    if peering.ipv6:
        for i, text in enumerate(peering.ipv6.advertised_prefixes):
            yield f"advertised prefix {text}", _net(text), peering.ipv6, ("advertised_prefixes", i)


@check("NET009")
def microsoft_peering_public(design: Design, ctx=None) -> Iterable[Finding]:
    specials = table("special_prefixes")
    defaults = specials["default_routes"]
    for circuit, peering in peerings(design):
        if peering.type != "MicrosoftPeering":
            continue
        for label, net, node, field in _microsoft_peering_prefixes(circuit, peering):
            if net.prefixlen == 0 and str(net) in defaults["prefixes"]:
                yield Finding(
                    "NET009",
                    f"{who(circuit, peering)}: {label} is a default route, which Microsoft peering doesn't accept",
                    node=node, field=field,
                    evidence=[evidence("special_prefixes", defaults["source"], "default route on Microsoft peering",
                                       "not accepted")],
                )
                continue
            entry = special_range_of(net)
            if entry is None:
                continue
            inside = net.subnet_of(ipaddress.ip_network(entry["prefix"]))
            relation = "lies in" if inside else "overlaps"
            yield Finding(
                "NET009",
                f"{who(circuit, peering)}: {label} is not public: it {relation} {entry['prefix']} "
                f"({entry['name']}, {entry['rfc']}); Microsoft peering needs public addresses you own",
                node=node, field=field,
                evidence=[evidence("special_prefixes", entry["source"], "special-purpose range",
                                   f"{entry['prefix']} {entry['name']} ({entry['rfc']})")],
            )


# --------------------------------------------------------------------------- NET010 who holds which address

def link_endpoint(design: Design, link: PeeringLink, version: int) -> Optional[tuple[str, Node, tuple]]:
    """(address text, node, field) of the router's address on a link: the link's own ip, else its interface's."""
    if version == 6:
        return (link.ipv6, link, ("ipv6",)) if link.ipv6 else None
    if link.ip:
        return link.ip, link, ("ip",)
    iface = interface_of(design, link)
    if iface is not None and iface.ip:
        return iface.ip, iface, ("ip",)
    return None


@check("NET010")
def link_address_assignment(design: Design, ctx=None) -> Iterable[Finding]:
    assignment = table("addressing")["link_address_assignment"]
    ev = evidence("addressing", assignment["source"], "address assignment in each link subnet",
                  f"first usable: {assignment['first_usable']} router, second usable: {assignment['second_usable']}")
    for circuit, peering in peerings(design):
        subs = {(s.role, s.network.version): s for s in link_subnets(circuit, peering)}
        for role in ROLES:
            link = link_of(peering, role)
            if link is None:
                continue
            for version in (4, 6):
                sub = subs.get((role, version))
                endpoint = link_endpoint(design, link, version)
                if sub is None or endpoint is None:
                    continue
                text, node, field = endpoint
                message = _address_problem(text, sub.network)
                if message is None:
                    continue
                router = f"router '{link.router}'" if link.router else "the router"
                yield Finding(
                    "NET010",
                    f"{who(circuit, peering)}: {router} address {text} on the {role} link {message}",
                    node=node, field=field, evidence=[ev],
                    hint=f"Give the router {sub.network.network_address + 1} and leave "
                         f"{sub.network.network_address + 2} to Microsoft.",
                )


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
