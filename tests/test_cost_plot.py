"""`erdesign cost --plot`: a valid PNG/SVG chart; without matplotlib, one line saying how to install it."""
from __future__ import annotations

import builtins
import importlib.util
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

import erdesign
from erdesign.costing.book import load_books

from conftest import EXAMPLES, REPO

PORTS = REPO / "tests" / "fixtures" / "plot" / "ports.yaml"  # synthetic test quotes (see the file)
needs_matplotlib = pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None,
                                      reason="matplotlib (the `plot` extra) is not installed")


def seed_report():
    return erdesign.cost(erdesign.load(EXAMPLES / "seed.yaml"), books=load_books([str(PORTS)]))


def test_plan_series_and_break_even():
    from erdesign.costing.plot import plan_series

    row = seed_report().comparisons[0]
    assert row.comparable and row.break_even_gb == Decimal(40000)  # (1500 - 500) / 0.025
    series = plan_series(row, 36)
    assert series["months"][0] == 0 and series["months"][-1] == 36
    assert series["metered"][-1] == pytest.approx(36 * (500 + 2000 * 0.025))
    assert series["unlimited"][-1] == pytest.approx(36 * 1500)
    unpriced = erdesign.cost(erdesign.load(EXAMPLES / "seed.yaml")).comparisons[0]
    assert plan_series(unpriced, 36) is None  # never drawn as 0


def test_component_totals_count_unpriced_lines():
    from erdesign.costing.plot import component_totals

    parts, unpriced = component_totals(erdesign.cost(erdesign.load(EXAMPLES / "seed.yaml")))
    assert parts["ExpressRoute gateways"] == pytest.approx(138.70)
    assert "circuit ports" not in parts and unpriced == 1


@needs_matplotlib
@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_cli_writes_a_valid_chart(run_cli, tmp_path, suffix):
    chart = tmp_path / f"chart.{suffix}"
    result = run_cli("cost", EXAMPLES / "seed.yaml", "--pricing", PORTS, "--plot", chart)
    assert result.code == 0, result.err
    assert f"wrote {chart}" in result.err and "Totals" in result.out
    data = chart.read_bytes()
    if suffix == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert b"break-even 40,000 GB" in data and b"UNPRICED" not in data


@needs_matplotlib
def test_chart_of_an_unpriced_design_names_what_is_missing(tmp_path):
    from erdesign.costing.plot import chart_bytes

    svg = chart_bytes(erdesign.cost(erdesign.load(EXAMPLES / "multi-region.yaml")), "svg")
    assert b"not comparable" in svg and b"UNPRICED, not included" in svg
    assert chart_bytes(erdesign.cost(erdesign.load(EXAMPLES / "multi-region.yaml")), "svg") == svg  # no date in it


def test_plot_needs_png_or_svg(run_cli, tmp_path):
    result = run_cli("cost", EXAMPLES / "seed.yaml", "--plot", tmp_path / "chart.pdf")
    assert result.code == 2 and ".png or .svg" in result.err
    assert not (tmp_path / "chart.pdf").exists()


def test_without_matplotlib_one_line_says_how_to_install(run_cli, monkeypatch, tmp_path):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = run_cli("cost", EXAMPLES / "seed.yaml", "--plot", tmp_path / "chart.png")
    assert result.code == 2
    assert result.err.strip().splitlines()[-1] == "Error: cost charts need matplotlib: pip install 'erdesign[plot]'"
    assert not (tmp_path / "chart.png").exists()
