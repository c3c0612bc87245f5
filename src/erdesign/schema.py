"""The JSON Schema of the design format, for editors (yaml-language-server) and `erdesign schema`.

Built from the pydantic model, then completed: a description on every field (the model's own,
else the texts below), and suggestions for the open sets erdesign knows from rules/data/
(regions, peering locations, Direct port locations, gateway SKUs, bandwidths, providers) as
`examples` plus an `anyOf` enum branch next to the free-text one: editors complete them, and
a name that is not in the list stays valid (the linter says what it knows about it).
The committed copy is schema/design-v1.json (tests/test_schema.py keeps it in sync).
"""
from __future__ import annotations

import copy
import re
from typing import Any

SCHEMA_ID = "https://erdesign.dev/schema/design-v1.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Descriptions shared by every object that has the field.
COMMON = {
    "name": "Name of this object; other objects refer to it by this name (unique within its kind).",
    "description": "Free text for people; erdesign does not read it.",
    "subscription": "Azure subscription ID the resource lives in (optional; kept from imports).",
    "resource_group": "Azure resource group the resource lives in (optional; kept from imports).",
    "region": "Azure region (e.g. eastus, westeurope).",
    "tags": "Azure resource tags.",
    "suppress": "Findings accepted on purpose on this object: rule, reason (required) and optional expiry.",
}

# Model.field -> description, for fields the model does not describe itself.
FIELDS = {
    "Design.version": "Format version of this file: 1.",
    "Design.sites": "On-premises locations (data centres, colocation, offices, PoPs) with their edge routers.",
    "Design.providers": "Connectivity providers and cloud exchanges: virtual circuits and cross-connects.",
    "Design.express_route_ports": "ExpressRoute Direct port pairs (for circuits ordered on your own ports).",
    "Design.circuits": "ExpressRoute circuits with their peerings, Global Reach links and authorizations.",
    "Design.vnets": "Azure virtual networks with their subnets.",
    "Design.route_tables": "Route tables (UDRs) attached to subnets.",
    "Design.nsgs": "Network security groups attached to subnets.",
    "Design.public_ips": "Public IP addresses (for gateways).",
    "Design.route_filters": "Route filters (BGP communities) for Microsoft peering.",
    "Design.gateways": "Virtual network gateways (ExpressRoute or VPN).",
    "Design.connections": "Connections between gateways and circuits.",
    "Design.vnet_peerings": "VNet peerings, one entry per direction.",
    "Design.traffic": "Usage assumptions for costing, in GB per month.",
    "Design.name": "Name of the design (used in reports).",
    "Design.description": "What this design is for.",
    "Suppression.expires": "Date after which the suppression no longer applies (YYYY-MM-DD); reported then (SUP002).",
    "Router.asn": "BGP ASN of the router (checked against the peering's peer ASN).",
    "Router.vendor": "Router vendor (cisco, juniper, arista, ...).",
    "Router.platform": "Router platform or OS (e.g. ios-xe, junos, eos).",
    "Router.interfaces": "The router's (sub)interfaces towards the provider.",
    "RouterInterface.name": "Interface name as the router shows it (e.g. Te0/0/0.28).",
    "RouterInterface.description": "Interface description.",
    "Site.kind": "What kind of location this is.",
    "Site.city": "City of the site (for people and for choosing peering locations).",
    "Site.routers": "Customer edge routers at this site.",
    "VirtualCircuit.link": "Which side of the circuit this virtual circuit carries.",
    "VirtualCircuit.bandwidth": "Bandwidth of the virtual circuit (normally the circuit's).",
    "VirtualCircuit.s_tag": "Service (outer) VLAN tag the provider assigns.",
    "VirtualCircuit.one_time_fee": "Quoted one-time (set-up) fee.",
    "VirtualCircuit.currency": "Currency of the fees (ISO 4217 code).",
    "CrossConnect.site": "Site whose routers the cross-connect reaches.",
    "CrossConnect.count": "Number of cross-connects (usually 2, one per router).",
    "CrossConnect.currency": "Currency of the fees (ISO 4217 code).",
    "Provider.kind": "cloud_exchange (Equinix Fabric, Megaport, ...), carrier (an L2/L3 network) or direct.",
    "Provider.virtual_circuits": "Layer-2 virtual circuits the provider delivers to the circuit's links.",
    "Provider.cross_connects": "Physical cross-connects in the colocation facility.",
    "PeeringLink.router": "Site router that terminates this BGP session.",
    "PeeringLink.interface": "Interface of that router (a name under its interfaces).",
    "PeeringLink.ipv6": "Router's IPv6 address on the link.",
    "PeeringLink.s_tag": "Outer VLAN tag on this link (Q-in-Q).",
    "Ipv6PeeringConfig.primary_prefix": "IPv6 /126 of the primary link.",
    "Ipv6PeeringConfig.secondary_prefix": "IPv6 /126 of the secondary link.",
    "Ipv6PeeringConfig.advertised_prefixes": "IPv6 prefixes on-premises advertises over this peering.",
    "Ipv6PeeringConfig.advertised_prefix_count": "Number of IPv6 prefixes advertised, where a list is impractical.",
    "Peering.type": "Peering type.",
    "Peering.peer_asn": "Customer (your) BGP ASN on this peering.",
    "Peering.primary_prefix": "IPv4 /30 of the primary link.",
    "Peering.secondary_prefix": "IPv4 /30 of the secondary link.",
    "Peering.vlan_id": "VLAN ID of the peering (customer tag).",
    "Peering.bfd": "BFD is enabled on the customer edge for this peering.",
    "Peering.state": "Peering state.",
    "Peering.primary_link": "The primary BGP session: router, interface and address.",
    "Peering.secondary_link": "The secondary BGP session: router, interface and address.",
    "Peering.advertised_prefixes": "IPv4 prefixes on-premises advertises over this peering.",
    "Peering.advertised_prefix_count": "Number of IPv4 prefixes advertised, where a list is impractical.",
    "Peering.ipv6": "IPv6 addressing of the peering (dual stack).",
    "Peering.route_filter": "Route filter attached (Microsoft peering).",
    "Peering.routing_registry": "Routing registry that holds your prefixes (Microsoft peering), e.g. ARIN, RIPENCC.",
    "CircuitSku.tier": "Circuit tier: Local, Standard or Premium.",
    "CircuitSku.family": "Billing plan: MeteredData or UnlimitedData.",
    "GlobalReachLink.name": "Name of the Global Reach connection.",
    "GlobalReachLink.peer_circuit": "The other circuit of the Global Reach connection.",
    "GlobalReachLink.address_prefix_v6": "IPv6 /125 for the Global Reach link.",
    "Authorization.name": "Name of the authorization key (never the key itself).",
    "Circuit.peering_location": "ExpressRoute peering location, as Azure names it (e.g. Washington DC, Amsterdam).",
    "Circuit.sku": "Circuit SKU: tier and billing plan.",
    "Circuit.peerings": "Private and Microsoft peerings of the circuit.",
    "Circuit.global_reach": "Global Reach connections to other circuits.",
    "Circuit.authorizations": "Authorizations that let connections in other subscriptions use the circuit.",
    "Circuit.bandwidth": "Circuit bandwidth: 50Mbps … 10Gbps on a provider, up to the port speed on Direct.",
    "ExpressRoutePort.peering_location": "Direct port location (e.g. Equinix-Ashburn-DC2) or its peering location.",
    "ExpressRoutePort.encapsulation": "Port encapsulation.",
    "ExpressRoutePort.billing_type": "Billing plan of the port pair.",
    "Subnet.name": "Subnet name (GatewaySubnet for a gateway's subnet).",
    "Subnet.prefix": "Subnet address prefix.",
    "Subnet.route_table": "Route table attached (a name under route_tables).",
    "Subnet.nsg": "NSG attached (a name under nsgs).",
    "Subnet.private_endpoints": "Number of private endpoints in the subnet.",
    "Subnet.load_balancer_sku": "SKU of a load balancer in the subnet, if any.",
    "Subnet.service_endpoint_policy": "A service endpoint policy is attached.",
    "VNet.address_space": "Address prefixes of the VNet.",
    "VNet.subnets": "Subnets of the VNet.",
    "VNet.dns_servers": "Custom DNS servers.",
    "VNet.summarized_gateway_prefixes": "Prefixes the gateway advertises instead of the VNet's (route summarization).",
    "Route.name": "Route name.",
    "Route.next_hop_type": "Next hop type.",
    "Route.next_hop_ip": "Next hop address (VirtualAppliance).",
    "RouteTable.bgp_route_propagation": "Routes learned by BGP (from the gateway) are propagated to the subnets.",
    "RouteTable.routes": "User-defined routes.",
    "NsgRule.name": "Rule name.",
    "NsgRule.direction": "Traffic direction.",
    "NsgRule.access": "Allow or deny.",
    "NsgRule.priority": "Priority (100–4096, lower wins).",
    "NsgRule.protocol": "Protocol (*, Tcp, Udp, Icmp, ...).",
    "NsgRule.source": "Source prefix or service tag.",
    "NsgRule.destination": "Destination prefix or service tag.",
    "NsgRule.destination_ports": "Destination ports or ranges.",
    "Nsg.rules": "Security rules.",
    "PublicIp.sku": "Public IP SKU (Basic is retired).",
    "PublicIp.allocation": "Allocation method.",
    "RouteFilter.communities": "BGP communities the filter allows (e.g. 12076:5010).",
    "ScaleUnits.min": "Minimum scale units (ErGwScale).",
    "ScaleUnits.max": "Maximum scale units (ErGwScale).",
    "Gateway.vnet": "VNet of the gateway (a name under vnets); it needs a GatewaySubnet.",
    "Gateway.type": "Gateway type.",
    "Gateway.public_ip": "Public IP of the gateway (a name under public_ips).",
    "Gateway.vpn_type": "VPN type (VPN gateways).",
    "Gateway.active_active": "Active-active mode (VPN gateways).",
    "Gateway.maintenance_configuration": "A maintenance configuration (window) is assigned.",
    "Connection.gateway": "Gateway of the connection (a name under gateways).",
    "Connection.circuit": "Circuit of the connection (a name under circuits).",
    "Connection.type": "Connection type.",
    "Connection.routing_weight": "Routing weight (higher is preferred among connections to the same prefixes).",
    "Connection.fastpath": "FastPath: traffic bypasses the gateway (needs a SKU that supports it).",
    "Connection.authorization": "Authorization redeemed from a circuit in another subscription.",
    "VNetPeering.vnet": "VNet on this side of the peering.",
    "VNetPeering.remote_vnet": "VNet on the other side.",
    "VNetPeering.allow_virtual_network_access": "The VNets can reach each other.",
    "VNetPeering.allow_forwarded_traffic": "Traffic forwarded by the remote VNet (not from it) is allowed.",
    "VNetPeering.allow_gateway_transit": "The remote VNet may use this VNet's gateway.",
    "VNetPeering.use_remote_gateways": "This VNet uses the remote VNet's gateway.",
    "CircuitTraffic.circuit": "Circuit (a name under circuits).",
    "PeeringTraffic.vnet_peering": "VNet peering (a name under vnet_peerings).",
    "GlobalReachTraffic.circuit": "One circuit of the Global Reach pair.",
    "GlobalReachTraffic.peer_circuit": "The other circuit.",
    "VpnTraffic.gateway": "VPN gateway (a name under gateways).",
    "VpnTraffic.egress_gb_month": "Outbound GB per month through the VPN gateway.",
    "Traffic.circuits": "Outbound (and inbound) volume per circuit.",
    "Traffic.vnet_peerings": "Volume through VNet peerings.",
    "Traffic.global_reach": "Volume between circuits over Global Reach.",
    "Traffic.vpn": "Volume through VPN gateways.",
    "Design.virtual_hubs": "Virtual WAN hubs (region, address prefix) that host ExpressRoute gateways.",
    "Design.hub_gateways": "ExpressRoute gateways in Virtual WAN hubs, with their scale units.",
    "Design.hub_connections": "Connections between a hub ExpressRoute gateway and a circuit.",
    "VirtualHub.sku": "Virtual WAN type of the hub: Basic or Standard (ExpressRoute needs Standard).",
    "HubConnection.hub_gateway": "Hub ExpressRoute gateway of the connection (a hub_gateways name).",
    "HubConnection.circuit": "Circuit the connection links (a circuits name).",
    "HubConnection.routing_weight": "Routing weight (0–32000): the higher weight wins between circuits.",
    "HubConnection.enable_internet_security": "Propagate the hub's default route (0.0.0.0/0) to on-premises.",
    "HubConnection.fastpath": "FastPath: traffic bypasses the hub gateway (needs a supported gateway size).",
    "HubConnection.associated_route_table": "Hub route table the connection is associated with.",
    "HubConnection.propagated_route_tables": "Hub route tables the connection's routes propagate to.",
    "HubConnection.propagated_labels": "Route table labels the connection's routes propagate to.",
    "PortLink.admin_state": "Administrative state of the Direct port link: Enabled or Disabled.",
    "PortLink.macsec_cipher": "MACsec cipher configured on the link (e.g. GcmAes256), if any.",
    "PortLink.macsec_sci_state": "MACsec Secure Channel Identifier (SCI) state: Enabled or Disabled.",
    "TrafficScenario.circuits": "Circuit volumes that replace the base ones in this scenario.",
    "TrafficScenario.vnet_peerings": "VNet peering volumes that replace the base ones in this scenario.",
    "TrafficScenario.global_reach": "Global Reach volumes that replace the base ones in this scenario.",
    "TrafficScenario.vpn": "VPN gateway volumes that replace the base ones in this scenario.",
}

_EXAMPLES = {
    "Router.asn": [65001], "Peering.peer_asn": [65001], "Peering.vlan_id": [100],
    "Peering.primary_prefix": ["192.0.2.96/30"], "Peering.secondary_prefix": ["192.0.2.100/30"],
    "Peering.prefix": ["192.0.2.96/29"], "Subnet.prefix": ["10.0.4.0/27"], "VNet.address_space": [["10.0.4.0/24"]],
    "Site.advertised_prefixes": [["10.0.0.0/20"]], "Peering.advertised_prefixes": [["10.0.0.0/20"]],
    "GlobalReachLink.address_prefix": ["10.255.0.0/29"], "Design.name": ["hub-eastus"],
    "Suppression.rule": ["BGP001", "RES"], "Suppression.expires": ["2026-12-31"],
    "RouteFilter.communities": [["12076:5010"]], "CircuitTraffic.egress_gb_month": [2000],
}


def _suggestions() -> dict[str, list]:
    """Field -> known values, from rules/data/ (the same tables the linter checks names against)."""
    from . import facts
    from .data import table
    from .model import format_bandwidth

    regions = sorted(facts.known_regions())
    locations = sorted(facts.known_peering_locations())
    ports = table("direct_port_locations")
    port_locations = sorted((ports.get("port_locations") or {}).keys())
    operators = sorted({re.split(r"[\s(]", f, maxsplit=1)[0]
                        for fs in (ports.get("facilities") or {}).values() for f in fs or []})
    bandwidths = table("bandwidths")
    provider_bw = [format_bandwidth(v) for v in bandwidths["provider_circuit_mbps"]["values"]]
    direct_bw = sorted({v for vs in bandwidths["direct_circuit_mbps_by_port"].values() if isinstance(vs, list)
                        for v in vs})
    circuit_bw = [format_bandwidth(v) for v in sorted(set(bandwidths["provider_circuit_mbps"]["values"]) | set(direct_bw))]
    port_bw = [format_bandwidth(v) for v in bandwidths["direct_port_mbps"]["values"]]
    suggestions = {f"{model}.region": regions for model in
                   ("Circuit", "ExpressRoutePort", "VNet", "RouteTable", "Nsg", "PublicIp", "RouteFilter", "Gateway")}
    suggestions.update({
        "Circuit.peering_location": locations,
        "ExpressRoutePort.peering_location": port_locations + locations,
        "Circuit.provider": operators,
        "Provider.name": operators,
        "Gateway.sku": sorted(facts.known_gateway_skus()),
        "Circuit.bandwidth": circuit_bw,
        "VirtualCircuit.bandwidth": provider_bw,
        "ExpressRoutePort.bandwidth": port_bw,
    })
    return suggestions


SUGGESTION_SOURCES = {
    "region": "rules/data/regions.yaml",
    "peering_location": "rules/data/peering_locations.yaml and direct_port_locations.yaml",
    "provider": "the facility operators in rules/data/direct_port_locations.yaml (any provider name is accepted)",
    "name": "the facility operators in rules/data/direct_port_locations.yaml (any provider name is accepted)",
    "sku": "rules/data/gateway_skus.yaml (ExpressRoute gateways; VPN SKUs such as VpnGw2AZ are accepted too)",
    "bandwidth": "rules/data/bandwidths.yaml",
}


def _describe(model: str, field: str, prop: dict) -> None:
    if prop.get("description"):
        return
    text = FIELDS.get(f"{model}.{field}") or COMMON.get(field)
    if text:
        prop["description"] = text


def _suggest(prop: dict, values: list, source: str) -> None:
    if not values:
        return
    prop["examples"] = values[:5]
    branch = {"enum": values, "description": f"Known values ({source}); others are accepted"}
    if "anyOf" in prop:
        prop["anyOf"] = [branch] + prop["anyOf"]
    else:
        free = {k: prop.pop(k) for k in list(prop) if k in ("type", "pattern", "minLength", "format")}
        prop["anyOf"] = [branch, free or {"type": "string"}]
    note = "Suggestions come from " + source + "."
    prop["description"] = f"{prop.get('description', '').rstrip('.')}. {note}".lstrip(". ")


def design_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a design file."""
    from .model import Design

    doc = copy.deepcopy(Design.model_json_schema())
    doc = {"$schema": DRAFT, "$id": SCHEMA_ID, **doc}
    doc.setdefault("description", Design.__doc__.strip())
    suggestions = _suggestions()
    objects = [(name, d) for name, d in doc.get("$defs", {}).items()] + [("Design", doc)]
    for model, definition in objects:
        for field, prop in definition.get("properties", {}).items():
            _describe(model, field, prop)
            key = f"{model}.{field}"
            if key in _EXAMPLES and "examples" not in prop:
                prop["examples"] = _EXAMPLES[key]
            if key in suggestions:
                _suggest(prop, suggestions[key], SUGGESTION_SOURCES.get(field, "rules/data/"))
    return doc


def undescribed_fields(doc: dict[str, Any]) -> list[str]:
    """Model.field for every property of the schema without a description."""
    objects = [(name, d) for name, d in doc.get("$defs", {}).items()] + [("Design", doc)]
    return [f"{model}.{field}" for model, definition in objects
            for field, prop in definition.get("properties", {}).items() if not prop.get("description")]
