"""ARM deployment templates: Microsoft's quickstart, parameters files, copy loops, nested children,
expressions, and the located errors for templates ARM itself would refuse."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from erdesign.errors import InputError
from erdesign.loader import load_design

ARM = Path(__file__).parent / "fixtures" / "arm"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def _line_of(path: Path, pattern: str, nth: int = 0) -> int:
    hits = [i + 1 for i, line in enumerate(Path(path).read_text().splitlines()) if re.search(pattern, line)]
    return hits[nth]


def _template(tmp_path, resources, name="t.json", **extra) -> Path:
    doc = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", **extra, "resources": resources}
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=2))
    return path


def _params(tmp_path, values, name="t.parameters.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"$schema": PARAMS_SCHEMA, "contentVersion": "1.0.0.0",
                                "parameters": {k: {"value": v} for k, v in values.items()}}, indent=2))
    return path


VNET = {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2021-05-01", "name": "hub", "location": "eastus",
        "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}


# --------------------------------------------------------------------------- Microsoft's quickstart

@pytest.fixture
def quickstart() -> Path:
    return Path(__file__).parent / "fixtures" / "arm" / "quickstart" / "azuredeploy.json"  # see SOURCE.md there


def test_quickstart_loads_with_its_defaults(quickstart):
    design = load_design(quickstart)
    (circuit,) = design.circuits
    assert (circuit.name, circuit.bandwidth, circuit.sku.tier, circuit.sku.family) == ("er-ckt01", 50, "Premium",
                                                                                        "MeteredData")
    assert (circuit.provider, circuit.peering_location, circuit.region) == ("Equinix", "Washington DC", None)
    (peering,) = circuit.peerings
    assert (peering.peer_asn, peering.vlan_id) == (65001, 100)
    assert peering.link_prefixes() == ("192.168.10.16/30", "192.168.10.20/30")
    (vnet,) = design.vnets
    assert vnet.address_space == ["10.10.10.0/24"] and vnet.gateway_subnet.prefix == "10.10.10.224/27"
    assert vnet.subnet("subnet1").nsg == "nsg" and [r.name for r in design.nsgs[0].rules] == ["SSH-rule", "RDP-rule"]
    (pip,) = design.public_ips
    assert (pip.name, pip.sku, pip.allocation) == ("er-gw-pubIP", "Basic", "Dynamic")
    (gateway,) = design.gateways
    assert (gateway.name, gateway.sku, gateway.vnet, gateway.public_ip) == ("er-gw", "HighPerformance", "vnet1",
                                                                            "er-gw-pubIP")
    assert design.connections == []


def test_quickstart_location_is_unknown_at_design_time_and_said_once(quickstart):
    design = load_design(quickstart)
    (note,) = design._notes
    assert note.rule == "IMP001"
    assert note.loc == (str(quickstart), 14, 25)  # resourceGroup() inside the parameter's defaultValue
    assert note.message.startswith("resourceGroup().location is unknown at design time")
    for what in ("circuit 'er-ckt01'", "VNet 'vnet1'", "gateway 'er-gw'", "public IP 'er-gw-pubIP'", "NSG 'nsg'"):
        assert f"region of {what}" in note.message


def test_quickstart_values_point_at_where_they_are_written(quickstart):
    design = load_design(quickstart)
    gateway, circuit = design.gateways[0], design.circuits[0]
    # values passed through parameters() point at the parameter's defaultValue: the place to change them
    assert gateway.loc("sku").line == _line_of(quickstart, '"defaultValue": "HighPerformance"')
    assert circuit.loc("bandwidth").line == _line_of(quickstart, '"defaultValue": 50')
    assert circuit.peerings[0].loc("peer_asn").line == _line_of(quickstart, '"defaultValue": 65001')
    # through a variable, to the expression that computes it
    assert design.public_ips[0].loc("name").line == _line_of(quickstart, r'"gatewayPublicIPName": "\[format')
    assert gateway.loc().line == _line_of(quickstart, '"type": "Microsoft.Network/virtualNetworkGateways"') - 1


def test_quickstart_with_a_parameters_file(quickstart, tmp_path):
    params = _params(tmp_path, {"location": "East US", "gatewaySku": "ErGw1AZ", "bandwidthInMbps": 1000})
    design = load_design(quickstart, parameters=params)
    assert design._notes == []
    assert {n.region for n in [*design.circuits, *design.vnets, *design.gateways, *design.public_ips]} == {"eastus"}
    gateway = design.gateways[0]
    assert gateway.sku == "ErGw1AZ" and gateway.loc("sku") == (str(params), _line_of(params, '"ErGw1AZ"'), 16)
    assert design.circuits[0].bandwidth == 1000


# --------------------------------------------------------------------------- the language in use

@pytest.fixture(scope="module")
def hub():
    return load_design(ARM / "hub.json", parameters=ARM / "hub.parameters.json")


def test_copy_loops_nested_children_conditions_and_references(hub):
    assert [c.name for c in hub.circuits] == ["contoso-er-ams"]
    circuit = hub.circuits[0]
    assert circuit.sku.tier == "Premium" and circuit.bandwidth == 1000  # if(parameters('premium'), ...)
    assert circuit.peerings[0].peer_asn == 64600 and circuit.peerings[0].vlan_id == 100
    assert circuit.peerings[0].link_prefixes() == ("172.16.0.0/30", "172.16.0.4/30")
    hubnet = hub.vnet("contoso-hub")
    assert [(s.name, s.prefix) for s in hubnet.subnets] == [
        ("app", "10.0.1.0/24"), ("data", "10.0.2.0/24"), ("GatewaySubnet", "10.0.255.0/27")]
    assert [(v.name, v.address_space) for v in hub.vnets[1:]] == [
        ("contoso-spoke1", ["10.1.0.0/16"]), ("contoso-spoke2", ["10.2.0.0/16"])]
    assert [g.name for g in hub.gateways] == ["contoso-gw"]  # the VPN gateway's condition is false
    gateway = hub.gateways[0]
    assert gateway.sku == "ErGw3AZ" and gateway.vnet == "contoso-hub"
    # a name known only at deployment keeps its known part, never the expression (issue 10)
    assert gateway.public_ip == "contoso-gw-pip-unknown"
    (cx,) = hub.connections
    assert (cx.gateway, cx.circuit, cx.fastpath) == ("contoso-gw", "contoso-er-ams", True)
    assert sorted((p.name, p.vnet, p.remote_vnet) for p in hub.vnet_peerings) == [
        ("to-hub@contoso-spoke1", "contoso-spoke1", "contoso-hub"),
        ("to-hub@contoso-spoke2", "contoso-spoke2", "contoso-hub"),
        ("to-spoke1", "contoso-hub", "contoso-spoke1"), ("to-spoke2", "contoso-hub", "contoso-spoke2")]
    assert hub.vnets[0].region == "westeurope"  # "West Europe" normalised


def test_hub_notes(hub):
    rules = sorted(n.rule for n in hub._notes)
    assert rules == ["IMP001", "IMP001", "IMP003", "IMP007", "IMP007"]
    name = next(n for n in hub._notes if n.rule == "IMP001" and n.message.startswith("contoso-gw-pip-{"))
    assert "name of public IP 'contoso-gw-pip-unknown'" in name.message
    reference = next(n for n in hub._notes if n.rule == "IMP001" and n.message.startswith("reference("))
    assert reference.message.startswith("reference(resourceId('Microsoft.Network/azureFirewalls', 'fw'))")
    assert "next hop ip of route table 'contoso-rt'" in reference.message
    assert reference.loc.line == _line_of(ARM / "hub.json", "nextHopIpAddress")
    peer_asn_loc = hub.circuits[0].peerings[0].loc("peer_asn")
    assert peer_asn_loc == (str(ARM / "hub.parameters.json"), 6, 16)


def test_a_parameter_without_value_is_unknown_and_noted():
    design = load_design(ARM / "hub.json")
    note = next(n for n in design._notes if "peerASN" in n.message)
    assert note.rule == "IMP001" and "no defaultValue and no value in a --parameters file" in note.message
    assert note.loc.line == _line_of(ARM / "hub.json", '"peerASN": {')
    assert design.circuits[0].peerings[0].peer_asn is None


def test_a_required_value_left_unknown_is_imported_as_unknown_not_refused(tmp_path):
    """A template without parameter values is linted with what it holds (issue 10): the bandwidth is
    unknown, said where it is written, and never treated as missing."""
    circuit = {"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2021-05-01", "name": "er1",
               "location": "eastus", "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
               "properties": {"serviceProviderProperties": {"serviceProviderName": "Equinix",
                                                            "peeringLocation": "Amsterdam",
                                                            "bandwidthInMbps": "[parameters('bw')]"}}}
    path = _template(tmp_path, [circuit], parameters={"bw": {"type": "int"}})
    design = load_design(path)
    (er1,) = design.circuits
    assert er1.bandwidth is None and er1.unknown_value("bandwidth").text == "parameters('bw')"
    (note,) = design._notes
    assert note.rule == "IMP001" and note.message.startswith(
        "parameters('bw') is unknown at design time (parameter 'bw' has no defaultValue and no value in a "
        "--parameters file): left unset: bandwidth of circuit 'er1'")
    assert note.loc.line == _line_of(path, '"bw": {')


def test_an_unsupported_function_is_an_imp002_note_naming_it(tmp_path):
    vnet = json.loads(json.dumps(VNET))
    vnet["properties"]["addressSpace"]["addressPrefixes"] = ["[base64ToString('MTAuMS4wLjAvMTY=')]"]
    path = _template(tmp_path, [vnet])
    design = load_design(path)
    (note,) = design._notes
    assert note.rule == "IMP002"
    assert note.message.startswith("base64ToString('MTAuMS4wLjAvMTY=') was not evaluated (erdesign does not "
                                   "evaluate the function base64ToString())")
    assert "address space of VNet 'hub'" in note.message
    line = _line_of(path, "base64ToString")
    assert note.loc == (str(path), line, Path(path).read_text().splitlines()[line - 1].index("base64") + 1)


def test_symbolic_name_templates_load(tmp_path):
    path = tmp_path / "v2.json"
    path.write_text(json.dumps({"$schema": SCHEMA, "languageVersion": "2.0", "contentVersion": "1.0.0.0",
                                "resources": {"hub": VNET}}, indent=2))
    assert [v.name for v in load_design(path).vnets] == ["hub"]


# --------------------------------------------------------------------------- located errors

def test_unknown_schema_is_a_clear_located_error(tmp_path, run_cli):
    path = tmp_path / "policy.json"
    path.write_text('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n  "resources": []\n}')
    with pytest.raises(InputError) as caught:
        load_design(path)
    assert str(caught.value).startswith(f"{path}:2:14: unknown $schema 'https://json-schema.org/draft/2020-12/schema'")
    r = run_cli("lint", path)
    assert r.code == 2 and r.err.startswith(f"{path}:2:14: unknown $schema") and r.out == ""


def test_unknown_schema_next_to_usable_inputs_is_an_imp005_finding(tmp_path):
    (tmp_path / "a.json").write_text('{"$schema": "https://example.com/other.json", "resources": []}')
    _template(tmp_path, [VNET], name="b.json")
    design = load_design(tmp_path)
    assert [v.name for v in design.vnets] == ["hub"]
    (note,) = design._notes
    assert note.rule == "IMP005" and "unknown $schema" in note.message and note.loc.line == 1


def test_a_parameters_file_given_as_input_says_how_to_pass_it(tmp_path):
    with pytest.raises(InputError) as caught:
        load_design(_params(tmp_path, {"x": 1}))
    assert "pass it with --parameters" in caught.value.message


def test_an_expression_syntax_error_is_located_and_only_its_resource_is_left_out(tmp_path):
    bad = {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2021-05-01",
           "name": "[concat('spoke', '1'", "location": "eastus",
           "properties": {"addressSpace": {"addressPrefixes": ["10.2.0.0/16"]}}}
    bad["name"] = "[concat('spoke', '1']"
    path = _template(tmp_path, [VNET, bad])
    design = load_design(path)
    assert [v.name for v in design.vnets] == ["hub"]
    (note,) = design._notes
    line = _line_of(path, r"concat\('spoke'")
    col = Path(path).read_text().splitlines()[line - 1].index("]\"") + 1
    assert note.rule == "IMP005" and note.loc == (str(path), line, col)
    assert "ARM expression syntax error: expected ',' or ')' in the arguments of concat()" in note.message


def test_an_expression_syntax_error_with_nothing_else_usable_is_exit_2(tmp_path, run_cli):
    bad = dict(VNET, location="[parameters('location'")
    bad["location"] = "[parameters('location']"
    path = _template(tmp_path, [bad], parameters={"location": {"type": "string", "defaultValue": "eastus"}})
    r = run_cli("lint", path)
    line = _line_of(path, r"parameters\('location'\]")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"{path}:{line}:") and "ARM expression syntax error" in r.err
    assert r.err.count("\n") == 1


def test_an_undeclared_parameter_is_an_error_with_a_suggestion(tmp_path):
    vnet = dict(VNET, location="[parameters('locaton')]")
    path = _template(tmp_path, [vnet], parameters={"location": {"type": "string", "defaultValue": "eastus"}})
    with pytest.raises(InputError) as caught:
        load_design(path)
    assert "declares no parameter 'locaton' (did you mean 'location'?)" in caught.value.message


def test_a_parameters_file_value_for_an_undeclared_parameter_is_reported(tmp_path):
    path = _template(tmp_path, [VNET])
    params = _params(tmp_path, {"gatewaySKU": "ErGw1AZ"})
    design = load_design(path, parameters=params)
    (note,) = design._notes
    assert note.rule == "IMP005" and "'gatewaysku' from the parameters file is not declared" in note.message.lower()
    assert note.loc.file == str(params)


def test_a_malformed_parameters_file_is_exit_2(tmp_path, run_cli):
    path = _template(tmp_path, [VNET])
    params = tmp_path / "p.json"
    params.write_text('{"parameters": {"x": {"value": 1}}')
    r = run_cli("lint", path, "--parameters", params)
    assert r.code == 2 and r.err.startswith(f"{params}:1:") and "malformed JSON" in r.err


def test_copy_count_unknown_leaves_the_resource_out_with_a_note(tmp_path):
    vnet = dict(VNET, name="[concat('v', copyIndex())]", copy={"name": "vnets", "count": "[parameters('n')]"})
    path = _template(tmp_path, [VNET, vnet], parameters={"n": {"type": "int"}})
    design = load_design(path)
    assert [v.name for v in design.vnets] == ["hub"]
    (note,) = design._notes
    assert note.rule == "IMP002" and "copy count is unknown" in note.message
