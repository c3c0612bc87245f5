"""Generate a large, valid multi-region design for benchmarks: N customers, each
with a circuit, a transit VNet, a gateway, a connection and a peered VNet."""
from __future__ import annotations

import sys

LOCATIONS = [("Washington DC", "eastus"), ("Amsterdam", "westeurope"), ("London", "uksouth"),
             ("Frankfurt", "germanywestcentral"), ("Chicago", "northcentralus"), ("Dallas", "southcentralus")]


def generate(customers: int) -> str:
    out = ["version: 1", f"name: bench-{customers}", "sites:", "  - name: dc1", "    routers:",
           "      - {name: r1, asn: 64600}", "      - {name: r2, asn: 64600}", "circuits:"]
    for i in range(customers):
        loc, _ = LOCATIONS[i % len(LOCATIONS)]
        a, b = divmod(i, 32)
        out += [
            f"  - name: er-{i}",
            f"    peering_location: {loc}",
            "    provider: Equinix",
            "    bandwidth: 1Gbps",
            "    sku: {tier: Premium, family: UnlimitedData}",
            "    peerings:",
            "      - type: AzurePrivatePeering",
            "        peer_asn: 64600",
            f"        prefix: 172.{16 + a // 256}.{a % 256}.{b * 8}/29",
            f"        vlan_id: {100 + i % 3900}",
            "        bfd: true",
            "        primary_link: {router: r1}",
            "        secondary_link: {router: r2}",
        ]
    out.append("vnets:")
    for i in range(customers):
        _, region = LOCATIONS[i % len(LOCATIONS)]
        hi, lo = divmod(i, 256)
        out += [
            f"  - name: hub-{i}", f"    region: {region}", f"    address_space: [10.{hi}.{lo}.0/24]",
            "    subnets:", f"      - {{name: GatewaySubnet, prefix: 10.{hi}.{lo}.0/26}}",
            f"  - name: spoke-{i}", f"    region: {region}", f"    address_space: [100.{64 + hi}.{lo}.0/24]",
        ]
    out.append("gateways:")
    out += [f"  - {{name: gw-{i}, vnet: hub-{i}, sku: ErGw1AZ}}" for i in range(customers)]
    out.append("connections:")
    out += [f"  - {{name: cx-{i}, gateway: gw-{i}, circuit: er-{i}}}" for i in range(customers)]
    out.append("vnet_peerings:")
    for i in range(customers):
        out += [
            f"  - {{name: hub-{i}-to-spoke, vnet: hub-{i}, remote_vnet: spoke-{i}, allow_gateway_transit: true}}",
            f"  - {{name: spoke-{i}-to-hub, vnet: spoke-{i}, remote_vnet: hub-{i}, use_remote_gateways: true}}",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
