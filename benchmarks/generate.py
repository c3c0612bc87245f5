"""Generate realistic ExpressRoute estates for benchmarks, as design YAML and as az JSON.

    python benchmarks/generate.py S2 > estate.yaml            # design YAML
    python benchmarks/generate.py S2 --az > estate.json       # the same estate as az/Resource Graph JSON
    python benchmarks/generate.py 250                         # any number of circuits

Sizes (circuits / VNets / prefixes): S1 = 10 / 100 / 1k, S2 = 100 / 1,000 / 10k, S3 = 1,000 / 10,000 / 100k.

An estate of C circuits has C hub VNets (each with a GatewaySubnet, an ExpressRoute gateway and a
public IP), 9·C spoke VNets peered to their hub in both directions (gateway transit), 2·C connections
(each hub gateway on its own circuit and on a second one at another peering location), C route
tables of 40 routes towards on-premises ranges, and on-premises sites shared by many circuits
(2 + C/50 sites, each with two routers and ~40 % of the prefixes, the rest advertised per peering).
That is the shape that made per-circuit work quadratic: many circuits on one large site.
"""
from __future__ import annotations

import ipaddress
import json
import sys

SIZES = {"S1": 10, "S2": 100, "S3": 1000}

# (peering location, Azure region) pairs the shipped tables know.
LOCATIONS = [("Washington DC", "eastus"), ("Amsterdam", "westeurope"), ("London", "uksouth"),
             ("Frankfurt", "germanywestcentral"), ("Chicago", "northcentralus"), ("Dallas", "southcentralus")]
SPOKES_PER_HUB = 9
ROUTES_PER_TABLE = 40
PREFIXES_PER_CIRCUIT = 100  # on-prem prefixes in all: sites' lists + peerings' own advertisements
SUBSCRIPTION = "00000000-0000-0000-0000-00000000b0b0"


class Estate:
    """The estate as plain data, shared by the YAML and the az JSON writers."""

    def __init__(self, circuits: int):
        self.n = circuits
        self.sites = 2 + circuits // 50
        onprem = ipaddress.ip_network("172.16.0.0/12").subnets(new_prefix=28)
        total = PREFIXES_PER_CIRCUIT * circuits
        per_site = (total * 4 // 10) // self.sites
        self.site_prefixes = [[str(next(onprem)) for _ in range(per_site)] for _ in range(self.sites)]
        per_peering = (total * 2 // 10) // circuits
        self.peering_prefixes = [[str(next(onprem)) for _ in range(per_peering)] for _ in range(circuits)]
        flat = [p for site in self.site_prefixes for p in site]
        self.route_prefixes = [[flat[(i * ROUTES_PER_TABLE + k) % len(flat)] for k in range(ROUTES_PER_TABLE)]
                               for i in range(circuits)]

    def site_of(self, i: int) -> int:
        return i % self.sites

    def location(self, i: int) -> tuple[str, str]:
        return LOCATIONS[i % len(LOCATIONS)]

    def second_circuit(self, i: int) -> int:
        """Another circuit at a different peering location, for the hub's second connection."""
        return (i + 1) % self.n

    @staticmethod
    def hub_space(i: int) -> str:
        return f"10.{i // 256}.{i % 256}.0/24"

    def spoke_space(self, i: int, k: int) -> str:
        index = self.n + i * SPOKES_PER_HUB + k
        return f"10.{index // 256}.{index % 256}.0/24"

    @staticmethod
    def peering_block(i: int) -> str:
        return f"192.168.{(i * 8) // 256}.{(i * 8) % 256}/29"

    def vlan(self, i: int) -> int:
        return 100 + (i // self.sites) % 3900


def design_yaml(estate: Estate) -> str:
    out = ["version: 1", f"name: estate-{estate.n}", "sites:"]
    for j in range(estate.sites):
        out += [f"  - name: dc{j}", "    routers:",
                f"      - {{name: dc{j}-r1, asn: {65000 + j}}}", f"      - {{name: dc{j}-r2, asn: {65000 + j}}}",
                "    advertised_prefixes:"]
        out += [f"      - {p}" for p in estate.site_prefixes[j]]
    out.append("circuits:")
    for i in range(estate.n):
        loc, _ = estate.location(i)
        j = estate.site_of(i)
        out += [
            f"  - name: er-{i}", f"    peering_location: {loc}", "    provider: Equinix", "    bandwidth: 1Gbps",
            "    sku: {tier: Premium, family: MeteredData}", "    peerings:",
            "      - type: AzurePrivatePeering", f"        peer_asn: {65000 + j}",
            f"        prefix: {estate.peering_block(i)}", f"        vlan_id: {estate.vlan(i)}", "        bfd: true",
            f"        primary_link: {{router: dc{j}-r1}}", f"        secondary_link: {{router: dc{j}-r2}}",
        ]
        if estate.peering_prefixes[i]:
            out.append("        advertised_prefixes:")
            out += [f"          - {p}" for p in estate.site_prefixes[j][:1] + estate.peering_prefixes[i]]
    out.append("vnets:")
    for i in range(estate.n):
        _, region = estate.location(i)
        hub = estate.hub_space(i)
        base = hub.rsplit(".", 1)[0]
        out += [f"  - name: hub-{i}", f"    region: {region}", f"    address_space: [{hub}]", "    subnets:",
                f"      - {{name: GatewaySubnet, prefix: {base}.0/27}}", f"      - {{name: nva, prefix: {base}.64/26}}"]
        for k in range(SPOKES_PER_HUB):
            space = estate.spoke_space(i, k)
            sbase = space.rsplit(".", 1)[0]
            out += [f"  - name: spoke-{i}-{k}", f"    region: {region}", f"    address_space: [{space}]",
                    "    subnets:", f"      - {{name: app, prefix: {sbase}.0/25, route_table: rt-{i}}}"]
    out.append("route_tables:")
    for i in range(estate.n):
        _, region = estate.location(i)
        nva = estate.hub_space(i).rsplit(".", 1)[0] + ".68"
        out += [f"  - name: rt-{i}", f"    region: {region}", "    routes:"]
        out += [f"      - {{name: r{k}, prefix: {p}, next_hop_type: VirtualAppliance, next_hop_ip: {nva}}}"
                for k, p in enumerate(estate.route_prefixes[i])]
    out.append("public_ips:")
    for i in range(estate.n):
        _, region = estate.location(i)
        out.append(f"  - {{name: gw-{i}-pip, region: {region}, zones: ['1', '2', '3']}}")
    out.append("gateways:")
    out += [f"  - {{name: gw-{i}, vnet: hub-{i}, sku: ErGw2AZ, public_ip: gw-{i}-pip}}" for i in range(estate.n)]
    out.append("connections:")
    for i in range(estate.n):
        out += [f"  - {{name: cx-{i}-a, gateway: gw-{i}, circuit: er-{i}}}",
                f"  - {{name: cx-{i}-b, gateway: gw-{i}, circuit: er-{estate.second_circuit(i)}, routing_weight: 10}}"]
    out.append("vnet_peerings:")
    for i in range(estate.n):
        for k in range(SPOKES_PER_HUB):
            out += [
                f"  - {{name: hub-{i}-to-{k}, vnet: hub-{i}, remote_vnet: spoke-{i}-{k}, allow_gateway_transit: true}}",
                f"  - {{name: spoke-{i}-{k}-to-hub, vnet: spoke-{i}-{k}, remote_vnet: hub-{i}, use_remote_gateways: true}}",
            ]
    out += ["traffic:", "  circuits:"]
    out += [f"    - {{circuit: er-{i}, egress_gb_month: {1000 + 37 * i}}}" for i in range(estate.n)]
    return "\n".join(out) + "\n"


def _rid(rg: str, kind: str, name: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/Microsoft.Network/{kind}/{name}"


def az_resources(estate: Estate) -> list[dict]:
    """The same estate as Azure Resource Graph rows (REST shape, `properties` nested)."""
    rows: list[dict] = []
    for i in range(estate.n):
        loc, region = estate.location(i)
        block = ipaddress.ip_network(estate.peering_block(i))
        primary, secondary = block.subnets(new_prefix=30)
        cid = _rid("rg-er", "expressRouteCircuits", f"er-{i}")
        rows.append({
            "id": cid, "name": f"er-{i}", "type": "microsoft.network/expressroutecircuits", "location": region,
            "resourceGroup": "rg-er", "sku": {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"},
            "properties": {
                "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": loc,
                                              "bandwidthInMbps": 1000},
                "serviceProviderProvisioningState": "Provisioned",
                "peerings": [{
                    "name": "AzurePrivatePeering", "id": cid + "/peerings/AzurePrivatePeering",
                    "properties": {"peeringType": "AzurePrivatePeering", "azureASN": 12076,
                                   "peerASN": 65000 + estate.site_of(i), "primaryPeerAddressPrefix": str(primary),
                                   "secondaryPeerAddressPrefix": str(secondary), "vlanId": estate.vlan(i),
                                   "state": "Enabled"},
                }],
            },
        })
    for i in range(estate.n):
        _, region = estate.location(i)
        rg = f"rg-hub-{i}"
        hub = estate.hub_space(i)
        base = hub.rsplit(".", 1)[0]
        hub_id = _rid(rg, "virtualNetworks", f"hub-{i}")
        peerings = []
        for k in range(SPOKES_PER_HUB):
            spoke_id = _rid(rg, "virtualNetworks", f"spoke-{i}-{k}")
            peerings.append({"name": f"hub-{i}-to-{k}", "id": f"{hub_id}/virtualNetworkPeerings/hub-{i}-to-{k}",
                             "properties": {"remoteVirtualNetwork": {"id": spoke_id}, "allowGatewayTransit": True,
                                            "allowVirtualNetworkAccess": True, "peeringState": "Connected"}})
        rows.append({"id": hub_id, "name": f"hub-{i}", "type": "microsoft.network/virtualnetworks", "location": region,
                     "resourceGroup": rg, "properties": {
                         "addressSpace": {"addressPrefixes": [hub]},
                         "subnets": [{"name": "GatewaySubnet", "id": f"{hub_id}/subnets/GatewaySubnet",
                                      "properties": {"addressPrefix": f"{base}.0/27"}},
                                     {"name": "nva", "id": f"{hub_id}/subnets/nva",
                                      "properties": {"addressPrefix": f"{base}.64/26"}}],
                         "virtualNetworkPeerings": peerings}})
        for k in range(SPOKES_PER_HUB):
            space = estate.spoke_space(i, k)
            sbase = space.rsplit(".", 1)[0]
            spoke_id = _rid(rg, "virtualNetworks", f"spoke-{i}-{k}")
            rows.append({"id": spoke_id, "name": f"spoke-{i}-{k}", "type": "microsoft.network/virtualnetworks",
                         "location": region, "resourceGroup": rg, "properties": {
                             "addressSpace": {"addressPrefixes": [space]},
                             "subnets": [{"name": "app", "id": f"{spoke_id}/subnets/app", "properties": {
                                 "addressPrefix": f"{sbase}.0/25",
                                 "routeTable": {"id": _rid(rg, "routeTables", f"rt-{i}")}}}],
                             "virtualNetworkPeerings": [{
                                 "name": f"spoke-{i}-{k}-to-hub", "id": f"{spoke_id}/virtualNetworkPeerings/to-hub",
                                 "properties": {"remoteVirtualNetwork": {"id": hub_id}, "useRemoteGateways": True,
                                                "allowVirtualNetworkAccess": True, "peeringState": "Connected"}}]}})
        nva = f"{base}.68"
        rt_id = _rid(rg, "routeTables", f"rt-{i}")
        rows.append({"id": rt_id, "name": f"rt-{i}", "type": "microsoft.network/routetables", "location": region,
                     "resourceGroup": rg, "properties": {"routes": [
                         {"name": f"r{k}", "id": f"{rt_id}/routes/r{k}",
                          "properties": {"addressPrefix": p, "nextHopType": "VirtualAppliance", "nextHopIpAddress": nva}}
                         for k, p in enumerate(estate.route_prefixes[i])]}})
        pip_id = _rid(rg, "publicIPAddresses", f"gw-{i}-pip")
        rows.append({"id": pip_id, "name": f"gw-{i}-pip", "type": "microsoft.network/publicipaddresses",
                     "location": region, "resourceGroup": rg, "sku": {"name": "Standard", "tier": "Regional"},
                     "zones": ["1", "2", "3"],
                     "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}})
        gw_id = _rid(rg, "virtualNetworkGateways", f"gw-{i}")
        rows.append({"id": gw_id, "name": f"gw-{i}", "type": "microsoft.network/virtualnetworkgateways",
                     "location": region, "resourceGroup": rg, "properties": {
                         "gatewayType": "ExpressRoute", "sku": {"name": "ErGw2AZ", "tier": "ErGw2AZ"},
                         "ipConfigurations": [{"name": "default", "properties": {
                             "subnet": {"id": f"{hub_id}/subnets/GatewaySubnet"},
                             "publicIPAddress": {"id": pip_id}}}]}})
        for suffix, circuit, weight in (("a", i, 0), ("b", estate.second_circuit(i), 10)):
            rows.append({"id": _rid(rg, "connections", f"cx-{i}-{suffix}"), "name": f"cx-{i}-{suffix}",
                         "type": "microsoft.network/connections", "location": region, "resourceGroup": rg,
                         "properties": {"connectionType": "ExpressRoute", "routingWeight": weight,
                                        "virtualNetworkGateway1": {"id": gw_id},
                                        "peer": {"id": _rid("rg-er", "expressRouteCircuits", f"er-{circuit}")}}})
    return rows


def az_json(estate: Estate) -> str:
    return json.dumps({"count": len(rows := az_resources(estate)), "data": rows}, indent=2) + "\n"


def generate(circuits: int) -> str:
    """Design YAML for an estate of this many circuits (kept for older callers)."""
    return design_yaml(Estate(circuits))


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    size = args[0] if args else "S1"
    circuits = SIZES[size] if size in SIZES else int(size)
    estate = Estate(circuits)
    sys.stdout.write(az_json(estate) if "--az" in argv else design_yaml(estate))


if __name__ == "__main__":
    main(sys.argv[1:])
