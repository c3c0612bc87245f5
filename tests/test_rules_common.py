"""What the rule families share: the one Evidence builder (checks/_common.py) and the
table look-ups in erdesign.facts."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from erdesign import facts
from erdesign.checks._common import STALE_AFTER_DAYS, evidence
from erdesign.data import table
from erdesign.engine.catalog import load_catalog
from erdesign.engine.registry import load_all_checks
from erdesign.engine.runner import lint
from erdesign.loader import load_design_text


def _source(table_name: str, source_id: str) -> dict:
    return next(s for s in table(table_name)["sources"] if s["id"] == source_id)


# --------------------------------------------------------------------------- evidence

def test_evidence_cites_title_url_table_and_the_sources_date():
    src = _source("asns", "ROUTING")
    ev = evidence("asns", "ROUTING", "Microsoft ASN", 12076)
    assert (ev.label, ev.value, ev.confidence) == ("Microsoft ASN", 12076, "verified")
    assert ev.source == f"{src['title']} <{src['url']}> [rules/data/asns.yaml]"
    assert ev.as_of == str(src["as_of"])
    assert str(ev) == f"Microsoft ASN: 12076 (source: {ev.source}, as of {ev.as_of})"


def test_undated_source_gives_the_table_date_marked_as_such():
    undated = next(s for s in table("addressing")["sources"] if not s.get("as_of") and s.get("url"))
    ev = evidence("addressing", undated["id"], "x", 1)
    assert ev.as_of == f"{table('addressing')['as_of']} (table date; source undated)"
    assert ev.source.startswith(undated["title"]) and ev.label == "x"


def test_source_without_url_and_unknown_source():
    no_url = next(s for s in table("addressing")["sources"] if not s.get("url"))
    assert evidence("addressing", no_url["id"], "x", 1).source == f"{no_url['title']} [rules/data/addressing.yaml]"
    unknown = evidence("sku_rules", None, "Premium required for", "something new", "estimate")
    assert unknown.source == "[rules/data/sku_rules.yaml]" and unknown.confidence == "estimate"
    assert unknown.as_of.endswith("(table date; source undated)")


def test_flag_stale_calls_out_a_source_much_older_than_its_table():
    table_date = table("peering_locations")["as_of"]
    geo = _source("peering_locations", "GEO")
    assert (table_date - geo["as_of"]).days > STALE_AFTER_DAYS
    flagged = evidence("peering_locations", "GEO", "geopolitical region", "Europe", flag_stale=True)
    assert flagged.label == f"geopolitical region (Microsoft table of {geo['as_of']}; may be out of date)"
    assert evidence("peering_locations", "GEO", "geopolitical region", "Europe").label == "geopolitical region"
    recent = next(s for s in table("peering_locations")["sources"]
                  if isinstance(s.get("as_of"), dt.date) and (table_date - s["as_of"]).days <= STALE_AFTER_DAYS)
    assert evidence("peering_locations", recent["id"], "x", 1, flag_stale=True).label == "x"


_PAGES = [p for rid, p in load_catalog().items()
          if rid in load_all_checks() and not p.example.bad.lstrip().startswith("# abbreviated")
          and not rid.startswith(("RTR", "LIVE"))]  # RTR: design + router configuration (test_rtr_rules.py); LIVE: live views (test_live.py)


@pytest.mark.parametrize("page", _PAGES, ids=lambda p: p.id)
def test_every_quoted_number_names_its_table_and_a_date(page):
    design = load_design_text(page.example.bad, f"{page.id}.yaml")
    for f in load_all_checks()[page.id](design):
        for ev in f.evidence:
            assert re.search(r" ?\[rules/data/\w+\.yaml\]$", ev.source), ev
            assert re.match(r"\d{4}-\d{2}-\d{2}", ev.as_of), ev


# --------------------------------------------------------------------------- catalog examples of SKU, GR, RES

# RES014-RES019 are issue 10's (imports and Virtual WAN); they may or may not be registered here.
@pytest.mark.parametrize("family, numbers", [
    ("SKU", range(1, 13)), ("GR", range(1, 10)), ("RES", [*range(1, 14), *range(20, 29)]), ("VLAN", range(1, 8)),
    ("CAP", range(1, 15)), ("GW", range(1, 22)), ("FP", range(1, 10)), ("MON", range(1, 3)), ("VPN", range(1, 4)),
])
def test_every_rule_of_the_family_is_registered(family, numbers):
    registered = {r for r in load_all_checks() if r.startswith(family) and not "RES014" <= r <= "RES019"}
    assert sorted(registered) == [f"{family}{i:03d}" for i in numbers]


@pytest.mark.parametrize("rule_id", sorted(r for r in load_all_checks() if r.startswith(("SKU", "GR", "RES"))))
def test_catalog_example_gives_one_placed_finding(rule_id):
    """Through the engine, the bad example gives exactly one finding of the rule, with the page's
    severity, a line in the file, a resource and a hint; the good example none
    (that bad triggers and good does not, for every rule: tests/test_engine_catalog.py)."""
    page = load_catalog()[rule_id]
    report = lint(load_design_text(page.example.bad, "bad.yaml"), select=[rule_id])
    assert [f.rule for f in report.findings] == [rule_id] and not report.errors
    [f] = report.findings
    assert f.severity == page.severity and f.loc.file == "bad.yaml" and f.loc.line > 1
    assert f.resource and f.hint
    assert lint(load_design_text(page.example.good, "good.yaml"), select=[rule_id]).findings == []


# --------------------------------------------------------------------------- facts

def test_region_key_compares_known_regions_by_name_and_others_by_text():
    assert facts.region_key("East US") == facts.region_key("eastus") == "eastus"
    assert facts.region_key("Nowhere Land") == facts.region_key("nowhere-land") == "nowhereland"
    assert facts.region_key(None) is None and facts.region_key("") is None


def test_peering_location_per_cloud():
    assert facts.peering_location("washington dc")["name"] == "Washington DC"
    gov = facts.peering_location("Washington DC", "AzureUSGovernment")
    assert gov["name"] == "Washington DC" and gov["cloud"] == "AzureUSGovernment"
    assert facts.peering_location("Amsterdam", "AzureUSGovernment") is None
    assert facts.clouds_of_peering_location("chicago") == ["AzureCloud", "AzureUSGovernment"]
    assert facts.clouds_of_peering_location("Atlantis") == [] and facts.clouds_of_peering_location(None) == []


def test_closest_names_and_placeholders():
    assert facts.closest_peering_location("Amsterdm") == "Amsterdam"
    assert facts.closest_region("useast") == "eastus"
    for placeholder in ("<PoP_name>", "{{location}}", "[parameters('loc')]", "${var.region}"):
        assert facts.is_placeholder(placeholder)
        assert facts.closest_region(placeholder) is None and facts.closest_peering_location(placeholder) is None
    assert not facts.is_placeholder("Washington DC")


def test_expressroute_gateway_sku():
    design = load_design_text(
        "vnets:\n  - {name: hub, address_space: [10.0.0.0/24]}\n"
        "gateways:\n  - {name: er, vnet: hub, sku: ergw1az}\n"
        "  - {name: vpn, vnet: hub, type: Vpn, sku: VpnGw1AZ}\n", "design.yaml")
    er, vpn = design.gateways
    assert facts.expressroute_gateway_sku(er)["name"] == "ErGw1AZ"
    assert facts.expressroute_gateway_sku(vpn) is None


@pytest.mark.parametrize("port_location, location, how", [
    ("Equinix-Amsterdam-AM5", "Amsterdam", "port location list"),    # AVM examples, Equinix AM5 in LOCPROV
    ("Equinix-Ashburn-DC2", "Washington DC", "port location list"),  # Microsoft's Direct how-to
    ("Equinix-Frankfurt-FR7", "Frankfurt2", "facility"),             # LOCPROV: Frankfurt2 = Equinix FR7
    ("Interxion-Amsterdam-AMS8", "Amsterdam2", "facility"),          # "Digital Realty(Interxion) AMS8"
])
def test_direct_port_location_resolves_to_its_peering_location(port_location, location, how):
    found = facts.peering_location(port_location)
    assert (found["name"], found["matched_by"], found["port_location"]) == (location, how, port_location)
    assert port_location in found["match_note"] and location in found["match_note"]
    assert facts.clouds_of_peering_location(port_location) == [facts.COMMERCIAL_CLOUD]


def test_direct_port_location_amsterdam_facts():
    found = facts.direct_port_location("Equinix-Amsterdam-AM5")
    assert (found["pricing_zone"], found["geopolitical_region"], found["facility"]) == (1, "Europe", "Equinix AM5")


def test_direct_port_location_needs_one_facility_and_its_operator():
    assert facts.direct_port_location("Equinix-Nowhere-ZZ9") is None
    assert facts.direct_port_location("Megaport-Amsterdam-AM5") is None  # AM5 is Equinix's
    assert facts.direct_port_location("Amsterdam") is None               # a peering location, not a port location
    assert facts.looks_like_port_location("Equinix-Nowhere-ZZ9") and facts.looks_like_port_location("Airtel-Chennai-CLS")
    assert not facts.looks_like_port_location("Washington DC") and not facts.looks_like_port_location("New-York-City")


def test_direct_port_location_table_points_at_known_peering_locations():
    from erdesign.data import table

    data = table("direct_port_locations")
    known = set(facts.known_peering_locations())
    assert {e["peering_location"] for e in data["port_locations"].values()} <= known
    assert set(data["facilities"]) <= known
    assert all(e.get("source") and (e.get("confidence") != "estimate" or e.get("derivation"))
               for e in data["port_locations"].values())
