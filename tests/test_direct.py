"""ExpressRoute Direct (issue 10): port link admin state and MACsec (DIR rules), circuits on a port
outside the inputs, Direct port locations the tables don't hold."""
from __future__ import annotations

import json
from pathlib import Path

from erdesign import cost, lint
from erdesign.loader import load_design, load_design_text

AVM = Path(__file__).parent / "fixtures" / "avm"


def _rules(report):
    return sorted(f.rule for f in report.findings)


def test_avm_port_module_max_parameters_disabled_link_is_dir001_and_location_is_no_error():
    design = load_design([AVM / "express-route-port.main.json"],
                         parameters=AVM / "express-route-port.max.parameters.json")
    (port,) = design.express_route_ports
    assert (port.peering_location, port.bandwidth, port.encapsulation) == ("Airtel-Chennai2-CLS", 10000, "Dot1Q")
    assert [(link.name, link.admin_state) for link in port.links] == [("link1", "Disabled")]
    report = lint(design)
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    (dir001,) = [f for f in report.findings if f.rule == "DIR001"]
    assert dir001.loc.file.endswith("express-route-port.max.parameters.json")


def test_dir_rules_pass_and_fail():
    base = ("express_route_ports:\n  - name: p\n    peering_location: Equinix-Amsterdam-AM5\n    bandwidth: 10Gbps\n"
            "    links: [{links}]\n")
    both = base.format(links="{name: link1, admin_state: Enabled, macsec_cipher: GcmAes256}, "
                             "{name: link2, admin_state: Enabled, macsec_cipher: GcmAes256}")
    assert not {"DIR001", "DIR002"} & set(_rules(lint(load_design_text(both))))
    one = base.format(links="{name: link1, macsec_cipher: GcmAes256}, {name: link2, admin_state: Disabled}")
    assert {"DIR001", "DIR002"} <= set(_rules(lint(load_design_text(one))))


CIRCUIT = {
    "type": "Microsoft.Network/expressRouteCircuits", "name": "er-direct", "location": "westeurope",
    "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-direct",
    "sku": {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"},
    "properties": {"bandwidthInGbps": 5,
                   "expressRoutePort": {"id": "/subscriptions/s/resourceGroups/ports/providers/Microsoft.Network/"
                                              "expressRoutePorts/port-ams"}},
}


def test_a_circuit_on_a_port_outside_the_inputs_is_direct_with_an_unknown_port(tmp_path):
    path = tmp_path / "circuit.json"
    path.write_text(json.dumps(CIRCUIT, indent=2))
    design = load_design(path)
    (circuit,) = design.circuits
    assert circuit.is_direct and circuit.express_route_port is None and circuit.bandwidth == 5000
    assert circuit.express_route_port_outside.endswith("/expressRoutePorts/port-ams")
    assert any(n.rule == "IMP004" and "Direct circuit on an unknown port" in n.message for n in design._notes)
    assert "RES007" not in _rules(lint(design))  # not "neither a provider nor a port"
    (fee,) = [line for line in cost(design).lines if line.component == "circuit_port"]
    assert "ExpressRoute Direct" in fee.description


def test_a_standalone_global_reach_connection_is_linted_with_what_it_holds():
    design = load_design(Path(__file__).parent / "fixtures" / "partial" / "gr-connection-show.json")
    local, remote = sorted(design.circuits, key=lambda c: c.name)
    assert (local.name, remote.name) == ("dedharcktlocal", "dedharcktremote")
    (link,) = local.global_reach
    assert (link.peer_circuit, link.address_prefix, link.address_prefix_v6) == ("dedharcktremote", "10.0.0.0/29",
                                                                                 "aa:bb::/125")
    report = lint(design)
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    assert not {"RES006", "RES007", "BGP005", "NET003"} & set(_rules(report))
    assert "IMP008" in _rules(report)


# --------------------------------------------------------------------------- inputs erdesign does not read

import pytest  # noqa: E402

from erdesign.errors import InputError, InputErrors  # noqa: E402


@pytest.mark.parametrize("name, says", [("main.tf", "nothing erdesign models in these inputs"),
                                        ("main.bicep", "needs the Bicep CLI"),
                                        ("main.bicepparam", "needs the Bicep CLI")])
def test_terraform_and_bicep_source_get_one_clear_line(tmp_path, monkeypatch, name, says):
    """Source files are read (issue 14); when there is nothing to read, or no compiler, one clear line."""
    monkeypatch.delenv("ERDESIGN_BICEP", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no bicep, no az
    path = tmp_path / name
    path.write_text('resource "x" "y" {}\n')
    with pytest.raises(InputError) as caught:
        load_design(path)
    assert says in caught.value.message and "\n" not in caught.value.message
    assert "mapping" not in caught.value.message


def test_a_folder_skips_yaml_that_is_no_design(tmp_path):
    (tmp_path / "design.yaml").write_text(
        "circuits: [{name: er1, provider: Equinix, peering_location: Amsterdam, bandwidth: 1Gbps}]\n")
    (tmp_path / "usage.yml").write_text("egress_gb_month: {er1: 100}\n")
    from erdesign.loader import expand_paths

    skipped: list = []
    files = expand_paths([tmp_path], skipped=skipped)
    assert [Path(f).name for f in files] == ["design.yaml"] and [Path(f).name for f in skipped] == ["usage.yml"]
    assert [c.name for c in load_design(files).circuits] == ["er1"]


def test_a_template_with_only_other_resources_says_nothing_is_modelled(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
                                           "deploymentTemplate.json#", "contentVersion": "1.0.0.0",
                                "parameters": {"n": {"type": "string"}},
                                "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
                                               "name": "[parameters('n')]", "location": "westeurope"}]}))
    with pytest.raises((InputError, InputErrors)) as caught:
        load_design(path)
    assert "nothing erdesign models in these inputs" in str(caught.value)


def test_cli_counts_skipped_folder_files_and_verbose_names_them(run_cli, tmp_path):
    (tmp_path / "design.yaml").write_text(
        "circuits: [{name: er1, provider: Equinix, peering_location: Amsterdam, bandwidth: 1Gbps}]\n")
    (tmp_path / "usage.yml").write_text("egress_gb_month: {er1: 100}\n")
    (tmp_path / "notes.txt").write_text("x\n")
    quiet = run_cli("lint", tmp_path)
    assert quiet.code == 0 and "skipped 2 files in folders that are no design or JSON input" in quiet.err
    loud = run_cli("lint", tmp_path, "-v")
    assert f"{tmp_path / 'usage.yml'}: skipped: a YAML file with no design section" in loud.err


def test_a_cross_subscription_connection_keeps_that_it_redeems_an_authorization_never_the_key():
    design = load_design(Path(__file__).parent / "fixtures" / "partial" / "cross-subscription-connection.json")
    (conn,) = design.connections
    assert conn.authorization == "authorization key" and "secret" not in conn.model_dump_json()
    assert "cross-subscription" in conn.description and "sub-b" in conn.description
    assert [f for f in lint(design).findings if f.severity == "error"] == []


def test_a_terraform_global_reach_connection_alone_is_linted():
    design = load_design(Path(__file__).parent / "fixtures" / "partial" / "global-reach.plan.json")
    ams = design.circuit("er-ams")
    assert [(g.peer_circuit, g.address_prefix) for g in ams.global_reach] == [("er-fra", "192.169.8.0/29")]
    assert [f for f in lint(design).findings if f.severity == "error"] == []


def test_avm_port_module_without_parameters_is_linted_with_an_unknown_port_speed():
    design = load_design(AVM / "express-route-port.main.json")
    (port,) = design.express_route_ports
    assert port.bandwidth is None and port.is_unknown("bandwidth")
    assert [f for f in lint(design).findings if f.severity == "error"] == []
    (line,) = [line for line in cost(design).lines if line.component == "direct_port_pair"]
    assert line.confidence == "unpriced"
