"""Live state next to the design: view detection, attribution, and the LIVE rules on the seed's
az outputs (tests/fixtures/az/seed-live, see its README) and on edited copies of them."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from erdesign.engine.runner import lint
from erdesign.importers.jsonloc import parse
from erdesign.live import live_kind, read_view
from erdesign.live.attribute import attribute
from erdesign.loader import load_design

REPO = Path(__file__).resolve().parents[1]
SEED_YAML = REPO / "examples" / "seed.yaml"
LIVE = REPO / "tests" / "fixtures" / "az" / "seed-live"
AZ_SEED = REPO / "tests" / "fixtures" / "az" / "seed"
CATALOG = REPO / "rules" / "catalog"


def _live_findings(*paths, rules=("LIVE",)):
    report = lint(load_design([str(p) for p in paths]), select=list(rules))
    return [f for f in report.findings if f.rule.startswith(tuple(rules))]


def _write(tmp_path, name, doc) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=2))
    return path


def _fixture(name):
    return json.loads((LIVE / name).read_text())


# --------------------------------------------------------------------------- detection and attribution

@pytest.mark.parametrize("name,kind", [
    ("arp-primary.json", "arp_table"), ("arp-secondary.json", "arp_table"),
    ("route-table-primary.json", "route_table"), ("route-table-summary-primary.json", "route_table_summary"),
    ("get-stats.json", "circuit_stats"), ("bgp-peer-status.json", "bgp_peers"),
    ("learned-routes.json", "learned_routes"), ("advertised-routes-10.0.4.4.json", "advertised_routes"),
])
def test_views_are_recognised_by_shape(name, kind):
    root, _ = parse((LIVE / name).read_text(), name)
    assert live_kind(root, "x.json") == kind  # the shape alone, not the file name


def test_shapes_that_are_no_live_view():
    assert live_kind([], "x.json") is None
    assert live_kind({"value": []}, "x.json") is None  # empty, and the name says nothing
    assert live_kind({"value": []}, "arp-primary.json") == "arp_table"
    assert live_kind(json.loads((AZ_SEED / "vnet-peering-list.json").read_text()), "x.json") is None
    assert live_kind({"value": [{"network": "10.0.0.0/8"}]}, "x.json") is None
    # the seed note prints the route table as a bare array: accepted too
    assert live_kind(_fixture("route-table-primary.json")["value"], "x.json") == "route_table"


def test_views_are_attributed_by_content():
    design = load_design(SEED_YAML)
    for name, expected in [("arp-secondary.json", "circuit 'useasterc1cust1' peering AzurePrivatePeering "
                                                   "secondary link"),
                           ("route-table-primary.json", "circuit 'useasterc1cust1' peering AzurePrivatePeering "
                                                        "primary link"),
                           ("bgp-peer-status.json", "gateway 'erspvnetcust1gw1'"),
                           ("learned-routes.json", "gateway 'erspvnetcust1gw1'")]:
        root, _ = parse((LIVE / name).read_text(), name)
        target = attribute(design, read_view(root, name))
        assert (target.describe(), target.how) == (expected, "content"), name
    root, _ = parse((LIVE / "get-stats.json").read_text(), "get-stats.json")
    assert attribute(design, read_view(root, "get-stats.json")).circuit.name == "useasterc1cust1"


# --------------------------------------------------------------------------- the seed

def test_seed_live_outputs_lint_to_the_connecting_peer():
    findings = _live_findings(SEED_YAML, LIVE)
    connecting = [f for f in findings if f.rule == "LIVE001"]
    assert len(connecting) == 1
    f = connecting[0]
    assert f.severity == "error"
    assert str(f.loc) == f"{LIVE / 'bgp-peer-status.json'}:41:16"
    assert "BGP peer 10.0.4.15 (AS 65515, the gateway's other instance) is Connecting, not Connected" in f.message
    assert f.path == "gateways[0]"
    # the only other LIVE finding: the learned route the note shows that the design does not list
    assert sorted((g.rule, g.message.split(":")[1].strip()) for g in findings if g is not f) == [
        ("LIVE007", "on-premises advertises 192.0.2.1/32, which the design does not list [learned routes "
                    "(list-learned-routes)]")]


def test_seed_live_outputs_with_the_az_dumps(run_cli):
    """The live views work next to az resource dumps as well as next to YAML."""
    res = run_cli("lint", AZ_SEED, LIVE, "--select", "LIVE001", "--format", "concise")
    assert res.code == 1, res.err
    assert "LIVE001 gateway 'erspvnetcust1gw1': BGP peer 10.0.4.15" in res.out


def test_live_views_alone_are_linted_not_refused(run_cli):
    res = run_cli("lint", LIVE / "bgp-peer-status.json", "--select", "LIVE", "--format", "concise")
    assert res.code == 1, res.err
    assert "LIVE008 BGP peer status (list-bgp-peer-status) (addresses 10.0.4.12) matches no gateway" in res.out
    assert "LIVE001 a view that matches no circuit or gateway of the design: BGP peer 10.0.4.15" in res.out


def test_other_json_is_still_skipped(tmp_path, run_cli):
    other = _write(tmp_path, "other.json", {"value": [{"foo": 1}]})
    res = run_cli("lint", SEED_YAML, other, "--select", "IMP003", "--format", "concise")
    assert res.code == 2 and "not an input erdesign reads" in res.err  # as before live views existed
    # the live view is read against each design named: the seed's gateway, and the other folder,
    # whose JSON is skipped as no input of ours
    res = run_cli("lint", SEED_YAML, other, LIVE / "bgp-peer-status.json", "--format", "concise")
    assert "LIVE001 gateway 'erspvnetcust1gw1'" in res.out
    assert "IMP003 skipped this file: not an input erdesign reads" in res.out + res.err or "skipped 1 file" in res.err


# --------------------------------------------------------------------------- catalog examples

LIVE_PAGES = sorted(CATALOG.glob("LIVE*.yaml"))


@pytest.mark.parametrize("page", LIVE_PAGES, ids=lambda p: p.stem)
def test_catalog_example_bad_triggers_and_good_does_not(page, tmp_path):
    doc = yaml.safe_load(page.read_text())
    rule = doc["id"]
    fired = {}
    for which in ("bad", "good"):
        data = yaml.safe_load(doc["example"][which])
        path = _write(tmp_path, f"{rule}-{which}.json", data)
        fired[which] = [f.message for f in _live_findings(SEED_YAML, path, rules=(rule,))]
    assert fired["bad"], f"{rule}: example.bad does not trigger it"
    for f in _live_findings(SEED_YAML, tmp_path / f"{rule}-bad.json", rules=(rule,)):
        for ev in f.evidence:  # every quoted number names its table and a date
            assert re.search(r" ?\[rules/data/\w+\.yaml\]$", ev.source), ev
            assert re.match(r"\d{4}-\d{2}-\d{2}", ev.as_of), ev
    assert fired["good"] == [], f"{rule}: example.good triggers it: {fired['good']}"


# --------------------------------------------------------------------------- route counts (edited copies)

def _route_table(n: int, start: str = "10.128.0.0") -> dict:
    import ipaddress

    base = ipaddress.ip_address(start)
    rows = [{"locPrf": "", "network": f"{base + 256 * i}/24", "nextHop": "192.0.2.97", "path": "65001", "weight": 0}
            for i in range(n)]
    return {"nextLink": None, "value": rows}


def _seed_with(tmp_path, **changes) -> Path:
    text = SEED_YAML.read_text()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "seed.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("count,rule", [(3199, None), (3200, "LIVE004"), (4000, "LIVE004"), (4001, "LIVE003")])
def test_route_table_counts_against_the_standard_limit(tmp_path, count, rule):
    design = _seed_with(tmp_path, **{"advertised_prefixes: [198.51.100.0/25, 10.0.0.0/20, 203.0.113.0/24]":
                                     "advertised_prefixes: [198.51.100.0/25, 10.0.0.0/20, 203.0.113.0/24, 10.128.0.0/9]"})
    table = _write(tmp_path, "route-table-primary.json", _route_table(count))
    found = [f for f in _live_findings(design, table) if f.rule in ("LIVE003", "LIVE004")]
    assert [f.rule for f in found] == ([rule] if rule else [])
    if rule:
        f = found[0]
        assert f"{count:,} IPv4 routes received from on-premises" in f.message and "4,000" in f.message
        assert str(f.loc).endswith("route-table-primary.json:1:1")
        if rule == "LIVE004":
            assert "an erdesign threshold" in f.message and any(e.confidence == "estimate" for e in f.evidence)


def test_premium_circuit_has_room(tmp_path):
    design = _seed_with(tmp_path, **{"sku: {tier: Standard, family: UnlimitedData}":
                                     "sku: {tier: Premium, family: UnlimitedData}"})
    table = _write(tmp_path, "route-table-primary.json", _route_table(4001))
    assert not [f for f in _live_findings(design, table) if f.rule in ("LIVE003", "LIVE004")]


def test_summary_prefix_count_and_session_state(tmp_path):
    doc = _fixture("route-table-summary-primary.json")
    doc["value"][0]["statePfxRcd"] = "3500"
    over = _write(tmp_path, "summary.json", doc)
    assert [f.rule for f in _live_findings(SEED_YAML, over)] == ["LIVE004"]
    doc["value"][0]["statePfxRcd"] = "Active"
    down = _write(tmp_path, "summary.json", doc)
    (f,) = _live_findings(SEED_YAML, down)
    assert f.rule == "LIVE001" and "BGP session with 192.0.2.97 (AS 65001) is Active" in f.message


def test_gateway_learned_and_advertised_counts(tmp_path):
    learned = _fixture("learned-routes.json")
    row = learned["value"][1]
    learned["value"] = [dict(row, network=f"10.{64 + i // 256}.{i % 256}.0/24") for i in range(3300)]
    design = _seed_with(tmp_path, **{"advertised_prefixes: [198.51.100.0/25, 10.0.0.0/20, 203.0.113.0/24]":
                                     "advertised_prefixes: [198.51.100.0/25, 10.0.0.0/20, 203.0.113.0/24, 10.0.0.0/8]"})
    path = _write(tmp_path, "learned-routes.json", learned)
    (f,) = [f for f in _live_findings(design, path) if f.rule in ("LIVE003", "LIVE004")]
    assert f.rule == "LIVE004" and "3,300 routes learned over BGP" in f.message and "4,000" in f.message
    advertised = _fixture("advertised-routes-10.0.4.4.json")
    row = advertised["value"][0]
    advertised["value"] = [dict(row, network=f"10.{100 + i // 256}.{i % 256}.0/24") for i in range(1001)]
    path = _write(tmp_path, "advertised-routes.json", advertised)
    (f,) = [f for f in _live_findings(SEED_YAML, path) if f.rule in ("LIVE003", "LIVE004")]
    assert f.rule == "LIVE003" and "1,001 IPv4 prefixes advertised" in f.message and "1,000" in f.message


# --------------------------------------------------------------------------- drift and ARP (edited copies)

def test_asn_drift_in_route_table_and_learned_routes(tmp_path):
    table = _fixture("route-table-primary.json")
    table["value"][1]["path"] = table["value"][1]["path"].replace("65001", "65002", 1)
    (f,) = [f for f in _live_findings(SEED_YAML, _write(tmp_path, "rt.json", table)) if f.rule == "LIVE006"]
    assert "on-premises peers with AS 65002, the design says 65001" in f.message
    assert "65002" in (tmp_path / "rt.json").read_text().splitlines()[f.loc.line - 1]
    assert f.path.endswith("peerings[0].peer_asn")
    learned = _fixture("learned-routes.json")
    learned["value"][1]["asPath"] = "12076-65010-64999"
    (f,) = [f for f in _live_findings(SEED_YAML, _write(tmp_path, "lr.json", learned)) if f.rule == "LIVE006"]
    assert "AS 65010" in f.message and f.message.startswith("gateway 'erspvnetcust1gw1'")


def test_prefix_not_in_design_and_overlapping_a_vnet(tmp_path):
    table = _fixture("route-table-primary.json")
    table["value"].append({"locPrf": "", "network": "10.0.100.0/24", "nextHop": "192.0.2.97", "path": "65001",
                           "weight": 0})
    findings = _live_findings(SEED_YAML, _write(tmp_path, "rt.json", table))
    assert sorted(f.rule for f in findings) == ["LIVE005", "LIVE007"]
    overlap = next(f for f in findings if f.rule == "LIVE005")
    assert "10.0.100.0/24, which overlaps VNet 'vnet1' (10.0.100.32/27)" in overlap.message
    assert "10.0.100.0/24" in (tmp_path / "rt.json").read_text().splitlines()[overlap.loc.line - 1]
    # the design's own 10.0.0.0/20 overlaps the transit VNet too, but NET011 reports that one
    assert not any("10.0.0.0/20" in f.message for f in findings)


def test_arp_entry_missing(tmp_path):
    arp = _fixture("arp-primary.json")
    arp["value"] = [r for r in arp["value"] if r["interface"] != "On-Prem"]
    (f,) = _live_findings(SEED_YAML, _write(tmp_path, "arp.json", arp))
    assert f.rule == "LIVE002" and "primary link: the ARP table has no On-Prem entry" in f.message
    assert "expected at 192.0.2.97" in f.message
    # an empty table is matched by its file name
    empty = _write(tmp_path, "arp-useasterc1cust1-secondary.json", {"nextLink": None, "value": []})
    assert sorted(f.message.split(": ")[1].split(" (")[0] for f in _live_findings(SEED_YAML, empty)) == [
        "the ARP table has no Microsoft entry", "the ARP table has no On-Prem entry"]
    # the router answers on another address than the link prefix gives it
    arp = _fixture("arp-secondary.json")
    arp["value"][0]["ipAddress"] = "192.0.2.103"
    findings = _live_findings(SEED_YAML, _write(tmp_path, "arp2.json", arp))
    assert [f.rule for f in findings] == ["LIVE002"]
    assert "On-Prem ARP entry is 192.0.2.103, not 192.0.2.101" in findings[0].message


def test_views_of_things_the_design_does_not_have(tmp_path):
    arp = _fixture("arp-primary.json")
    for row, ip in zip(arp["value"], ("198.18.0.1", "198.18.0.2")):
        row["ipAddress"] = ip
    (f,) = _live_findings(SEED_YAML, _write(tmp_path, "arp.json", arp))
    assert f.rule == "LIVE008" and "shows 198.18.0.1, 198.18.0.2, in no link prefix" in f.message
    table = _route_table(2, "198.51.100.0")
    for row in table["value"]:
        row["nextHop"] = "198.18.1.1"
    (f,) = [f for f in _live_findings(SEED_YAML, _write(tmp_path, "route-table-microsoft-primary.json", table))
            if f.rule == "LIVE008"]
    assert "shows a peering the design does not have (MicrosoftPeering)" in f.message
    bgp = _fixture("bgp-peer-status.json")
    for row in bgp["value"]:
        row["localAddress"] = "10.9.9.9"
    (f,) = [f for f in _live_findings(SEED_YAML, _write(tmp_path, "bgp.json", bgp)) if f.rule == "LIVE008"]
    assert "local address 10.9.9.9, outside the GatewaySubnet" in f.message


def test_two_circuits_need_names_for_stats(tmp_path):
    design = load_design(REPO / "examples" / "multi-region.yaml")
    stats = _write(tmp_path, "get-stats.json", _fixture("get-stats.json"))
    named = _write(tmp_path, "er-fra-1-stats.json", _fixture("get-stats.json"))
    report = lint(load_design([str(REPO / "examples" / "multi-region.yaml"), str(stats), str(named)]),
                  select=["LIVE008"])
    assert [str(f.loc.file) for f in report.findings] == [str(stats)]
    assert design.circuits  # the design itself is unchanged by the views


def test_a_suppress_entry_on_the_gateway_covers_its_live_finding(tmp_path):
    design = _seed_with(tmp_path, **{"    vnet: erspvnetcust1\n    type: ExpressRoute\n":
                                     "    vnet: erspvnetcust1\n    type: ExpressRoute\n    suppress: [{rule: LIVE001, "
                                     "reason: instance being replaced by Microsoft}]\n"})
    report = lint(load_design([str(design), str(LIVE / "bgp-peer-status.json")]), select=["LIVE001", "SUP"])
    (f,) = report.findings
    assert f.rule == "LIVE001" and f.suppressed and f.suppression_reason == "instance being replaced by Microsoft"


from hypothesis import given, settings
from hypothesis import strategies as st

_ANY = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=12),
                 st.sampled_from(["10.0.4.13", "192.0.2.97", "10.0.0.0/8", "12076-65001", "Connected", "3", "On-Prem",
                                  "EBgp", "::1", "2001:db8::/64", "not-an-ip/99"]))


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["arp-primary.json", "route-table-primary.json", "route-table-summary-primary.json",
                             "bgp-peer-status.json", "learned-routes.json", "advertised-routes-10.0.4.4.json"]),
       values=st.lists(_ANY, min_size=1, max_size=8), data=st.data())
def test_mangled_live_views_never_crash_the_rules(tmp_path_factory, kind, values, data):
    doc = _fixture(kind)
    rows = doc["value"]
    for value in values:
        row = data.draw(st.sampled_from(rows))
        key = data.draw(st.sampled_from(sorted(row)))
        row[key] = value
    path = _write(tmp_path_factory.mktemp("mangled"), kind, doc)
    report = lint(load_design([str(SEED_YAML), str(path)]), select=["LIVE"])
    assert report.errors == [], report.errors


def test_idle_link_from_get_stats(tmp_path):
    stats = _fixture("get-stats.json")
    assert not _live_findings(SEED_YAML, _write(tmp_path, "get-stats.json", stats))  # a new circuit: all zero
    stats.update(primarybytesIn=5000, primarybytesOut=7000)
    (f,) = _live_findings(SEED_YAML, _write(tmp_path, "get-stats.json", stats))
    assert f.rule == "LIVE009" and "the secondary link carried no traffic while the primary link carried 12,000" in f.message
    assert f.loc.line == 4  # secondarybytesIn
    stats.update(secondarybytesIn="n/a")
    assert not _live_findings(SEED_YAML, _write(tmp_path, "get-stats.json", stats))
