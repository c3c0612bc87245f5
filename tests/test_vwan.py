"""Virtual WAN ExpressRoute end to end: the same hub, hub gateway and connection from az JSON,
an ARM template and a Terraform plan (tests/fixtures/vwan, see SOURCE.md there) import, lint
and cost with a gateway line and a connection line."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from erdesign import cost, lint
from erdesign.loader import load_design, load_design_text

VWAN = Path(__file__).parent / "fixtures" / "vwan"


def _rules(report, severity=None):
    return sorted(f.rule for f in report.findings if severity is None or f.severity == severity)


@pytest.mark.parametrize("fixture", ["az-vwan.json", "arm-vwan.json"])
def test_hub_gateway_and_connection_from_az_and_arm(fixture):
    design = load_design(VWAN / fixture)
    (hub,) = design.virtual_hubs
    assert (hub.name, hub.region, hub.address_prefix, hub.virtual_wan, hub.sku) == (
        "virtualHubName", "westus", "10.168.0.0/24", "virtualWan1", "Standard")
    (gw,) = design.hub_gateways
    assert (gw.name, gw.hub, gw.scale_units.min, gw.allow_non_virtual_wan_traffic) == ("gateway-2", hub.name, 3, False)
    (conn,) = design.hub_connections
    assert (conn.name, conn.hub_gateway, conn.routing_weight, conn.enable_internet_security) == (
        "connectionName", "gateway-2", 2, False)
    assert conn.loc().file.endswith(fixture)


def test_az_connection_links_the_circuit_and_keeps_routing():
    design = load_design(VWAN / "az-vwan.json")
    (conn,) = design.hub_connections
    assert conn.circuit == "circuitName" and conn.authorization is True
    assert conn.associated_route_table == "defaultRouteTable" and conn.propagated_labels == ["default"]
    report = lint(design)
    assert "RES006" not in _rules(report)  # used through the hub connection
    assert _rules(report, "error") == []
    assert "VWAN001" in _rules(report, "warning")  # one circuit, one peering location


def test_arm_connection_to_a_circuit_outside_the_template_is_unknown_not_absent():
    design = load_design(VWAN / "arm-vwan.json")
    (conn,) = design.hub_connections
    assert conn.circuit is None and conn.circuit_outside.endswith("/expressRouteCircuits/circuitName")
    assert conn.authorization is False  # the template's authorizationKey parameter is empty
    report = lint(design)
    assert _rules(report, "error") == [] and "VWAN001" not in _rules(report)  # location unknown: not judged


def test_terraform_plan_after_infracost():
    design = load_design(VWAN / "vwan.plan.json")
    (gw,) = design.hub_gateways
    assert (gw.hub, gw.scale_units.min, gw.scale_units.max) == ("example-virtualhub", 4, 4)
    (conn,) = design.hub_connections
    assert conn.circuit == "example-circuit" and conn.hub_gateway == "express-route"
    (circuit,) = design.circuits
    assert [a.name for a in circuit.authorizations] == ["example-auth"]
    assert _rules(lint(design), "error") == []


def _lines(report):
    return {line.component: line for line in report.lines}


def test_cost_matches_infracost_for_four_scale_units_and_one_connection():
    report = cost(load_design(VWAN / "vwan.plan.json"))
    lines = _lines(report)
    assert lines["vwan_er_scale_unit"].monthly == Decimal("1226.40")  # infracost golden: 4 SU, $1,226.40
    assert lines["vwan_er_connection"].monthly == Decimal("36.50")  # infracost: 36.50 USD a month
    assert lines["vwan_er_scale_unit"].confidence == "verified" and lines["vwan_er_scale_unit"].source == "VWAN-PC"


def test_cost_of_az_hub():
    lines = _lines(cost(load_design(VWAN / "az-vwan.json")))
    assert lines["vwan_er_scale_unit"].monthly == Decimal("919.80")
    assert lines["vwan_hub"].monthly == Decimal("182.50")


def test_autoscale_is_priced_at_its_minimum_and_says_what_the_maximum_costs():
    design = load_design_text("""
virtual_hubs: [{name: h, region: westeurope, address_prefix: 10.0.0.0/23, sku: Standard}]
hub_gateways: [{name: g, hub: h, scale_units: {min: 2, max: 5}}]
""")
    report = cost(design)
    assert _lines(report)["vwan_er_scale_unit"].monthly == Decimal("613.20")
    assert any("between 2 and 5 scale units" in a and "1,533.00" in a for a in report.assumptions)


def test_unknown_scale_units_are_unpriced_not_zero():
    design = load_design_text("""
virtual_hubs: [{name: h, region: westeurope, address_prefix: 10.0.0.0/23}]
hub_gateways: [{name: g, hub: h}]
""")
    line = _lines(cost(design))["vwan_er_scale_unit"]
    assert line.confidence == "unpriced" and "not known" in line.note


def test_a_hub_gateway_in_a_hub_outside_the_inputs_gets_a_placeholder_hub():
    design = load_design(["tests/fixtures/avm/express-route-gateway.main.json"],
                         parameters="tests/fixtures/avm/express-route-gateway.max.parameters.json")
    (gw,) = design.hub_gateways
    assert (gw.name, gw.hub, gw.scale_units.min, gw.scale_units.max) == ("nergmax001", "dep-vhub-nergmax", 2, 3)
    assert any(n.rule == "IMP004" and "placeholder hub" in n.message for n in design._notes)
    assert _rules(lint(design), "error") == []


def test_yaml_references_are_checked():
    from erdesign.errors import InputError

    with pytest.raises(InputError) as caught:
        load_design_text("hub_gateways: [{name: g, hub: nohub}]\n")
    assert "virtual hub 'nohub'" in str(caught.value)


def test_avm_virtual_wan_pattern_module_links_modules_through_their_outputs():
    """avm/ptn/network/virtual-wan: the hub, its ExpressRoute gateway and connection come from nested
    deployments; the gateway module gets the hub's ID from reference('virtualHubModule[0]').outputs."""
    avm = Path(__file__).parent / "fixtures" / "avm"
    design = load_design([avm / "ptn-virtual-wan.main.json"], parameters=avm / "ptn-virtual-wan.max.parameters.json")
    (hub,) = design.virtual_hubs
    assert (hub.name, hub.region, hub.address_prefix, hub.virtual_wan) == (
        "dep-hub-westeurope-nvwanmax", "westeurope", "10.0.0.0/24", "dep-vw-nvwanmax")
    (gw,) = design.hub_gateways
    assert (gw.hub, gw.scale_units.min, gw.scale_units.max, gw.allow_non_virtual_wan_traffic) == (hub.name, 1, 2, True)
    (conn,) = design.hub_connections
    assert conn.routing_weight == 10 and conn.circuit_outside.endswith("/expressRouteCircuits/dep-erc-nvwanmax")
    report = lint(design)
    assert _rules(report, "error") == [] and _rules(report, "warning") == []
    lines = _lines(cost(design))
    assert lines["vwan_er_scale_unit"].monthly == Decimal("306.60") and lines["vwan_er_connection"].monthly == Decimal("36.50")


def test_vwan_import_round_trips_through_yaml(tmp_path):
    from erdesign.importers.to_yaml import to_yaml

    imported = load_design(VWAN / "az-vwan.json")
    path = tmp_path / "vwan.yaml"
    path.write_text(to_yaml(imported))
    again = load_design(path)
    strip = dict(exclude_defaults=True)
    assert [h.model_dump(**strip) for h in again.virtual_hubs] == [h.model_dump(**strip) for h in imported.virtual_hubs]
    assert [g.model_dump(**strip) for g in again.hub_gateways] == [g.model_dump(**strip) for g in imported.hub_gateways]
    assert [c.model_dump(**strip) for c in again.hub_connections] == [
        c.model_dump(**strip) for c in imported.hub_connections]
    assert sorted(f.rule for f in lint(again).findings) == sorted(
        f.rule for f in lint(imported).findings if not f.rule.startswith("IMP"))


def test_a_hub_connection_whose_gateway_is_not_among_the_inputs_still_counts_as_use(tmp_path):
    import json

    az = json.loads((VWAN / "az-vwan.json").read_text())
    conn = dict(az[1]["expressRouteConnections"][0], type="Microsoft.Network/expressRouteGateways/expressRouteConnections")
    path = tmp_path / "conn.json"
    path.write_text(json.dumps([conn, az[2]], indent=1))
    design = load_design(path)
    assert design.hub_connections == [] and design._outside_references["circuitName"]
    assert "RES006" not in _rules(lint(design))


def test_infracost_connection_test_data_costs_as_infracost_and_gets_the_findings_azure_would_give():
    design = load_design(VWAN / "vwan-direct.plan.json")
    (circuit,) = design.circuits
    assert circuit.is_direct and circuit.express_route_port == "example-erp" and circuit.bandwidth == 5000
    report = lint(design)
    assert _rules(report, "error") == ["VWAN006"]  # Standard circuit at Seattle, hub in West Europe
    assert {"VWAN001", "VWAN004"} <= set(_rules(report, "warning")) and "RES007" not in _rules(report)
    lines = _lines(cost(design))
    assert lines["vwan_er_scale_unit"].monthly == Decimal("306.60") and lines["vwan_er_connection"].monthly == Decimal("36.50")
