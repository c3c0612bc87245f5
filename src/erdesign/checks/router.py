"""RTR: a router's configuration against the design - the customer side of each ExpressRoute link.

Runs only over configurations attached to the design (`erdesign lint --router-config NAME=FILE`, or
`config_file:` on a router); findings point at the configuration file's line and column. What each link needs
comes from erdesign.edge.links (rules/data customer_edge.yaml, asns.yaml, route_limits.yaml). Messages never
quote a password or key.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable, Iterator, Optional

from ..edge.attach import AttachedConfig, router_configs
from ..edge.config import ConfigInterface, ConfigNeighbor, Item, PrefixEntry, RouterConfig, same_interface
from ..edge.links import EdgeLink, bfd_timers, edge_links, links_for_config, microsoft_asn
from ..engine.finding import Evidence, Finding
from ..engine.registry import check
from ..errors import Loc
from ..model import Design
from ._common import evidence

RULES = ("RTR001", "RTR002", "RTR003", "RTR004", "RTR005", "RTR006", "RTR007", "RTR008", "RTR009", "RTR010",
         "RTR011")


def _ev_asn() -> Evidence:
    return evidence("asns", "ROUTING", "Microsoft's ASN on every ExpressRoute peering", microsoft_asn())


class _Context:
    def __init__(self, design: Design, attached: AttachedConfig):
        self.design = design
        self.attached = attached
        self.cfg: RouterConfig = attached.config
        self.router = design.router(attached.router) if attached.router else None
        name = f"router '{attached.router}'" if attached.router else "router configuration"
        self.who = name

    def finding(self, rule: str, link: EdgeLink, text: str, loc: Loc, **extra) -> Finding:
        node = self.router or link.link or link.peering
        return Finding(rule, f"{self.who}: {link.label}: {text}", node=node, loc=loc, **extra)

    def fallback(self, iface: Optional[ConfigInterface] = None) -> Loc:
        if iface is not None:
            return iface.loc
        return self.cfg.bgp_loc or self.cfg.start()


# --------------------------------------------------------------------------- finding the link in the config

def _interface(cfg: RouterConfig, link: EdgeLink) -> Optional[ConfigInterface]:
    if link.interface:
        named = next((i for i in cfg.interfaces if same_interface(i.name, link.interface)), None)
        if named is not None:
            return named
    return next((i for i in cfg.interfaces
                 if any(a.value.version == 4 and a.value.ip in link.subnet for a in i.addresses)), None)


def _neighbor(cfg: RouterConfig, link: EdgeLink, iface: Optional[ConfigInterface],
              taken: set) -> tuple[Optional[ConfigNeighbor], bool]:
    """(neighbour, exact): the session to Microsoft's address, else one that looks meant for this link."""
    vrf = iface.vrf.value if iface is not None and iface.vrf else None
    exact = [n for n in cfg.neighbors if n.address == str(link.microsoft_ip)]
    if exact:
        return next((n for n in exact if n.vrf == vrf), exact[0]), True
    for nb in cfg.neighbors:
        if id(nb) in taken:
            continue
        try:
            address = ipaddress.ip_address(nb.address)
        except ValueError:
            continue
        if address.version == 4 and address in link.subnet:
            return nb, False
    return None, False


# --------------------------------------------------------------------------- the checks per link

def _tags(ctx: _Context, link: EdgeLink, iface: ConfigInterface) -> Iterator[Finding]:
    outer, inner = iface.tags
    want = f"VLAN {link.c_tag}" + (f" inside S-tag {link.s_tag} ({link.s_tag_from})" if link.s_tag is not None else "")
    if outer is None and inner is None:
        yield ctx.finding("RTR001", link, f"sub-interface {iface.name} has no VLAN tag; the design's link is {want}",
                          iface.loc)
        return
    if link.c_tag is not None and inner != link.c_tag:
        place = (iface.inner_tag or iface.outer_tag).loc
        yield ctx.finding("RTR001", link, f"sub-interface {iface.name} carries C-tag/VLAN {inner}; the peering's VLAN "
                          f"is {link.c_tag}", place)
    if link.s_tag is not None and outer is None and link.s_tag_from.startswith("the provider"):
        return  # single-tagged towards the provider, which may push its S-tag itself: only a double tag is checked
    if link.s_tag is not None and outer != link.s_tag:
        place = iface.outer_tag.loc if iface.inner_tag is not None and iface.outer_tag else iface.tags_loc or iface.loc
        got = f"S-tag {outer}" if outer is not None else "no S-tag (single-tagged)"
        yield ctx.finding("RTR001", link, f"sub-interface {iface.name} has {got}; the design's S-tag is {link.s_tag} "
                          f"({link.s_tag_from})", place)


def _ev_addresses(link: EdgeLink) -> list[Evidence]:
    return [evidence("customer_edge", "SAMPLES", f"addresses of {link.subnet} (router: first usable, Microsoft: second)",
                     f"{link.customer_ip} / {link.microsoft_ip}")]


def _address(ctx: _Context, link: EdgeLink, iface: Optional[ConfigInterface]) -> Iterator[Finding]:
    want = f"{link.customer_ip}/{link.subnet.prefixlen}"
    if iface is None:
        yield ctx.finding("RTR002", link, f"no interface has {want} (the first usable address of {link.subnet}); "
                          "the link's sub-interface is missing", ctx.fallback(),
                          evidence=_ev_addresses(link))
        return
    if any(a.value.ip == link.customer_ip and a.value.network == link.subnet for a in iface.addresses):
        return
    if not iface.addresses:
        yield ctx.finding("RTR002", link, f"sub-interface {iface.name} has no IPv4 address; it needs {want} (the first "
                          f"usable address of {link.subnet})", iface.loc,
                          evidence=_ev_addresses(link))
        return
    got = next((a for a in iface.addresses if a.value.version == 4 and a.value.ip in link.subnet), iface.addresses[0])
    note = " - that is Microsoft's address" if got.value.ip == link.microsoft_ip else ""
    yield ctx.finding("RTR002", link, f"sub-interface {iface.name} has {got.value}{note}; the design's link needs "
                      f"{want} (the first usable address of {link.subnet}; Microsoft takes {link.microsoft_ip})",
                      got.loc, evidence=_ev_addresses(link))


def _vrf(ctx: _Context, link: EdgeLink, iface: Optional[ConfigInterface]) -> Iterator[Finding]:
    if iface is None or not link.vrf:
        return
    got = iface.vrf.value if iface.vrf is not None else None
    if got != link.vrf:
        where = f"VRF {got}" if got else "the global table"
        yield ctx.finding("RTR011", link, f"sub-interface {iface.name} is in {where}; the design puts the link in "
                          f"VRF {link.vrf}", iface.vrf.loc if iface.vrf is not None else iface.loc)


def _session(ctx: _Context, link: EdgeLink, nb: ConfigNeighbor) -> Iterator[Finding]:
    if nb.remote_as is None:
        yield ctx.finding("RTR004", link, f"BGP neighbour {nb.address} has no remote AS; Microsoft's is "
                          f"{link.remote_asn}", nb.loc, evidence=[_ev_asn()])
    elif nb.remote_as.value != link.remote_asn:
        yield ctx.finding("RTR004", link, f"BGP neighbour {nb.address} has remote AS {nb.remote_as.value}; Microsoft's "
                          f"AS on ExpressRoute is {link.remote_asn}", nb.remote_as.loc, evidence=[_ev_asn()])
    if link.local_asn is not None and nb.local_as is not None and nb.local_as.value != link.local_asn:
        yield ctx.finding("RTR005", link, f"the BGP session to {nb.address} runs from AS {nb.local_as.value}; the "
                          f"peering's peer ASN is {link.local_asn}", nb.local_as.loc)
    if link.md5 and nb.password is None:
        yield ctx.finding("RTR006", link, f"the design sets an MD5 key on the peering (md5: true) but BGP neighbour "
                          f"{nb.address} has none; the session won't come up", nb.loc)
    elif not link.md5 and nb.password is not None:
        yield ctx.finding("RTR006", link, f"BGP neighbour {nb.address} has an MD5 key (value not shown) but the "
                          "design's peering sets none (md5: false); the session won't come up", nb.password)
    if link.bfd:
        timers = bfd_timers()
        ev = [evidence("customer_edge", "BFD", "MSEE BFD interval / multiplier",
                       f"{timers['interval_ms']} ms x {timers['multiplier']}")]
        if nb.bfd is None:
            yield ctx.finding("RTR007", link, f"BGP neighbour {nb.address} has no BFD; failover waits for the BGP "
                              "hold timer (up to 3 minutes) instead of under a second", nb.loc, evidence=ev)


def _interface_bfd(ctx: _Context, link: EdgeLink, iface: Optional[ConfigInterface],
                   nb: Optional[ConfigNeighbor]) -> Iterator[Finding]:
    if ctx.cfg.dialect != "ios-xe" or not link.bfd or iface is None or iface.bfd is not None:
        return
    if nb is not None and nb.bfd is not None:
        yield ctx.finding("RTR007", link, f"BGP neighbour {nb.address} has fall-over bfd but sub-interface {iface.name} "
                          "has no 'bfd interval'; IOS-XE runs no BFD session without it", iface.loc)


def _max_prefix(ctx: _Context, link: EdgeLink, nb: ConfigNeighbor) -> Iterator[Finding]:
    if link.max_prefix is None:
        return
    ev = [evidence("route_limits", "FAQ26", f"routes Azure may send on this session ({link.max_prefix_basis})",
                   link.max_prefix)]
    configured = nb.max_prefix.value if nb.max_prefix is not None else 0
    if configured == 0:
        yield ctx.finding("RTR008", link, f"BGP neighbour {nb.address} has no maximum-prefix; set it to at most "
                          f"{link.max_prefix:,}", nb.loc, evidence=ev)
    elif configured > link.max_prefix:
        yield ctx.finding("RTR008", link, f"BGP neighbour {nb.address} maximum-prefix {configured:,} is above the "
                          f"{link.max_prefix:,} routes Azure may send on this session ({link.max_prefix_basis})",
                          nb.max_prefix.loc, evidence=ev)


Opening = Optional[tuple[str, Loc]]  # what lets a session advertise every route, and where


def _advertised_entries(cfg: RouterConfig, nb: ConfigNeighbor) -> tuple[list[PrefixEntry], Opening, list[tuple[str, Loc]]]:
    """(permitted entries, what opens it to every route, undefined names) for what the session advertises."""
    entries: list[PrefixEntry] = []
    undefined: list[tuple[str, Loc]] = []

    def from_lists(names: Iterable[Item]):
        for item in names:
            name = item.value.split()[0]
            if name not in cfg.prefix_lists:
                undefined.append((f"prefix-list {name}", item.loc))
            entries.extend(e for e in cfg.prefix_lists.get(name, []) if e.action == "permit")

    if nb.export_policies:
        for item in nb.export_policies:
            clauses = cfg.policies.get(item.value)
            if clauses is None:
                undefined.append((f"policy {item.value}", item.loc))
                continue
            for clause in clauses:
                if clause.action != "permit":
                    continue
                # conditions of one clause are ANDed: another match only narrows a prefix match
                if clause.other_match is not None and not clause.prefix_lists and not clause.prefixes:
                    return entries, (f"policy {item.value} permits routes matched on "
                                     f"'{clause.other_match.value}', not on prefixes", clause.other_match.loc), undefined
                if not clause.prefix_lists and not clause.prefixes:
                    return entries, (f"policy {item.value} has a clause that permits every route", clause.loc), undefined
                from_lists(clause.prefix_lists)
                entries.extend(clause.prefixes)
        return entries, None, undefined
    if nb.export_prefix_lists:
        from_lists(nb.export_prefix_lists)
        return entries, None, undefined
    if cfg.dialect == "junos":
        return [], None, undefined
    if cfg.redistributes.get(nb.vrf):
        return entries, ("routes are redistributed into BGP with no outbound filter on the session",
                         cfg.redistributes[nb.vrf][0]), undefined
    return [PrefixEntry("permit", n.value, n.loc) for n in cfg.networks.get(nb.vrf, [])], None, undefined


def _advertised(ctx: _Context, link: EdgeLink, nb: ConfigNeighbor) -> Iterator[Finding]:
    if not link.advertised:
        return
    design = [ipaddress.ip_network(p, strict=False) for p in link.advertised]
    entries, everything, undefined = _advertised_entries(ctx.cfg, nb)
    for name, loc in undefined:
        yield ctx.finding("RTR009", link, f"BGP neighbour {nb.address} refers to {name}, which is not defined", loc)
    if everything is not None:
        reason, loc = everything
        yield ctx.finding("RTR009", link, f"BGP neighbour {nb.address} advertises more than the design's "
                          f"{len(design)} prefixes: {reason}", loc)
        return
    for entry in entries:
        if entry.is_range:
            yield ctx.finding("RTR009", link, f"BGP neighbour {nb.address} is allowed to advertise a range "
                              f"({entry.prefix} and longer), more than the design's prefixes ({link.advertised_from})",
                              entry.loc)
        elif not any(entry.matches(d) for d in design):
            yield ctx.finding("RTR009", link, f"BGP neighbour {nb.address} advertises {entry.prefix}, which is not among "
                              f"the design's prefixes ({link.advertised_from})", entry.loc)
    originated = None
    filtered = bool(nb.export_policies or nb.export_prefix_lists)
    if ctx.cfg.dialect != "junos" and filtered and not ctx.cfg.redistributes.get(nb.vrf):
        originated = [n.value for n in ctx.cfg.networks.get(nb.vrf, [])]
    missing = [d for d in design if not any(e.matches(d) for e in entries)
               or (originated is not None and d not in originated)]
    if missing:
        where = (nb.export_policies or nb.export_prefix_lists or [Item(None, nb.loc)])[0].loc
        listed = ", ".join(str(m) for m in missing)
        if ctx.cfg.dialect == "junos" and not nb.export_policies:
            how = "no export policy"
        else:
            how = "its filters and network statements"
        yield ctx.finding("RTR009", link, f"BGP neighbour {nb.address} does not advertise {listed} from the design "
                          f"({link.advertised_from}); check {how}", where)


# --------------------------------------------------------------------------- running

def _check_config(design: Design, attached: AttachedConfig, found_sessions: dict) -> Iterator[Finding]:
    ctx = _Context(design, attached)
    cfg = ctx.cfg
    taken: set = set()
    for link in links_for_config(design, attached.router, cfg.addresses()):
        iface = _interface(cfg, link)
        if iface is not None:
            yield from _tags(ctx, link, iface)
        yield from _address(ctx, link, iface)
        yield from _vrf(ctx, link, iface)
        nb, exact = _neighbor(cfg, link, iface, taken)
        if nb is None:
            yield ctx.finding("RTR003", link, f"no BGP neighbour {link.microsoft_ip} (Microsoft's address, the second "
                              f"usable of {link.subnet}); the session is missing", ctx.fallback(iface),
                              evidence=_ev_addresses(link))
            yield from _interface_bfd(ctx, link, iface, None)
            continue
        taken.add(id(nb))
        if not exact:
            yield ctx.finding("RTR003", link, f"BGP neighbour {nb.address} is not Microsoft's address; it must be "
                              f"{link.microsoft_ip} (the second usable of {link.subnet})", nb.loc,
                              evidence=_ev_addresses(link))
            continue
        found_sessions.setdefault((id(link.peering), link.role), (ctx, link, nb))
        if iface is not None and iface.vrf is not None and nb.vrf != iface.vrf.value:
            yield ctx.finding("RTR003", link, f"BGP neighbour {nb.address} is in "
                              f"{'VRF ' + nb.vrf if nb.vrf else 'the global table'} but sub-interface {iface.name} is in "
                              f"VRF {iface.vrf.value}; the session can't reach Microsoft", nb.loc)
        if nb.shutdown is not None:
            yield ctx.finding("RTR003", link, f"BGP neighbour {nb.address} is shut down; the session is configured "
                              "but never comes up", nb.shutdown)
        yield from _session(ctx, link, nb)
        yield from _interface_bfd(ctx, link, iface, nb)
        yield from _max_prefix(ctx, link, nb)
        yield from _advertised(ctx, link, nb)


@check(*RULES)
def router_configuration(design: Design, ctx=None) -> Iterable[Finding]:
    found: dict = {}
    for attached in router_configs(design):
        yield from _check_config(design, attached, found)
    links = {(id(link.peering), link.role): link for link in edge_links(design)}
    for (peering_id, role), (rctx, link, nb) in found.items():
        other_role = "secondary" if role == "primary" else "primary"
        other = links.get((peering_id, other_role))
        if other is None or (peering_id, other_role) in found or other.router is not None:
            continue
        yield rctx.finding("RTR010", link, f"only the {role} session is configured; the {other_role} session "
                           f"(neighbour {other.microsoft_ip}) is in none of the configurations checked and the design "
                           "puts it on no router. The SLA needs both sessions", nb.loc)
