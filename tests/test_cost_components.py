"""The price components are declared once (erdesign.costing.components); everything else reads them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import erdesign
from erdesign.costing.book import PriceEntry
from erdesign.costing.components import COMPONENTS, chart_label, map_meter, noun
from erdesign.costing.retail import map_item

REPO = Path(__file__).resolve().parent.parent
RETAIL = REPO / "tests" / "fixtures" / "retail_prices"


def _fixture_items():
    for path in sorted(RETAIL.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("Items"), list):
            yield from data["Items"]


@pytest.mark.parametrize("example", ["minimal.yaml", "multi-region.yaml", "seed.yaml"])
def test_every_cost_line_is_a_declared_component(example):
    report = erdesign.cost(REPO / "examples" / example)
    assert report.lines
    assert {line.component for line in report.lines} <= set(COMPONENTS)


def test_the_book_accepts_exactly_the_declared_components():
    annotation = PriceEntry.model_fields["component"].annotation
    assert set(annotation.__args__) == set(COMPONENTS)


def test_mapped_meters_make_valid_entries_of_their_component():
    mapped = 0
    for item in _fixture_items():
        fields, reason = map_item(item)
        if fields is None:
            assert reason
            continue
        mapped += 1
        component = COMPONENTS[fields["component"]]
        assert component.retail is not None and component.retail.service == item["serviceName"]
        entry = PriceEntry.model_validate({**fields, "price": 1, "source": "test", "confidence": "verified"}
                                          | ({"derivation": "test"} if fields.get("confidence") == "estimate" else {}))
        assert entry.unit in component.units
    assert mapped > 20


def test_a_meter_of_no_component_says_why():
    from erdesign.costing.components import Meter

    fields, reason = map_meter(Meter("Storage", "Blob", "Hot LRS", "", "eastus", "GB"))
    assert fields is None and reason == "service 'Storage' is not part of an ExpressRoute design's cost"


def test_nouns_and_chart_labels_come_from_the_declaration():
    assert noun("circuit_port") == ("port fee", "port fees")
    assert noun("cross_connect", one_time=True) == ("cross-connect one-time fee", "cross-connect one-time fees")
    assert noun("circuit_port", one_time=True) == ("port fee", "port fees")  # only carrier fees have a one-time kind
    assert chart_label("er_gateway") == "ExpressRoute gateways"
    assert chart_label("public_ip") == "public_ip"
    assert noun("vpn_data") == ("VPN data charge", "VPN data charges")
