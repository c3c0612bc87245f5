"""`erdesign diff`: change safety, findings delta and cost delta on the examples and edited copies."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from erdesign.diff import compare, finding_key
from erdesign.diff.render import render, summary_line
from erdesign.diff.safety import classify
from erdesign.loader import load_design_text

from conftest import EXAMPLES

SEED = (EXAMPLES / "seed.yaml").read_text()
MINIMAL = (EXAMPLES / "minimal.yaml").read_text()

SPOKE = MINIMAL.replace("""public_ips:""", """  - name: spoke1
    region: westeurope
    address_space: [10.20.0.0/16]

vnet_peerings:
  - {name: hub-to-spoke1, vnet: hub, remote_vnet: spoke1, allow_gateway_transit: true}
  - {name: spoke1-to-hub, vnet: spoke1, remote_vnet: hub, use_remote_gateways: true}

public_ips:""").replace("""    - {circuit: er-ams, egress_gb_month: 1000}""", """    - {circuit: er-ams, egress_gb_month: 1000}
  vnet_peerings:
    - {vnet_peering: spoke1-to-hub, outbound_gb_month: 300, inbound_gb_month: 700}""")


def diff(old: str, new: str, **kw):
    return compare(load_design_text(old, "old.yaml"), load_design_text(new, "new.yaml"), **kw)


def edited(text: str, old: str, new: str, count: int = -1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def only_change(report):
    assert len(report.changes) == 1, [c.describe() for c in report.changes]
    return report.changes[0]


# --------------------------------------------------------------------------- no change

@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_an_example_against_itself_has_no_change(example):
    text = (EXAMPLES / example).read_text()
    report = diff(text, text)
    assert report.changes == []
    assert report.findings.new == [] and report.findings.fixed == []
    assert report.cost.changed_lines == []
    assert all(d == 0 for _, _, d in report.cost.totals().values())
    assert report.exit_code() == 0


def test_reordering_a_list_and_moving_lines_is_not_a_change():
    moved = edited(SEED, "      - {name: xc-rtr1, site: corp-pop}\n      - {name: xc-rtr2, site: corp-pop}",
                   "      - {name: xc-rtr2, site: corp-pop}\n      - {name: xc-rtr1, site: corp-pop}")
    moved = "# a comment that moves every line down\n\n" + moved
    report = diff(SEED, moved)
    assert report.changes == []
    assert len(report.findings.unchanged) == len(diff(SEED, SEED).findings.unchanged)


# --------------------------------------------------------------------------- the edits of the issue

def test_bandwidth_up_is_in_place_and_the_carrier_lines_lose_their_price():
    report = diff(SEED, edited(SEED, "bandwidth: 1Gbps", "bandwidth: 2Gbps"))
    circuit = [c for c in report.changes if c.field_change.kind == "circuit"]
    assert [c.describe() for c in circuit] == ["circuit 'useasterc1cust1' bandwidth: 1Gbps -> 2Gbps"]
    assert circuit[0].safety.cls == "in_place" and circuit[0].safety.confidence == "verified"
    carrier = [c for c in report.changes if c.field_change.kind == "provider"]
    assert {c.safety.cls for c in carrier} == {"in_place"} and {c.safety.confidence for c in carrier} == {"estimate"}
    # the carrier book prices 1Gbps virtual circuits but not 2Gbps ones: the delta is unknown, not -900
    vcs = [line for line in report.cost.changed_lines if line.component == "carrier_virtual_circuit"]
    assert len(vcs) == 2 and all(line.delta is None and line.old_amount == 900 for line in vcs)
    assert "monthly cost change unknown: 3 changed lines unpriced" in summary_line(report)
    # the Standard gateway (1 Gbps) now carries less than the circuit: GW019 (issue 11), a warning
    assert [f.rule for f in report.findings.new] == ["GW019"] and report.findings.fixed == []
    assert report.exit_code() == 0


def test_bandwidth_down_needs_a_new_circuit():
    report = diff(SEED, edited(SEED, "bandwidth: 1Gbps\n    sku", "bandwidth: 500Mbps\n    sku"))
    change = only_change(report)
    assert change.describe() == "circuit 'useasterc1cust1' bandwidth: 1Gbps -> 500Mbps"
    assert change.safety.cls == "new_resource" and change.safety.source == "CKTPORTAL"
    assert str(change.field_change.old_loc) == "old.yaml:44:16" and str(change.field_change.new_loc) == "new.yaml:44:16"
    port = [line for line in report.cost.changed_lines if line.component == "circuit_port"]
    assert len(port) == 1 and port[0].delta is None  # unpriced on both sides: unknown, never 0
    assert report.exit_code() == 0  # default: fail on not allowed only
    report.fail_on = "new_resource"
    assert report.exit_code() == 1


def test_metered_to_unlimited_is_in_place_and_saves_the_outbound_charge():
    report = diff(MINIMAL, edited(MINIMAL, "family: MeteredData", "family: UnlimitedData"))
    change = only_change(report)
    assert change.field_change.field == "sku.family" and change.safety.cls == "in_place"
    egress = [line for line in report.cost.changed_lines if line.component == "circuit_egress"]
    assert len(egress) == 1 and egress[0].old_amount == 25 and egress[0].new_amount == 0 and egress[0].delta == -25
    assert report.cost.totals()["monthly"][2] == -25


def test_unlimited_to_metered_is_not_allowed_and_fails_by_default(run_cli, tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(edited(SEED, "family: UnlimitedData", "family: MeteredData"))
    report = diff(SEED, new.read_text(), fail_on="not_allowed")
    assert only_change(report).safety.cls == "not_allowed"
    result = run_cli("diff", EXAMPLES / "seed.yaml", new)
    assert result.code == 1
    assert "[not allowed]" in result.out and "1 change(s) at or above 'not allowed'" in result.out
    assert run_cli("diff", EXAMPLES / "seed.yaml", new, "--fail-on", "never").code == 0


def test_provider_change_needs_a_new_circuit_and_says_it_is_an_estimate():
    report = diff(MINIMAL, edited(MINIMAL, "provider: Equinix", "provider: Megaport"))
    change = only_change(report)
    assert change.safety.cls == "new_resource" and change.safety.confidence == "estimate"
    assert "[estimate]" in render(report, "text")
    assert json.loads(render(report, "json"))["summary"]["estimates"] == 1


def test_a_new_spoke_is_added_in_place_and_its_peering_traffic_is_priced():
    report = diff(MINIMAL, SPOKE)
    added = {(c.field_change.kind, c.field_change.name): c.safety.cls for c in report.changes}
    assert added == {("vnet", "spoke1"): "in_place", ("vnet_peering", "hub-to-spoke1"): "in_place",
                     ("vnet_peering", "spoke1-to-hub"): "in_place", ("traffic", "vnet_peerings/spoke1-to-hub"): "none"}
    assert all(c.field_change.change == "added" and c.field_change.old_loc is None for c in report.changes)
    peering = [line for line in report.cost.changed_lines if line.component == "vnet_peering"]
    assert sorted(line.delta for line in peering) == [3, 3, 7, 7]  # 300/700 GB each way at 0.01 USD/GB
    assert report.cost.totals()["monthly"][2] == 20
    assert "+20.00 USD" in summary_line(report)


def test_vlan_change_is_in_place_with_downtime():
    report = diff(SEED, edited(SEED, "vlan_id: 28\n", "vlan_id: 30\n"))
    change = only_change(report)
    assert change.field_change.field == "peerings[AzurePrivatePeering].vlan_id"
    assert (change.field_change.old, change.field_change.new) == (28, 30)
    assert change.safety.cls == "downtime" and change.safety.confidence == "estimate"
    assert report.cost.changed_lines == []


def test_findings_new_and_fixed():
    new = edited(SEED, "peer_asn: 65001", "peer_asn: 65515")  # reserved ASN: BGP001
    new = edited(new, "    sku: Standard\n", "    sku: ErGw1AZ\n")  # the legacy gateway SKU finding goes away
    report = diff(SEED, new)
    assert sorted(f.rule for f in report.findings.new) == ["BGP001", "BGP006"]  # reserved; differs from the router
    assert "GW001" in [f.rule for f in report.findings.fixed]
    sku = next(c for c in report.changes if c.field_change.field == "sku" and c.field_change.kind == "gateway")
    assert sku.safety.cls == "downtime" and sku.safety.source == "MIGR"  # non-AZ -> AZ: gateway migration
    asn = next(c for c in report.changes if c.field_change.field.endswith("peer_asn"))
    assert asn.safety.cls == "downtime"


def test_removed_object_and_removed_list_item():
    new = edited(MINIMAL, "connections:\n  - {name: hub-ergw-to-er-ams, gateway: hub-ergw, circuit: er-ams}\n", "")
    report = diff(MINIMAL, new)
    removed = [c for c in report.changes if c.field_change.change == "removed"]
    assert [c.describe() for c in removed] == ["connection 'hub-ergw-to-er-ams' removed"]
    assert removed[0].safety.cls == "downtime" and removed[0].field_change.new_loc is None
    assert str(removed[0].field_change.old_loc).startswith("old.yaml:")


@pytest.mark.parametrize("old,new,cls", [
    ("ErGw1AZ", "ErGw3AZ", "in_place"),
    ("Standard", "HighPerformance", "in_place"),
    ("ErGw1AZ", "ErGwScale", "in_place"),
    ("UltraPerformance", "ErGw3AZ", "downtime"),
    ("ErGw2AZ", "Standard", "new_resource"),
    ("ErGw3AZ", "ErGw1AZ", "new_resource"),
])
def test_gateway_sku_resize_within_and_across_families(old, new, cls):
    assert classify("gateway", "sku", old, new).cls == cls


@pytest.mark.parametrize("old,new,cls", [
    ("Standard", "Premium", "in_place"), ("Premium", "Standard", "in_place"),
    ("Local", "Standard", "in_place"), ("Premium", "Local", "in_place"),
])
def test_circuit_tier_changes(old, new, cls):
    assert classify("circuit", "sku.tier", old, new).cls == cls


def test_an_unknown_field_is_not_classified_and_never_fails():
    s = classify("route_table", "routes.next_hop_ip", "10.0.0.4", "10.0.0.5")
    assert s.cls == "unclassified" and s.rank < 0


def test_every_rule_cites_a_listed_source_and_a_known_class():
    from erdesign.data import table

    t = table("change_safety")
    ids = {s["id"] for s in t["sources"]}
    classes = {c["id"] for c in t["classes"]}
    for rule in t["rules"]:
        assert rule["source"] in ids, rule
        assert rule["class"] in classes, rule
        assert rule.get("confidence", "verified") in ("verified", "estimate"), rule


# --------------------------------------------------------------------------- outputs and the CLI

def test_markdown_puts_the_summary_first_and_folds_details():
    report = diff(SEED, edited(SEED, "bandwidth: 1Gbps\n    sku", "bandwidth: 500Mbps\n    sku"))
    md = render(report, "markdown")
    lines = md.splitlines()
    assert lines[0].startswith("### erdesign diff") and lines[2].startswith("**1 change (1 needs a new resource)")
    assert md.index("<details>") > md.index("**1 change")
    assert md.count("<details>") == md.count("</details>") == 3


def test_json_output(run_cli, tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(edited(SEED, "vlan_id: 28\n", "vlan_id: 30\n"))
    result = run_cli("diff", EXAMPLES / "seed.yaml", new, "-f", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["summary"]["by_class"] == {"downtime": 1}
    change = data["changes"][0]
    assert change["field"] == "peerings[AzurePrivatePeering].vlan_id"
    assert change["old_location"].endswith("seed.yaml:54:18") and change["new_location"].endswith("new.yaml:54:18")
    assert change["safety"]["confidence"] == "estimate" and change["safety"]["citation"]
    assert data["cost"]["complete"] is False and data["cost"]["note"]


def test_usage_errors(run_cli):
    assert run_cli("diff", EXAMPLES / "seed.yaml").code == 2
    bad = run_cli("diff", EXAMPLES / "seed.yaml", EXAMPLES / "missing.yaml")
    assert bad.code == 2 and "Traceback" not in bad.err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_base_reads_the_old_side_with_git_show(run_cli, tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    design = tmp_path / "net" / "design.yaml"
    design.parent.mkdir()
    design.write_text(SEED)
    git("add", "-A")
    git("commit", "-q", "-m", "seed")
    design.write_text(edited(SEED, "family: UnlimitedData", "family: MeteredData"))
    result = run_cli("diff", "--base", "HEAD", "net/design.yaml", cwd=tmp_path)
    assert result.code == 1, result.err
    assert "HEAD:net/design.yaml:45:" in result.out and "[not allowed]" in result.out
    folder = run_cli("diff", "--base", "HEAD", "net", "-f", "json", cwd=tmp_path)
    assert json.loads(folder.out)["summary"]["by_class"] == {"not_allowed": 1}
    missing = run_cli("diff", "--base", "no-such-rev", "net/design.yaml", cwd=tmp_path)
    assert missing.code == 2 and "git" in missing.err


def test_finding_key_ignores_location():
    a = diff(SEED, SEED).findings.unchanged[0]
    assert finding_key(a).startswith(a.rule + "|")


# --------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_OFFERED = [50, 100, 200, 500, 1000, 2000, 5000, 10000]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_OFFERED), st.sampled_from(_OFFERED))
def test_bandwidth_change_class_follows_the_direction(old, new):
    from erdesign.model import format_bandwidth

    a = edited(MINIMAL, "bandwidth: 200Mbps", f"bandwidth: {format_bandwidth(old)}")
    b = edited(MINIMAL, "bandwidth: 200Mbps", f"bandwidth: {format_bandwidth(new)}")
    report = diff(a, b)
    if old == new:
        assert report.changes == []
    else:
        change = only_change(report)
        assert change.safety.cls == ("in_place" if new > old else "new_resource")
        back = only_change(diff(b, a))
        assert back.safety.cls == ("in_place" if old > new else "new_resource")


def test_cost_lines_are_labelled_per_month_not_as_tco():
    """The changed cost lines carry monthly (or one-time) amounts; only the totals have the TCO."""
    report = diff(MINIMAL, edited(MINIMAL, "family: MeteredData", "family: UnlimitedData"))
    text = render(report, "text")
    header = next(line for line in text.splitlines() if line.startswith("Cost ("))
    assert "a month" in header and "TCO" not in header.split(";")[0], header
    md = render(report, "markdown")
    assert "| object | line | old (a month) | new (a month) | delta |" in md
