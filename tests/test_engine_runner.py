"""The engine runner with an injected toy registry and catalog: completion, selection, severity, exit codes."""
from __future__ import annotations

import datetime as dt

import pytest

import engine_toy as toy
from erdesign.engine.finding import Finding
from erdesign.engine.report import assert_clean
from erdesign.engine.runner import lint
from erdesign.errors import InputError, Loc
from erdesign.loader import load_design_text


def rules_of(report, active_only=True):
    return [f.rule for f in (report.active if active_only else report.findings)]


def test_findings_are_completed_from_node_and_catalog():
    report = toy.lint_text(toy.DESIGN)
    by_rule = {f.rule: f for f in report.findings}
    asn = by_rule["BGP901"]
    assert asn.loc == Loc("design.yaml", 10, 19)  # the peer_asn value
    assert asn.severity == "error"
    assert asn.path == "circuits[0].peerings[0].peer_asn"
    assert asn.resource == "circuits/c1/peerings/AzurePrivatePeering"
    assert asn.hint == "Use a private ASN outside 65515-65520."
    assert asn.references == ["https://learn.microsoft.com/azure/expressroute/expressroute-routing"]
    vnet = by_rule["NET901"]
    assert (vnet.loc.line, vnet.loc.col, vnet.path) == (16, 21, "vnets[0].address_space[0]")
    assert by_rule["BGP902"].severity == "warning" and by_rule["NET901"].severity == "info"


def test_findings_are_sorted_by_file_line_column_rule():
    report = toy.lint_text(toy.DESIGN)
    keys = [(f.loc.file, f.loc.line, f.loc.col, f.rule) for f in report.findings]
    assert keys == sorted(keys)
    assert rules_of(report) == ["BGP902", "BGP901", "NET901"]


def test_check_hint_and_preset_severity_win_over_catalog():
    def check(design):
        yield Finding("BGP901", "x", node=design.circuits[0], hint="precise hint", severity="warning")

    design = load_design_text(toy.DESIGN, "d.yaml")
    f = lint(design, checks={"BGP901": check}, catalog=toy.PAGES).findings[0]
    assert (f.hint, f.severity) == ("precise hint", "warning")
    f = lint(design, checks={"BGP901": check}, catalog=toy.PAGES, severity={"BGP": "info"}).findings[0]
    assert f.severity == "info"  # configuration overrides even a check's own severity


def test_finding_without_location_falls_back_to_first_file():
    def check(design):
        yield Finding("BGP901", "design-wide")

    design = load_design_text(toy.DESIGN, "d.yaml")
    f = lint(design, checks={"BGP901": check}, catalog=toy.PAGES).findings[0]
    assert f.loc == Loc("d.yaml", 1, 1) and f.path == "" and f.resource == ""


def test_importer_notes_are_reported_with_their_preset_location():
    design = load_design_text(toy.DESIGN, "d.yaml")
    note = Finding("NET901", "az dump: value unknown", loc=Loc("estate.json", 7, 3))
    design._notes.append(note)
    report = lint(design, checks={}, catalog=toy.PAGES)
    assert [(f.rule, f.loc) for f in report.findings] == [("NET901", Loc("estate.json", 7, 3))]
    assert "estate.json" in report.files
    assert note.severity == "" and not note.suppressed  # the design's own note is left untouched (pure)


def test_lint_is_repeatable():
    design = load_design_text(toy.DESIGN, "d.yaml")
    first = lint(design, checks=toy.REGISTRY, catalog=toy.PAGES).to_dict()
    second = lint(design, checks=toy.REGISTRY, catalog=toy.PAGES).to_dict()
    assert first == second


@pytest.mark.parametrize("options, expected", [
    ({}, ["BGP902", "BGP901", "NET901"]),
    ({"select": ["BGP901"]}, ["BGP901"]),
    ({"select": "BGP"}, ["BGP902", "BGP901"]),
    ({"select": "bgp9, net"}, ["BGP902", "BGP901", "NET901"]),
    ({"ignore": ["NET"]}, ["BGP902", "BGP901"]),
    ({"ignore": ["BGP902"]}, ["BGP901", "NET901"]),
    ({"select": ["ALL"], "ignore": ["BGP"]}, ["NET901"]),
    ({"select": ["BGP901"], "ignore": ["BGP"]}, ["BGP901"]),  # the more specific selector wins
    ({"select": ["BGP"], "ignore": ["BGP901"]}, ["BGP902"]),
    ({"select": ["NET"], "extend_select": ["BGP901"]}, ["BGP901", "NET901"]),
])
def test_select_and_ignore_by_id_and_prefix(options, expected):
    assert rules_of(toy.lint_text(toy.DESIGN, **options)) == expected


def test_only_selected_checks_run():
    calls = []

    def spy(design):
        calls.append(1)
        return []

    design = load_design_text(toy.DESIGN, "d.yaml")
    lint(design, checks={"NET901": spy}, catalog=toy.PAGES, ignore=["NET"])
    assert calls == []


def test_unknown_selector_is_an_input_error_with_a_suggestion():
    with pytest.raises(InputError, match=r"unknown rule or prefix 'BGP91' \(did you mean"):
        toy.lint_text(toy.DESIGN, select=["BGP91"])
    with pytest.raises(InputError, match="unknown rule or prefix 'XYZ'"):
        toy.lint_text(toy.DESIGN, ignore=["XYZ"])


def test_severity_override_most_specific_wins():
    report = toy.lint_text(toy.DESIGN, severity={"BGP": "info", "BGP901": "warning", "NET901": "error"})
    assert {f.rule: f.severity for f in report.findings} == {"BGP902": "info", "BGP901": "warning", "NET901": "error"}
    with pytest.raises(InputError, match="severity of BGP must be one of"):
        toy.lint_text(toy.DESIGN, severity={"BGP": "fatal"})


@pytest.mark.parametrize("fail_on, exit_zero, code", [
    ("error", False, 1), ("warning", False, 1), ("info", False, 1), ("error", True, 0),
])
def test_exit_codes(fail_on, exit_zero, code):
    assert toy.lint_text(toy.DESIGN).exit_code(fail_on, exit_zero) == code


def test_exit_code_follows_fail_on_threshold():
    report = toy.lint_text(toy.DESIGN, ignore=["BGP901"])  # a warning and an info remain
    assert report.exit_code() == 0
    assert report.exit_code("warning") == 1
    assert toy.lint_text(toy.DESIGN, ignore=["BGP"], fail_on="warning").exit_code() == 0
    assert toy.lint_text(toy.DESIGN, ignore=["BGP"], fail_on="info").exit_code() == 1


def test_a_crashing_check_is_reported_not_raised():
    def broken(design):
        yield from ()
        raise ZeroDivisionError("boom")

    design = load_design_text(toy.DESIGN, "d.yaml")
    report = lint(design, checks={"BGP901": broken, "NET901": toy.big_vnet}, catalog=toy.PAGES)
    assert rules_of(report) == ["NET901"]  # the other checks still ran
    assert [str(e) for e in report.errors] == ["internal error in rule BGP901 (check broken): ZeroDivisionError: boom"]
    assert "Traceback" in report.errors[0].traceback
    assert report.exit_code() == 2 and report.exit_code(exit_zero=True) == 2


def test_finding_for_a_rule_without_catalog_page_is_an_internal_error():
    def rogue(design):
        yield Finding("NET999", "no page", node=design)

    design = load_design_text(toy.DESIGN, "d.yaml")
    report = lint(design, checks={"NET901": rogue}, catalog=toy.PAGES)
    assert [str(e) for e in report.errors] == ["internal error in rule NET999: no catalog page (rules/catalog/NET999.yaml)"]
    assert report.exit_code() == 2


def test_check_context_has_today():
    seen = []

    def check(design, ctx):
        seen.append(ctx.today)
        return []

    lint(load_design_text(toy.DESIGN, "d.yaml"), checks={"BGP901": check}, catalog=toy.PAGES,
         today=dt.date(2030, 1, 2))
    assert seen == [dt.date(2030, 1, 2)]


def test_summary_and_text_views():
    report = toy.lint_text(toy.DESIGN)
    assert report.summary == {"error": 1, "warning": 1, "info": 1, "suppressed": 0, "files": 1,
                              "internal_errors": 0}
    assert report.summary_line() == "Found 1 error, 1 warning, 1 info in 1 file."
    table = str(report)
    assert "design.yaml:10:19" in table and "BGP901" in table and table.endswith("in 1 file.")
    assert "<table>" in report._repr_html_()
    clean = toy.lint_text(toy.DESIGN, select=["BGP902"], ignore=["BGP902"])
    assert clean.summary_line() == "All checks passed."


def test_to_dict_shape():
    doc = toy.lint_text(toy.DESIGN).to_dict()
    assert doc["version"] == 1 and doc["tool"]["name"] == "erdesign"
    f = next(f for f in doc["findings"] if f["rule"] == "BGP901")
    assert set(f) == {"rule", "severity", "message", "resource", "path", "file", "line", "column", "hint",
                      "references", "evidence", "suppressed", "suppression"}
    assert f["evidence"] == [{"label": "Azure reserved ASNs", "value": "65515-65520", "source": "toy table",
                              "as_of": "2026-01-01", "confidence": "verified"}]
    assert doc["summary"]["error"] == 1 and doc["summary"]["fail_on"] == "error"


def test_to_frame_names_the_pandas_extra_when_missing():
    report = toy.lint_text(toy.DESIGN)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"erdesign\[pandas\]"):
            report.to_frame()
    else:
        frame = report.to_frame()
        assert list(frame["rule"]) == ["BGP902", "BGP901", "NET901"]


def test_assert_clean():
    dirty = toy.lint_text(toy.DESIGN)
    with pytest.raises(AssertionError, match=r"design\.yaml:10:19: BGP901 error"):
        assert_clean(dirty)
    with pytest.warns(UserWarning, match="BGP901"):
        assert assert_clean(dirty, soft=True) is False
    assert assert_clean(toy.lint_text(toy.DESIGN, ignore=["BGP901"])) is True
    with pytest.raises(AssertionError, match="BGP902"):
        assert_clean(toy.lint_text(toy.DESIGN, ignore=["BGP901"]), fail_on="warning")


def test_library_entry_point_runs_the_real_registry(examples_dir):
    import erdesign

    report = erdesign.lint(str(examples_dir / "seed.yaml"))
    assert report.files == [str(examples_dir / "seed.yaml")]
    assert all(f.loc is not None and f.severity in ("error", "warning", "info") for f in report.findings)
