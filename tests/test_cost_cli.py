"""`erdesign cost` on the command line: formats, overlays, what-if, usage flags, errors."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

SEED = "examples/seed.yaml"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_unpriced_and_estimate_lines_are_visible_in_every_format(run_cli, repo_root, fmt):
    result = run_cli("cost", SEED, "--format", fmt, cwd=repo_root)
    assert result.code == 0, result.err
    out = result.out
    if fmt == "json":
        doc = json.loads(out)
        confidences = {line["confidence"] for line in doc["lines"]}
        assert {"unpriced", "estimate", "verified"} <= confidences
        assert doc["totals"]["unpriced_lines"] == 3
        assert doc["totals"]["excludes"]
        assert doc["totals"]["monthly_by_confidence"]["estimate"] == 2400
        assert all(line["monthly"] is None for line in doc["lines"] if line["confidence"] == "unpriced")
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {"UNPRICED", "ESTIMATE", "verified"} <= {r["confidence"] for r in rows}
        [total] = [r for r in rows if r["description"] == "Monthly total"]
        assert (total["row"], total["monthly"], total["complete"]) == ("total", "2678.70", "false")
        assert total["note"].startswith("lower bound: 1 port fee unpriced")
    else:
        assert "UNPRICED" in out and "ESTIMATE" in out
        assert "NOT INCLUDED" in out and "ILLUSTRATIVE" in out


def test_table_shows_formula_source_and_totals(run_cli, repo_root):
    out = run_cli("cost", SEED, cwd=repo_root).out
    assert "0.19 USD/h × 730 h" in out
    assert "138.70" in out
    assert "TCO over 36 months" in out and "96,433.20" in out
    assert "ADB-ER: Azure Retail Prices API response" in out


@pytest.mark.parametrize("example", ["seed.yaml", "minimal.yaml", "multi-region.yaml"])
@pytest.mark.parametrize("what_if", [(), ("--metered",), ("--unlimited",)])
def test_table_fits_120_columns_and_keeps_every_formula_and_source(run_cli, repo_root, example, what_if):
    args = ("cost", f"examples/{example}", *what_if)
    out = run_cli(*args, cwd=repo_root).out
    too_wide = [line for line in out.splitlines() if len(line) > 120]
    assert all(line.lstrip().startswith("https://") for line in too_wide), too_wide  # URLs are never broken
    assert "Formula" not in out and "Source " not in out  # those moved under each item
    doc = json.loads(run_cli(*args, "-f", "json", cwd=repo_root).out)
    for line in doc["lines"]:
        if _none_expected(line):  # folded into its item
            assert re.search(rf"one-time: none expected, see note \[\d+\]   \[{line['source']}\]", out), line
        elif line["confidence"] != "unpriced":
            assert f"= {line['formula']}   [{line['source']}]" in out, line
    unpriced = sum(1 for line in doc["lines"] if line["confidence"] == "unpriced")
    assert out.count("not priced, so not in the totals: see note [") == unpriced
    assert out.count("UNPRICED [") == unpriced


def _none_expected(line: dict) -> bool:
    """A one-time estimate of exactly 0 with no range (the cloud-exchange 'no setup fee' figure)."""
    return (line["unit"] == "one-time" and line["confidence"] == "estimate" and line["one_time"] == 0
            and "(range" not in line["note"])


def test_table_shows_one_item_per_virtual_circuit_with_its_one_time_folded_in(run_cli, repo_root):
    out = run_cli("cost", SEED, "--wide", cwd=repo_root).out
    table = out[:out.index("* estimate amount")]
    assert table.count("vc-cust1-primary") == 1 and ": monthly" not in table and ": one-time" not in table
    rows = table.splitlines()
    first = next(i for i, row in enumerate(rows) if "vc-cust1-primary" in row)
    assert rows[first].split()[-6:] == ["1", "month", "900", "900.00*", "ESTIMATE", "[2]"]
    assert rows[first + 1] == "│  useasterc1cust1"  # no 0.00* ESTIMATE one-time row
    assert rows[first + 2] == "│    = 900 USD/month × 1 virtual circuit   [DATACENTRES]"
    assert rows[first + 3] == "│    one-time: none expected, see note [3]   [EQX-FABRIC]"
    assert not re.search(r"(?<![\d,])0\.00\*", table)


@pytest.mark.parametrize("design", ["seed.yaml", "multi-region.yaml", "minimal.yaml"])
def test_default_table_fits_100_columns_and_wide_has_every_column(run_cli, repo_root, design):
    out = run_cli("cost", f"examples/{design}", cwd=repo_root).out
    too_long = [line for line in out.splitlines() if len(line) > 100 and " " in line.strip()
                and not any(len(word) > 60 for word in line.split())]  # a URL or path is never broken
    assert too_long == []
    header = next(line for line in out.splitlines() if line.startswith("Name "))
    assert header.split() == ["Name", "Monthly", "One-time", "Confidence"]
    wide = run_cli("cost", f"examples/{design}", "--wide", cwd=repo_root).out
    assert next(line for line in wide.splitlines() if line.startswith("Name ")).split() == ["Name", "Qty", "Unit", "Unit", "price", "Monthly", "One-time",
                                            "Confidence"]


def test_markdown_puts_totals_first_and_lines_in_details(run_cli, repo_root):
    out = run_cli("cost", SEED, "-f", "markdown", cwd=repo_root).out
    assert out.index("## Totals") < out.index("## Metered vs Unlimited") < out.index("<details><summary>Cost lines")
    details = out[out.index("<details><summary>Cost lines"):out.index("</details>")]
    assert "| Formula " in details and "vc-cust1-primary" in details


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_markdown_and_csv_keep_formula_and_source_columns(run_cli, repo_root, fmt):
    out = run_cli("cost", SEED, "-f", fmt, cwd=repo_root).out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        [gateway] = [r for r in rows if r["component"] == "er_gateway"]
        assert (gateway["formula"], gateway["source"]) == ("0.19 USD/h × 730 h", "ADB-ER")
        assert sum(1 for r in rows if r["component"] == "carrier_virtual_circuit") == 4  # monthly + one-time each
    else:
        assert "| Formula " in out and "| Source " in out
        assert "| 0.19 USD/h × 730 h " in out and "| ADB-ER " in out


def test_months_option(run_cli, repo_root):
    doc = json.loads(run_cli("cost", SEED, "--months", "12", "-f", "json", cwd=repo_root).out)
    assert doc["months"] == 12
    assert doc["totals"]["tco"] == doc["totals"]["first_year"]


def test_output_file_written_atomically(run_cli, repo_root, tmp_path):
    target = tmp_path / "cost.md"
    result = run_cli("cost", SEED, "-f", "markdown", "-o", target, cwd=repo_root)
    assert result.code == 0 and result.out == ""
    assert target.read_text().startswith("# Cost of seed-useast-cust1")
    assert target.read_text() == run_cli("cost", SEED, "-f", "markdown", cwd=repo_root).out


def test_metered_and_unlimited_exclude_each_other(run_cli, repo_root):
    result = run_cli("cost", SEED, "--metered", "--unlimited", cwd=repo_root)
    assert result.code == 2 and "exclude each other" in result.err


def test_what_if_and_usage_overrides(run_cli, repo_root):
    doc = json.loads(run_cli("cost", SEED, "--metered", "--egress", "useasterc1cust1=10000",
                             "--peering-out", "cust1vnet1-Peer-erspvnetcust1=0",
                             "--peering-in", "cust1vnet1-Peer-erspvnetcust1=0", "-f", "json", cwd=repo_root).out)
    egress = [l for l in doc["lines"] if l["component"] == "circuit_egress"][0]
    assert egress["quantity"] == 10000 and egress["monthly"] == 250
    assert doc["plan_override"] == "MeteredData"
    assert all(l["monthly"] == 0 for l in doc["lines"] if l["component"] == "vnet_peering")


@pytest.mark.parametrize("args,message", [
    (["--egress", "useasterc1cust1"], "write NAME=GB"),
    (["--egress", "useasterc1cust=5"], "did you mean 'useasterc1cust1'"),
    (["--egress", "useasterc1cust1=lots"], "--egress useasterc1cust1: expected a number, got 'lots'"),
    (["--egress", "useasterc1cust1=-5"], "--egress useasterc1cust1: '-5': input should be greater than or equal to 0"),
    (["--global-reach", "useasterc1cust1=5"], "should name two circuits"),
])
def test_bad_usage_flags_exit_2(run_cli, repo_root, args, message):
    result = run_cli("cost", SEED, *args, cwd=repo_root)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_pricing_overlay_with_a_quote_fills_the_gap_and_gives_a_break_even(run_cli, repo_root, tmp_path):
    book = tmp_path / "my-quotes.yaml"
    book.write_text(
        "title: our negotiated prices\ncurrency: USD\nas_of: 2026-06-01\nprices:\n"
        "  - {component: circuit_port, tier: Standard, plan: Unlimited, bandwidth: 1Gbps, zone: 1,\n"
        "     price: 4800, unit: month, source: Microsoft EA quote 2026-06, confidence: quote}\n")
    doc = json.loads(run_cli("cost", SEED, "--pricing", book, "-f", "json", cwd=repo_root).out)
    port = [l for l in doc["lines"] if l["component"] == "circuit_port"][0]
    assert (port["monthly"], port["confidence"], port["source"]) == (4800, "quote", "Microsoft EA quote 2026-06")
    [row] = doc["circuits"]
    assert row["break_even_gb_month"] == (4800 - 436) / 0.025  # 174,560 GB
    assert row["break_even_pct_of_capacity"] == 53.1  # of 1 Gbps × 730 h = 328,500 GB
    assert row["recommendation"].startswith("Metered: ")
    assert doc["totals"]["unpriced_lines"] == 2


def test_malformed_price_book_exits_2_with_location_and_writes_nothing(run_cli, repo_root, tmp_path):
    book = tmp_path / "bad.yaml"
    book.write_text("title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: er_gateway, sku: [\n")
    target = tmp_path / "out.txt"
    result = run_cli("cost", SEED, "--pricing", book, "-o", target, cwd=repo_root)
    assert result.code == 2
    assert result.err.startswith(f"{book}:6:1: malformed YAML")
    assert not target.exists()


@pytest.mark.parametrize("body,where,message", [
    ("title: x\ncurrency: USD\nas_of: 2026-01-01\nprice: []\n", ":4:1:", "unknown key 'price' (did you mean 'prices'?)"),
    ("title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: er_gateway, sku: X, price: 1, unit: hour,"
     " source: s, confidence: estimate}\n", ":5:5:", "an estimate needs a derivation"),
    ("title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: er_gateway, price: 1, unit: hour,"
     " source: s, confidence: verified}\n", ":5:5:", "a price for er_gateway needs sku"),
    ("title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: er_gateway, sku: X, price: 1, unit: GB,"
     " source: s, confidence: verified}\n", ":5:5:", "is per hour, not per GB"),
    ("title: x\ncurrency: USD\nas_of: 2026-01-01\nprices:\n  - {component: er_gateway, sku: X, price: -1,"
     " unit: hour, source: s, confidence: verified}\n", ":5:44:", "prices[0].price: -1 must be >= 0"),
    ("title: x\ncurrency: EUR\nas_of: 2026-01-01\n", ":2:11:", "currency EUR differs from USD"),
])
def test_invalid_price_books_exit_2(run_cli, repo_root, tmp_path, body, where, message):
    book = tmp_path / "book.yaml"
    book.write_text(body)
    result = run_cli("cost", SEED, "--pricing", book, cwd=repo_root)
    assert result.code == 2, result.out
    assert f"book.yaml{where}" in result.err
    assert message in result.err
    assert result.out == ""


def test_missing_price_book_file(run_cli, repo_root, tmp_path):
    result = run_cli("cost", SEED, "--pricing", tmp_path / "nope.yaml", cwd=repo_root)
    assert result.code == 2 and "cannot read price book" in result.err


def test_pricing_show_lists_prices_and_gaps(run_cli):
    result = run_cli("pricing", "show", "--component", "global_reach_data")
    assert result.code == 0
    assert "UNPRICED global_reach_data" in result.out
    out = run_cli("pricing", "show", "--component", "er_gateway").out
    assert "er_gateway sku=Standard: 0.19 USD/hour [verified, ADB-ER, 2019-09-01]" in out
    assert run_cli("pricing", "show", "--component", "gatway").code == 2
