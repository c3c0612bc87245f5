"""GW rules: gateway SKUs, public IPs, GatewaySubnet, coexistence, ErGwScale, connections.

Each rule gets a failing and a passing design; failing cases assert rule, message and line.
"""
from __future__ import annotations

import pytest

from erdesign.checks import gateway as gw
from rules_helpers import FILE, line_of, only, run


def hub(gateways: str, subnet: str = "{name: GatewaySubnet, prefix: 10.0.0.0/27}", extra: str = "") -> str:
    return f"""\
vnets:
  - name: hub
    region: eastus
    address_space: [10.0.0.0/24]
    subnets:
      - {subnet}
gateways:
{gateways}
{extra}"""


# --------------------------------------------------------------------------- GW001 legacy SKU

def test_gw001_legacy_sku_warns_with_az_equivalent():
    text = hub("  - {name: erspvnetcust1gw1, vnet: hub, sku: HighPerformance}")
    f, loc = only(run(gw.legacy_gateway_sku, text), "GW001")
    assert "gateway 'erspvnetcust1gw1': SKU HighPerformance is a legacy non-zone-redundant SKU" in f.message
    assert "ErGw2AZ is its zone-redundant equivalent" in f.message
    assert loc.line == line_of(text, "sku: HighPerformance") and loc.file == FILE
    assert any(e.source and e.as_of for e in f.evidence)


@pytest.mark.parametrize("sku", ["ErGw1AZ", "ergw1az", "ErGw1Az", "ErGwScale"])
def test_gw001_az_skus_pass(sku):
    assert run(gw.legacy_gateway_sku, hub(f"  - {{name: g, vnet: hub, sku: {sku}, scale_units: {{min: 2, max: 4}}}}")) == []


def test_gw001_ignores_vpn_gateways():
    assert run(gw.legacy_gateway_sku, hub("  - {name: v, vnet: hub, type: Vpn, sku: Standard}")) == []


# --------------------------------------------------------------------------- GW002 unknown SKU

def test_gw002_unknown_sku_names_closest():
    text = hub("  - {name: g, vnet: hub, sku: ErGw4AZ}")
    f, loc = only(run(gw.unknown_gateway_sku, text), "GW002")
    assert f.message == ("gateway 'g': SKU 'ErGw4AZ' is not a known ExpressRoute gateway SKU (closest: ErGw3AZ); "
                         "checks that need its SKU are skipped for this gateway: CAP005 (circuit connections), "
                         "CAP007 (routes learned), FP001 (FastPath support), GW001 (legacy SKU), "
                         "GW004 (zone-redundant public IP)")
    assert loc.line == line_of(text, "ErGw4AZ")


def test_gw002_vpn_sku_on_er_gateway():
    f, _ = only(run(gw.unknown_gateway_sku, hub("  - {name: g, vnet: hub, sku: VpnGw2AZ}")), "GW002")
    assert "VpnGw2AZ is a VPN gateway SKU, not an ExpressRoute gateway SKU" in f.message
    assert "skipped for this gateway: CAP005 (circuit connections)" in f.message


def test_gw002_leaves_the_retired_er_basic_to_gw021():
    assert run(gw.unknown_gateway_sku, hub("  - {name: g, vnet: hub, sku: Basic}")) == []
    f, _ = only(run(gw.unknown_gateway_sku, hub("  - {name: g, vnet: hub, sku: Basci}")), "GW002")
    assert "SKU 'Basci' is not a known ExpressRoute gateway SKU" in f.message


def test_gw002_unknown_vpn_sku():
    f, _ = only(run(gw.unknown_gateway_sku, hub("  - {name: v, vnet: hub, type: Vpn, sku: VpnGw9AZ}")), "GW002")
    assert "not a known VPN gateway SKU" in f.message and "skipped" not in f.message  # no check needs a VPN SKU


def test_gw002_known_skus_pass():
    text = hub("  - {name: g, vnet: hub, sku: ERGw3Az}\n  - {name: v, vnet: hub, type: Vpn, sku: VpnGw5AZ}\n"
               "  - {name: v2, vnet: hub, type: Vpn, sku: HighPerformance}")
    assert run(gw.unknown_gateway_sku, text) == []


# --------------------------------------------------------------------------- GW003 / GW004 public IPs

def _with_pip(pip: str, sku: str = "ErGw1AZ") -> str:
    return hub(f"  - {{name: g, vnet: hub, sku: {sku}, public_ip: g-pip}}", extra=f"public_ips:\n  - {pip}\n")


def test_gw003_basic_public_ip_is_an_error():
    text = _with_pip("{name: g-pip, sku: Basic, allocation: Dynamic}")
    f, loc = only(run(gw.basic_or_dynamic_public_ip, text), "GW003")
    assert "gateway 'g' public IP 'g-pip': Basic SKU public IPs were retired on 2025-09-30" in f.message
    assert loc.line == line_of(text, "sku: Basic")


def test_gw003_dynamic_allocation_points_at_allocation():
    text = _with_pip("{name: g-pip, sku: Standard, allocation: Dynamic}")
    f, loc = only(run(gw.basic_or_dynamic_public_ip, text), "GW003")
    assert "Dynamic allocation exists only on Basic SKU public IPs" in f.message
    assert f.field == ("allocation",) and loc.line == line_of(text, "allocation: Dynamic")


def test_gw003_standard_static_passes():
    assert run(gw.basic_or_dynamic_public_ip, _with_pip("{name: g-pip, sku: Standard, allocation: Static}")) == []


def test_gw004_az_gateway_on_zonal_public_ip():
    text = _with_pip("{name: g-pip, sku: Standard, zones: [1]}")
    f, loc = only(run(gw.zone_redundant_gateway_pip, text), "GW004")
    assert "gateway 'g' (ErGw1AZ) public IP 'g-pip' has zones 1 only" in f.message
    assert loc.line == line_of(text, "zones: [1]")


def test_gw004_non_zonal_public_ip():
    f, _ = only(run(gw.zone_redundant_gateway_pip, _with_pip("{name: g-pip, sku: Standard}", "ErGwScale")), "GW004")
    assert "has no zones (non-zonal)" in f.message


@pytest.mark.parametrize("pip, sku", [
    ("{name: g-pip, sku: Standard, zones: [1, 2, 3]}", "ErGw1AZ"),
    ("{name: g-pip, sku: Standard}", "Standard"),   # legacy SKU: GW001's business
    ("{name: g-pip, sku: Basic}", "ErGw1AZ"),       # Basic: GW003's business
])
def test_gw004_passes(pip, sku):
    assert run(gw.zone_redundant_gateway_pip, _with_pip(pip, sku)) == []


def test_gw004_azure_managed_public_ip_passes():
    assert run(gw.zone_redundant_gateway_pip, hub("  - {name: g, vnet: hub, sku: ErGw1AZ}")) == []


# --------------------------------------------------------------------------- GW005 - GW010 GatewaySubnet

def test_gw005_missing_gateway_subnet():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}", subnet="{name: app, prefix: 10.0.0.0/27}")
    f, loc = only(run(gw.missing_gateway_subnet, text), "GW005")
    assert "VNet 'hub' has no subnet named GatewaySubnet, which gateway 'g' needs" in f.message
    assert loc.line == line_of(text, "{name: app")  # the subnets list


def test_gw005_wrong_case_points_at_the_subnet_name():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}", subnet="{name: gatewaysubnet, prefix: 10.0.0.0/27}")
    f, loc = only(run(gw.missing_gateway_subnet, text), "GW005")
    assert "subnet 'gatewaysubnet': the gateway subnet must be named exactly GatewaySubnet" in f.message
    assert loc.line == line_of(text, "gatewaysubnet")


def test_gw005_passes_and_vnets_without_gateway_are_ignored():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}")
    text = text.replace("gateways:", "  - {name: spoke, address_space: [10.1.0.0/24]}\ngateways:")
    assert run(gw.missing_gateway_subnet, text) == []


def test_gw006_gateway_subnet_too_small():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}", subnet="{name: GatewaySubnet, prefix: 10.0.0.0/28}")
    f, loc = only(run(gw.gateway_subnet_too_small, text), "GW006")
    assert "VNet 'hub' GatewaySubnet 10.0.0.0/28 is smaller than /27" in f.message
    assert loc.line == line_of(text, "10.0.0.0/28")


def _sixteen_circuits(prefix: str) -> str:
    circuits = "circuits:\n" + "".join(
        f"  - {{name: c{i}, provider: Equinix, peering_location: Loc{i}, bandwidth: 1Gbps}}\n" for i in range(16))
    conns = "connections:\n" + "".join(f"  - {{name: x{i}, gateway: g, circuit: c{i}}}\n" for i in range(16))
    return circuits + hub("  - {name: g, vnet: hub, sku: ErGw3AZ}",
                          subnet=f"{{name: GatewaySubnet, prefix: {prefix}}}", extra=conns)


def test_gw006_sixteen_circuits_need_a_26():
    text = _sixteen_circuits("10.0.0.0/27")
    f, loc = only(run(gw.gateway_subnet_too_small, text), "GW006")
    assert "is smaller than /26 (gateway 'g' connects 16 circuits)" in f.message
    assert loc.line == line_of(text, "10.0.0.0/27")


@pytest.mark.parametrize("text", [
    hub("  - {name: g, vnet: hub, sku: ErGw1AZ}"),
    _sixteen_circuits("10.0.0.0/26"),
    hub("  - {name: v, vnet: hub, type: Vpn, sku: VpnGw1AZ}", subnet="{name: GatewaySubnet, prefix: 10.0.0.0/28}"),
])
def test_gw006_passes(text):
    assert run(gw.gateway_subnet_too_small, text) == []


def test_gw007_nsg_on_gateway_subnet():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}",
               subnet="{name: GatewaySubnet, prefix: 10.0.0.0/27, nsg: gw-nsg}", extra="nsgs:\n  - {name: gw-nsg}\n")
    f, loc = only(run(gw.nsg_on_gateway_subnet, text), "GW007")
    assert "VNet 'hub' GatewaySubnet: NSG 'gw-nsg' is associated" in f.message
    assert loc.line == line_of(text, "nsg: gw-nsg")


def test_gw007_nsg_elsewhere_passes():
    text = hub("  - {name: g, vnet: hub, sku: ErGw1AZ}", extra="nsgs:\n  - {name: gw-nsg}\n")
    text = text.replace("10.0.0.0/27}", "10.0.0.0/27}\n      - {name: app, prefix: 10.0.0.64/26, nsg: gw-nsg}")
    assert run(gw.nsg_on_gateway_subnet, text) == []


def _with_routes(routes: str, propagation: str = "true") -> str:
    rt = f"route_tables:\n  - name: gw-rt\n    bgp_route_propagation: {propagation}\n    routes:\n{routes}"
    return hub("  - {name: g, vnet: hub, sku: ErGw1AZ}",
               subnet="{name: GatewaySubnet, prefix: 10.0.0.0/27, route_table: gw-rt}", extra=rt)


def test_gw008_default_route_on_gateway_subnet():
    text = _with_routes("      - {name: to-fw, prefix: 0.0.0.0/0, next_hop_type: VirtualAppliance, next_hop_ip: 10.1.0.4}\n")
    f, loc = only(run(gw.default_route_on_gateway_subnet, text), "GW008")
    assert "route table 'gw-rt' route 'to-fw': a 0.0.0.0/0 route on the gateway subnet is not supported" in f.message
    assert loc.line == line_of(text, "0.0.0.0/0")


def test_gw008_specific_routes_pass():
    text = _with_routes("      - {name: spoke, prefix: 10.2.0.0/16, next_hop_type: VirtualAppliance, next_hop_ip: 10.1.0.4}\n"
                        "      - {name: tag, prefix: AzureCloud, next_hop_type: Internet}\n")
    assert run(gw.default_route_on_gateway_subnet, text) == []


def test_gw009_propagation_disabled():
    text = _with_routes("      - {name: spoke, prefix: 10.2.0.0/16, next_hop_type: VnetLocal}\n", "false")
    f, loc = only(run(gw.gateway_subnet_propagation_disabled, text), "GW009")
    assert "route table 'gw-rt': BGP route propagation is disabled" in f.message
    assert loc.line == line_of(text, "bgp_route_propagation: false")


def test_gw009_propagation_enabled_passes():
    assert run(gw.gateway_subnet_propagation_disabled,
               _with_routes("      - {name: spoke, prefix: 10.2.0.0/16, next_hop_type: VnetLocal}\n")) == []


def test_gw010_blackhole_route_covering_gateway_subnet():
    text = _with_routes("      - {name: drop, prefix: 10.0.0.0/16, next_hop_type: None}\n")
    f, loc = only(run(gw.gateway_subnet_blackhole_route, text), "GW010")
    assert "route 'drop': 10.0.0.0/16 with next hop None covers the gateway subnet 10.0.0.0/27" in f.message
    assert loc.line == line_of(text, "next_hop_type: None")


@pytest.mark.parametrize("route", [
    "{name: drop-other, prefix: 10.9.0.0/16, next_hop_type: None}",
    "{name: to-fw, prefix: 10.0.0.0/16, next_hop_type: VirtualAppliance, next_hop_ip: 10.1.0.4}",
    "{name: drop-all, prefix: 0.0.0.0/0, next_hop_type: None}",   # GW008's business
])
def test_gw010_passes(route):
    assert run(gw.gateway_subnet_blackhole_route, _with_routes(f"      - {route}\n")) == []


# --------------------------------------------------------------------------- GW011 gateways per VNet

def test_gw011_second_er_gateway():
    text = hub("  - {name: g1, vnet: hub, sku: ErGw1AZ}\n  - {name: g2, vnet: hub, sku: ErGw2AZ}")
    f, loc = only(run(gw.multiple_gateways_per_vnet, text), "GW011")
    assert "gateway 'g2': VNet 'hub' already has ExpressRoute gateway 'g1'" in f.message
    assert loc.line == line_of(text, "name: g2")


def test_gw011_one_er_and_one_vpn_gateway_pass():
    text = hub("  - {name: g1, vnet: hub, sku: ErGw1AZ}\n  - {name: v1, vnet: hub, type: Vpn, sku: VpnGw1AZ}")
    assert run(gw.multiple_gateways_per_vnet, text) == []


# --------------------------------------------------------------------------- GW012 - GW014 ErGwScale

def _scale(units: str = "", region: str = "eastus") -> str:
    text = hub("  - name: g\n    vnet: hub\n    sku: ErGwScale\n" + (f"    scale_units: {units}\n" if units else ""))
    return text.replace("region: eastus", f"region: {region}")


@pytest.mark.parametrize("units, field, words", [
    ("{min: 1, max: 10}", "min", "autoscaling (1-10 scale units) needs min 2 or more"),
    ("{min: 40, max: 41}", "max", "scale_units max 41 is above the ErGwScale maximum of 40"),
])
def test_gw012_scale_units_out_of_bounds(units, field, words):
    text = _scale(units)
    f, loc = only(run(gw.scale_unit_bounds, text), "GW012")
    assert words in f.message and f.field == (field,)
    assert loc.line == line_of(text, "scale_units:")


@pytest.mark.parametrize("units", ["{min: 1, max: 1}", "{min: 2, max: 40}", "{min: 20, max: 20}"])
def test_gw012_valid_scale_units_pass(units):
    assert run(gw.scale_unit_bounds, _scale(units)) == []


def test_gw013_scale_units_missing():
    text = _scale()
    f, loc = only(run(gw.scale_units_missing, text), "GW013")
    assert "gateway 'g': ErGwScale without scale_units" in f.message
    assert loc.line == line_of(text, "sku: ErGwScale")


def test_gw013_passes_with_scale_units():
    assert run(gw.scale_units_missing, _scale("{min: 2, max: 4}")) == []


def test_gw014_region_without_ergwscale():
    text = _scale("{min: 2, max: 4}", "West Europe")
    f, loc = only(run(gw.scale_gateway_region, text), "GW014")
    assert "ErGwScale is not available in West Europe (as of 2025-11-06)" in f.message
    assert loc.line == line_of(text, "region: West Europe")


def test_gw014_gateway_region_overrides_vnet_region():
    text = _scale("{min: 2, max: 4}").replace("    sku: ErGwScale", "    region: eastus2\n    sku: ErGwScale")
    f, loc = only(run(gw.scale_gateway_region, text), "GW014")
    assert loc.line == line_of(text, "region: eastus2")


def test_gw014_available_region_passes():
    assert run(gw.scale_gateway_region, _scale("{min: 2, max: 4}", "northeurope")) == []


# --------------------------------------------------------------------------- GW015 / GW016 coexistence

CIRCUIT = "circuits:\n  - {name: c1, provider: Equinix, peering_location: Washington DC, bandwidth: 1Gbps}\n"


def _coexist(er_sku: str, vpn: str = "{name: v, vnet: hub, type: Vpn, sku: VpnGw2AZ, vpn_type: RouteBased}",
             conns: str = "") -> str:
    units = ", scale_units: {min: 2, max: 4}" if er_sku == "ErGwScale" else ""
    return CIRCUIT + hub(f"  - {{name: er, vnet: hub, sku: {er_sku}{units}}}\n  - {vpn}", extra=conns)


def test_gw015_ipsec_over_er_with_ergwscale():
    text = _coexist("ErGwScale", conns="connections:\n  - {name: er-c1, gateway: er, circuit: c1}\n"
                    "  - {name: tunnel, gateway: v, type: IPsec, ipsec_over_expressroute: true}\n")
    f, loc = only(run(gw.ipsec_over_er_with_scale_gateway, text), "GW015")
    assert "connection 'tunnel': IPsec over ExpressRoute is not supported with the ErGwScale gateway 'er'" in f.message
    assert loc.line == line_of(text, "ipsec_over_expressroute: true")


@pytest.mark.parametrize("er_sku, flag", [("ErGw2AZ", "true"), ("ErGwScale", "false")])
def test_gw015_passes(er_sku, flag):
    text = _coexist(er_sku, conns=f"connections:\n  - {{name: tunnel, gateway: v, type: IPsec, ipsec_over_expressroute: {flag}}}\n")
    assert run(gw.ipsec_over_er_with_scale_gateway, text) == []


def test_gw016_policy_based_vpn_cannot_coexist():
    text = _coexist("ErGw1AZ", vpn="{name: v, vnet: hub, type: Vpn, sku: VpnGw1, vpn_type: PolicyBased}")
    f, loc = only(run(gw.coexisting_vpn_gateway, text), "GW016")
    assert "gateway 'v': a policy-based VPN gateway cannot coexist with ExpressRoute gateway 'er'" in f.message
    assert loc.line == line_of(text, "PolicyBased")


def test_gw016_basic_vpn_cannot_coexist():
    f, _ = only(run(gw.coexisting_vpn_gateway,
                    _coexist("ErGw1AZ", vpn="{name: v, vnet: hub, type: Vpn, sku: Basic, vpn_type: RouteBased}")), "GW016")
    assert "VPN SKU Basic cannot coexist" in f.message


def test_gw016_route_based_passes_and_lone_vpn_gateway_is_ignored():
    assert run(gw.coexisting_vpn_gateway, _coexist("ErGw1AZ")) == []
    text = hub("  - {name: v, vnet: hub, type: Vpn, sku: Basic, vpn_type: PolicyBased}")
    assert run(gw.coexisting_vpn_gateway, text) == []


# --------------------------------------------------------------------------- GW017 / GW018 connections

def _conn(conn: str, gateways: str = "  - {name: er, vnet: hub, sku: ErGw1AZ}") -> str:
    return CIRCUIT + hub(gateways, extra=f"connections:\n  - {conn}\n")


@pytest.mark.parametrize("weight", [32001, -1])
def test_gw017_routing_weight_out_of_range(weight):
    text = _conn(f"{{name: er-c1, gateway: er, circuit: c1, routing_weight: {weight}}}")
    f, loc = only(run(gw.routing_weight_range, text), "GW017")
    assert f"connection 'er-c1': routing_weight {weight} is outside 0-32000" in f.message
    assert loc.line == line_of(text, "routing_weight")


@pytest.mark.parametrize("weight", [0, 32000])
def test_gw017_in_range_passes(weight):
    assert run(gw.routing_weight_range, _conn(f"{{name: er-c1, gateway: er, circuit: c1, routing_weight: {weight}}}")) == []


def test_gw018_circuit_on_a_vpn_gateway():
    text = _conn("{name: er-c1, gateway: v, circuit: c1}", "  - {name: v, vnet: hub, type: Vpn, sku: VpnGw1AZ}")
    f, loc = only(run(gw.connection_gateway_type, text), "GW018")
    assert "connection 'er-c1' links circuit 'c1' but gateway 'v' is a VPN gateway" in f.message
    assert loc.line == line_of(text, "name: er-c1")


def test_gw018_ipsec_on_an_er_gateway():
    text = _conn("{name: tunnel, gateway: er, type: IPsec}")
    f, loc = only(run(gw.connection_gateway_type, text), "GW018")
    assert "connection 'tunnel' is of type IPsec but gateway 'er' is an ExpressRoute gateway" in f.message
    assert f.field == ("type",)


def test_gw018_matching_types_pass():
    text = _conn("{name: er-c1, gateway: er, circuit: c1}",
                 "  - {name: er, vnet: hub, sku: ErGw1AZ}\n  - {name: v, vnet: hub, type: Vpn, sku: VpnGw1AZ}")
    text += "  - {name: tunnel, gateway: v, type: IPsec}\n"
    assert run(gw.connection_gateway_type, text) == []
