"""Terraform `.tf` source read statically, and Bicep through a compiler: same design as the plan."""
from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest

import erdesign
from erdesign.errors import InputError, InputErrors
from erdesign.importers import tfeval
from erdesign.importers.values import Unknown

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"
HUB_SRC = FIXTURES / "hub-spoke-src"
FOREACH_SRC = FIXTURES / "er-foreach-src"


def findings(design) -> list[tuple[str, str]]:
    """(rule, what the finding is about) of each finding: the same object and rule from a plan and from
    source (an unknown value's message names the plan's attribute or the source's expression)."""
    return sorted((f.rule, f.message.split("left unset:")[-1] if f.rule == "IMP001" else f.message)
                  for f in erdesign.lint(design).findings)


def test_source_and_plan_of_the_same_configuration_give_the_same_findings():
    from_plan = findings(erdesign.load(str(FIXTURES / "hub-spoke.plan.json")))
    from_source = findings(erdesign.load(str(HUB_SRC)))
    assert from_source == from_plan
    assert {r for r, _ in from_source} >= {"RES003", "RES009", "IMP001"}


def test_findings_point_at_the_tf_line_and_column_of_the_value():
    report = erdesign.lint(erdesign.load(str(HUB_SRC)))
    by_rule = {f.rule: f for f in report.findings}
    gateway = by_rule["RES003"]
    assert Path(gateway.loc.file).name == "main.tf"
    assert (HUB_SRC / "main.tf").read_text().splitlines()[gateway.loc.line - 1].startswith(
        'resource "azurerm_virtual_network_gateway" "er"')
    unknown = by_rule["IMP001"]  # the firewall's address is known only after apply
    line = (HUB_SRC / "main.tf").read_text().splitlines()[unknown.loc.line - 1]
    assert line[unknown.loc.col - 1:].startswith("azurerm_firewall.hub.ip_configuration[0].private_ip_address")


def test_one_file_of_the_folder_reads_the_whole_configuration():
    one = erdesign.load(str(HUB_SRC / "main.tf"))
    whole = erdesign.load(str(HUB_SRC))
    assert [c.name for c in one.circuits] == [c.name for c in whole.circuits] == ["er-ams"]
    assert sorted(v.name for v in one.vnets) == ["vnet-hub", "vnet-spoke1"]  # the local module is followed


def test_values_come_from_tfvars_locals_functions_and_the_module():
    design = erdesign.load(str(HUB_SRC))
    hub = design.vnet("vnet-hub")
    assert hub.region == "westeurope"  # terraform.tfvars beats the variable's default (northeurope)
    assert [s.prefix for s in hub.subnets] == ["10.0.255.0/27"]  # cidrsubnet(local…, 11, 2040)
    spoke = design.vnet("vnet-spoke1")
    assert spoke.resource_group == "rg-spoke1"  # replace() in the module's locals
    assert [s.prefix for s in spoke.subnets] == ["10.1.1.0/24"]
    assert [t.name for t in design.route_tables] == ["rt-spoke1"]  # "rt-${trimprefix(…)}"
    assert design.route_tables[0].bgp_route_propagation is False
    peering = next(p for p in design.vnet_peerings if p.name == "hub-to-spoke1")
    assert peering.remote_vnet == "vnet-spoke1"  # module.spoke.vnet_id through the module's output


def test_count_for_each_dynamic_and_var_file():
    design = erdesign.load(str(FOREACH_SRC), var_files=[str(FOREACH_SRC / "prod.tfvars")])
    circuits = {c.name: c for c in design.circuits}
    assert sorted(circuits) == ["er-ams-01", "er-dub-01"]  # for_each over a tfvars map, format()
    assert circuits["er-dub-01"].sku.tier == "Premium"  # a conditional on each.value
    assert circuits["er-dub-01"].bandwidth == 2000
    assert circuits["er-ams-01"].peerings[0].primary_prefix == "172.31.0.0/30"  # module with for_each
    assert circuits["er-dub-01"].peerings[0].vlan_id == 300
    assert [v.address_space for v in design.vnets] == [["10.100.0.0/16"], ["10.101.0.0/16"]]  # count + for
    assert [g.sku for g in design.gateways] == ["ErGw2AZ", "ErGw2AZ"]  # from --var-file
    connections = {c.name: c for c in design.connections}
    assert {n: (c.gateway, c.circuit, c.routing_weight) for n, c in connections.items()} == {
        "cx-ams": ("ergw-westeurope", "er-ams-01", 0), "cx-dub": ("ergw-westeurope", "er-dub-01", 10)}
    assert [r.prefix for r in design.route_tables[0].routes] == ["192.168.0.0/16", "172.20.0.0/14"]  # dynamic


def test_what_stays_unknown_is_said_with_its_place():
    design = erdesign.load(str(FOREACH_SRC))  # no --var-file: circuits map empty, gateway SKU unknown
    notes = [n for n in design._notes if n.rule in ("IMP001", "IMP004", "IMP005")]
    text = "\n".join(f"{n.loc} {n.message}" for n in notes)
    assert "var.gateway_sku" in text and "variables.tf" in text
    assert "Azure/naming/azurerm" in text  # a registry module is named, not read


def test_import_round_trip_gives_the_same_findings(tmp_path, run_cli):
    out = tmp_path / "design.yaml"
    result = run_cli("import", str(HUB_SRC / "main.tf"), "-o", str(out))
    assert result.code == 0, result.err
    again = findings(erdesign.load(str(out)))
    source = [f for f in findings(erdesign.load(str(HUB_SRC))) if not f[0].startswith("IMP")]
    assert [f for f in again if not f[0].startswith("IMP")] == source


def test_cli_var_file_option(run_cli):
    result = run_cli("lint", str(FOREACH_SRC), "--var-file", str(FOREACH_SRC / "prod.tfvars"), "-f", "concise")
    assert result.code == 0, result.err
    assert "RES005 ExpressRoute gateway 'ergw-northeurope'" in result.out


@pytest.mark.parametrize("text, message", [
    ('resource "azurerm_virtual_network" "v" {\n  name = \n}\n', "not valid HCL"),
    ('resource "azurerm_virtual_network" "v" {\n  count = 100001\n  name = "x"\n}\n', "past 10,000 instances"),
    ('locals {\n  a = local.a\n}\nresource "azurerm_virtual_network" "v" {\n  name = local.a\n}\n', "refers to itself"),
    ('resource "azurerm_virtual_network" "v" {\n  name = join("", range(200000))\n}\n', "range()"),
])
def test_bad_configurations_are_one_located_error(tmp_path, text, message):
    (tmp_path / "main.tf").write_text(text)
    with pytest.raises((InputError, InputErrors)) as raised:
        erdesign.load(str(tmp_path / "main.tf"))
    assert message in str(raised.value)
    assert "main.tf:" in str(raised.value)


def _ev(source: str):
    from erdesign.importers.tfsource import attribute_parts, body_items, parse_file

    tree = parse_file(f"x = {source}\n", "t.tf")
    _, expr = attribute_parts(body_items(tree.children[0])[0][0])
    return tfeval.Evaluator().eval(expr, tfeval.Scope("t.tf", {"var": {"n": 3, "m": {"a": "b"}}}))


@pytest.mark.parametrize("source, value", [
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('cidrhost("10.0.0.0/24", -2)', "10.0.0.254"),
    ('cidrsubnets("10.0.0.0/16", 8, 4)', ["10.0.0.0/24", "10.0.16.0/20"]),
    ('format("er-%s-%03d", "ams", 7)', "er-ams-007"),
    ('[for i in range(var.n) : i * 2 if i != 1]', [0, 4]),
    ('{for k, v in var.m : v => k}', {"b": "a"}),
    ('merge({a = 1}, {b = 2}, {a = 3})', {"a": 3, "b": 2}),
    ('lookup(var.m, "z", "dflt")', "dflt"),
    ('try(var.m.zz, "fallback")', "fallback"),
    ('coalesce("", null, "x")', "x"),
    ('flatten([[1], [2, [3]]])', [1, 2, 3]),
    ('element(["a", "b"], 3)', "b"),
    ('length("abc") + 1', 4),
    ('"${upper("a")}-${var.n}"', "A-3"),
    ('var.n > 2 && !false ? "big" : "small"', "big"),
    ('split(",", join(",", toset(["b", "a", "b"])))', ["a", "b"]),
    ('keys(var.m)[0]', "a"),
])
def test_functions_and_operators(source, value):
    assert _ev(source) == value


def test_unknowns_propagate_never_guess():
    value = _ev("cidrsubnet(data.x.y.prefix, 8, 0)")
    assert isinstance(value, Unknown)
    assert isinstance(_ev("someunknownfn(1)"), Unknown)


# --------------------------------------------------------------------------- Bicep

def _stand_in_compiler(tmp_path: Path, template: dict, fail: bool = False) -> Path:
    """A script that behaves like `bicep build FILE --stdout` for the tests."""
    out = tmp_path / "template.json"
    out.write_text(json.dumps(template))
    script = tmp_path / "fake-bicep"
    if fail:
        body = 'echo "$2(3,7) : Error BCP018: Expected the \\"=\\" character at this location." >&2; exit 1'
    else:
        body = f'cat "{out}"'
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


QUICKSTART_TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [{
        "type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "er-bicep",
        "location": "westeurope", "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
        "properties": {"serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam",
                                                     "bandwidthInMbps": 1000}},
    }],
}


def test_bicep_is_compiled_by_the_users_compiler(tmp_path, monkeypatch):
    monkeypatch.setenv("ERDESIGN_BICEP", str(_stand_in_compiler(tmp_path, QUICKSTART_TEMPLATE)))
    bicep = tmp_path / "main.bicep"
    bicep.write_text("resource er 'Microsoft.Network/expressRouteCircuits@2023-09-01' = {}\n")
    design = erdesign.load(str(bicep))
    assert [c.name for c in design.circuits] == ["er-bicep"]
    report = erdesign.lint(design)
    assert any("compiled by your Bicep CLI" in f.message for f in report.findings)
    assert {Path(f.loc.file).name for f in report.findings if f.rule == "RES006"} == {"main.json"}


def test_a_compiler_error_is_one_located_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ERDESIGN_BICEP", str(_stand_in_compiler(tmp_path, {}, fail=True)))
    bicep = tmp_path / "main.bicep"
    bicep.write_text("param x\nresource\n  x y\n")
    with pytest.raises(InputError) as raised:
        erdesign.load(str(bicep))
    assert str(raised.value.loc) == f"{bicep}:3:7"
    assert "BCP018" in raised.value.message


def test_without_a_compiler_it_says_how_to_get_one(tmp_path, monkeypatch, run_cli):
    monkeypatch.delenv("ERDESIGN_BICEP", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # neither bicep nor az
    bicep = tmp_path / "main.bicep"
    bicep.write_text("param x string\n")
    result = run_cli("lint", str(bicep))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "needs the Bicep CLI" in result.err and f"{bicep}:1:1" in result.err


@pytest.mark.skipif(not any(os.access(os.path.join(p, "bicep"), os.X_OK)
                            for p in os.environ.get("PATH", "").split(os.pathsep)),
                    reason="the real Bicep CLI is not installed")
def test_real_bicep_compiler(tmp_path):
    bicep = tmp_path / "main.bicep"
    bicep.write_text(textwrap.dedent("""
        resource er 'Microsoft.Network/expressRouteCircuits@2023-09-01' = {
          name: 'er-real'
          location: 'westeurope'
          sku: { name: 'Standard_MeteredData', tier: 'Standard', family: 'MeteredData' }
          properties: { serviceProviderProperties: { serviceProviderName: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 } }
        }
    """))
    assert [c.name for c in erdesign.load(str(bicep)).circuits] == ["er-real"]
