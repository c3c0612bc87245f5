"""CAP rules: capacity limits - prefixes advertised and learned, VNet links per
circuit, circuit connections per gateway and per VNet, VNet peerings per VNet.

Prefix counts come from lists (`advertised_prefixes`, counted once each) or
from declared numbers (`advertised_prefix_count`, for when a list is
impractical). A private peering without its own figures uses the prefixes of
the sites whose routers terminate its links.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Optional

from .. import facts
from ..data import table
from ..engine.finding import Finding
from ..engine.registry import check
from ..model import Circuit, Design, Node, Peering, format_bandwidth
from . import _places as P
from ._common import counted, evidence, fmt, network, who
from .gateway import scale_limits
from .vnet import peers_of, spokes_using_gateway


# --------------------------------------------------------------------------- prefix counting

@dataclass
class PrefixCount:
    """Distinct listed prefixes plus prefixes known only as a number, per IP version.

    Declared numbers are kept per source (a site, or a peering's own count), so that
    merging the counts of several circuits counts a source they share once.
    """

    listed: dict[int, set[str]] = field(default_factory=lambda: {4: set(), 6: set()})
    declared: dict[int, dict[int, tuple[str, int]]] = field(default_factory=lambda: {4: {}, 6: {}})
    where: dict[int, tuple[Optional[Node], tuple, str]] = field(default_factory=dict)

    def declare(self, version: int, source: Node, label: str, n: int) -> None:
        """`n` prefixes declared by `source` (labelled like "site 'dc1'")."""
        self.declared[version][id(source)] = (label, n)

    def declared_total(self, version: int) -> int:
        return sum(n for _, n in self.declared[version].values())

    def total(self, version: int) -> int:
        return len(self.listed[version]) + self.declared_total(version)

    def add_list(self, prefixes, version: Optional[int] = None) -> None:
        by_version = _normal_prefixes(tuple(prefixes))
        for v in (4, 6):
            if version is None or v == version:
                self.listed[v] |= by_version[v]

    def merge(self, other: "PrefixCount") -> None:
        for v in (4, 6):
            self.listed[v] |= other.listed[v]
            self.declared[v].update(other.declared[v])  # one source, one count
            if v not in self.where and v in other.where:
                self.where[v] = other.where[v]


@lru_cache(maxsize=4096)
def _normal_prefixes(prefixes: tuple[str, ...]) -> dict[int, frozenset[str]]:
    """The distinct prefixes of a list by IP version, in canonical text (10.0.0.1/24 is 10.0.0.0/24).

    Cached by the list's content: a site's list is read once per run however many circuits use it.
    """
    out: dict[int, set[str]] = {4: set(), 6: set()}
    for text in prefixes:
        net = network(text)
        if net is not None:
            out[net.version].add(str(net))
    return {v: frozenset(nets) for v, nets in out.items()}


def router_sites(design: Design) -> dict[str, object]:
    return {r.name: site for site in design.sites for r in site.routers}


def _link_sites(peering: Peering, router_site: dict) -> list:
    out = []
    for link in (peering.primary_link, peering.secondary_link):
        site = router_site.get(link.router) if link is not None and link.router else None
        if site is not None and site not in out:
            out.append(site)
    return out


def private_peering_prefixes(peering: Peering, router_site: dict) -> PrefixCount:
    """On-premises prefixes advertised to Microsoft on a private peering."""
    count = PrefixCount()
    sites = _link_sites(peering, router_site)
    # IPv4: the peering's own figures win over its sites'
    if peering.advertised_prefix_count is not None:
        count.declare(4, peering, "the peering", max(peering.advertised_prefix_count, len(set(peering.advertised_prefixes))))
        count.where[4] = (peering, ("advertised_prefix_count",), "declared on the peering")
    elif peering.advertised_prefixes:
        count.add_list(peering.advertised_prefixes, 4)
        count.where[4] = (peering, ("advertised_prefixes",), "listed on the peering")
    else:
        for site in sites:
            if site.advertised_prefix_count is not None:
                count.declare(4, site, f"site '{site.name}'", site.advertised_prefix_count)
                count.where.setdefault(4, (site, ("advertised_prefix_count",), f"declared by site '{site.name}'"))
            else:
                count.add_list(site.advertised_prefixes, 4)
                if site.advertised_prefixes:
                    count.where.setdefault(4, (site, ("advertised_prefixes",), f"listed by site '{site.name}'"))
    v6 = peering.ipv6
    if v6 is not None and v6.advertised_prefix_count is not None:
        count.declare(6, v6, "the peering", max(v6.advertised_prefix_count, len(set(v6.advertised_prefixes))))
        count.where[6] = (v6, ("advertised_prefix_count",), "declared on the peering")
    elif v6 is not None and v6.advertised_prefixes:
        count.add_list(v6.advertised_prefixes, 6)
        count.where[6] = (v6, ("advertised_prefixes",), "listed on the peering")
    else:
        for site in sites:
            before = count.total(6)
            count.add_list(site.advertised_prefixes, 6)
            if count.total(6) > before:
                count.where.setdefault(6, (site, ("advertised_prefixes",), f"listed by site '{site.name}'"))
    return count


def private_peerings(design: Design) -> Iterator[tuple[Circuit, Peering]]:
    for circuit in design.circuits:
        peering = circuit.peering("AzurePrivatePeering")
        if peering is not None:
            yield circuit, peering


# --------------------------------------------------------------------------- advertised to Microsoft

def _onprem_limit_finding(rule, circuit, peering, count, version, limits, source) -> Optional[Finding]:
    total = count.total(version)
    tier = circuit.sku.tier
    limit = limits.get(tier)
    if limit is None or total <= limit:
        return None
    node, fld, origin = count.where.get(version, (peering, (), ""))
    premium = limits.get("Premium")
    upgrade = ""
    if tier != "Premium" and premium and premium > limit:
        # Premium helps only if the count fits under its limit
        upgrade = (f"; Premium allows {fmt(premium)}" if total <= premium
                   else f"; it is above the Premium limit of {fmt(premium)} too")
    return Finding(
        rule,
        f"{who(circuit, peering)}: {fmt(total)} IPv{version} prefixes advertised from on-premises "
        f"({origin}) exceed the {tier} limit of {fmt(limit)}; the BGP session drops{upgrade}",
        node=node, field=fld,
        hint="Summarize the on-premises routes (or filter them) before advertising to private peering"
             + (", or upgrade the circuit to Premium" if upgrade.startswith("; Premium") else ""),
        evidence=[evidence("route_limits", source, f"IPv{version} prefixes to private peering, {tier}", limit)],
    )


@check("CAP001", "CAP002")
def onprem_prefixes_private_peering(design: Design) -> Iterator[Finding]:
    limits = table("route_limits")["advertised_to_private_peering"]
    router_site = router_sites(design)
    for circuit, peering in private_peerings(design):
        count = private_peering_prefixes(peering, router_site)
        for rule, version, key in (("CAP001", 4, "ipv4"), ("CAP002", 6, "ipv6")):
            finding = _onprem_limit_finding(rule, circuit, peering, count, version, limits[key], limits["source"])
            if finding:
                yield finding


@check("CAP008")
def microsoft_peering_prefixes(design: Design) -> Iterator[Finding]:
    limits = table("route_limits")["advertised_to_microsoft_peering"]
    for circuit in design.circuits:
        peering = circuit.peering("MicrosoftPeering")
        if peering is None:
            continue
        count = PrefixCount()
        count.add_list(peering.advertised_public_prefixes)
        count.add_list(peering.advertised_prefixes, 4)
        where = {4: (peering, ("advertised_public_prefixes",)), 6: (peering, ("advertised_public_prefixes",))}
        if peering.advertised_prefix_count is not None:
            count.declare(4, peering, "the peering", max(0, peering.advertised_prefix_count - len(count.listed[4])))
            where[4] = (peering, ("advertised_prefix_count",))
        if peering.ipv6 is not None:
            count.add_list(peering.ipv6.advertised_prefixes, 6)
            if peering.ipv6.advertised_prefix_count is not None:
                count.declare(6, peering.ipv6, "the peering",
                              max(0, peering.ipv6.advertised_prefix_count - len(count.listed[6])))
                where[6] = (peering.ipv6, ("advertised_prefix_count",))
        for version, key in ((4, "ipv4"), (6, "ipv6")):
            total, limit = count.total(version), limits[key]
            if total > limit:
                node, fld = where[version]
                yield Finding(
                    "CAP008",
                    f"{who(circuit, peering)}: {fmt(total)} IPv{version} prefixes advertised to "
                    f"Microsoft peering exceed the limit of {fmt(limit)}; the BGP session drops",
                    node=node, field=fld,
                    hint="Advertise fewer, summarized public prefixes (e.g. only the NAT pools) on Microsoft peering",
                    evidence=[evidence("route_limits", limits["source"], f"IPv{version} prefixes to Microsoft peering",
                                       limit)],
                )


# --------------------------------------------------------------------------- advertised by the gateway

def _summarize(prefixes: list[str], summaries: list) -> tuple[int, int]:
    """(count after summarization, how many the summaries absorbed)."""
    kept, absorbed = set(), 0
    for text in prefixes:
        net = network(text)
        if net is None:
            continue
        if any(net.version == s.version and net.subnet_of(s) for s in summaries):
            absorbed += 1
        else:
            kept.add(str(net))
    return len(kept) + len({str(s) for s in summaries}), absorbed


@check("CAP003")
def gateway_advertised_prefixes(design: Design) -> Iterator[Finding]:
    limits = table("route_limits")["advertised_by_gateway"]
    spokes = spokes_using_gateway(design)
    connected = {c.gateway for c in design.connections if c.circuit}
    for gw in design.gateways:
        hub = design.vnet(gw.vnet)
        if gw.type != "ExpressRoute" or gw.name not in connected or hub is None:
            continue
        spoke_vnets = [v for v in (design.vnet(n) for n in spokes.get(hub.name, [])) if v is not None]
        summaries = [n for n in (network(t) for t in hub.summarized_gateway_prefixes) if n is not None]
        for version, key in ((4, "ipv4"), (6, "ipv6")):
            own = [t for t in hub.address_space if (n := network(t)) is not None and n.version == version]
            theirs = [t for v in spoke_vnets for t in v.address_space
                      if (n := network(t)) is not None and n.version == version]
            total, absorbed = _summarize(own + theirs, [s for s in summaries if s.version == version])
            limit = limits[key]
            if total <= limit:
                continue
            parts = (f"{fmt(len(own))} from hub VNet '{hub.name}' + {fmt(len(theirs))} from "
                     f"{counted(len(spoke_vnets), 'spoke VNet')} using its gateway")
            if absorbed:
                parts += f", {absorbed} absorbed by summarized_gateway_prefixes"
            yield Finding(
                "CAP003",
                f"gateway '{gw.name}': advertises {fmt(total)} IPv{version} prefixes to on-premises ({parts}); "
                f"above {fmt(limit)} the ExpressRoute connections disconnect",
                node=hub, field=("summarized_gateway_prefixes",) if hub.summarized_gateway_prefixes else ("address_space",),

                hint=f"Add summarized_gateway_prefixes on VNet '{hub.name}' covering the spoke address spaces",
                evidence=[evidence("route_limits", limits["source"], f"IPv{version} prefixes advertised by the gateway",
                                   limit)],
            )


# --------------------------------------------------------------------------- links and connections

def global_reach_pairs(design: Design) -> dict[str, set[frozenset]]:
    out: dict[str, set[frozenset]] = defaultdict(set)
    for circuit in design.circuits:
        for gr in circuit.global_reach:
            pair = frozenset((circuit.name, gr.peer_circuit))
            if len(pair) == 2:
                for name in pair:
                    out[name].add(pair)
    return out


@check("CAP004")
def vnet_links_per_circuit(design: Design) -> Iterator[Finding]:
    links = table("vnet_links")
    by_bw = links["by_bandwidth_mbps"]
    conns: dict[str, int] = defaultdict(int)
    for c in design.connections:
        if c.circuit:
            conns[c.circuit] += 1
    gr_pairs = global_reach_pairs(design)
    for circuit in design.circuits:
        row = by_bw.get(str(circuit.bandwidth))
        if row is None:
            continue  # 200/400 Gbps Direct circuits: not in the limits table
        gr = len(gr_pairs.get(circuit.name, ()))
        total = conns.get(circuit.name, 0) + gr
        tier = circuit.sku.tier
        limit = row.get(tier)
        if limit is None or total <= limit:
            continue
        size = f"{format_bandwidth(circuit.bandwidth)} {tier}"
        premium = row.get("Premium")
        msg = (f"circuit '{circuit.name}': {total} VNet links ({conns.get(circuit.name, 0)} gateway connections + "
               f"{gr} Global Reach) exceed the {limit} allowed for a {size} circuit")
        if tier != "Premium" and premium:
            msg += f"; Premium would allow {premium}"
        yield Finding(
            "CAP004", msg, node=circuit,
            field=("sku", "tier") if tier != "Premium" else ("bandwidth",),
            hint=("Upgrade the circuit to Premium, or link fewer VNets (peer spokes to a hub instead)"
                  if tier != "Premium" and premium and total <= premium else
                  "Link fewer VNets (peer spokes to a hub instead) or spread them over more circuits"),
            evidence=[evidence("vnet_links", by_bw["source"], f"VNet links, {size}", limit)]
            + ([evidence("vnet_links", by_bw["source"], f"VNet links, {format_bandwidth(circuit.bandwidth)} Premium",
                         premium)] if tier != "Premium" and premium else []),
        )


def max_circuit_connections(gw) -> Optional[tuple[int, object]]:
    """(limit, Evidence) for an ExpressRoute gateway, or None when its SKU/scale is unknown."""
    sku = facts.expressroute_gateway_sku(gw)
    if sku is None:
        return None
    if sku["name"] == "ErGwScale":
        if gw.scale_units is None:
            return None
        scale = scale_limits()
        steps = [s for s in scale["max_circuit_connections_by_min_scale_units"] if s["min_units"] <= gw.scale_units.min]
        if not steps:
            return None
        step = max(steps, key=lambda s: s["min_units"])
        return step["max"], evidence("gateway_skus", scale["max_circuit_connections_source"],
                                     f"ErGwScale circuit connections at {step['min_units']}+ min scale units", step["max"])
    limit = sku.get("max_circuit_connections")
    if limit is None:
        return None
    return limit, evidence("gateway_skus", sku.get("source", "LIMITS"), f"{sku['name']} circuit connections", limit)


def _bigger_skus(needed: int) -> list[str]:
    skus = table("gateway_skus")["skus"]
    return [name for name, s in skus.items()
            if s.get("family") == "az" and (s.get("max_circuit_connections") or 0) >= needed]


@check("CAP005")
def circuit_connections_per_gateway(design: Design) -> Iterator[Finding]:
    counts: dict[str, int] = defaultdict(int)
    for c in design.connections:
        if c.circuit:
            counts[c.gateway] += 1
    for gw in design.gateways:
        n = counts.get(gw.name, 0)
        found = max_circuit_connections(gw) if n else None
        if found is None or n <= found[0]:
            continue
        limit, ev = found
        bigger = _bigger_skus(n)
        scalable = facts.expressroute_gateway_sku(gw)["name"] == "ErGwScale"
        yield Finding(
            "CAP005",
            f"gateway '{gw.name}' ({gw.sku}): {n} circuit connections exceed the {limit} its SKU"
            + (f" at {gw.scale_units.min} min scale units" if gw.scale_units and scalable else "")
            + " allows",
            node=gw, field=("scale_units", "min") if scalable else ("sku",),
            hint=(f"Use a larger SKU ({', '.join(bigger)} or ErGwScale)" if bigger else "Connect fewer circuits to this gateway"),
            evidence=[ev],
        )


def _circuit_location(design: Design, circuit: Circuit) -> Optional[str]:
    """The circuit's peering location (its port's for ExpressRoute Direct), by its canonical name if known."""
    loc = P.circuit_location_name(design, circuit)
    if not loc:
        return None
    known = facts.peering_location(loc)
    return known["name"] if known else loc.strip()


@check("CAP006")
def circuits_same_location_per_vnet(design: Design) -> Iterator[Finding]:
    rule = table("gateway_skus")["max_circuits_same_peering_location_per_vnet"]
    limit = rule["value"]
    by_vnet: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for conn in design.connections:
        gw = design.gateway(conn.gateway)
        circuit = design.circuit(conn.circuit)
        if gw is None or circuit is None or gw.type != "ExpressRoute":
            continue
        location = _circuit_location(design, circuit)
        if location is None:
            continue
        group = by_vnet[gw.vnet][facts.norm(location)]
        if all(c.name != circuit.name for _, c, _ in group):
            group.append((conn, circuit, location))
    for vnet_name, groups in by_vnet.items():
        for group in groups.values():
            for conn, _circuit, location in group[limit:]:
                yield Finding(
                    "CAP006",
                    f"connection '{conn.name}': VNet '{vnet_name}' would link {len(group)} circuits from peering "
                    f"location {location}; at most {limit} circuits from one peering location can connect to a VNet",
                    node=conn, field=("circuit",),
                    hint="Use circuits from different peering locations (better for resiliency too)",
                    evidence=[evidence("gateway_skus", rule["source"], "circuits per peering location per VNet", limit)],
                )


@check("CAP007")
def routes_learned_by_gateway(design: Design) -> Iterator[Finding]:
    router_site = router_sites(design)
    per_circuit: dict[str, PrefixCount] = {}
    for circuit, peering in private_peerings(design):
        per_circuit[circuit.name] = private_peering_prefixes(peering, router_site)
    circuits_of_gw: dict[str, list[str]] = defaultdict(list)
    for c in design.connections:
        if c.circuit in per_circuit and c.circuit not in circuits_of_gw[c.gateway]:
            circuits_of_gw[c.gateway].append(c.circuit)
    for gw in design.gateways:
        sku = facts.expressroute_gateway_sku(gw)
        names = circuits_of_gw.get(gw.name)
        if sku is None or sku.get("routes_learned") is None or not names:
            continue
        total = PrefixCount()
        arrivals: dict[tuple[int, int], list[str]] = defaultdict(list)  # (version, source) -> circuits carrying it
        for name in names:
            total.merge(per_circuit[name])
            for v in (4, 6):
                for source in per_circuit[name].declared[v]:
                    arrivals[(v, source)].append(name)
        learned = total.total(4) + total.total(6)
        limit = sku["routes_learned"]
        if learned <= limit:
            continue
        shared = [f"{fmt(total.declared[v][source][1])} from {total.declared[v][source][0]}, counted once although "
                  f"it arrives over {counted(len(over), 'circuit')}"
                  for (v, source), over in arrivals.items() if len(over) > 1]
        yield Finding(
            "CAP007",
            f"gateway '{gw.name}' ({sku['name']}): learns {fmt(learned)} on-premises routes from "
            f"{counted(len(names), 'circuit')}" + (f" ({'; '.join(shared)})" if shared else "")
            + f"; the SKU holds {fmt(limit)}",
            node=gw, field=("sku",),
            hint="Summarize on-premises routes, or use a SKU that learns more routes",
            evidence=[evidence("gateway_skus", sku.get("source", "LIMITS"), f"{sku['name']} routes learned", limit)],
        )


# --------------------------------------------------------------------------- traffic above what a circuit carries

_DIRECTIONS = (("egress", "egress_gb_month", "Azure -> on-premises"), ("ingress", "ingress_gb_month", "on-premises -> Azure"))


def monthly_capacity_gb(mbps: int) -> float:
    """GB a circuit of `mbps` carries in one direction at full rate for a month (circuit_capacity.yaml)."""
    data = table("circuit_capacity")
    bytes_per_month = mbps * 1_000_000 // 8 * 3600 * data["hours_per_month"]["value"]
    return bytes_per_month / data["bytes_per_gb"]["value"]


def _gb(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _offered_bandwidths(design: Design, circuit: Circuit) -> list[int]:
    bw = table("bandwidths")
    if circuit.is_direct:
        port = design.port(circuit.express_route_port)
        return bw["direct_circuit_mbps_by_port"].get(str(port.bandwidth), []) if port else []
    return bw["provider_circuit_mbps"]["values"]


@check("CAP010")
def traffic_above_circuit_capacity(design: Design) -> Iterator[Finding]:
    data = table("circuit_capacity")
    hours, burst = data["hours_per_month"], data["burst"]
    sums: dict[tuple[str, str], list] = {}  # (circuit, direction) -> [GB, last entry, entries]
    for entry in design.traffic.circuits:
        for direction, fieldname, _ in _DIRECTIONS:
            gb = getattr(entry, fieldname) or 0
            row = sums.setdefault((entry.circuit, direction), [0.0, entry, 0])
            row[0] += gb
            row[2] += 1 if gb else 0
            if gb:
                row[1] = entry
    for (name, direction), (gb, entry, entries) in sums.items():
        circuit = design.circuit(name)
        if circuit is None or not gb:
            continue
        if circuit.bandwidth is None:
            continue  # unknown at design time (IMP001)
        capacity = monthly_capacity_gb(circuit.bandwidth)
        if gb <= capacity:
            continue
        fieldname, arrow = next((f, a) for d, f, a in _DIRECTIONS if d == direction)
        bigger = [m for m in _offered_bandwidths(design, circuit) if monthly_capacity_gb(m) >= gb]
        size = format_bandwidth(circuit.bandwidth)
        yield Finding(
            "CAP010",
            f"circuit '{name}': {_gb(gb)} GB/month {direction} ({arrow})"
            + (f" over {entries} traffic entries" if entries > 1 else "")
            + f" is more than a {size} circuit can carry: {_gb(capacity)} GB/month at full rate for "
            f"{hours['value']} hours ({gb / capacity:.1f}x); bursting above {size} is not sustained or guaranteed",
            node=entry, field=(fieldname,),
            hint=("Check the figure (GB per month); if it is right, the traffic needs a "
                  + (f"{format_bandwidth(bigger[0])} circuit ({_gb(monthly_capacity_gb(bigger[0]))} GB/month) or more"
                     if bigger else "bigger circuit, or more circuits") + "."),
            evidence=[
                evidence("circuit_capacity", hours["source"], "hours in a month", hours["value"]),
                evidence("circuit_capacity", burst["source"], f"burst to {burst['multiple']}x the bandwidth",
                         "not sustained, not guaranteed"),
            ],
        )


# --------------------------------------------------------------------------- VNet peerings per VNet

@check("CAP009")
def vnet_peerings_per_vnet(design: Design) -> Iterator[Finding]:
    rule = table("network_limits")["vnet_peerings_per_vnet"]
    limit = rule["value"]
    peers = peers_of(design)
    for vnet in design.vnets:
        n = len(peers.get(vnet.name, ()))
        if n > limit:
            yield Finding(
                "CAP009",
                f"VNet '{vnet.name}': peered with {fmt(n)} VNets; a VNet can have at most {fmt(limit)} peerings",
                node=vnet, field=("name",),
                hint="Split the spokes over several hubs (or use Virtual WAN / Azure Virtual Network Manager)",
                evidence=[evidence("network_limits", rule["source"], "VNet peerings per VNet", limit)],
            )
