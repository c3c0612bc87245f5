"""VNET rules (peering, gateway transit), plus what the GW/FP/CAP/VNET families
say about the evidence of their catalog examples and about the seed design."""
from __future__ import annotations

import pytest

from erdesign.checks import vnet
from erdesign.loader import load_design, load_design_text
from rules_helpers import line_of, only, run

MY_FAMILIES = ("GW", "FP", "CAP", "VNET")


def design(peerings: str, spoke_gateway: bool = False, hub_gateway: bool = True,
           spoke_space: str = "10.1.0.0/24") -> str:
    text = ("vnets:\n"
            "  - name: hub\n    address_space: [10.0.0.0/24]\n    subnets: [{name: GatewaySubnet, prefix: 10.0.0.0/27}]\n"
            f"  - name: spoke1\n    address_space: [{spoke_space}]\n"
            "    subnets: [{name: GatewaySubnet, prefix: 10.1.0.0/27}]\n"
            "  - {name: spoke2, address_space: [10.2.0.0/24]}\n")
    gws = (["  - {name: hub-gw, vnet: hub, sku: ErGw1AZ}\n"] if hub_gateway else []) + \
          (["  - {name: spoke1-gw, vnet: spoke1, sku: ErGw1AZ}\n"] if spoke_gateway else [])
    if gws:
        text += "gateways:\n" + "".join(gws)
    return text + "vnet_peerings:\n" + peerings


def p(name: str, vnet_: str, remote: str, **flags) -> str:
    extra = "".join(f", {k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in flags.items())
    return f"  - {{name: {name}, vnet: {vnet_}, remote_vnet: {remote}{extra}}}\n"


HUB_SPOKE = p("hub-to-spoke1", "hub", "spoke1", allow_gateway_transit=True) + \
    p("spoke1-to-hub", "spoke1", "hub", use_remote_gateways=True)


# --------------------------------------------------------------------------- VNET001

def test_vnet001_reverse_peering_without_gateway_transit():
    text = design(p("hub-to-spoke1", "hub", "spoke1") + p("spoke1-to-hub", "spoke1", "hub", use_remote_gateways=True))
    f, loc = only(run(vnet.remote_gateway_unavailable, text), "VNET001")
    assert ("VNet peering 'hub-to-spoke1' (hub -> spoke1): does not allow gateway transit, but its reverse peering "
            "'spoke1-to-hub' uses remote gateways") in f.message
    assert loc.line == line_of(text, "name: hub-to-spoke1")


def test_vnet001_remote_vnet_without_gateway():
    text = design(p("spoke1-to-spoke2", "spoke1", "spoke2", use_remote_gateways=True)
                  + p("spoke2-to-spoke1", "spoke2", "spoke1", allow_gateway_transit=True))
    f, loc = only(run(vnet.remote_gateway_unavailable, text), "VNET001")
    assert "uses remote gateways, but VNet 'spoke2' has no gateway" in f.message
    assert loc.line == line_of(text, "name: spoke1-to-spoke2")


def test_vnet001_passes():
    assert run(vnet.remote_gateway_unavailable, design(HUB_SPOKE)) == []


# --------------------------------------------------------------------------- VNET002

def test_vnet002_own_gateway_and_remote_gateways():
    text = design(HUB_SPOKE, spoke_gateway=True)
    f, loc = only(run(vnet.own_gateway_and_remote_gateways, text), "VNET002")
    assert ("VNet peering 'spoke1-to-hub' (spoke1 -> hub): uses remote gateways, but VNet 'spoke1' has its own "
            "gateway 'spoke1-gw'") in f.message
    assert loc.line == line_of(text, "name: spoke1-to-hub")


def test_vnet002_passes():
    assert run(vnet.own_gateway_and_remote_gateways, design(HUB_SPOKE)) == []


# --------------------------------------------------------------------------- VNET003

def test_vnet003_two_peerings_use_remote_gateways():
    text = design(HUB_SPOKE + p("spoke1-to-spoke2", "spoke1", "spoke2", use_remote_gateways=True))
    f, loc = only(run(vnet.several_remote_gateway_peerings, text), "VNET003")
    assert ("VNet 'spoke1' already uses remote gateways through peering 'spoke1-to-hub'; only one peering of a VNet "
            "can use remote gateways") in f.message
    assert loc.line == line_of(text, "name: spoke1-to-spoke2")


def test_vnet003_passes():
    assert run(vnet.several_remote_gateway_peerings, design(HUB_SPOKE + p("spoke1-to-spoke2", "spoke1", "spoke2"))) == []


# --------------------------------------------------------------------------- VNET004

def test_vnet004_overlapping_address_spaces():
    text = design(HUB_SPOKE, spoke_space="10.0.0.128/25")
    f, loc = only(run(vnet.overlapping_peered_vnets, text), "VNET004")
    assert "VNet 'hub' address space 10.0.0.0/24 overlaps VNet 'spoke1' 10.0.0.128/25" in f.message
    assert loc.line == line_of(text, "name: hub-to-spoke1")


def test_vnet004_unpeered_overlap_is_not_this_rule():
    text = design(HUB_SPOKE, spoke_space="10.1.0.0/24").replace("[10.2.0.0/24]", "[10.0.0.0/16]")
    assert run(vnet.overlapping_peered_vnets, text) == []


# --------------------------------------------------------------------------- VNET005

def test_vnet005_missing_reverse_peering():
    text = design(HUB_SPOKE + p("hub-to-spoke2", "hub", "spoke2"))
    f, loc = only(run(vnet.peering_without_reverse, text), "VNET005")
    assert "VNet peering 'hub-to-spoke2' (hub -> spoke2): VNet 'spoke2' has no peering back to 'hub'" in f.message
    assert loc.line == line_of(text, "name: hub-to-spoke2")


def test_vnet005_passes_with_both_sides_or_a_live_state():
    assert run(vnet.peering_without_reverse, design(HUB_SPOKE)) == []
    assert run(vnet.peering_without_reverse, design(HUB_SPOKE + p("hub-to-spoke2", "hub", "spoke2",
                                                                   state="Connected"))) == []


# --------------------------------------------------------------------------- VNET006

@pytest.mark.parametrize("state", ["Initiated", "Disconnected"])
def test_vnet006_state_not_connected(state):
    text = design(HUB_SPOKE + p("hub-to-spoke2", "hub", "spoke2", state=state))
    f, loc = only(run(vnet.peering_not_connected, text), "VNET006")
    assert f"VNet peering 'hub-to-spoke2' (hub -> spoke2): peering state is {state}, not Connected" in f.message
    assert loc.line == line_of(text, f"state: {state}")


def test_vnet006_connected_or_unknown_passes():
    text = design(HUB_SPOKE.replace("allow_gateway_transit: true", "allow_gateway_transit: true, state: Connected"))
    assert run(vnet.peering_not_connected, text) == []


# --------------------------------------------------------------------------- catalog examples, seed

def _my_pages():
    from erdesign.engine.catalog import load_catalog

    return [page for rid, page in load_catalog().items() if rid.startswith(MY_FAMILIES)]


@pytest.mark.parametrize("page", [p for p in _my_pages() if not p.example.bad.startswith("# abbreviated")],
                         ids=lambda p: p.id)
def test_catalog_example_evidence_has_a_web_source_and_a_date(page):
    """Every number the bad example's findings quote comes with its source and date
    (that bad triggers the rule and good does not: tests/test_engine_catalog.py)."""
    from erdesign.engine.registry import load_all_checks

    bad = load_design_text(page.example.bad, f"{page.id}-bad.yaml")
    found = [f for f in load_all_checks()[page.id](bad) if f.rule == page.id]
    assert found, page.example.bad
    for f in found:
        assert all("http" in e.source and e.as_of for e in f.evidence), f.evidence


def test_seed_gives_only_the_legacy_sku_warning_from_these_families(examples_dir):
    from erdesign.engine.runner import lint

    report = lint(load_design(examples_dir / "seed.yaml"))
    mine = [f for f in report.findings if f.rule.startswith(MY_FAMILIES)]
    # GW020 (customer-controlled maintenance not declared) is an info finding
    assert [(f.rule, f.severity, f.loc.line) for f in mine] == [("GW020", "info", 75), ("GW001", "warning", 80)]
    mine = mine[1:]
    assert mine[0].message == ("gateway 'erspvnetcust1gw1': SKU Standard is a legacy non-zone-redundant SKU; "
                               "ErGw1AZ is its zone-redundant equivalent")
    assert all(e.source and e.as_of for e in mine[0].evidence)
