"""Topology diagrams of a design, as Mermaid (renders in GitHub markdown) or Graphviz DOT.

Left to right: on-premises sites and routers -> carrier virtual circuits (S-tag) -> peering
location and circuit (SKU, bandwidth, plan, peering VLANs; or the ExpressRoute Direct port)
-> gateways (SKU) -> hub VNets -> spokes (VNet peering, gateway transit); Global Reach links
between circuits. ``findings=`` marks each object with its worst finding; ``cost=`` labels
objects and links with their monthly cost.

``build(design)`` gives a small graph model; ``to_mermaid`` / ``to_dot`` render it;
``render_with_graphviz`` turns DOT into SVG or PNG with the user's ``dot`` when it is on PATH.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .model import Design, format_bandwidth

SEVERITY_ORDER = ("info", "warning", "error")
_SEVERITY_STYLE = {  # (Mermaid classDef, DOT colour)
    "error": ("fill:#fde2e1,stroke:#c62828,stroke-width:2px", "#c62828"),
    "warning": ("fill:#fff4d6,stroke:#e69500,stroke-width:2px", "#e69500"),
    "info": ("fill:#e3f0fb,stroke:#1f6fb2", "#1f6fb2"),
}
_PEERING_SHORT = {"AzurePrivatePeering": "private", "MicrosoftPeering": "Microsoft", "AzurePublicPeering": "public"}


@dataclass
class DiagramNode:
    id: str
    lines: list[str]
    kind: str  # site-router, virtual-circuit, circuit, port, gateway, vnet
    cluster: Optional[str] = None
    severity: Optional[str] = None  # worst finding on it


@dataclass
class DiagramEdge:
    source: str
    target: str
    label: str = ""
    style: str = "solid"  # solid | dotted


@dataclass
class Cluster:
    id: str
    label: str
    parent: Optional[str] = None


@dataclass
class Diagram:
    title: str
    nodes: dict[str, DiagramNode] = field(default_factory=dict)
    edges: list[DiagramEdge] = field(default_factory=list)
    clusters: dict[str, Cluster] = field(default_factory=dict)


# --------------------------------------------------------------------------- building the graph

class _Ids:
    def __init__(self):
        self.used: set[str] = set()
        self.by_key: dict[tuple, str] = {}

    def get(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        if key not in self.by_key:
            base = f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"
            candidate, n = base, 2
            while candidate in self.used:
                candidate, n = f"{base}_{n}", n + 1
            self.used.add(candidate)
            self.by_key[key] = candidate
        return self.by_key[key]


def build(design: Design, *, findings=None, cost=None) -> Diagram:
    """The diagram of a resolved design; `findings` (a LintReport or findings), `cost` (a CostReport)."""
    ids = _Ids()
    d = Diagram(title=design.name or "design")
    objects: dict[int, str] = {}  # id(design node) -> diagram node id, for findings

    def add(node_id, lines, kind, cluster=None, obj=None):
        d.nodes[node_id] = DiagramNode(node_id, [ln for ln in lines if ln], kind, cluster)
        if obj is not None:
            objects[id(obj)] = node_id
        return node_id

    costs = _monthly_costs(cost) if cost is not None else {}

    # on premises
    if design.sites:
        d.clusters["onprem"] = Cluster("onprem", "On premises")
    for site in design.sites:
        cid = ids.get("site", site.name)
        d.clusters[cid] = Cluster(cid, f"{site.name}" + (f" ({site.city})" if site.city else ""), "onprem")
        objects[id(site)] = cid
        for router in site.routers:
            add(ids.get("rtr", router.name), [router.name, f"AS {router.asn}" if router.asn is not None else ""],
                "router", cid, router)

    # carriers
    if any(p.virtual_circuits for p in design.providers):
        d.clusters["carriers"] = Cluster("carriers", "Carriers")
    vcs_of_circuit: dict[str, list] = {}
    for provider in design.providers:
        if not provider.virtual_circuits:
            continue
        pid = ids.get("prov", provider.name)
        d.clusters[pid] = Cluster(pid, provider.name, "carriers")
        objects[id(provider)] = pid
        for vc in provider.virtual_circuits:
            lines = [vc.name, vc.link + (f", S-tag {vc.s_tag}" if vc.s_tag is not None else ""),
                     format_bandwidth(vc.bandwidth) if vc.bandwidth else "",
                     _cost_text(costs.get(("virtual_circuit", vc.name)))]
            add(ids.get("vc", vc.name), lines, "virtual-circuit", pid, vc)
            vcs_of_circuit.setdefault(vc.circuit, []).append(vc)

    # peering locations, ports and circuits
    for port in design.express_route_ports:
        loc_id = _location_cluster(d, ids, port.peering_location)
        add(ids.get("port", port.name), [port.name, f"ExpressRoute Direct {format_bandwidth(port.bandwidth)}",
                                         port.encapsulation, _cost_text(costs.get(("express_route_port", port.name)))],
            "port", loc_id, port)
    for circuit in design.circuits:
        loc_id = _location_cluster(d, ids, circuit.peering_location)
        peerings = ", ".join(f"{_PEERING_SHORT.get(p.type, p.type)}" + (f" VLAN {p.vlan_id}" if p.vlan_id is not None else "")
                             for p in circuit.peerings)
        lines = [circuit.name, f"{circuit.sku.tier} / {circuit.sku.family.replace('Data', '')}",
                 format_bandwidth(circuit.bandwidth) + (f" via {circuit.provider}" if circuit.provider else ""),
                 peerings, _cost_text(costs.get(("circuit", circuit.name)))]
        cnode = add(ids.get("ckt", circuit.name), lines, "circuit", loc_id, circuit)
        for vc in vcs_of_circuit.get(circuit.name, []):
            vlan = _vlan(circuit)
            d.edges.append(DiagramEdge(ids.get("vc", vc.name), cnode, vc.link + (f", VLAN {vlan}" if vlan is not None else "")))
            for router, interface in _routers_of_link(design, circuit, vc.link):
                d.edges.append(DiagramEdge(ids.get("rtr", router), ids.get("vc", vc.name), interface or ""))
        if circuit.express_route_port and design.port(circuit.express_route_port):
            d.edges.append(DiagramEdge(ids.get("port", circuit.express_route_port), cnode, "Direct"))
            for link in ("primary", "secondary"):
                for router, interface in _routers_of_link(design, circuit, link):
                    d.edges.append(DiagramEdge(ids.get("rtr", router), ids.get("port", circuit.express_route_port),
                                               f"{link}" + (f" {interface}" if interface else "")))
        elif not vcs_of_circuit.get(circuit.name):
            for link in ("primary", "secondary"):
                vlan = _vlan(circuit)
                for router, interface in _routers_of_link(design, circuit, link):
                    d.edges.append(DiagramEdge(ids.get("rtr", router), cnode,
                                               link + (f", VLAN {vlan}" if vlan is not None else "")))

    # Azure: gateways, VNets, peerings
    for vnet in design.vnets:
        rid = _region_cluster(d, ids, vnet.region)
        add(ids.get("vnet", vnet.name), [vnet.name, ", ".join(vnet.address_space)], "vnet", rid, vnet)
    for gw in design.gateways:
        rid = _region_cluster(d, ids, design.gateway_region(gw))
        gnode = add(ids.get("gw", gw.name), [gw.name, f"{gw.type} {gw.sku}",
                                             _cost_text(costs.get(("gateway", gw.name)))], "gateway", rid, gw)
        if design.vnet(gw.vnet):
            d.edges.append(DiagramEdge(gnode, ids.get("vnet", gw.vnet), "GatewaySubnet"))
    for cx in design.connections:
        if cx.circuit and design.circuit(cx.circuit) and design.gateway(cx.gateway):
            flags = [f"weight {cx.routing_weight}" if cx.routing_weight else "", "FastPath" if cx.fastpath else ""]
            d.edges.append(DiagramEdge(ids.get("ckt", cx.circuit), ids.get("gw", cx.gateway),
                                       ", ".join([cx.name] + [f for f in flags if f])))
            objects[id(cx)] = ids.get("gw", cx.gateway)
    _peering_edges(design, d, ids, costs, objects)
    _global_reach_edges(design, d, ids, costs)

    if findings is not None:
        _mark_findings(design, d, objects, findings)
    return d


def _location_cluster(d: Diagram, ids: _Ids, location: Optional[str]) -> str:
    name = location or "peering location not given"
    cid = ids.get("loc", name)
    d.clusters.setdefault(cid, Cluster(cid, f"{name} (peering location)"))
    return cid


def _region_cluster(d: Diagram, ids: _Ids, region: Optional[str]) -> str:
    name = region or "region not given"
    cid = ids.get("region", name)
    d.clusters.setdefault(cid, Cluster(cid, f"Azure {name}"))
    return cid


def _vlan(circuit) -> Optional[int]:
    private = circuit.peering("AzurePrivatePeering") or (circuit.peerings[0] if circuit.peerings else None)
    return private.vlan_id if private else None


def _routers_of_link(design: Design, circuit, link: str) -> list[tuple[str, Optional[str]]]:
    """(router, interface) terminating the primary or secondary link of a circuit's peerings."""
    out = []
    for peering in circuit.peerings:
        end = peering.primary_link if link == "primary" else peering.secondary_link
        if end and end.router and design.router(end.router) and (end.router, end.interface) not in out:
            out.append((end.router, end.interface))
    return out


def _peering_edges(design: Design, d: Diagram, ids: _Ids, costs: dict, objects: dict) -> None:
    done: set[frozenset] = set()
    for p in design.vnet_peerings:
        pair = frozenset((p.vnet, p.remote_vnet))
        if pair in done or not (design.vnet(p.vnet) and design.vnet(p.remote_vnet)):
            continue
        done.add(pair)
        back = next((q for q in design.vnet_peerings if q.vnet == p.remote_vnet and q.remote_vnet == p.vnet), None)
        sides = [p] + ([back] if back else [])
        hub_side = next((s for s in sides if s.allow_gateway_transit), None) or next(
            (s for s in sides if design.gateway_of_vnet(s.vnet)), p)
        spoke_side = next((s for s in sides if s is not hub_side), None)
        transit = hub_side.allow_gateway_transit and spoke_side is not None and spoke_side.use_remote_gateways
        label = "peering" + (", gateway transit" if transit else "") + ("" if back else " (one side only)")
        money = _sum_costs(costs.get(("vnet_peering", s.name)) for s in sides)
        if money:
            label += f", {_cost_text(money)}"
        d.edges.append(DiagramEdge(ids.get("vnet", hub_side.vnet), ids.get("vnet", hub_side.remote_vnet), label))
        for s in sides:
            objects[id(s)] = ids.get("vnet", s.vnet)


def _global_reach_edges(design: Design, d: Diagram, ids: _Ids, costs: dict) -> None:
    done: set[frozenset] = set()
    for c in design.circuits:
        for link in c.global_reach:
            pair = frozenset((c.name, link.peer_circuit))
            if pair in done or not design.circuit(link.peer_circuit):
                continue
            done.add(pair)
            money = costs.get(("global_reach", f"{c.name} <-> {link.peer_circuit}")) or costs.get(
                ("global_reach", f"{link.peer_circuit} <-> {c.name}"))
            label = "Global Reach" + (f" {link.address_prefix}" if link.address_prefix else "")
            if money:
                label += f", {_cost_text(money)}"
            d.edges.append(DiagramEdge(ids.get("ckt", c.name), ids.get("ckt", link.peer_circuit), label, "dotted"))


# --------------------------------------------------------------------------- findings and cost

def _mark_findings(design: Design, d: Diagram, objects: dict, findings) -> None:
    from .engine.tree import ancestry

    items = getattr(findings, "active", findings)
    chains = ancestry(design)
    for f in items:
        if f.node is None:
            continue
        steps = [f.node] + [step for _, _, step in reversed(chains.get(id(f.node), ()))]
        target = next((objects[id(s)] for s in steps if id(s) in objects), None)
        node = d.nodes.get(target) if target else None
        if node is None:
            continue
        if node.severity is None or SEVERITY_ORDER.index(f.severity) > SEVERITY_ORDER.index(node.severity):
            node.severity = f.severity
            node.lines = [ln for ln in node.lines if not ln.startswith("⚠ ")] + [f"⚠ {f.rule} {f.severity}"]


@dataclass
class _Money:
    amount: Decimal
    unpriced: int = 0
    estimate: bool = False
    currency: str = "USD"


def _monthly_costs(cost) -> dict[tuple[str, str], _Money]:
    out: dict[tuple[str, str], _Money] = {}
    for line in cost.lines:
        if line.is_one_time:
            continue
        money = out.setdefault((line.object_kind, line.object), _Money(Decimal(0), currency=cost.currency))
        if not line.priced:
            money.unpriced += 1
        else:
            money.amount += line.monthly or 0
            money.estimate = money.estimate or line.confidence == "estimate"
    return out


def _sum_costs(items) -> Optional[_Money]:
    items = [m for m in items if m is not None]
    if not items:
        return None
    return _Money(sum((m.amount for m in items), Decimal(0)), sum(m.unpriced for m in items),
                  any(m.estimate for m in items), items[0].currency)


def _cost_text(money: Optional[_Money]) -> str:
    if money is None:
        return ""
    if money.unpriced and not money.amount:
        return "cost: UNPRICED"
    text = f"{'≥ ' if money.unpriced else ''}{money.amount:,.2f} {money.currency}/month"
    return text + (" (estimate)" if money.estimate else "")


# --------------------------------------------------------------------------- Mermaid

def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(d: Diagram) -> str:
    out = ["flowchart LR"]

    def emit(cluster_id: Optional[str], indent: str) -> None:
        for cluster in (c for c in d.clusters.values() if c.parent == cluster_id):
            out.append(f'{indent}subgraph {cluster.id}["{_mermaid_text(cluster.label)}"]')
            emit(cluster.id, indent + "  ")
            out.append(f"{indent}end")
        for node in (n for n in d.nodes.values() if n.cluster == cluster_id):
            label = "<br/>".join(_mermaid_text(ln) for ln in node.lines)
            shape = ('(["', '"])') if node.kind == "router" else ('["', '"]')
            out.append(f"{indent}{node.id}{shape[0]}{label}{shape[1]}")

    emit(None, "  ")
    for e in d.edges:
        arrow = "-.->" if e.style == "dotted" else "-->"
        label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"  {e.source} {arrow}{label} {e.target}")
    marked = [n for n in d.nodes.values() if n.severity]
    for severity in SEVERITY_ORDER:
        ids_ = [n.id for n in marked if n.severity == severity]
        if ids_:
            out.append(f"  classDef {severity} {_SEVERITY_STYLE[severity][0]}")
            out.append(f"  class {','.join(ids_)} {severity}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- DOT

def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(d: Diagram) -> str:
    out = ["digraph erdesign {", f"  label={_dot_text(d.title)};", "  labelloc=t;", "  rankdir=LR;",
           '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']

    def emit(cluster_id: Optional[str], indent: str) -> None:
        for cluster in (c for c in d.clusters.values() if c.parent == cluster_id):
            out.append(f"{indent}subgraph cluster_{cluster.id} {{")
            out.append(f"{indent}  label={_dot_text(cluster.label)};")
            emit(cluster.id, indent + "  ")
            out.append(f"{indent}}}")
        for node in (n for n in d.nodes.values() if n.cluster == cluster_id):
            label = _dot_text("\n".join(node.lines)).replace("\n", "\\n")
            attrs = [f"label={label}"]
            if node.kind == "router":
                attrs.append("shape=ellipse")
            if node.severity:
                attrs.append(f'color="{_SEVERITY_STYLE[node.severity][1]}", penwidth=2')
            out.append(f"{indent}{node.id} [{', '.join(attrs)}];")

    emit(None, "  ")
    for e in d.edges:
        attrs = []
        if e.label:
            attrs.append(f"label={_dot_text(e.label)}")
        if e.style == "dotted":
            attrs.append("style=dashed, dir=both")
        out.append(f"  {e.source} -> {e.target}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- Graphviz

class GraphvizMissing(RuntimeError):
    pass


def render_with_graphviz(dot_source: str, fmt: str) -> bytes:
    """SVG or PNG bytes from DOT through the `dot` program; GraphvizMissing when it is not on PATH."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(f"--format {fmt} needs Graphviz's `dot` on PATH (https://graphviz.org/download/); "
                              "`--format dot` writes the source to render elsewhere")
    done = subprocess.run([exe, f"-T{fmt}"], input=dot_source.encode(), capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout
