"""Terraform plan JSON (``terraform show -json plan.out``) and state JSON, azurerm resources.

Values come from ``planned_values`` (every child module walked), or ``values``
for a state. An attribute Terraform will know only after apply
(``after_unknown``) becomes Unknown; references to resources created by the
same plan (whose IDs are unknown) are followed through ``configuration``
(``expressions.<attr>.references``). Each azurerm resource is rewritten in the
ARM REST layout that :mod:`build` reads, keeping the locations of the plan's
values, so findings point into the plan file.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..errors import InputError, Loc
from .jsonloc import LocDict, LocList
from .resources import RawResource, format_id
from .values import Unknown

_SUB = "{subscription}"
_INDEX = re.compile(r"\[[^\]]*\]")


def _strip_index(address: str) -> str:
    return _INDEX.sub("", address)


class _Body:
    """Builds an ARM-shaped LocDict from located values."""

    def __init__(self, loc: Optional[Loc]):
        self.d = LocDict(loc=loc)

    def set(self, key: str, value_loc: tuple, transform: Callable = None) -> "_Body":
        value, loc = value_loc
        if value is None:
            return self
        if transform is not None and not isinstance(value, Unknown):
            value = transform(value)
        self.d[key] = value
        self.d.locs[key] = loc
        return self

    def sub(self, key: str, body: "_Body") -> "_Body":
        if len(body.d):
            self.d[key] = body.d
            self.d.locs[key] = body.d.loc
        return self

    def list(self, key: str, bodies: list["_Body"], loc: Optional[Loc]) -> "_Body":
        out = LocList(loc=loc)
        for b in bodies:
            out.append(b.d)
            out.locs.append(b.d.loc)
        self.d[key] = out
        self.d.locs[key] = loc
        return self


class _Res:
    """One planned resource instance with access to its values, after_unknown and configuration."""

    def __init__(self, plan: "_Plan", entry: LocDict, module: str):
        self.plan = plan
        self.entry = entry
        self.module = module
        self.address = entry.get("address") if isinstance(entry.get("address"), str) else ""
        self.tf_type = entry.get("type") if isinstance(entry.get("type"), str) else ""
        self.values = entry.get("values") if isinstance(entry.get("values"), LocDict) else LocDict(loc=entry.loc)
        self.after_unknown = plan.after_unknown.get(self.address, {})
        self.config = plan.config.get(_strip_index(self.address), {})
        self.loc = self.values.loc or entry.loc
        self.id: str = ""

    def v(self, *path) -> tuple[Any, Optional[Loc]]:
        value: Any = self.values
        loc = self.loc
        for p in path:
            if isinstance(value, LocDict) and p in value:
                loc = value.value_loc(p)
                value = value[p]
            elif isinstance(value, LocList) and isinstance(p, int) and 0 <= p < len(value):
                loc = value.value_loc(p)
                value = value[p]
            else:
                value = None
                break
        if value is None and self._unknown(path):
            shown = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[")
            return Unknown(f"{self.address}.{shown}", loc, "Terraform knows it only after apply"), loc
        return value, loc

    def _unknown(self, path) -> bool:
        au: Any = self.after_unknown
        for p in path:
            if au is True:
                return True
            if isinstance(au, dict) and p in au:
                au = au[p]
            elif isinstance(au, list) and isinstance(p, int) and 0 <= p < len(au):
                au = au[p]
            else:
                return False
        return au is True

    def block(self, name: str) -> list[tuple[int, LocDict]]:
        value = self.values.get(name)
        if isinstance(value, LocList):
            return [(i, v) for i, v in enumerate(value) if isinstance(v, LocDict)]
        return []

    def ref(self, *path) -> tuple[Any, Optional[Loc]]:
        """An ARM ID attribute: its value, or the planned resource its expression refers to."""
        value, loc = self.v(*path)
        if isinstance(value, str) and value:
            return value, loc
        if isinstance(value, Unknown) and value.text.endswith(".id"):
            # read from .tf source: the evaluator names the very instance (`type.name["key"].id`)
            named = self.plan.instance(value.text[: -len(".id")])
            if named is not None and named.id:
                return named.id, loc
        target = self._config_target(path)
        if target is not None:
            return target.id, loc
        return value, loc

    def _config_target(self, path) -> Optional["_Res"]:
        expr: Any = self.config.get("expressions", {}) if isinstance(self.config, dict) else {}
        for p in path:
            if isinstance(expr, dict) and p in expr:
                expr = expr[p]
            elif isinstance(expr, list) and isinstance(p, int):
                expr = expr[p] if p < len(expr) else (expr[0] if expr else None)
            else:
                return None
        return self.plan._first_found(expr, self.module, self.address, 0)


class _Plan:
    def __init__(self, root: LocDict, file: str):
        self.root = root
        self.file = file
        self.after_unknown: dict[str, Any] = {}
        changes = root.get("resource_changes")
        for rc in changes if isinstance(changes, list) else []:
            if isinstance(rc, dict) and isinstance(rc.get("address"), str) and isinstance(rc.get("change"), dict):
                self.after_unknown[rc.get("address")] = rc["change"].get("after_unknown") or {}
        self.config: dict[str, dict] = {}
        self.calls: dict[str, tuple[str, dict]] = {}  # child module prefix -> (parent prefix, module call)
        self.outputs: dict[str, dict] = {}  # module prefix -> its outputs' configuration
        cfg = root.get("configuration")
        if isinstance(cfg, dict) and isinstance(cfg.get("root_module"), dict):
            self._walk_config(cfg["root_module"], "")
        self.instances: list[_Res] = []
        values = root.get("planned_values") or root.get("values")
        if isinstance(values, dict) and isinstance(values.get("root_module"), dict):
            self._walk_values(values["root_module"], "")

    def instance(self, address: str) -> Optional["_Res"]:
        return next((r for r in self.instances if r.address == address), None)

    def _walk_config(self, module: dict, prefix: str):
        resources = module.get("resources")
        for res in resources if isinstance(resources, list) else []:
            if isinstance(res, dict) and res.get("mode", "managed") == "managed":
                self.config[prefix + f"{res.get('type')}.{res.get('name')}"] = res
        outputs, calls = module.get("outputs"), module.get("module_calls")
        self.outputs[prefix] = outputs if isinstance(outputs, dict) else {}
        for name, call in (calls if isinstance(calls, dict) else {}).items():
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                child = f"{prefix}module.{name}."
                self.calls[child] = (prefix, call)
                self._walk_config(call["module"], child)

    def _walk_values(self, module: dict, prefix: str):
        resources, children = module.get("resources"), module.get("child_modules")
        for entry in resources if isinstance(resources, list) else []:
            if isinstance(entry, LocDict) and entry.get("mode", "managed") == "managed":
                self.instances.append(_Res(self, entry, prefix))
        for child in children if isinstance(children, list) else []:
            if isinstance(child, dict):
                address = child.get("address") if isinstance(child.get("address"), str) else ""
                self._walk_values(child, _strip_index(address) + "." if address else prefix)

    def find(self, ref: str, module: str, from_address: str, depth: int = 0) -> Optional[_Res]:
        """The planned resource a configuration reference (in `module`) points at, through module
        inputs (var.x -> the module call's argument) and outputs (module.m.out -> the output's expression)."""
        if depth > 10:
            return None
        parts = ref.split(".")
        if parts[0] == "var" and len(parts) >= 2 and module in self.calls:
            parent, call = self.calls[module]
            expr = (call.get("expressions") or {}).get(parts[1])
            return self._first_found(expr, parent, from_address, depth)
        if parts[0] == "module" and len(parts) >= 3:
            child = f"{module}module.{_strip_index(parts[1])}."
            output = self.outputs.get(child, {}).get(parts[2])
            return self._first_found((output or {}).get("expression"), child, from_address, depth)
        if parts[0] in ("var", "local", "data", "each", "count", "path", "terraform", "self"):
            return None
        ref = ref[:-3] if ref.endswith(".id") else ref
        full = module + ref
        exact = [r for r in self.instances if r.address == full]
        if exact:
            return exact[0]
        base = _strip_index(full)
        matches = [r for r in self.instances if _strip_index(r.address) == base]
        if len(matches) == 1:
            return matches[0]
        index = re.search(r"(\[[^\]]*\])$", from_address)
        if index:
            same = [r for r in matches if r.address.endswith(index.group(1))]
            if len(same) == 1:
                return same[0]
        return None


    def _first_found(self, expr: Any, module: str, from_address: str, depth: int) -> Optional[_Res]:
        refs = expr.get("references", []) if isinstance(expr, dict) else []
        for ref in refs:
            if isinstance(ref, str):
                found = self.find(ref, module, from_address, depth + 1)
                if found is not None:
                    return found
        return None


# --------------------------------------------------------------------------- per resource type

def _rg(r: _Res) -> str:
    rg, _ = r.v("resource_group_name")
    return rg if isinstance(rg, str) else "{resourceGroup}"


def _own_id(r: _Res, types: list[str], names: list[str]) -> str:
    known, _ = r.v("id")
    if isinstance(known, str) and known.startswith("/subscriptions/"):
        return known
    return format_id(_SUB, _rg(r), types, names)


def _name(r: _Res) -> str:
    name, _ = r.v("name")
    return name if isinstance(name, str) else r.address


def _first(r: _Res, block: str, attr: str):
    return r.v(block, 0, attr)


_CIRCUIT_T = ["Microsoft.Network/expressRouteCircuits"]
_VNET_T = ["Microsoft.Network/virtualNetworks"]


def _circuit(r: _Res):
    name = _name(r)
    r.id = _own_id(r, _CIRCUIT_T, [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.sub("sku", _Body(r.v("sku")[1]).set("tier", _first(r, "sku", "tier")).set("family", _first(r, "sku", "family")))
        b.sub("serviceProviderProperties", _Body(r.loc)
              .set("serviceProviderName", r.v("service_provider_name"))
              .set("peeringLocation", r.v("peering_location"))
              .set("bandwidthInMbps", r.v("bandwidth_in_mbps")))
        port = r.ref("express_route_port_id")
        if port[0]:
            b.sub("expressRoutePort", _Body(port[1]).set("id", port))
        b.set("bandwidthInGbps", r.v("bandwidth_in_gbps"))
        b.set("enableDirectPortRateLimit", r.v("rate_limiting_enabled"))
        return b.d
    return "Microsoft.Network/expressRouteCircuits", name, body


def _circuit_peering(r: _Res):
    circuit, _ = r.v("express_route_circuit_name")
    ptype, _ = r.v("peering_type")
    name = ptype if isinstance(ptype, str) else "peering"
    r.id = format_id(_SUB, _rg(r), _CIRCUIT_T + ["peerings"], [str(circuit), name])

    def body():
        b = _Body(r.loc).set("name", r.v("peering_type")).set("peeringType", r.v("peering_type"))
        b.set("peerAsn", r.v("peer_asn")).set("vlanId", r.v("vlan_id"))
        azure_asn = r.v("azure_asn")
        if not isinstance(azure_asn[0], Unknown):  # Azure assigns it (12076); unknown at plan time is no news
            b.set("azureAsn", azure_asn)
        b.set("primaryPeerAddressPrefix", r.v("primary_peer_address_prefix"))
        b.set("secondaryPeerAddressPrefix", r.v("secondary_peer_address_prefix"))
        b.set("sharedKey", r.v("shared_key"))
        rf = r.ref("route_filter_id")
        if rf[0]:
            b.sub("routeFilter", _Body(rf[1]).set("id", rf))
        if r.block("microsoft_peering_config"):
            b.sub("microsoftPeeringConfig", _Body(r.v("microsoft_peering_config")[1])
                  .set("advertisedPublicPrefixes", _first(r, "microsoft_peering_config", "advertised_public_prefixes"))
                  .set("customerASN", _first(r, "microsoft_peering_config", "customer_asn"))
                  .set("routingRegistryName", _first(r, "microsoft_peering_config", "routing_registry_name")))
        if r.block("ipv6"):
            b.sub("ipv6PeeringConfig", _Body(r.v("ipv6")[1])
                  .set("primaryPeerAddressPrefix", _first(r, "ipv6", "primary_peer_address_prefix"))
                  .set("secondaryPeerAddressPrefix", _first(r, "ipv6", "secondary_peer_address_prefix"))
                  .sub("microsoftPeeringConfig", _Body(r.v("ipv6", 0, "microsoft_peering")[1])
                       .set("advertisedPublicPrefixes",
                            r.v("ipv6", 0, "microsoft_peering", 0, "advertised_public_prefixes"))))
        return b.d
    return "Microsoft.Network/expressRouteCircuits/peerings", name, body


def _port(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/expressRoutePorts"], [name])

    def body():
        b = (_Body(r.loc).set("name", r.v("name")).set("location", r.v("location"))
             .set("peeringLocation", r.v("peering_location")).set("bandwidthInGbps", r.v("bandwidth_in_gbps"))
             .set("encapsulation", r.v("encapsulation")).set("billingType", r.v("billing_type")))
        links = []
        for block_name in ("link1", "link2"):
            if not r.block(block_name):
                continue
            g = (lambda attr, n=block_name: r.v(n, 0, attr))
            link = _Body(r.v(block_name)[1]).set("name", (block_name, r.v(block_name)[1]))
            enabled = g("admin_enabled")
            if isinstance(enabled[0], bool):
                link.set("adminState", ("Enabled" if enabled[0] else "Disabled", enabled[1]))
            sci = g("macsec_sci_enabled")
            macsec = _Body(r.v(block_name)[1]).set("cipher", g("macsec_cipher"))
            if isinstance(sci[0], bool):
                macsec.set("sciState", ("Enabled" if sci[0] else "Disabled", sci[1]))
            links.append(link.sub("macSecConfig", macsec))
        if links:
            b.list("links", links, r.loc)
        return b.d
    return "Microsoft.Network/expressRoutePorts", name, body


def _gateway(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/virtualNetworkGateways"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.set("gatewayType", r.v("type")).set("vpnType", r.v("vpn_type")).set("activeActive", r.v("active_active"))
        b.sub("sku", _Body(r.v("sku")[1]).set("name", r.v("sku")))
        if r.block("bgp_settings"):
            b.sub("bgpSettings", _Body(r.v("bgp_settings")[1]).set("asn", _first(r, "bgp_settings", "asn")))
        confs = []
        for i, block in r.block("ip_configuration"):
            c = _Body(block.loc).set("name", r.v("ip_configuration", i, "name"))
            subnet = r.ref("ip_configuration", i, "subnet_id")
            if subnet[0]:
                c.sub("subnet", _Body(subnet[1]).set("id", subnet))
            pip = r.ref("ip_configuration", i, "public_ip_address_id")
            if pip[0]:
                c.sub("publicIpAddress", _Body(pip[1]).set("id", pip))
            confs.append(c)
        b.list("ipConfigurations", confs, r.v("ip_configuration")[1])
        return b.d
    return "Microsoft.Network/virtualNetworkGateways", name, body


def _connection(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/connections"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.set("connectionType", r.v("type")).set("routingWeight", r.v("routing_weight"))
        b.set("expressRouteGatewayBypass", r.v("express_route_gateway_bypass"))
        b.set("authorizationKey", r.v("authorization_key"))
        gw = r.ref("virtual_network_gateway_id")
        if gw[0]:
            b.sub("virtualNetworkGateway1", _Body(gw[1]).set("id", gw))
        circuit = r.ref("express_route_circuit_id")
        if circuit[0]:
            b.sub("peer", _Body(circuit[1]).set("id", circuit))
        return b.d
    return "Microsoft.Network/connections", name, body


def _subnet_body(get: Callable, loc: Optional[Loc], nsg=None) -> _Body:
    b = _Body(loc).set("name", get("name"))
    prefixes = get("address_prefixes")
    if isinstance(prefixes[0], list) and prefixes[0]:
        b.set("addressPrefixes", prefixes)
    else:
        b.set("addressPrefix", get("address_prefix"))
    if nsg and nsg[0]:
        b.sub("networkSecurityGroup", _Body(nsg[1]).set("id", nsg))
    return b


def _vnet(r: _Res):
    name = _name(r)
    r.id = _own_id(r, _VNET_T, [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.sub("addressSpace", _Body(r.v("address_space")[1]).set("addressPrefixes", r.v("address_space")))
        dns = r.v("dns_servers")
        if isinstance(dns[0], list) and dns[0]:
            b.sub("dhcpOptions", _Body(dns[1]).set("dnsServers", dns))
        subnets = []
        for i, block in r.block("subnet"):
            nsg = r.v("subnet", i, "security_group")
            subnets.append(_subnet_body(lambda attr, i=i: r.v("subnet", i, attr), block.loc,
                                        nsg if nsg[0] else None))
        if subnets:
            b.list("subnets", subnets, r.v("subnet")[1])
        return b.d
    return "Microsoft.Network/virtualNetworks", name, body


def _subnet(r: _Res):
    name = _name(r)
    vnet, _ = r.v("virtual_network_name")
    r.id = _own_id(r, _VNET_T + ["subnets"], [str(vnet), name])

    def body():
        return _subnet_body(lambda attr: r.v(attr), r.loc).d
    return "Microsoft.Network/virtualNetworks/subnets", name, body


def _vnet_peering(r: _Res):
    name = _name(r)
    vnet, _ = r.v("virtual_network_name")
    r.id = _own_id(r, _VNET_T + ["virtualNetworkPeerings"], [str(vnet), name])

    def body():
        b = _Body(r.loc).set("name", r.v("name"))
        remote = r.ref("remote_virtual_network_id")
        if remote[0]:
            b.sub("remoteVirtualNetwork", _Body(remote[1]).set("id", remote))
        for arm, tf in (("allowVirtualNetworkAccess", "allow_virtual_network_access"),
                        ("allowForwardedTraffic", "allow_forwarded_traffic"),
                        ("allowGatewayTransit", "allow_gateway_transit"),
                        ("useRemoteGateways", "use_remote_gateways")):
            b.set(arm, r.v(tf))
        return b.d
    return "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", name, body


def _route_table(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/routeTables"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        disabled = r.v("disable_bgp_route_propagation")
        if disabled[0] is None:
            enabled = r.v("bgp_route_propagation_enabled")
            if isinstance(enabled[0], bool):
                disabled = (not enabled[0], enabled[1])
        b.set("disableBgpRoutePropagation", disabled)
        routes = []
        for i, block in r.block("route"):
            routes.append(_Body(block.loc).set("name", r.v("route", i, "name"))
                          .set("addressPrefix", r.v("route", i, "address_prefix"))
                          .set("nextHopType", r.v("route", i, "next_hop_type"))
                          .set("nextHopIpAddress", r.v("route", i, "next_hop_in_ip_address")))
        if routes:
            b.list("routes", routes, r.v("route")[1])
        return b.d
    return "Microsoft.Network/routeTables", name, body


def _nsg(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/networkSecurityGroups"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        rules = []
        for i, block in r.block("security_rule"):
            g = (lambda attr, i=i: r.v("security_rule", i, attr))
            rule = (_Body(block.loc).set("name", g("name")).set("priority", g("priority"))
                    .set("direction", g("direction")).set("access", g("access")).set("protocol", g("protocol"))
                    .set("sourceAddressPrefix", g("source_address_prefix"))
                    .set("sourceAddressPrefixes", g("source_address_prefixes"))
                    .set("destinationAddressPrefix", g("destination_address_prefix"))
                    .set("destinationAddressPrefixes", g("destination_address_prefixes"))
                    .set("destinationPortRange", g("destination_port_range"))
                    .set("destinationPortRanges", g("destination_port_ranges")))
            rules.append(rule)
        if rules:
            b.list("securityRules", rules, r.v("security_rule")[1])
        return b.d
    return "Microsoft.Network/networkSecurityGroups", name, body


def _public_ip(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/publicIPAddresses"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.set("publicIpAllocationMethod", r.v("allocation_method")).set("zones", r.v("zones"))
        b.sub("sku", _Body(r.v("sku")[1]).set("name", r.v("sku")))
        return b.d
    return "Microsoft.Network/publicIPAddresses", name, body


def _virtual_hub(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/virtualHubs"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        b.set("addressPrefix", r.v("address_prefix")).set("sku", r.v("sku"))
        wan = r.ref("virtual_wan_id")
        if wan[0]:
            b.sub("virtualWan", _Body(wan[1]).set("id", wan))
        return b.d
    return "Microsoft.Network/virtualHubs", name, body


def _hub_gateway(r: _Res):
    name = _name(r)
    r.id = _own_id(r, ["Microsoft.Network/expressRouteGateways"], [name])

    def body():
        b = _Body(r.loc).set("name", r.v("name")).set("location", r.v("location")).set("tags", r.v("tags"))
        hub = r.ref("virtual_hub_id")
        if hub[0]:
            b.sub("virtualHub", _Body(hub[1]).set("id", hub))
        units = r.v("scale_units")  # azurerm: a fixed number of scale units
        if units[0] is not None:
            b.sub("autoScaleConfiguration", _Body(units[1]).sub(
                "bounds", _Body(units[1]).set("min", units).set("max", units)))
        b.set("allowNonVirtualWanTraffic", r.v("allow_non_virtual_wan_traffic"))
        return b.d
    return "Microsoft.Network/expressRouteGateways", name, body


def _hub_connection(r: _Res):
    name = _name(r)

    def body():
        gw = r.ref("express_route_gateway_id")
        if isinstance(gw[0], str) and gw[0]:
            r.id = f"{gw[0].rstrip('/')}/expressRouteConnections/{name}"
        else:
            r.id = format_id(_SUB, "{resourceGroup}", ["Microsoft.Network/expressRouteGateways",
                                                       "expressRouteConnections"], ["{gateway}", name])
        b = _Body(r.loc).set("name", r.v("name")).set("routingWeight", r.v("routing_weight"))
        b.set("authorizationKey", r.v("authorization_key")).set("enableInternetSecurity", r.v("enable_internet_security"))
        b.set("expressRouteGatewayBypass", r.v("express_route_gateway_bypass_enabled"))
        peering = r.ref("express_route_circuit_peering_id")
        if peering[0]:
            b.sub("expressRouteCircuitPeering", _Body(peering[1]).set("id", peering))
        if r.block("routing"):
            routing = _Body(r.v("routing")[1])
            assoc = r.ref("routing", 0, "associated_route_table_id")
            if assoc[0]:
                routing.sub("associatedRouteTable", _Body(assoc[1]).set("id", assoc))
            if r.v("routing", 0, "propagated_route_table", 0)[0] is not None:
                ids = r.v("routing", 0, "propagated_route_table", 0, "route_table_ids")
                propagated = _Body(r.v("routing", 0, "propagated_route_table")[1])
                propagated.set("labels", r.v("routing", 0, "propagated_route_table", 0, "labels"))
                if isinstance(ids[0], list):
                    propagated.list("ids", [_Body(ids[1]).set("id", (i, ids[1])) for i in ids[0]], ids[1])
                routing.sub("propagatedRouteTables", propagated)
            b.sub("routingConfiguration", routing)
        return b.d
    r.id = format_id(_SUB, "{resourceGroup}", ["Microsoft.Network/expressRouteGateways", "expressRouteConnections"],
                     ["{gateway}", name])
    return "Microsoft.Network/expressRouteGateways/expressRouteConnections", name, body


def _global_reach(r: _Res):
    name = _name(r)
    r.id = format_id(_SUB, "{resourceGroup}", _CIRCUIT_T + ["peerings", "connections"],
                     ["{circuit}", "AzurePrivatePeering", name])

    def body():
        peering = r.ref("peering_id")
        if isinstance(peering[0], str) and peering[0]:
            r.id = f"{peering[0].rstrip('/')}/connections/{name}"
        b = _Body(r.loc).set("name", r.v("name")).set("addressPrefix", r.v("address_prefix_ipv4"))
        b.set("authorizationKey", r.v("authorization_key"))
        peer = r.ref("peer_peering_id")
        if peer[0]:
            b.sub("peerExpressRouteCircuitPeering", _Body(peer[1]).set("id", peer))
        v6 = r.v("address_prefix_ipv6")
        if v6[0]:
            b.sub("ipv6CircuitConnectionConfig", _Body(v6[1]).set("addressPrefix", v6))
        return b.d
    return "Microsoft.Network/expressRouteCircuits/peerings/connections", name, body


def _authorization(r: _Res):
    name = _name(r)
    circuit, _ = r.v("express_route_circuit_name")
    r.id = format_id(_SUB, _rg(r), _CIRCUIT_T + ["authorizations"], [str(circuit), name])

    def body():
        return _Body(r.loc).set("name", r.v("name")).d
    return "Microsoft.Network/expressRouteCircuits/authorizations", name, body


_CONVERTERS = {
    "azurerm_virtual_hub": _virtual_hub,
    "azurerm_express_route_gateway": _hub_gateway,
    "azurerm_express_route_connection": _hub_connection,
    "azurerm_express_route_circuit_authorization": _authorization,
    "azurerm_express_route_circuit_connection": _global_reach,
    "azurerm_express_route_circuit": _circuit,
    "azurerm_express_route_circuit_peering": _circuit_peering,
    "azurerm_express_route_port": _port,
    "azurerm_virtual_network_gateway": _gateway,
    "azurerm_virtual_network_gateway_connection": _connection,
    "azurerm_virtual_network": _vnet,
    "azurerm_subnet": _subnet,
    "azurerm_virtual_network_peering": _vnet_peering,
    "azurerm_route_table": _route_table,
    "azurerm_network_security_group": _nsg,
    "azurerm_public_ip": _public_ip,
}
_ASSOCIATIONS = {
    "azurerm_subnet_route_table_association": ("route_table_id", "routeTable"),
    "azurerm_subnet_network_security_group_association": ("network_security_group_id", "networkSecurityGroup"),
}


_SHAPE_ERRORS = (TypeError, AttributeError, ValueError, KeyError, IndexError)


def _shape_error(r: "_Res", exc: Exception) -> InputError:
    return InputError(f"{r.address or r.tf_type}: a value has an unexpected shape ({type(exc).__name__}: {exc}); "
                      "if this is unedited `terraform show -json` output, please report it", r.entry.loc)


def read(root: LocDict, file: str) -> tuple[list[RawResource], list[InputError]]:
    plan = _Plan(root, file)
    pending = []
    out: list[RawResource] = []
    errors: list[InputError] = []
    associations = []
    for r in plan.instances:
        convert = _CONVERTERS.get(r.tf_type)
        if convert is not None:
            try:
                rtype, name, make_body = convert(r)
            except _SHAPE_ERRORS as exc:
                errors.append(_shape_error(r, exc))
                continue
            pending.append((r, rtype, name, make_body))
        elif r.tf_type in _ASSOCIATIONS:
            associations.append(r)
        elif r.tf_type:
            out.append(RawResource(type=r.tf_type, id=f"terraform:{r.address}", name=r.address,
                                   body=r.values, loc=r.entry.loc, file=file, source="terraform"))
    # IDs are all known now, so references between planned resources resolve
    resources = []
    by_id = {}
    for r, rtype, name, make_body in pending:
        try:
            body = make_body()
        except _SHAPE_ERRORS as exc:
            errors.append(_shape_error(r, exc))
            continue
        name_value, name_loc = r.v("name")
        raw = RawResource(type=rtype, id=r.id, name=name, body=body, loc=r.entry.loc, file=file,
                          source="terraform", name_loc=name_loc or r.loc, extra={"address": r.address})
        resources.append(raw)
        by_id[r.id.lower()] = raw
    for a in associations:
        attr, arm_key = _ASSOCIATIONS[a.tf_type]
        if not isinstance(getattr(a, "values", None), LocDict):
            continue
        subnet_id, subnet_loc = a.ref("subnet_id")
        target_id, target_loc = a.ref(attr)
        subnet = by_id.get(subnet_id.lower()) if isinstance(subnet_id, str) else None
        if subnet is not None and target_id is not None:
            subnet.body[arm_key] = LocDict({"id": target_id}, loc=target_loc)
            subnet.body[arm_key].locs["id"] = target_loc
            subnet.body.locs[arm_key] = target_loc
    return resources + out, errors
