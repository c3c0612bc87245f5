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
