"""`erdesign pricing import`: saved Azure Retail Prices API responses -> a price book."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from erdesign.costing.book import parse_book
from erdesign.costing.retail import import_files, map_item

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "retail_prices"
ER = FIXTURES / "eastus2-expressroute.json"
VNET = FIXTURES / "eastus2-virtual_network.json"
VPN = FIXTURES / "eastus2-vpn_gateway-page1.json"
CIRCUITS = FIXTURES / "synthetic-zone1-circuits.json"


def test_gateway_meters_map_to_er_gateway_with_their_dates():
    result = import_files([str(ER)])
    got = {(m.entry["sku"], m.entry["price"], m.entry["as_of"]) for m in result.entries}
    assert got == {("Standard", 0.19, "2019-09-01"), ("HighPerformance", 0.49, "2019-09-01"),
                   ("UltraPerformance", 1.87, "2016-10-01"), ("ErGw1AZ", 0.361, "2018-10-17"),
                   ("ErGw2AZ", 0.632, "2018-07-01"), ("ErGw3AZ", 2.151, "2018-07-01"),
                   ("ErGwScale", 0.21, "2024-10-01")}
    assert all(m.entry["confidence"] == "verified" and m.entry["source"] == "eastus2-expressroute"
               and m.entry["region"] == "eastus2" and m.entry["unit"] == "hour" for m in result.entries)
    assert result.skipped == []


def test_virtual_network_maps_global_peering_and_static_public_ips():
    result = import_files([str(VNET)])
    peering = [m.entry for m in result.entries if m.entry["component"] == "vnet_peering"]
    assert sorted((e["scope"], e["direction"], e["price"]) for e in peering) == [
        ("global", "egress", 0.035), ("global", "ingress", 0.035)]
    ips = {m.entry["sku"]: m.entry for m in result.entries if m.entry["component"] == "public_ip"}
    assert (ips["Standard"]["price"], ips["Standard"]["unit"], ips["Standard"]["region"]) == (0.005, "hour", "eastus2")
    assert ips["Basic"]["price"] == 0.0036  # Basic IPv4 Static Public IP
    assert all(m.entry["confidence"] == "verified" for m in result.entries)
    # Public IP Prefix x2, Basic dynamic and Global addresses are not what a gateway uses
    assert len(result.skipped) == 4
    assert all("does not price" in s.reason for s in result.skipped)


def test_circuit_meters_and_what_is_not_mapped():
    result = import_files([str(CIRCUITS)])
    entries = {m.entry["component"] + ":" + m.entry.get("tier", "") + ":" + m.entry.get("plan", ""): m.entry
               for m in result.entries}
    std = entries["circuit_port:Standard:MeteredData"]
    assert (std["bandwidth"], std["zone"], std["price"], std["unit"]) == ("1Gbps", "Zone 1", 436.0, "month")
    assert entries["circuit_port:Local:UnlimitedData"]["bandwidth"] == "1Gbps"
    assert entries["circuit_port:Premium:MeteredData"]["bandwidth"] == "100Mbps"
    egress = entries["circuit_egress::MeteredData"]
    assert (egress["zone"], egress["price"], egress["bandwidth"]) == ("Zone 1", 0.025, "1Gbps")
    reasons = {s.meter.split(" (")[0]: s.reason for s in result.skipped}
    assert "Reservation" in reasons["Standard Unlimited Data 1 Gbps Circuit"]
    assert "Reservation" in reasons["Standard Unlimited Data 1 Gbps Circuit"]
    direct = entries["direct_port_pair::"]
    assert (direct["port_bandwidth"], direct["zone"], direct["price"]) == ("100Gbps", "Zone 1", 9999.0)
    assert direct["confidence"] == "estimate" and "by the words in its name" in direct["derivation"]


def test_paged_response_warns_about_the_next_page():
    result = import_files([str(VPN)])
    assert {m.entry["sku"] for m in result.entries} == {"VpnGw1AZ", "VpnGw2AZ", "Basic"}
    assert any("NextPageLink is set" in w for w in result.warnings)
    assert len(result.skipped) == 3  # S2S, P2S, Advanced Connectivity Add-On


@pytest.mark.parametrize("item,expected", [
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute", "meterName": "Premium Unlimited Data 10 Gbps Circuit",
      "armRegionName": "Zone 2", "unitOfMeasure": "1/Month", "retailPrice": 1.0},
     {"component": "circuit_port", "tier": "Premium", "plan": "UnlimitedData", "bandwidth": "10Gbps", "zone": "Zone 2"}),
    ({"serviceName": "Virtual Network", "productName": "Virtual Network Peering", "meterName": "Intra-Region Egress",
      "armRegionName": "Global", "unitOfMeasure": "1 GB", "retailPrice": 0.01},
     {"component": "vnet_peering", "scope": "intra_region", "direction": "egress"}),
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute", "meterName": "Standard Metered Data 1 Gbps Circuit",
      "armRegionName": "Zone 1", "unitOfMeasure": "1/Month", "tierMinimumUnits": 100.0, "retailPrice": 1.0}, None),
    ({"serviceName": "Virtual WAN", "productName": "Virtual WAN", "meterName": "ExpressRoute Scale Unit",
      "armRegionName": "westeurope", "unitOfMeasure": "1 Hour", "retailPrice": 0.42}, None),
    # Global Reach and Direct meter names are not documented: mapped by the words in the name, as estimates
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute Global Reach", "meterName": "Global Reach Data Transfer In",
      "armRegionName": "Zone 2", "unitOfMeasure": "1 GB", "retailPrice": 0.1},
     {"component": "global_reach_data", "direction": "ingress", "zone": "Zone 2"}),
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute Global Reach", "meterName": "Global Reach Data",
      "armRegionName": "Zone 1", "unitOfMeasure": "1 GB", "retailPrice": 0.1}, None),
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute Global Reach", "meterName": "Global Reach Add-on 1 Gbps",
      "armRegionName": "Zone 1", "unitOfMeasure": "1/Month", "retailPrice": 1.0},
     {"component": "global_reach_addon", "zone": "Zone 1", "bandwidth": "1Gbps"}),
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute Direct", "meterName": "Unlimited Data 10 Gbps Port Pair",
      "armRegionName": "Zone 1", "unitOfMeasure": "1/Month", "retailPrice": 1.0},
     {"component": "direct_port_pair", "port_bandwidth": "10Gbps", "plan": "UnlimitedData", "zone": "Zone 1"}),
    ({"serviceName": "ExpressRoute", "productName": "ExpressRoute Direct", "meterName": "Premium Add-on 10 Gbps Circuit",
      "armRegionName": "Zone 1", "unitOfMeasure": "1/Month", "retailPrice": 1.0},
     {"component": "direct_premium_addon", "bandwidth": "10Gbps", "zone": "Zone 1"}),
    ({"serviceName": "Virtual Network", "productName": "IP Addresses", "meterName": "Standard IPv4 Static Public IP",
      "armRegionName": "westeurope", "unitOfMeasure": "1 Hour", "retailPrice": 0.005},
     {"component": "public_ip", "sku": "Standard", "region": "westeurope"}),
])
def test_map_item(item, expected):
    fields, reason = map_item(item)
    if expected is None:
        assert fields is None and reason
    else:
        assert {k: v for k, v in fields.items() if k not in ("unit", "confidence", "derivation") and v is not None} \
            == expected


def test_cli_import_writes_a_book_that_prices_a_design(run_cli, repo_root, tmp_path):
    book = tmp_path / "zone1.yaml"
    result = run_cli("pricing", "import", CIRCUITS, ER, "-o", book, "--book", "zone1")
    assert result.code == 0, result.err
    assert "mapped 13 meter(s)" in result.out and "not mapped 1 meter(s)" in result.out
    assert f"wrote {book}: 13 price(s)" in result.out
    loaded = parse_book(book.read_text(), str(book))
    assert loaded.book == "zone1"
    assert {p.component: p.confidence for p in loaded.prices if p.confidence != "verified"} == {
        "direct_port_pair": "estimate"}  # mapped by the words of its name
    doc = json.loads(run_cli("cost", "examples/seed.yaml", "--pricing", book, "-f", "json", cwd=repo_root).out)
    port = [l for l in doc["lines"] if l["component"] == "circuit_port"][0]
    assert (port["monthly"], port["confidence"], port["source"], port["as_of"]) == (
        5000, "verified", "synthetic-zone1-circuits", "2023-04-01")
    gateway = [l for l in doc["lines"] if l["component"] == "er_gateway"][0]
    assert gateway["source"] == "ADB-ER"  # eastus is not eastus2: the region-specific import does not apply


def test_cli_import_to_stdout_keeps_the_report_on_stderr(run_cli):
    result = run_cli("pricing", "import", VNET)
    assert result.code == 0
    assert "not mapped 4 meter(s)" in result.err
    book = yaml.safe_load(result.out)
    assert [p["meter"]["meterName"] for p in book["prices"]] == [
        "Basic IPv4 Static Public IP", "Standard IPv4 Static Public IP", "Inter-Region Egress", "Inter-Region Ingress"]


@pytest.mark.parametrize("text,where,message", [
    ('{"Items": [\n  {"meterName": "x",, }\n]}', ":2:21:", "malformed JSON: Expecting property name"),
    ('[1, 2]', ":1:1:", "not an Azure Retail Prices API response"),
    ('{"BillingCurrency": "USD",\n "Items": {"a": 1}}', ":2:2:", "not an Azure Retail Prices API response"),
    ('{"Items": [\n  {"meterName": "Standard Gateway", "serviceName": "ExpressRoute", "unitOfMeasure": "1 Hour",'
     ' "effectiveStartDate": "2019-09-01T00:00:00Z"},\n  {"meterName": "b"}\n]}', ":2:3:", 'Items[0]: missing "retailPrice"'),
    ('{"Items": [{"meterName": "a", "retailPrice": "cheap", "serviceName": "s", "unitOfMeasure": "1 GB",'
     ' "effectiveStartDate": "2019-09-01"}]}', ":1:12:", '"retailPrice" has the wrong type'),
])
def test_malformed_retail_file_exits_2_with_location_and_writes_nothing(run_cli, tmp_path, text, where, message):
    bad = tmp_path / "page.json"
    bad.write_text(text)
    target = tmp_path / "book.yaml"
    result = run_cli("pricing", "import", ER, bad, "-o", target)
    assert result.code == 2
    assert result.err.startswith(f"{bad}{where}") and message in result.err
    assert not target.exists()


def test_nothing_mapped_exits_1_and_writes_nothing(run_cli, tmp_path):
    page = tmp_path / "wan.json"
    page.write_text(json.dumps({"Items": [{"meterName": "ExpressRoute Scale Unit", "serviceName": "Virtual WAN",
                                           "retailPrice": 0.42, "unitOfMeasure": "1 Hour",
                                           "effectiveStartDate": "2021-01-01T00:00:00Z"}], "NextPageLink": None}))
    target = tmp_path / "book.yaml"
    result = run_cli("pricing", "import", page, "-o", target)
    assert result.code == 1 and "no meter could be mapped" in result.err
    assert not target.exists()


def test_mixed_currencies_are_refused(run_cli, tmp_path):
    page = tmp_path / "eur.json"
    page.write_text(json.dumps({"BillingCurrency": "EUR", "Items": []}))
    result = run_cli("pricing", "import", ER, page)
    assert result.code == 2 and "billing currency EUR differs from USD" in result.err
