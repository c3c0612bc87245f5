"""FP rules: ExpressRoute FastPath on connections."""
from __future__ import annotations

import pytest

from erdesign.checks import fastpath as fp
from rules_helpers import line_of, only, run

PROVIDER = "circuits:\n  - {name: c1, provider: Equinix, peering_location: Washington DC, bandwidth: 1Gbps}\n"
DIRECT = ("express_route_ports:\n  - {name: port1, peering_location: Washington DC, bandwidth: %s}\n"
          "circuits:\n  - {name: c1, express_route_port: port1, bandwidth: 10Gbps}\n")


def design(circuit: str = PROVIDER, sku: str = "ErGw3AZ", fastpath: str = "true", hub_region: str = "eastus",
           hub_subnets: str = "", spokes: str = "", peerings: str = "", top: str = "", gateways: str = "",
           connections: str = "") -> str:
    return (circuit + top
            + "vnets:\n"
            + f"  - name: hub\n    region: {hub_region}\n    address_space: [10.0.0.0/24]\n    subnets:\n"
            + "      - {name: GatewaySubnet, prefix: 10.0.0.0/27" + hub_subnets + "}\n" + spokes
            + f"gateways:\n  - {{name: hub-gw, vnet: hub, sku: {sku}}}\n" + gateways
            + f"connections:\n  - {{name: hub-c1, gateway: hub-gw, circuit: c1, fastpath: {fastpath}}}\n" + connections
            + peerings)


def spoke(name="spoke1", region="eastus", pe=0, cidr="10.1.0.0/24"):
    return (f"  - name: {name}\n    region: {region}\n    address_space: [{cidr}]\n"
            f"    subnets:\n      - {{name: app, prefix: {cidr}, private_endpoints: {pe}}}\n")


def spoke_peerings(name="spoke1"):
    return ("vnet_peerings:\n"
            f"  - {{name: hub-to-{name}, vnet: hub, remote_vnet: {name}, allow_gateway_transit: true}}\n"
            f"  - {{name: {name}-to-hub, vnet: {name}, remote_vnet: hub, use_remote_gateways: true}}\n")


# --------------------------------------------------------------------------- FP001

@pytest.mark.parametrize("sku", ["ErGw1AZ", "ErGw2AZ", "HighPerformance"])
def test_fp001_sku_without_fastpath(sku):
    text = design(sku=sku)
    f, loc = only(run(fp.fastpath_gateway_sku, text), "FP001")
    assert f"connection 'hub-c1': FastPath is enabled but gateway 'hub-gw' SKU {sku} does not support FastPath" in f.message
    assert loc.line == line_of(text, "fastpath: true")


def test_fp001_ergwscale_below_ten_units():
    text = design(sku="ErGwScale, scale_units: {min: 4, max: 12}")
    f, _ = only(run(fp.fastpath_gateway_sku, text), "FP001")
    assert "ErGwScale gateway 'hub-gw' can run at 4 scale units; FastPath needs at least 10" in f.message


@pytest.mark.parametrize("sku", ["ErGw3AZ", "UltraPerformance", "ErGwScale, scale_units: {min: 10, max: 20}",
                                 "ErGwScale", "ErGw9AZ"])
def test_fp001_passes(sku):
    # ErGwScale without units is GW013's business; an unknown SKU is GW002's
    assert run(fp.fastpath_gateway_sku, design(sku=sku)) == []


def test_fp001_fastpath_off_passes():
    assert run(fp.fastpath_gateway_sku, design(sku="ErGw1AZ", fastpath="false")) == []


# --------------------------------------------------------------------------- FP002

def test_fp002_spokes_on_provider_circuit():
    text = design(spokes=spoke(), peerings=spoke_peerings())
    f, loc = only(run(fp.fastpath_spokes_on_provider_circuit, text), "FP002")
    assert "FastPath on provider circuit 'c1' reaches only the hub VNet 'hub'" in f.message
    assert "1 peered spoke VNet ('spoke1') still crosses gateway 'hub-gw'" in f.message
    assert loc.line == line_of(text, "fastpath: true")


@pytest.mark.parametrize("text", [
    design(circuit=DIRECT % "10Gbps", spokes=spoke(), peerings=spoke_peerings()),   # Direct: VNet peering over FastPath
    design(spokes=spoke()),                                                          # no spoke uses the gateway
    design(spokes=spoke(), peerings=spoke_peerings(), fastpath="false"),
])
def test_fp002_passes(text):
    assert run(fp.fastpath_spokes_on_provider_circuit, text) == []


# --------------------------------------------------------------------------- FP003

RT = "route_tables:\n  - name: gw-rt\n    routes:\n      - {name: to-fw, prefix: 10.1.0.0/16, next_hop_type: VirtualAppliance, next_hop_ip: 10.0.0.68}\n"


def test_fp003_udr_on_provider_circuit():
    text = design(top=RT, hub_subnets=", route_table: gw-rt")
    f, loc = only(run(fp.fastpath_udr_on_provider_circuit, text), "FP003")
    assert "does not honour the UDRs of route table 'gw-rt' on VNet 'hub' GatewaySubnet" in f.message
    assert loc.line == line_of(text, "fastpath: true")


@pytest.mark.parametrize("text", [
    design(circuit=DIRECT % "10Gbps", top=RT, hub_subnets=", route_table: gw-rt"),
    design(top="route_tables:\n  - {name: gw-rt}\n", hub_subnets=", route_table: gw-rt"),   # no routes
])
def test_fp003_passes(text):
    assert run(fp.fastpath_udr_on_provider_circuit, text) == []


# --------------------------------------------------------------------------- FP004

def test_fp004_global_peering_on_direct():
    text = design(circuit=DIRECT % "10Gbps", spokes=spoke(region="West US"), peerings=spoke_peerings())
    f, loc = only(run(fp.fastpath_global_peering, text), "FP004")
    assert "spoke VNet 'spoke1 (West US)' is not in the hub's region (eastus), so its traffic" in f.message
    assert loc.line == line_of(text, "fastpath: true")


@pytest.mark.parametrize("text", [
    design(circuit=DIRECT % "10Gbps", spokes=spoke(region="East US"), peerings=spoke_peerings()),  # same region
    design(spokes=spoke(region="westus"), peerings=spoke_peerings()),   # provider: FP002's business
])
def test_fp004_passes(text):
    assert run(fp.fastpath_global_peering, text) == []


# --------------------------------------------------------------------------- FP005

def test_fp005_private_endpoints_on_provider_circuit():
    text = design(spokes=spoke(pe=3), peerings=spoke_peerings())
    f, loc = only(run(fp.fastpath_private_endpoints, text), "FP005")
    assert "private endpoints in 'spoke1 (3)' are reached through gateway 'hub-gw', not FastPath" in f.message
    assert "ExpressRoute Direct only" in f.message
    assert loc.line == line_of(text, "fastpath: true")


def test_fp005_direct_in_unsupported_region():
    text = design(circuit=DIRECT % "10Gbps", hub_region="brazilsouth", spokes=spoke(pe=3, region="brazilsouth"),
                  peerings=spoke_peerings())
    f, _ = only(run(fp.fastpath_private_endpoints, text), "FP005")
    assert "not offered in region brazilsouth" in f.message


def test_fp005_direct_on_a_400g_port():
    text = design(circuit=DIRECT % "400Gbps", spokes=spoke(pe=3), peerings=spoke_peerings())
    f, _ = only(run(fp.fastpath_private_endpoints, text), "FP005")
    assert "only on 10Gbps/100Gbps ExpressRoute Direct ports" in f.message


@pytest.mark.parametrize("text", [
    design(circuit=DIRECT % "10Gbps", spokes=spoke(pe=3), peerings=spoke_peerings()),
    design(spokes=spoke(pe=0), peerings=spoke_peerings()),
])
def test_fp005_passes(text):
    assert run(fp.fastpath_private_endpoints, text) == []


# --------------------------------------------------------------------------- FP006

def _two_hubs(transit: str, hub2_circuit: str = "c1") -> str:
    extra = "" if hub2_circuit == "c1" else "  - {name: c2, provider: Equinix, peering_location: Chicago, bandwidth: 1Gbps}\n"
    return design(
        circuit=PROVIDER + extra,
        spokes="  - name: hub2\n    region: eastus\n    address_space: [10.9.0.0/24]\n",
        gateways="  - {name: hub2-gw, vnet: hub2, sku: ErGw3AZ}\n",
        connections=f"  - {{name: hub2-{hub2_circuit}, gateway: hub2-gw, circuit: {hub2_circuit}}}\n",
        peerings=("vnet_peerings:\n"
                  f"  - {{name: hub-to-hub2, vnet: hub, remote_vnet: hub2, allow_gateway_transit: {transit}}}\n"
                  "  - {name: hub2-to-hub, vnet: hub2, remote_vnet: hub}\n"))


def test_fp006_peered_hubs_on_one_circuit():
    text = _two_hubs("true")
    f, loc = only(run(fp.fastpath_peered_hubs_gateway_transit, text), "FP006")
    assert "VNet peering 'hub-to-hub2' (hub -> hub2): both hubs connect circuit 'c1'" in f.message
    assert loc.line == line_of(text, "allow_gateway_transit: true")


@pytest.mark.parametrize("text", [_two_hubs("false"), _two_hubs("true", hub2_circuit="c2")])
def test_fp006_passes(text):
    assert run(fp.fastpath_peered_hubs_gateway_transit, text) == []
