"""The example notebook runs top to bottom in a real kernel, and the cost report has notebook views."""
from __future__ import annotations

from pathlib import Path

import pytest

import erdesign

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "examples" / "notebook.ipynb"


def test_example_notebook_runs_in_a_kernel():
    why = "the notebook test needs nbformat, nbclient, ipykernel and pandas (pip install -e '.[test]')"
    nbformat = pytest.importorskip("nbformat", reason=why)
    nbclient = pytest.importorskip("nbclient", reason=why)
    pytest.importorskip("ipykernel", reason=why)
    pytest.importorskip("pandas", reason=why)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "commit it without outputs"
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [cell.outputs for cell in nb.cells if cell.cell_type == "code"]
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    html = [o["data"]["text/html"] for cell in outputs for o in cell if "text/html" in o.get("data", {})]
    assert any("<h4>Cost of seed-useast-cust1" in h for h in html)  # the cost report's summary
    assert any("First year" in h for h in html)  # the totals frame
    last = outputs[-1][0]["data"]["text/plain"]
    assert last.startswith("Totals(monthly=") and "Decimal(" not in last


def test_cost_report_views(examples_dir):
    tco = erdesign.cost(erdesign.load(examples_dir / "seed.yaml"))
    assert repr(tco) == ("<CostReport seed-useast-cust1: monthly ≥ 2,678.70 USD, TCO 36 months ≥ 96,433.20 USD, "
                         "15 lines, 3 unpriced>")
    assert repr(tco.totals).startswith("Totals(monthly=≥ 2,678.70, one_time=≥ 0.00, first_year=≥ 32,144.40")
    page = tco._repr_html_()
    assert len(page) < 10_000 and page.index("Metered vs Unlimited") < page.index("<details>")
    assert "<td>useasterc1cust1</td>" in page


def test_totals_and_comparisons_as_frames(examples_dir):
    pytest.importorskip("pandas", reason="DataFrames need the pandas extra: pip install 'erdesign[pandas]'")
    tco = erdesign.cost(erdesign.load(examples_dir / "seed.yaml"))
    totals = tco.totals_frame()
    assert list(totals.index) == ["Monthly", "One-time", "First year", "TCO (36 months)"]
    assert totals.loc["Monthly", "amount"] == pytest.approx(2678.70) and not totals.loc["Monthly", "complete"]
    comparisons = tco.comparisons_frame()
    assert comparisons.loc[0, "circuit"] == "useasterc1cust1" and comparisons.loc[0, "metered_monthly"] == 486.0


def test_lint_and_cost_show_their_parameters():
    import inspect

    lint_params = inspect.signature(erdesign.lint).parameters
    assert {"select", "ignore", "severity", "fail_on"} <= set(lint_params)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in lint_params.items() if name != "design_or_paths")
    assert {"months", "plan", "egress", "pricing"} <= set(inspect.signature(erdesign.cost).parameters)
    assert "ignore:" in erdesign.lint.__doc__ and "months:" in erdesign.cost.__doc__
