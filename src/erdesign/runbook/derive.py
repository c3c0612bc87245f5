"""Derive build and teardown runbooks from a design's object graph.

Every step names the design object it acts on and the steps it needs (a connection needs its
gateway and the circuit's private peering; deleting a circuit needs the provider to have
deprovisioned it, which needs its peerings gone, which needs its connections and Global Reach
links gone, …). The runbook is a topological order of that graph; among steps that are free to
go, the seed note's order (rules/data/operations.yaml) decides.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable, Optional

from ..data import table
from ..model import Circuit, Design, Peering
from .model import Command, Gate, Runbook, Step, Var
from .places import Places, shell_name
from .scope import Scope

PRIVATE = "AzurePrivatePeering"

# Build phases (the seed note's order; a step never runs before what it needs, whatever its phase).
B_RG, B_VNET, B_ROUTE_FILTER, B_PORT, B_CIRCUIT, B_AUTH, B_CARRIER, B_PEERING, B_ROUTERS, B_PIP, B_GATEWAY, \
    B_CONNECTION, B_VNET_PEERING, B_GLOBAL_REACH = range(14)
# Teardown phases.
T_VNET_PEERING, T_CONNECTION, T_GLOBAL_REACH, T_AUTH, T_ROUTE_FILTER_DETACH, T_GATEWAY, T_PIP, T_PEERING, \
    T_CARRIER, T_CIRCUIT, T_ROUTE_FILTER, T_PORT, T_VNET, T_RG = range(14)


def _ops() -> dict:
    return table("operations")


def _source_line(source_id: str) -> str:
    src = next((s for s in _ops()["sources"] if s["id"] == source_id), None)
    if src is None:
        return source_id
    return f"{src['title']} <{src['url']}>" + (f", {src['as_of']}" if src.get("as_of") else "")


def _sources_used(steps: Iterable[Step]) -> list[dict]:
    wanted = {"CKTCLI", "ROUTINGCLI", "SEED"}
    for step in steps:
        if step.duration_source:
            wanted.add(step.duration_source)
        if step.gate and step.gate.source:
            wanted.add(step.gate.source)
    return [dict(s) for s in _ops()["sources"] if s["id"] in wanted]


def _sid(kind: str, name: str, action: str) -> str:
    return f"{kind}:{name}:{action}"


def _microsoft_asn() -> int:
    return table("asns")["microsoft_asn"]["value"]


def _bandwidth_arg(circuit: Circuit) -> list[str]:
    if circuit.is_direct:
        gbps = circuit.bandwidth / 1000
        return ["--bandwidth", f"{gbps:g}", "Gbps"] if circuit.bandwidth >= 1000 else [
            "--bandwidth", str(circuit.bandwidth), "Mbps"]
    return ["--bandwidth", str(circuit.bandwidth)]


def _usable(prefix: Optional[str], index: int) -> Optional[str]:
    """The index-th usable address of a link prefix (1: your router, 2: Microsoft's)."""
    if not prefix:
        return None
    try:
        net = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return None
    return str(net.network_address + index) if net.num_addresses > index else None


def _order(steps: list[Step]) -> list[Step]:
    """Topological order of the steps; ties broken by phase, then by the order they were derived in."""
    import heapq

    present = {s.id for s in steps}
    position = {s.id: i for i, s in enumerate(steps)}
    by_id = {s.id: s for s in steps}
    for s in steps:
        s.needs = [n for n in dict.fromkeys(s.needs) if n in present and n != s.id]
    waiting = {s.id: len(s.needs) for s in steps}
    dependants: dict[str, list[str]] = {s.id: [] for s in steps}
    for s in steps:
        for n in s.needs:
            dependants[n].append(s.id)
    ready = [(s.phase, position[s.id], s.id) for s in steps if waiting[s.id] == 0]
    heapq.heapify(ready)
    out: list[Step] = []
    while ready:
        _, _, sid = heapq.heappop(ready)
        out.append(by_id[sid])
        for d in dependants[sid]:
            waiting[d] -= 1
            if waiting[d] == 0:
                heapq.heappush(ready, (by_id[d].phase, position[d], d))
    if len(out) != len(steps):  # pragma: no cover - ids are unique (add()) and needs never form a cycle
        stuck = sorted(set(by_id) - {s.id for s in out})
        raise RuntimeError(f"runbook steps depend on each other in a cycle: {', '.join(stuck)}")
    return out


# =========================================================================== build

class _Builder:
    def __init__(self, design: Design, scope: Scope, places: Places):
        self.d = design
        self.scope = scope
        self.p = places
        self.steps: list[Step] = []
        self.secrets: list[str] = []
        self.notes: list[str] = []

    def add(self, step: Step) -> Step:
        if any(s.id == step.id for s in self.steps):
            self.notes.append(f"{step.kind.replace('_', ' ')} '{step.name}' appears twice in the design: only the "
                              f"first is in the runbook ({step.action})")
            return step
        self.steps.append(step)
        return step

    # ---- resource groups, VNets
    def resource_groups(self) -> None:
        for rg, (sub, region) in self.scope.resource_groups(self.p).items():
            argv = ["group", "create", "--name", rg, "--location", region]
            cmd = Command(tuple(["az", *argv] + (["--subscription", sub] if sub else [])))
            self.add(Step(_sid("resource_group", rg, "create"), f"Create resource group {rg}", "resource_group", rg,
                          "create", commands=[cmd], phase=B_RG,
                          on_failure="Check that you may create resource groups in the subscription; "
                                     "if the group exists already, `az group create` leaves it as it is."))

    def rg_need(self, obj) -> str:
        return _sid("resource_group", self.p.rg(obj), "create")

    def vnets(self) -> None:
        for vnet in self.scope.vnets:
            cmds = [self.p.az(vnet, "network", "vnet", "create", "--resource-group", self.p.rg(vnet),
                              "--name", vnet.name, "--location", self.p.vnet_region(vnet),
                              *(["--address-prefixes", *vnet.address_space] if vnet.address_space else []))]
            for subnet in vnet.subnets:
                prefixes = subnet.all_prefixes()
                cmds.append(self.p.az(vnet, "network", "vnet", "subnet", "create", "--resource-group",
                                      self.p.rg(vnet), "--vnet-name", vnet.name, "--name", subnet.name,
                                      *(["--address-prefixes", *prefixes] if prefixes else [])))
            self.add(Step(_sid("vnet", vnet.name, "create"), f"Create VNet {vnet.name} and its subnets", "vnet",
                          vnet.name, "create", commands=cmds, needs=[self.rg_need(vnet)], phase=B_VNET,
                          on_failure="An address space that overlaps a peered VNet or the GatewaySubnet being too "
                                     "small are the usual causes; fix the design and run `erdesign lint`."))

    # ---- route filters, Direct ports
    def route_filters(self) -> None:
        for rf, circuit in self.scope.route_filters:
            rg = self.p.rg(circuit)
            region = rf.region or self.p.circuit_region(circuit)
            cmds = [self.p.az(circuit, "network", "route-filter", "create", "--resource-group", rg, "--name", rf.name,
                              "--location", region)]
            if rf.communities:
                cmds.append(self.p.az(circuit, "network", "route-filter", "rule", "create", "--resource-group", rg,
                                      "--filter-name", rf.name, "--name", "allow", "--access", "Allow",
                                      "--communities", *rf.communities))
            self.add(Step(_sid("route_filter", rf.name, "create"), f"Create route filter {rf.name}", "route_filter",
                          rf.name, "create", commands=cmds, needs=[self.rg_need(circuit)], phase=B_ROUTE_FILTER,
                          notes=["Microsoft peering advertises no prefixes until a route filter is attached."],
                          on_failure="A route filter has one Allow rule; put it in the circuit's region."))

    def ports(self) -> None:
        for port in self.scope.ports:
            rg = self.p.rg(port)
            cmds = [self.p.az(port, "network", "express-route", "port", "create", "--resource-group", rg,
                              "--name", port.name, "--location", port.region or "<region>",
                              "--peering-location", port.peering_location or "<peering location>",
                              "--bandwidth", f"{port.bandwidth // 1000}", "Gbps",
                              "--encapsulation", port.encapsulation),
                    self.p.az(port, "network", "express-route", "port", "generate-loa", "--resource-group", rg,
                              "--name", port.name, "--customer-name", "<your company>", "--file",
                              f"{port.name}-loa.pdf")]
            create = self.add(Step(_sid("port", port.name, "create"), f"Create ExpressRoute Direct port {port.name} "
                                   "and download its Letter of Authorization", "port", port.name, "create",
                                   commands=cmds, needs=[self.rg_need(port)], phase=B_PORT,
                                   on_failure="No capacity at the peering location: choose another location or "
                                              "port speed (az network express-route port location list)."))
            patch = self.add(Step(_sid("port", port.name, "cross_connect"), f"Cross-connects to port {port.name}",
                                  "port", port.name, "cross_connect", actor="colocation provider",
                                  handoff={"letter of authorization": f"{port.name}-loa.pdf",
                                           "peering location": port.peering_location or "?",
                                           "links": "link1 (primary) and link2 (secondary)"},
                                  needs=[create.id], phase=B_PORT,
                                  on_failure="Check the light levels of each link with the colocation provider."))
            enable = [self.p.az(port, "network", "express-route", "port", "link", "update", "--resource-group", rg,
                                "--port-name", port.name, "--name", link, "--admin-state", "Enabled")
                      for link in ("link1", "link2")]
            self.add(Step(_sid("port", port.name, "enable"), f"Enable both links of port {port.name}", "port",
                          port.name, "enable", commands=enable, needs=[patch.id], phase=B_PORT,
                          on_failure="Billing of a port pair starts when a link is enabled (or 45 days after "
                                     "creation); enable them once the cross-connects are in place."))

    # ---- circuits and the carrier
    def circuits(self) -> None:
        for c in self.scope.circuits:
            rg = self.p.rg(c)
            words = ["network", "express-route", "create", "--resource-group", rg, "--name", c.name,
                     "--location", self.p.circuit_region(c), *_bandwidth_arg(c)]
            needs = [self.rg_need(c)]
            if c.is_direct:
                port = self.d.port(c.express_route_port)
                words += ["--express-route-port", self.p.ref(port, "expressRoutePorts", from_obj=c) if port
                          else c.express_route_port]
                needs.append(_sid("port", c.express_route_port, "enable"))
            else:
                words += ["--provider", c.provider or "<provider>", "--peering-location",
                          c.peering_location or "<peering location>"]
            words += ["--sku-tier", c.sku.tier, "--sku-family", c.sku.family]
            if c.tags:
                words += ["--tags", *[f"{k}={v}" for k, v in c.tags.items()]]
            self.add(Step(_sid("circuit", c.name, "create"), f"Create circuit {c.name}", "circuit", c.name, "create",
                          commands=[self.p.az(c, *words)], needs=needs, phase=B_CIRCUIT,
                          notes=["Billing starts when the service key is issued: create the circuit when the "
                                 "carrier is ready to provision it."] if not c.is_direct else [],
                          on_failure="Check the provider name, peering location and bandwidth against "
                                     "`az network express-route list-service-providers`."))
            for auth in c.authorizations:
                self.add(Step(_sid("authorization", f"{c.name}/{auth.name}", "create"),
                              f"Create authorization {auth.name} on circuit {c.name}", "authorization",
                              f"{c.name}/{auth.name}", "create",
                              commands=[self.p.az(c, "network", "express-route", "auth", "create", "--resource-group",
                                                  rg, "--circuit-name", c.name, "--name", auth.name)],
                              needs=[_sid("circuit", c.name, "create")], phase=B_AUTH,
                              on_failure="Each circuit has a limited number of authorizations; delete unused ones."))
            if not c.is_direct:
                self.carrier_provision(c)

    def carrier_provision(self, c: Circuit) -> None:
        rg = self.p.rg(c)
        key_var = shell_name("SERVICE_KEY", c.name)
        get_key = self.p.az(c, "network", "express-route", "show", "--resource-group", rg, "--name", c.name,
                            "--query", "serviceKey", "--output", "tsv", capture=key_var)
        handoff = {"service key": Var(key_var),
                   "provider": c.provider or "?",
                   "peering location": c.peering_location or "?",
                   "bandwidth": _bw(c.bandwidth)}
        for vc in self.scope.virtual_circuits(c):
            parts = [vc.link, _bw(vc.bandwidth) if vc.bandwidth else None,
                     f"S-tag {vc.s_tag}" if vc.s_tag is not None else None]
            handoff[f"virtual circuit {vc.name}"] = ", ".join(p for p in parts if p)
        if c.s_tag is not None:
            handoff["Azure S-tag (stag)"] = str(c.s_tag)
        for peering in c.peerings:
            if peering.vlan_id is not None:
                handoff[f"VLAN ID (C-tag) {peering.type}"] = str(peering.vlan_id)
        ops = _ops()["provider_states"]
        gate = Gate("serviceProviderProvisioningState",
                    self.p.az(c, "network", "express-route", "show", "--resource-group", rg, "--name", c.name,
                              "--query", "serviceProviderProvisioningState", "--output", "tsv"),
                    ops["build_gate"], timeout_variable="PROVIDER_TIMEOUT_MINUTES", source=ops["source"])
        self.add(Step(_sid("carrier", c.name, "provision"),
                      f"Give the service key of {c.name} to {c.provider or 'the carrier'}; they provision the circuit",
                      "carrier", c.name, "provision", actor=f"carrier ({c.provider})" if c.provider else "carrier",
                      commands=[get_key], gate=gate, handoff=handoff,
                      needs=[_sid("circuit", c.name, "create")], phase=B_CARRIER,
                      duration="not documented by Microsoft: it depends on the carrier",
                      on_failure="If the state stays NotProvisioned, check that the carrier has the right service "
                                 "key, peering location and bandwidth; the circuit is billed meanwhile."))

    def peerings(self) -> None:
        for c in self.scope.circuits:
            previous: Optional[str] = None
            ordered = sorted(c.peerings, key=lambda p: p.type != PRIVATE)
            for peering in ordered:
                if peering.type == "AzurePublicPeering":
                    self.notes.append(f"circuit '{c.name}': Azure public peering can no longer be configured "
                                      "(retired; use Microsoft peering): it is left out of the build runbook")
                    continue
                step = self.peering(c, peering, previous)
                previous = step.id
            if ordered:
                self.routers(c)

    def peering(self, c: Circuit, peering: Peering, previous: Optional[str]) -> Step:
        rg = self.p.rg(c)
        primary, secondary = peering.link_prefixes()
        words = ["network", "express-route", "peering", "create", "--resource-group", rg, "--circuit-name", c.name,
                 "--peering-type", peering.type]
        if peering.peer_asn is not None:
            words += ["--peer-asn", str(peering.peer_asn)]
        if primary:
            words += ["--primary-peer-subnet", primary]
        if secondary:
            words += ["--secondary-peer-subnet", secondary]
        if peering.vlan_id is not None:
            words += ["--vlan-id", str(peering.vlan_id)]
        if peering.md5:
            var = shell_name("MD5_KEY", c.name, peering.type)
            self.secrets.append(var)
            words += ["--shared-key", Var(var)]
        needs = [_sid("circuit", c.name, "create")]
        needs.append(_sid("port", c.express_route_port, "enable") if c.is_direct else
                     _sid("carrier", c.name, "provision"))
        if previous:
            needs.append(previous)
        if peering.type == "MicrosoftPeering":
            if peering.advertised_public_prefixes:
                words += ["--advertised-public-prefixes", *peering.advertised_public_prefixes]
            if peering.customer_asn is not None:
                words += ["--customer-asn", str(peering.customer_asn)]
            if peering.routing_registry:
                words += ["--routing-registry-name", peering.routing_registry]
            if peering.route_filter:
                words += ["--route-filter", peering.route_filter]
                needs.append(_sid("route_filter", peering.route_filter, "create"))
        cmds = [self.p.az(c, *words)]
        v6_primary, v6_secondary = peering.link_prefixes_v6()
        if v6_primary or v6_secondary:
            v6 = ["network", "express-route", "peering", "update", "--resource-group", rg, "--circuit-name", c.name,
                  "--name", peering.type, "--ip-version", "ipv6"]
            v6 += ["--primary-peer-subnet", v6_primary] if v6_primary else []
            v6 += ["--secondary-peer-subnet", v6_secondary] if v6_secondary else []
            cmds.append(self.p.az(c, *v6))
        name = f"{c.name}/{peering.type}"
        return self.add(Step(_sid("peering", name, "create"), f"Configure {peering.type} on circuit {c.name}",
                             "peering", name, "create", commands=cmds, needs=needs, phase=B_PEERING,
                             on_failure="Peering fails while the circuit is not Provisioned, with a VLAN ID used by "
                                        "another peering of the circuit, or with prefixes that are not two /30s."))

    def routers(self, c: Circuit) -> None:
        handoff: dict = {}
        for peering in c.peerings:
            primary, secondary = peering.link_prefixes()
            for role, prefix in (("primary", primary), ("secondary", secondary)):
                if not prefix:
                    continue
                link = getattr(peering, f"{role}_link")
                where = " ".join(x for x in ((link.router if link else None), (link.interface if link else None)) if x)
                handoff[f"{peering.type} {role}{(' (' + where + ')') if where else ''}"] = (
                    f"VLAN {peering.vlan_id}, your address {_usable(prefix, 1)}, BGP neighbor {_usable(prefix, 2)} "
                    f"AS {peering.azure_asn or _microsoft_asn()}" + (", MD5 key set" if peering.md5 else ""))
        private = c.peering(PRIVATE)
        checks = []
        gate = None
        if private is not None:
            rg = self.p.rg(c)
            for path in ("primary", "secondary"):
                checks.append(self.p.az(c, "network", "express-route", "list-arp-tables", "--resource-group", rg,
                                        "--name", c.name, "--peering-name", PRIVATE, "--path", path))
            on_prem = table("live_state")["arp_interfaces"]["value"][0]
            gate = Gate(f"{on_prem} ARP entries on the primary link of {PRIVATE}",
                        self.p.az(c, "network", "express-route", "list-arp-tables", "--resource-group", rg, "--name",
                                  c.name, "--peering-name", PRIVATE, "--path", "primary", "--query",
                                  f"length(value[?interface=='{on_prem}'])", "--output", "tsv"),
                        "1", timeout_variable="ROUTERS_TIMEOUT_MINUTES", source="ARPTS (rules/data/live_state.yaml)")
        self.add(Step(_sid("routers", c.name, "configure"), f"Configure the on-premises routers for circuit {c.name}",
                      "routers", c.name, "configure", actor="you (on-premises routers)", commands=checks,
                      handoff=handoff, gate=gate, needs=[_sid("peering", f"{c.name}/{p.type}", "create") for p in c.peerings],
                      phase=B_ROUTERS,
                      notes=["The commands only check the result: each ARP table should list an On-Prem and a "
                             "Microsoft entry (`erdesign lint` reads their JSON next to the design)."],
                      on_failure="No On-Prem ARP entry: the VLAN tags (S-tag/C-tag) or the address on the router "
                                 "interface do not match; check them with the carrier."))

    # ---- gateways and connections
    def public_ips(self) -> None:
        for pip in self.scope.public_ips:
            words = ["network", "public-ip", "create", "--resource-group", self.p.rg(pip), "--name", pip.name,
                     "--location", self.p.public_ip_region(pip), "--sku", pip.sku, "--allocation-method",
                     pip.allocation]
            if pip.zones:
                words += ["--zone", *pip.zones]
            self.add(Step(_sid("public_ip", pip.name, "create"), f"Create public IP {pip.name}", "public_ip",
                          pip.name, "create", commands=[self.p.az(pip, *words)], needs=[self.rg_need(pip)],
                          phase=B_PIP, on_failure="Gateways need a Standard, static public IP (Basic ones were "
                                                   "retired); zone-redundant gateways want zones 1, 2 and 3."))

    def gateways(self) -> None:
        dur = _ops()["durations"]["expressroute_gateway_create"]
        for gw in self.scope.gateways:
            vnet = self.d.vnet(gw.vnet)
            rg = self.p.rg(gw)
            words = ["network", "vnet-gateway", "create", "--resource-group", rg, "--name", gw.name,
                     "--location", self.p.gateway_region(gw),
                     "--vnet", self.p.ref(vnet, "virtualNetworks", from_obj=gw) if vnet else gw.vnet,
                     "--gateway-type", gw.type, "--sku", gw.sku]
            needs = [self.rg_need(gw), _sid("vnet", gw.vnet, "create")]
            if gw.type == "Vpn":
                words += ["--vpn-type", gw.vpn_type or "RouteBased"]
                if gw.asn is not None:
                    words += ["--asn", str(gw.asn)]
            if gw.scale_units is not None:
                words += ["--min-scale-unit", str(gw.scale_units.min), "--max-scale-unit", str(gw.scale_units.max)]
            if gw.public_ip:
                pip = self.d.public_ip(gw.public_ip)
                words += ["--public-ip-addresses", self.p.ref(pip, "publicIPAddresses", from_obj=gw) if pip
                          else gw.public_ip]
                needs.append(_sid("public_ip", gw.public_ip, "create"))
            words.append("--no-wait")
            gate = Gate("gateway provisioningState",
                        self.p.az(gw, "network", "vnet-gateway", "show", "--resource-group", rg, "--name", gw.name,
                                  "--query", "provisioningState", "--output", "tsv"),
                        "Succeeded", timeout_variable="GATEWAY_TIMEOUT_MINUTES")
            is_er = gw.type == "ExpressRoute"
            self.add(Step(_sid("gateway", gw.name, "create"), f"Create {gw.type} gateway {gw.name} in VNet {gw.vnet}",
                          "gateway", gw.name, "create", commands=[self.p.az(gw, *words)], gate=gate, needs=needs,
                          phase=B_GATEWAY, duration=dur["text"] if is_er else None,
                          duration_source=dur["source"] if is_er else "",
                          notes=["The gateway does not depend on the circuit: you may start it while the carrier "
                                 "provisions."],
                          on_failure="A gateway in state Failed: check that the VNet has a GatewaySubnet (/27 or "
                                     "larger) and the public IP is Standard/Static, then `az network vnet-gateway "
                                     "reset` or delete and recreate it."))

    def connections(self) -> None:
        for conn in self.scope.connections:
            if conn.type != "ExpressRoute" or not conn.circuit:
                self.notes.append(f"connection '{conn.name}' ({conn.type}) is not an ExpressRoute connection to a "
                                  "circuit of the design: create it by hand (its teardown step is in the teardown "
                                  "runbook)")
                continue
            gw = self.d.gateway(conn.gateway)
            circuit = self.d.circuit(conn.circuit)
            rg = self.p.rg(conn) if conn.resource_group else (self.p.rg(gw) if gw else self.p.default_rg)
            owner = conn if conn.resource_group or gw is None else gw
            words = ["network", "vpn-connection", "create", "--resource-group", rg, "--name", conn.name,
                     "--vnet-gateway1", self.p.ref(gw, "virtualNetworkGateways", from_obj=owner) if gw else conn.gateway,
                     "--express-route-circuit2",
                     self.p.ref(circuit, "expressRouteCircuits", from_obj=owner) if circuit else conn.circuit]
            if conn.routing_weight:
                words += ["--routing-weight", str(conn.routing_weight)]
            if conn.fastpath:
                words += ["--express-route-gateway-bypass", "true"]
            needs = [_sid("gateway", conn.gateway, "create")]
            if circuit is not None:
                needs.append(_sid("peering", f"{circuit.name}/{PRIVATE}", "create"))
            cmds = []
            auth = self.scope.authorization_of(conn)
            if auth is not None:
                holder, a = auth
                var = shell_name("AUTH_KEY", holder.name, a.name)
                cmds.append(self.p.az(holder, "network", "express-route", "auth", "show", "--resource-group",
                                      self.p.rg(holder), "--circuit-name", holder.name, "--name", a.name,
                                      "--query", "authorizationKey", "--output", "tsv", capture=var))
                words += ["--authorization-key", Var(var)]
                needs.append(_sid("authorization", f"{holder.name}/{a.name}", "create"))
            cmds.append(self.p.az(owner, *words))
            notes = []
            if auth is None and circuit is not None and _differ(self.p.sub(circuit), self.p.sub(owner)):
                notes.append(f"Circuit {circuit.name} and the gateway are in different subscriptions: the link needs "
                             "an authorization key from the circuit's owner (add an authorization used_by this "
                             "connection to the design).")
            self.add(Step(_sid("connection", conn.name, "create"),
                          f"Connect gateway {conn.gateway} to circuit {conn.circuit}", "connection", conn.name, "create",
                          commands=cmds, needs=needs, phase=B_CONNECTION, notes=notes,
                          on_failure="The circuit must be Provisioned with private peering configured; a gateway "
                                     "connected to more circuits than its SKU allows refuses the connection."))

    def vnet_peerings(self) -> None:
        for vp in self.scope.vnet_peerings:
            vnet = self.d.vnet(vp.vnet)
            remote = self.d.vnet(vp.remote_vnet)
            words = ["network", "vnet", "peering", "create", "--resource-group", self.p.rg(vnet) if vnet else
                     self.p.default_rg, "--name", vp.name, "--vnet-name", vp.vnet, "--remote-vnet",
                     self.p.ref(remote, "virtualNetworks", from_obj=vnet) if remote and vnet else vp.remote_vnet,
                     "--allow-vnet-access", _bool(vp.allow_virtual_network_access),
                     "--allow-forwarded-traffic", _bool(vp.allow_forwarded_traffic),
                     "--allow-gateway-transit", _bool(vp.allow_gateway_transit),
                     "--use-remote-gateways", _bool(vp.use_remote_gateways)]
            needs = [_sid("vnet", vp.vnet, "create"), _sid("vnet", vp.remote_vnet, "create")]
            if vp.allow_gateway_transit:
                own = self.d.gateway_of_vnet(vp.vnet)
                if own is not None:
                    needs.append(_sid("gateway", own.name, "create"))
            if vp.use_remote_gateways:
                remote_gw = self.d.gateway_of_vnet(vp.remote_vnet)
                if remote_gw is not None:
                    needs.append(_sid("gateway", remote_gw.name, "create"))
                needs += [_sid("vnet_peering", back.name, "create") for back in self.d.vnet_peerings
                          if back.vnet == vp.remote_vnet and back.remote_vnet == vp.vnet]
            self.add(Step(_sid("vnet_peering", vp.name, "create"), f"Peer VNet {vp.vnet} to {vp.remote_vnet}"
                          + (" using its gateway" if vp.use_remote_gateways else
                             " with gateway transit" if vp.allow_gateway_transit else ""),
                          "vnet_peering", vp.name, "create", commands=[self.p.az(vnet, *words)], needs=needs,
                          phase=B_VNET_PEERING,
                          on_failure="use-remote-gateways fails until the remote VNet's gateway exists and its side "
                                     "allows gateway transit; a VNet with its own gateway cannot use a remote one."))

    def global_reach(self) -> None:
        for c, gr in self.scope.global_reach_links:
            peer = self.d.circuit(gr.peer_circuit)
            name = gr.name or f"{c.name}-to-{gr.peer_circuit}"
            words = ["network", "express-route", "peering", "connection", "create", "--resource-group", self.p.rg(c),
                     "--circuit-name", c.name, "--peering-name", PRIVATE, "--name", name, "--peer-circuit",
                     self.p.ref(peer, "expressRouteCircuits", from_obj=c, child=f"/peerings/{PRIVATE}") if peer
                     else gr.peer_circuit]
            if gr.address_prefix:
                words += ["--address-prefix", gr.address_prefix]
            self.add(Step(_sid("global_reach", f"{c.name}/{name}", "create"),
                          f"Global Reach between {c.name} and {gr.peer_circuit}", "global_reach", f"{c.name}/{name}",
                          "create", commands=[self.p.az(c, *words)],
                          needs=[_sid("peering", f"{c.name}/{PRIVATE}", "create"),
                                 _sid("peering", f"{gr.peer_circuit}/{PRIVATE}", "create")],
                          phase=B_GLOBAL_REACH,
                          notes=(["IPv6 Global Reach (address_prefix_v6) is not in this runbook: add it by hand."]
                                 if gr.address_prefix_v6 else [])
                          + ([f"{gr.peer_circuit} is in another subscription: add --authorization-key with a key "
                              "from its owner."] if peer is not None and _differ(self.p.sub(peer), self.p.sub(c)) else []),
                          on_failure="Both circuits need private peering and must be at different peering "
                                     "locations; across geopolitical regions both must be Premium."))


def _differ(a: Optional[str], b: Optional[str]) -> bool:
    """Two subscriptions the design names, and they are not the same (unknown ones are not compared)."""
    return bool(a and b and a != b)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _bw(mbps: int) -> str:
    from ..model import format_bandwidth

    return format_bandwidth(mbps)


def build_runbook(design: Design, *, only_circuits: Optional[list[str]] = None,
                  resource_group: Optional[str] = None) -> Runbook:
    """The ordered steps that build `design` (or the part of it that serves `only_circuits`)."""
    places = Places(design, resource_group)
    scope = Scope(design, only_circuits)
    b = _Builder(design, scope, places)
    b.resource_groups()
    b.vnets()
    b.route_filters()
    b.ports()
    b.circuits()
    b.peerings()
    b.public_ips()
    b.gateways()
    b.connections()
    b.vnet_peerings()
    b.global_reach()
    assumed = scope.outside_needs(b.steps)
    steps = _order(b.steps)
    return Runbook("build", design.name or "design", steps, assumptions=places.assumptions + scope.notes + b.notes,
                   assumed_existing=assumed, sources=_sources_used(steps),
                   secrets=list(dict.fromkeys(b.secrets)))


# =========================================================================== teardown

class _Breaker:
    def __init__(self, design: Design, scope: Scope, places: Places):
        self.d = design
        self.scope = scope
        self.p = places
        self.steps: list[Step] = []
        self.notes: list[str] = []

    def add(self, step: Step) -> Step:
        if any(s.id == step.id for s in self.steps):
            self.notes.append(f"{step.kind.replace('_', ' ')} '{step.name}' appears twice in the design: only the "
                              f"first is in the runbook ({step.action})")
            return step
        self.steps.append(step)
        return step

    def vnet_peerings(self) -> None:
        for vp in self.scope.vnet_peerings:
            vnet = self.d.vnet(vp.vnet)
            self.add(Step(_sid("vnet_peering", vp.name, "delete"), f"Delete VNet peering {vp.name} ({vp.vnet} -> "
                          f"{vp.remote_vnet})", "vnet_peering", vp.name, "delete",
                          commands=[self.p.az(vnet, "network", "vnet", "peering", "delete", "--resource-group",
                                              self.p.rg(vnet) if vnet else self.p.default_rg,
                                              "--vnet-name", vp.vnet, "--name", vp.name)],
                          phase=T_VNET_PEERING,
                          on_failure="You need rights on the VNet's subscription; note that deleting the "
                                     "peering cuts a spoke that uses the gateway off from on-premises."))

    def connections(self) -> None:
        for conn in self.scope.connections:
            gw = self.d.gateway(conn.gateway)
            owner = conn if conn.resource_group or gw is None else gw
            rg = self.p.rg(owner) if (conn.resource_group or gw) else self.p.default_rg
            needs = [_sid("vnet_peering", vp.name, "delete") for vp in self.d.vnet_peerings
                     if gw is not None and (vp.vnet == gw.vnet or vp.remote_vnet == gw.vnet)
                     and (vp.use_remote_gateways or vp.allow_gateway_transit)]
            self.add(Step(_sid("connection", conn.name, "delete"), f"Delete connection {conn.name} (gateway "
                          f"{conn.gateway} to circuit {conn.circuit})", "connection", conn.name, "delete",
                          commands=[self.p.az(owner, "network", "vpn-connection", "delete", "--resource-group", rg,
                                              "--name", conn.name)],
                          needs=needs, phase=T_CONNECTION,
                          on_failure="If the circuit is in another subscription, the circuit owner can also "
                                     "remove the link by deleting the authorization it used."))

    def global_reach(self) -> None:
        for c, gr in self.scope.global_reach_links:
            name = gr.name or f"{c.name}-to-{gr.peer_circuit}"
            self.add(Step(_sid("global_reach", f"{c.name}/{name}", "delete"),
                          f"Remove Global Reach between {c.name} and {gr.peer_circuit}", "global_reach",
                          f"{c.name}/{name}", "delete",
                          commands=[self.p.az(c, "network", "express-route", "peering", "connection", "delete",
                                              "--resource-group", self.p.rg(c), "--circuit-name", c.name,
                                              "--peering-name", PRIVATE, "--name", name)],
                          phase=T_GLOBAL_REACH,
                          on_failure="A Global Reach link is only visible from the circuit that configured it: "
                                     "delete it there."))

    def authorizations(self) -> None:
        for c in self.scope.circuits:
            for auth in c.authorizations:
                needs = [_sid("connection", auth.used_by, "delete")] if auth.used_by else []
                self.add(Step(_sid("authorization", f"{c.name}/{auth.name}", "delete"),
                              f"Delete authorization {auth.name} of circuit {c.name}", "authorization",
                              f"{c.name}/{auth.name}", "delete",
                              commands=[self.p.az(c, "network", "express-route", "auth", "delete", "--resource-group",
                                                  self.p.rg(c), "--circuit-name", c.name, "--name", auth.name)],
                              needs=needs, phase=T_AUTH,
                              on_failure="Deleting an authorization that a connection still uses cuts that "
                                         "connection (possibly another team's VNet)."))

    def route_filters(self) -> None:
        for rf, circuit in self.scope.route_filters:
            rg = self.p.rg(circuit)
            detach = []
            for peering in circuit.peerings:
                if peering.route_filter == rf.name:
                    detach.append(_sid("route_filter", f"{circuit.name}/{peering.type}", "detach"))
                    self.add(Step(detach[-1], f"Detach route filter {rf.name} from {peering.type} of {circuit.name}",
                                  "route_filter", f"{circuit.name}/{peering.type}", "detach",
                                  commands=[self.p.az(circuit, "network", "express-route", "peering", "update",
                                                      "--resource-group", rg, "--circuit-name", circuit.name,
                                                      "--name", peering.type, "--remove", "routeFilter")],
                                  phase=T_ROUTE_FILTER_DETACH,
                                  on_failure="Microsoft peering stops advertising Microsoft prefixes now."))
            self.add(Step(_sid("route_filter", rf.name, "delete"), f"Delete route filter {rf.name}", "route_filter",
                          rf.name, "delete",
                          commands=[self.p.az(circuit, "network", "route-filter", "delete", "--resource-group", rg,
                                              "--name", rf.name)],
                          needs=detach, phase=T_ROUTE_FILTER,
                          on_failure="A route filter still attached to a peering cannot be deleted."))

    def gateways(self) -> None:
        for gw in self.scope.gateways:
            needs = [_sid("connection", c.name, "delete") for c in self.d.connections_of_gateway(gw.name)]
            needs += [_sid("vnet_peering", vp.name, "delete") for vp in self.d.vnet_peerings
                      if (vp.vnet == gw.vnet and vp.allow_gateway_transit)
                      or (vp.remote_vnet == gw.vnet and vp.use_remote_gateways)]
            self.add(Step(_sid("gateway", gw.name, "delete"), f"Delete gateway {gw.name}", "gateway", gw.name,
                          "delete",
                          commands=[self.p.az(gw, "network", "vnet-gateway", "delete", "--resource-group",
                                              self.p.rg(gw), "--name", gw.name)],
                          needs=needs, phase=T_GATEWAY,
                          on_failure="A gateway with connections left cannot be deleted: delete them first."))
            if gw.public_ip and any(p.name == gw.public_ip for p in self.scope.public_ips):
                pip = self.d.public_ip(gw.public_ip)
                self.add(Step(_sid("public_ip", pip.name, "delete"), f"Delete public IP {pip.name}", "public_ip",
                              pip.name, "delete",
                              commands=[self.p.az(pip, "network", "public-ip", "delete", "--resource-group",
                                                  self.p.rg(pip), "--name", pip.name)],
                              needs=[_sid("gateway", gw.name, "delete")], phase=T_PIP,
                              on_failure="A public IP still associated with a gateway cannot be deleted."))

    def circuits(self) -> None:
        for c in self.scope.circuits:
            rg = self.p.rg(c)
            links = [_sid("connection", conn.name, "delete") for conn in self.d.connections_of_circuit(c.name)]
            links += [_sid("global_reach", f"{holder.name}/{gr.name or f'{holder.name}-to-{gr.peer_circuit}'}",
                           "delete") for holder, gr in self.scope.all_global_reach(c.name)]
            peering_steps = []
            for peering in c.peerings:
                needs = list(links)
                if peering.route_filter:
                    needs.append(_sid("route_filter", f"{c.name}/{peering.type}", "detach"))
                step = self.add(Step(_sid("peering", f"{c.name}/{peering.type}", "delete"),
                                     f"Delete {peering.type} of circuit {c.name}", "peering", f"{c.name}/{peering.type}",
                                     "delete",
                                     commands=[self.p.az(c, "network", "express-route", "peering", "delete",
                                                         "--resource-group", rg, "--circuit-name", c.name,
                                                         "--name", peering.type)],
                                     needs=needs, phase=T_PEERING,
                                     on_failure="Private peering cannot be deleted while a VNet connection or a "
                                                "Global Reach link remains on it."))
                peering_steps.append(step.id)
            circuit_needs = peering_steps + links + [_sid("authorization", f"{c.name}/{a.name}", "delete")
                                                     for a in c.authorizations]
            if not c.is_direct:
                ops = _ops()["provider_states"]
                gate = Gate("serviceProviderProvisioningState",
                            self.p.az(c, "network", "express-route", "show", "--resource-group", rg, "--name", c.name,
                                      "--query", "serviceProviderProvisioningState", "--output", "tsv"),
                            ops["teardown_gate"], timeout_variable="PROVIDER_TIMEOUT_MINUTES", source=ops["source"])
                handoff = {"service key": Var(shell_name("SERVICE_KEY", c.name)),
                           "provider": c.provider or "?", "peering location": c.peering_location or "?"}
                for vc in self.scope.virtual_circuits(c):
                    handoff[f"virtual circuit {vc.name}"] = "cancel" + (f" (S-tag {vc.s_tag})" if vc.s_tag else "")
                carrier = self.add(Step(
                    _sid("carrier", c.name, "deprovision"),
                    f"Ask {c.provider or 'the carrier'} to deprovision circuit {c.name}", "carrier", c.name,
                    "deprovision", actor=f"carrier ({c.provider})" if c.provider else "carrier",
                    commands=[self.p.az(c, "network", "express-route", "show", "--resource-group", rg, "--name",
                                        c.name, "--query", "serviceKey", "--output", "tsv",
                                        capture=shell_name("SERVICE_KEY", c.name))],
                    gate=gate, handoff=handoff, needs=list(peering_steps), phase=T_CARRIER,
                    duration="not documented by Microsoft: it depends on the carrier",
                    on_failure="The circuit cannot be deleted while it is Provisioning or Provisioned, and it is "
                               "billed until the carrier has deprovisioned it."))
                circuit_needs.append(carrier.id)
            self.add(Step(_sid("circuit", c.name, "delete"), f"Delete circuit {c.name}", "circuit", c.name, "delete",
                          commands=[self.p.az(c, "network", "express-route", "delete", "--resource-group", rg,
                                              "--name", c.name)],
                          needs=circuit_needs, phase=T_CIRCUIT,
                          on_failure="Fails while any VNet link, route filter, authorization or Global Reach link "
                                     "remains, or before the provider state is NotProvisioned."))

    def ports(self) -> None:
        for port in self.scope.ports:
            needs = [_sid("circuit", c.name, "delete") for c in self.d.circuits if c.express_route_port == port.name]
            self.add(Step(_sid("port", port.name, "delete"), f"Delete ExpressRoute Direct port {port.name}", "port",
                          port.name, "delete",
                          commands=[self.p.az(port, "network", "express-route", "port", "delete", "--resource-group",
                                              self.p.rg(port), "--name", port.name, "--yes")],
                          needs=needs, phase=T_PORT,
                          on_failure="Delete every circuit on the port pair first; then have the colocation "
                                     "provider remove the cross-connects."))

    def vnets(self) -> None:
        for vnet in self.scope.vnets:
            needs = [_sid("gateway", g.name, "delete") for g in self.d.gateways if g.vnet == vnet.name]
            needs += [_sid("vnet_peering", vp.name, "delete") for vp in self.d.vnet_peerings
                      if vnet.name in (vp.vnet, vp.remote_vnet)]
            self.add(Step(_sid("vnet", vnet.name, "delete"), f"Delete VNet {vnet.name}", "vnet", vnet.name, "delete",
                          commands=[self.p.az(vnet, "network", "vnet", "delete", "--resource-group", self.p.rg(vnet),
                                              "--name", vnet.name)],
                          needs=needs, phase=T_VNET,
                          on_failure="A VNet with a gateway, peerings or anything else in its subnets (VMs, private "
                                     "endpoints) cannot be deleted."))

    def resource_groups(self) -> None:
        for rg, (sub, _region) in self.scope.resource_groups(self.p).items():
            if not self.scope.owns_resource_group(rg, self.p):
                continue
            needs = [s.id for s in self.steps if s.action == "delete" and _rg_of_step(s) == rg]
            tail = ["--subscription", sub] if sub else []
            gate = Gate("resources left in the group",
                        Command(("az", "resource", "list", "--resource-group", rg, "--query", "length(@)",
                                 "--output", "tsv", *tail)), "0", timeout_variable="EMPTY_GROUP_TIMEOUT_MINUTES")
            check = self.add(Step(_sid("resource_group", rg, "check_empty"), f"Check that resource group {rg} is empty",
                                  "resource_group", rg, "check_empty",
                                  commands=[Command(("az", "resource", "list", "--resource-group", rg, "--output",
                                                     "table", *tail))],
                                  gate=gate, needs=needs, phase=T_RG,
                                  on_failure="Resources the design does not describe are still in the group (a "
                                             "gateway's public IP, VMs, private endpoints): find out whose they are "
                                             "before deleting anything."))
            self.add(Step(_sid("resource_group", rg, "delete"), f"Delete resource group {rg}", "resource_group", rg,
                          "delete", commands=[Command(("az", "group", "delete", "--name", rg, "--yes", *tail))],
                          needs=[check.id], phase=T_RG,
                          on_failure="Deleting a group deletes everything in it: the gate before makes sure it is "
                                     "empty."))


def _rg_of_step(step: Step) -> Optional[str]:
    for cmd in step.commands:
        words = list(cmd.argv)
        if "--resource-group" in words:
            value = words[words.index("--resource-group") + 1]
            return value if isinstance(value, str) else None
    return None


def teardown_runbook(design: Design, *, only_circuits: Optional[list[str]] = None,
                     resource_group: Optional[str] = None) -> Runbook:
    """The ordered steps that tear `design` down (or the part of it that serves `only_circuits`)."""
    places = Places(design, resource_group)
    scope = Scope(design, only_circuits)
    t = _Breaker(design, scope, places)
    t.vnet_peerings()
    t.connections()
    t.global_reach()
    t.authorizations()
    t.route_filters()
    t.gateways()
    t.circuits()
    t.ports()
    t.vnets()
    t.resource_groups()
    steps = _order(t.steps)
    return Runbook("teardown", design.name or "design", steps, assumptions=places.assumptions + scope.notes + t.notes,
                   assumed_existing=[], sources=_sources_used(steps))
