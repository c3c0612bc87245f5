"""Fixes from the user acceptance test of `erdesign cost`.

1. totals that leave out an unpriced line read as lower bounds, and no plan is called cheaper
   when a price of either plan is missing;
2. out-of-range usage values and prices are input errors, never internal errors;
3. an unpriced line of 0 units costs nothing and is not listed as excluded;
4. a carrier one-time fee of 0 with no range is folded into its item; a fee the design does not
   quote (when it quotes the other) is "not quoted", not an estimate;
5. the CSV tells lines from subtotals and totals, and its amount columns are numbers;
6. `cost -o` into a folder that does not exist is one clean error line.
"""
from __future__ import annotations

import csv
import io
import json
import os
import textwrap
from decimal import Decimal as D

import pytest

import erdesign
from erdesign.errors import InputError

SEED = "examples/seed.yaml"
MULTI = "examples/multi-region.yaml"
HUB_ONLY = """\
version: 1
name: hub-only
vnets:
  - {name: hub, region: eastus, address_space: [10.0.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.0.255.0/27}]}
gateways:
  - {name: gw, vnet: hub, sku: ErGw1AZ}
"""


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


# --------------------------------------------------------------------------- 1. lower bounds

def test_every_total_reads_as_a_lower_bound_with_its_reason_when_lines_are_unpriced(run_cli, repo_root):
    out = run_cli("cost", MULTI, "--unlimited", "--wide", cwd=repo_root).out
    rows = out[out.index("Totals (USD)"):].splitlines()
    monthly = next(i for i, row in enumerate(rows) if row.startswith("Monthly "))
    assert "≥ 5,210.02" in rows[monthly]  # gateways' public IPs: 2 × 0.005 × 730 more since issue 15
    assert rows[monthly + 1].strip() == ("≥ lower bound: 4 port fees, 2 Global Reach data charges, "
                                         "2 Global Reach add-on fees, 4 virtual circuit fees unpriced")
    assert "≥ 1,000.00" in rows[monthly + 2] and "1 cross-connect one-time fee" in rows[monthly + 3]
    assert "≥ 63,520.24" in out and "≥ 188,560.72" in out
    assert "NOT INCLUDED: 13 unpriced lines, so the totals marked ≥ are lower bounds" in out

    md = run_cli("cost", MULTI, "--unlimited", "-f", "markdown", cwd=repo_root).out
    [md_monthly] = [row for row in md.splitlines() if row.startswith("| Monthly ")]
    assert " ≥ 5,210.02 |" in md_monthly and "4 port fees, 2 Global Reach data charges" in md_monthly

    totals = json.loads(run_cli("cost", MULTI, "--unlimited", "-f", "json", cwd=repo_root).out)["totals"]
    assert (totals["complete"], totals["monthly_complete"], totals["one_time_complete"]) == (False, False, False)
    assert totals["unpriced_lines"] == 13 and totals["unpriced_summary"].startswith("4 port fees")

    total_rows = [r for r in csv_rows(run_cli("cost", MULTI, "--unlimited", "-f", "csv", cwd=repo_root).out)
                  if r["row"] == "total"]
    assert [r["complete"] for r in total_rows] == ["false"] * 4
    assert total_rows[0]["note"].startswith("lower bound: 4 port fees")


def test_a_complete_report_has_no_bound_marks(run_cli, tmp_path):
    design = write(tmp_path, "hub.yaml", HUB_ONLY)
    out = run_cli("cost", design).out
    assert "≥" not in out.replace("which then read ≥", "")
    assert "Every line is priced: the totals are complete." in out
    totals = json.loads(run_cli("cost", design, "-f", "json").out)["totals"]
    assert (totals["complete"], totals["unpriced_lines"], totals["unpriced_summary"]) == (True, 0, None)
    assert {r["complete"] for r in csv_rows(run_cli("cost", design, "-f", "csv").out) if r["row"] == "total"} == {"true"}


def test_only_the_totals_that_leave_something_out_are_lower_bounds(run_cli, repo_root):
    # seed on Metered: every monthly line priced; the cross-connects' installation fees are not
    out = run_cli("cost", SEED, "--metered", cwd=repo_root).out
    rows = {row.split("  ")[0]: row for row in out[out.index("Totals (USD)"):].splitlines()}
    assert "≥" not in rows["Monthly"] and "3,164.70" in rows["Monthly"]
    assert "≥ 0.00" in rows["One-time"]
    assert "≥ 113,929.20" in rows["TCO over 36 months (36 × monthly + one-time)"]
    totals = json.loads(run_cli("cost", SEED, "--metered", "-f", "json", cwd=repo_root).out)["totals"]
    assert (totals["complete"], totals["monthly_complete"], totals["one_time_complete"]) == (False, True, False)


def test_no_plan_is_called_cheaper_when_a_price_of_either_plan_is_missing(run_cli, repo_root):
    for what_if in ((), ("--metered",), ("--unlimited",)):
        doc = json.loads(run_cli("cost", MULTI, *what_if, "-f", "json", cwd=repo_root).out)
        for row in doc["circuits"]:
            assert row["comparable"] is False
            assert row["recommendation"].startswith("not comparable: ")
            assert "erdesign pricing fetch" in row["recommendation"]
            assert "cheaper" not in row["recommendation"]
    out = run_cli("cost", MULTI, cwd=repo_root).out
    assert "- er-wdc-1: not comparable: Standard Unlimited 1Gbps port fee (Zone 1) unpriced; fetch the prices" in out


def test_a_comparison_with_every_price_is_comparable(run_cli, repo_root, tmp_path):
    book = write(tmp_path, "quotes.yaml", """\
        title: quotes
        currency: USD
        as_of: 2026-06-01
        prices:
          - {component: circuit_port, tier: Standard, plan: Unlimited, bandwidth: 1Gbps, zone: 1,
             price: 4800, unit: month, source: EA quote, confidence: quote}
        """)
    [row] = json.loads(run_cli("cost", SEED, "--pricing", book, "-f", "json", cwd=repo_root).out)["circuits"]
    assert row["comparable"] is True and row["recommendation"].startswith("Metered: ")


def test_a_what_if_says_first_which_port_fees_are_unpriced_on_that_plan(run_cli, repo_root):
    lines = run_cli("cost", MULTI, "--unlimited", cwd=repo_root).out.splitlines()
    assert " ".join(lines[2:4]).startswith("What-if Unlimited: the port fees of er-wdc-1, er-nyc-1, er-fra-1 and er-ams-1 are "
                               "unpriced on this plan, so the totals are lower bounds")
    doc = json.loads(run_cli("cost", MULTI, "--metered", "-f", "json", cwd=repo_root).out)
    assert doc["what_if_unpriced"] == {"port_fees": ["er-nyc-1", "er-fra-1", "er-ams-1"], "outbound_data": []}
    md = run_cli("cost", MULTI, "--metered", "-f", "markdown", cwd=repo_root).out
    assert "**What-if Metered: the port fees of er-nyc-1, er-fra-1 and er-ams-1 are unpriced on this plan" in md
    seed = run_cli("cost", SEED, "--metered", cwd=repo_root).out.splitlines()
    assert seed[2] == "What-if Metered: every circuit's port fee and outbound data rate is priced on this plan."
    assert "What-if" not in run_cli("cost", MULTI, cwd=repo_root).out
    assert json.loads(run_cli("cost", MULTI, "-f", "json", cwd=repo_root).out)["what_if_unpriced"] is None


# --------------------------------------------------------------------------- 2. bounds on input

@pytest.mark.parametrize("value,problem", [
    ("1e300", "'1e300': input should be less than or equal to 1000000000000"),
    ("1e400", "'1e400': input should be less than or equal to 1000000000000"),
    ("inf", "'inf': input should be less than or equal to 1000000000000"),
    ("nan", "'nan': input should be less than or equal to 1000000000000"),
    ("-5", "'-5': input should be greater than or equal to 0"),
])
@pytest.mark.parametrize("option,name", [
    ("--egress", "er-wdc-1"), ("--peering-out", "cust1-to-hub-eus"), ("--peering-in", "cust1-to-hub-eus"),
    ("--global-reach", "er-nyc-1:er-fra-1"),
])
def test_usage_values_out_of_range_are_one_line_input_errors(run_cli, repo_root, option, name, value, problem):
    result = run_cli("cost", MULTI, option, f"{name}={value}", cwd=repo_root)
    assert result.code == 2 and result.out == ""
    assert result.err == f"{option} {name}: {problem}\n"


def test_usage_values_are_worded_like_the_design_traffic_fields(run_cli, repo_root, tmp_path):
    text = (repo_root / "examples" / "minimal.yaml").read_text()
    design = write(tmp_path, "d.yaml", text.replace("egress_gb_month: 1000", "egress_gb_month: 1e300"))
    from_design = run_cli("cost", design).err.strip()
    from_option = run_cli("cost", repo_root / "examples" / "minimal.yaml", "--egress", "er-ams=1e300").err.strip()
    assert from_design.endswith("traffic.circuits[0].egress_gb_month: '1e300': input should be less than or equal "
                                "to 1000000000000")
    assert from_option == "--egress er-ams: '1e300': input should be less than or equal to 1000000000000"


def test_usage_values_keep_their_exact_digits_through_the_library(repo_root):
    design = erdesign.load(str(repo_root / SEED))
    report = erdesign.cost(design, plan="metered", egress={"useasterc1cust1": D("1234.005")})
    [egress] = [line for line in report.lines if line.component == "circuit_egress"]
    assert egress.quantity == D("1234.005")
    with pytest.raises(InputError, match=r"^--vpn-gb erspvnetcust1gw1: 1e\+300: input should be less than"):
        erdesign.cost(design, vpn={"erspvnetcust1gw1": 1e300})


@pytest.mark.parametrize("price,col,message", [
    ("1e300", 51, "prices[0].price: 1E+300 must be <= 1000000000000 (a sanity bound)"),
    ("1e400", 51, "prices[0].price: 1E+400 must be <= 1000000000000 (a sanity bound)"),
    (".inf", 51, "prices[0].price: Infinity is not a finite number"),
    (".nan", 51, "prices[0].price: NaN is not a finite number"),
    ("1e-300", 51, "prices[0].price: 1E-300 must be 0 or >= 0.000001 (a sanity bound)"),
])
def test_price_book_prices_out_of_range_are_located_input_errors(run_cli, repo_root, tmp_path, price, col, message):
    book = write(tmp_path, "book.yaml", "title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n"
                 f"  - {{component: er_gateway, sku: Standard, price: {price}, unit: hour, source: s, confidence: quote}}\n")
    result = run_cli("cost", SEED, "--pricing", book, cwd=repo_root)
    assert result.code == 2 and result.out == ""
    assert result.err == f"{book}:5:{col}: {message}\n"


def test_an_estimate_range_is_bounded_too(run_cli, repo_root, tmp_path):
    book = write(tmp_path, "book.yaml", "title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n"
                 "  - {component: cross_connect, price: 300, unit: month, source: s, confidence: estimate,\n"
                 "     derivation: guess, range: [0, 1e300]}\n")
    result = run_cli("cost", SEED, "--pricing", book, cwd=repo_root)
    assert result.code == 2 and result.err.startswith(f"{book}:6:36: prices[0].range[1]: 1E+300 must be <=")


def test_months_are_bounded(run_cli, repo_root):
    result = run_cli("cost", SEED, "--months", "1201", cwd=repo_root)
    assert result.code == 2 and "1201 is not in the range 1<=x<=1200" in result.err
    with pytest.raises(InputError, match="from 1 to 1200"):
        erdesign.cost(erdesign.load(str(repo_root / SEED)), months=10 ** 60)


@pytest.mark.parametrize("retail_price,message", [
    ("1e400", "retailPrice inf is not a finite number"),
    ("1e300", "retailPrice 1e+300 per 1 Hour: 1E+300 must be <= 1000000000000 (a sanity bound)"),
])
def test_retail_import_refuses_absurd_prices_at_their_item(run_cli, tmp_path, retail_price, message):
    page = tmp_path / "page.json"
    page.write_text('{"Items": [\n  {"meterName": "Standard Gateway", "serviceName": "ExpressRoute", '
                    '"productName": "ExpressRoute Gateway", "skuName": "Standard", "armRegionName": "eastus2", '
                    '"unitOfMeasure": "1 Hour", "currencyCode": "USD", "type": "Consumption", '
                    f'"effectiveStartDate": "2019-09-01T00:00:00Z", "retailPrice": {retail_price}}}\n]}}')
    result = run_cli("pricing", "import", page)
    assert result.code == 2 and result.err == f"{page}:2:3: Items[0]: {message}\n"


# --------------------------------------------------------------------------- 3. zero quantities

def test_an_unpriced_line_of_zero_gb_is_not_listed_as_excluded(run_cli, repo_root):
    listed = json.loads(run_cli("cost", MULTI, "-f", "json", cwd=repo_root).out)
    assert sum(1 for line in listed["lines"] if line["component"] == "global_reach_data") == 2  # 500 GB: unpriced

    doc = json.loads(run_cli("cost", MULTI, "--global-reach", "er-nyc-1:er-fra-1=0", "-f", "json", cwd=repo_root).out)
    assert not [line for line in doc["lines"] if line["component"] == "global_reach_data"]
    assert not [text for text in doc["totals"]["excludes"] if "Global Reach data" in text]
    assert doc["totals"]["unpriced_lines"] == listed["totals"]["unpriced_lines"] - 2
    assert doc["totals"]["monthly"] == listed["totals"]["monthly"]
    assert any(a.startswith("Global Reach er-nyc-1 <-> er-fra-1: Global Reach data, egress at the source (Zone 1); ")
               and "not listed, as 0 GB a month costs nothing whatever the rate (the rate is unpriced: " in a
               for a in doc["assumptions"])
    table = run_cli("cost", MULTI, "--global-reach", "er-nyc-1:er-fra-1=0", cwd=repo_root).out
    assert "Global Reach data, egress" not in table[table.index("NOT INCLUDED"):table.index("Metered vs Unlimited")]


def test_zero_gb_in_an_unknown_zone_is_not_listed_but_a_port_fee_there_is(tmp_path):
    path = write(tmp_path, "d.yaml", """\
        version: 1
        name: t
        circuits:
          - {name: c1, peering_location: Atlantis, bandwidth: 1Gbps, sku: {tier: Standard, family: MeteredData}}
        """)
    report = erdesign.cost(erdesign.load(str(path)))
    assert [(line.component, line.confidence) for line in report.lines] == [("circuit_port", "unpriced")]
    assert len(report.totals.excludes()) == 1 and not report.totals.complete
    assert any("Outbound data, metered, unknown zone: not listed, as 0 GB" in a for a in report.assumptions)


def test_a_scale_gateway_of_unknown_size_stays_unpriced(tmp_path):
    path = write(tmp_path, "d.yaml", HUB_ONLY.replace("sku: ErGw1AZ", "sku: ErGwScale"))
    report = erdesign.cost(erdesign.load(str(path)))
    [gateway] = report.lines
    assert gateway.confidence == "unpriced" and gateway.quantity == 0  # unknown, not zero
    assert not report.totals.complete


# --------------------------------------------------------------------------- 4. carrier one-time fees

def test_a_zero_one_time_estimate_is_folded_into_its_item_in_markdown(run_cli, repo_root):
    md = run_cli("cost", SEED, "-f", "markdown", cwd=repo_root).out
    assert "vc-cust1-primary (primary, 1Gbps) to useasterc1cust1: one-time" not in md
    [row] = [r for r in md.splitlines() if "vc-cust1-primary (primary, 1Gbps) to useasterc1cust1: monthly" in r]
    assert "900 USD/month × 1 virtual circuit; one-time: none expected, see note [3]" in row
    assert "| DATACENTRES, EQX-FABRIC |" in row
    assert "[3] ILLUSTRATIVE typical figure. Equinix's billing model, taken as typical of every cloud exchange" in md


@pytest.mark.parametrize("fees,expected", [
    ("", {"month": ("estimate", D(900)), "one-time": ("estimate", D(0))}),
    ("monthly_fee: 450", {"month": ("quote", D(450)), "one-time": ("unpriced", None)}),
    ("one_time_fee: 100", {"month": ("unpriced", None), "one-time": ("quote", D(100))}),
    ("monthly_fee: 450, one_time_fee: 0", {"month": ("quote", D(450)), "one-time": ("quote", D(0))}),
])
def test_a_fee_the_design_does_not_quote_beside_one_it_does_is_not_quoted(tmp_path, fees, expected):
    path = write(tmp_path, "d.yaml", f"""\
        version: 1
        name: t
        providers:
          - name: Megaport
            kind: cloud_exchange
            virtual_circuits:
              - {{name: vc1, circuit: c1, link: primary, bandwidth: 1Gbps{', ' + fees if fees else ''}}}
        circuits:
          - {{name: c1, peering_location: Amsterdam, provider: Megaport, bandwidth: 1Gbps,
             sku: {{tier: Standard, family: MeteredData}}}}
        """)
    report = erdesign.cost(erdesign.load(str(path)))
    lines = {line.unit: line for line in report.lines if line.component == "carrier_virtual_circuit"}
    got = {unit: (line.confidence, line.monthly if unit == "month" else line.one_time) for unit, line in lines.items()}
    assert got == expected
    for line in lines.values():
        if line.confidence == "unpriced":
            assert line.note.startswith("not quoted: the design gives its ")
    assert lines["one-time"].none_expected == (fees == "")


# --------------------------------------------------------------------------- 5. CSV

@pytest.mark.parametrize("example,what_if", [(SEED, ()), (MULTI, ("--unlimited",))])
def test_csv_rows_say_what_they_are_and_amounts_are_numbers(run_cli, repo_root, example, what_if):
    rows = csv_rows(run_cli("cost", example, *what_if, "-f", "csv", cwd=repo_root).out)
    assert {r["row"] for r in rows} == {"line", "subtotal", "total"}
    for r in rows:
        for column in ("monthly", "one_time", "total"):
            assert r[column] == "" or D(r[column]) >= 0, (column, r)  # a number or empty, never a word
        if r["confidence"] == "UNPRICED":
            assert r["monthly"] == r["one_time"] == ""
    lines = [r for r in rows if r["row"] == "line"]
    totals = {r["description"]: r for r in rows if r["row"] == "total"}
    subtotals = [r for r in rows if r["row"] == "subtotal"]
    monthly = sum((D(r["monthly"]) for r in lines if r["monthly"]), D(0))
    one_time = sum((D(r["one_time"]) for r in lines if r["one_time"]), D(0))
    assert monthly == D(totals["Monthly total"]["monthly"]) == sum((D(r["monthly"]) for r in subtotals), D(0))
    assert one_time == D(totals["One-time total"]["one_time"]) == sum((D(r["one_time"]) for r in subtotals), D(0))
    tco = next(r for name, r in totals.items() if name.startswith("TCO"))
    assert D(tco["total"]) == 36 * monthly + one_time == sum((D(r["total"]) for r in subtotals), D(0))


# --------------------------------------------------------------------------- 6. -o

def test_output_into_a_missing_folder_is_one_clean_error(run_cli, repo_root, tmp_path):
    target = tmp_path / "no-such-folder" / "x.txt"
    result = run_cli("cost", SEED, "-o", target, cwd=repo_root)
    assert result.code == 2, result.err
    assert result.out == "" and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert not target.parent.exists()


def test_output_to_the_root_missing_folder_is_one_clean_error(run_cli, repo_root):
    result = run_cli("cost", SEED, "-o", "/nonexistent/x.txt", cwd=repo_root)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "internal error" not in result.err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_into_a_read_only_folder_is_one_clean_error(run_cli, repo_root, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run_cli("cost", SEED, "-o", folder / "x.txt", cwd=repo_root)
    finally:
        folder.chmod(0o700)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "internal error" not in result.err and not (folder / "x.txt").exists()
