"""Acceptance of the importers on realistic inputs built from Microsoft's own documents
(tests/fixtures/accept/README.md gives the sources): REST `Get` response bodies, an
`az network express-route list` array, an ARM template with copy loops and an
ExpressRoute Direct port, and a Terraform plan with azurerm_express_route_port."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from erdesign.engine.runner import lint
from erdesign.importers.to_yaml import design_data, to_yaml
from erdesign.loader import load_design

ACCEPT = Path(__file__).parent / "fixtures" / "accept"
LIVE = ACCEPT / "live"

INPUTS = {
    "live": [LIVE],
    "arm-copy": [ACCEPT / "arm-circuits-copy.json"],
    "terraform-direct": [ACCEPT / "direct.plan.json"],
    "standalone-peering": [LIVE / "circuit-get-rest.json", LIVE / "route-filter-get.json",
                           ACCEPT / "microsoft-peering-get.json"],
}


def _line(path: Path, pattern: str) -> int:
    return next(i + 1 for i, line in enumerate(path.read_text().splitlines()) if re.search(pattern, line))


def _report(design):
    report = lint(design, today=dt.date(2026, 6, 1))
    assert report.errors == []
    return report


def _findings(design):
    return sorted((f.rule, f.message, f.path) for f in _report(design).findings if not f.rule.startswith("IMP"))


@pytest.mark.parametrize("name", list(INPUTS))
def test_round_trip_gives_the_same_findings(name, tmp_path):
    imported = load_design(INPUTS[name])
    out = tmp_path / "design.yaml"
    out.write_text(to_yaml(imported, sources=[str(p) for p in INPUTS[name]], notes=imported._notes))
    reloaded = load_design(out)
    assert design_data(reloaded) == design_data(imported)
    assert _findings(reloaded) == _findings(imported)


def test_live_estate_values_map():
    d = load_design([LIVE])
    assert [n.rule for n in d._notes] == []  # everything referenced is among the inputs
    gw = d.gateway("ergw-hub")
    assert (gw.sku, gw.scale_units.min, gw.scale_units.max, gw.public_ip) == ("ErGwScale", 2, 10, "ergw-hub-pip")
    conn = d.connections[0]
    assert (conn.fastpath, conn.circuit, conn.routing_weight) == (True, "er-ams-1", 10)
    port = d.port("erdirect-ams")
    assert (port.bandwidth, port.encapsulation, port.billing_type, port.peering_location) == (
        100_000, "Dot1Q", "UnlimitedData", "Amsterdam2")
    direct = d.circuit("er-direct-ams")
    assert (direct.express_route_port, direct.bandwidth, direct.provider) == ("erdirect-ams", 10_000, None)
    ams = d.circuit("er-ams-1")
    ms = next(p for p in ams.peerings if p.type == "MicrosoftPeering")
    assert ([str(p) for p in ms.advertised_public_prefixes], ms.customer_asn, ms.route_filter, ms.routing_registry) == (
        ["123.1.0.0/24"], 64497, "rf-m365", "ARIN")
    assert [(g.name, g.peer_circuit, str(g.address_prefix)) for g in ams.global_reach] == [
        ("gr-ams-fra", "er-fra-1", "10.254.0.0/29")]
    assert d.circuit("er-fra-1").subscription == "22222222-2222-2222-2222-222222222222"
    assert [a.name for a in ams.authorizations] == ["auth-spoke-sub"]
    assert d.route_filters[0].communities == ["12076:5010", "12076:5020"]
    subnets = {s.name: (s.route_table, s.nsg) for s in d.vnet("vnet-hub").subnets}
    assert subnets == {"GatewaySubnet": ("rt-gateway", None), "snet-app": ("rt-app", "nsg-app")}
    assert d.route_table("rt-app").bgp_route_propagation is False


def test_live_estate_findings_point_at_the_json_values():
    by_rule = {}
    for f in _report(load_design([LIVE])).findings:
        by_rule.setdefault(f.rule, []).append(f)
    fp = by_rule["FP001"][0]  # FastPath on ErGwScale with min 2 scale units
    conn = LIVE / "connection-fastpath-rest.json"
    assert (fp.loc.file, fp.loc.line) == (str(conn), _line(conn, '"expressRouteGatewayBypass"'))
    circuit = LIVE / "circuit-get-rest.json"
    lines = sorted(f.loc.line for f in by_rule["BGP002"])
    assert lines == [_line(circuit, '"peerASN": 64496'), _line(circuit, '"customerASN"')]


def test_arm_copy_loops_and_direct_port():
    d = load_design([ACCEPT / "arm-circuits-copy.json"])
    assert [c.name for c in d.circuits] == ["er-ams-circuit", "er-lon-circuit", "er-direct-circuit"]
    lon = d.circuit("er-lon-circuit")
    p = lon.peerings[0]
    assert (lon.peering_location, lon.bandwidth, p.peer_asn, p.vlan_id, str(p.primary_prefix)) == (
        "London", 1000, 65001, 101, "192.168.11.0/30")
    direct = d.circuit("er-direct-circuit")
    assert (direct.express_route_port, direct.bandwidth, direct.sku.family) == ("erdirect-ams", 5000, "UnlimitedData")
    assert d.port("erdirect-ams").bandwidth == 10_000
    assert [n.rule for n in d._notes] == ["IMP001"]  # resourceGroup().location, once


def test_terraform_direct_port_and_circuit():
    d = load_design([ACCEPT / "direct.plan.json"])
    port = d.port("erdirect-ams")
    assert (port.bandwidth, port.encapsulation, port.billing_type) == (10_000, "Dot1Q", "MeteredData")
    c = d.circuit("er-direct-ams")
    assert (c.express_route_port, c.bandwidth, c.sku.tier) == ("erdirect-ams", 5000, "Premium")
    ms = next(p for p in c.peerings if p.type == "MicrosoftPeering")
    assert ms.customer_asn is None  # azurerm writes 0 for "not set"
    assert [str(x) for x in ms.advertised_public_prefixes] == ["203.0.113.0/24"]


def test_ipv6_microsoft_peering_public_prefixes_are_imported(tmp_path):
    # REST: ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixes (ExpressRouteCircuitPeeringGet)
    d = load_design(INPUTS["standalone-peering"])
    ms = next(p for p in d.circuit("er-ams-1").peerings if p.type == "MicrosoftPeering")
    assert [str(x).lower() for x in ms.ipv6.advertised_prefixes] == ["3ffe:ffff:0:cd31::/120"]
    # Terraform: ipv6 { microsoft_peering { advertised_public_prefixes } }
    import json
    plan = json.loads((ACCEPT / "direct.plan.json").read_text())
    for r in plan["planned_values"]["root_module"]["resources"]:
        if r["address"] == "azurerm_express_route_circuit_peering.microsoft":
            r["values"]["ipv6"] = [{"enabled": True, "primary_peer_address_prefix": "2002:db01::/126",
                                    "secondary_peer_address_prefix": "2003:db01::/126", "route_filter_id": None,
                                    "microsoft_peering": [{"advertised_public_prefixes": ["2002:db01::/64"],
                                                           "customer_asn": 0, "routing_registry_name": "NONE"}]}]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=1))
    ms = next(p for p in load_design([path]).circuit("er-direct-ams").peerings if p.type == "MicrosoftPeering")
    assert [str(x) for x in ms.ipv6.advertised_prefixes] == ["2002:db01::/64"]


def test_missing_global_reach_peer_is_named_by_its_circuit():
    d = load_design([LIVE / "circuit-get-rest.json"])
    note = next(n for n in d._notes if "Global Reach" in n.message)
    assert "to circuit 'er-fra-1' (" in note.message
    assert note.loc.line == _line(LIVE / "circuit-get-rest.json", "rg-er-fra/providers")


def test_utf16_dump_from_windows_powershell_loads(tmp_path):
    text = (LIVE / "express-route-list.json").read_text()
    path = tmp_path / "circuits.json"
    path.write_text(text, encoding="utf-16")  # what `az ... > circuits.json` writes in Windows PowerShell 5.1
    d = load_design([path])
    assert [c.name for c in d.circuits] == ["er-fra-1", "er-direct-ams"]
    rt = d.circuits[0].peerings[0]
    assert rt.loc("peer_asn").line == _line(LIVE / "express-route-list.json", '"peerAsn"')


def test_terraform_direct_port_location_is_known_to_the_checks_and_costing():
    from erdesign import facts
    from erdesign.costing.pricer import location_zone
    from erdesign.engine.runner import lint

    d = load_design([ACCEPT / "direct.plan.json"])
    port = d.port("erdirect-ams")
    assert port.peering_location == "Equinix-Amsterdam-AM5"  # kept as Azure names it: it names the facility
    assert facts.peering_location(port.peering_location)["name"] == "Amsterdam"
    assert location_zone(port.peering_location)[0] is not None
    assert [f.message for f in lint(d, select=["RES002"]).findings] == []
