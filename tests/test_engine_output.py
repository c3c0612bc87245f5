"""Output formats: golden CLI outputs (toy rules), SARIF schema validation, GitHub escaping, -o."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import engine_toy as toy
import erdesign
from erdesign.output._util import source_root
from erdesign.output.github import escape_data, escape_property

GOLDEN = Path(__file__).parent / "golden" / "engine"
UPDATE = bool(os.environ.get("ERDESIGN_UPDATE_GOLDEN"))


SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"  # see SOURCE.md there
_ROOT = Path(source_root(str(GOLDEN)))  # the git work tree (a checkout without .git: the golden folder)
ROOT_URI = _ROOT.as_uri() + "/"
_GOLDEN_FROM_ROOT = os.path.relpath(GOLDEN, _ROOT).replace(os.sep, "/")


def normalize(text: str) -> str:
    """Version, and where the checkout is: paths are shown relative to the golden folder."""
    v = erdesign.__version__
    text = text.replace(ROOT_URI, "<repository root>/")
    if _GOLDEN_FROM_ROOT != ".":
        text = text.replace(f"{_GOLDEN_FROM_ROOT}/design.yaml", "design.yaml")
    return text.replace(f'"version": "{v}"', '"version": "<version>"').replace(
        f'"semanticVersion": "{v}"', '"semanticVersion": "<version>"')


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = normalize(text)
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; if the change is intended, rerun with ERDESIGN_UPDATE_GOLDEN=1")


@pytest.fixture
def toy_cli(run_cli, monkeypatch):
    toy.install(monkeypatch)

    def run(*args):
        return run_cli("lint", "design.yaml", "--isolated", *args, cwd=GOLDEN)

    return run


@pytest.mark.parametrize("name, args", [
    ("text.txt", []),
    ("text-verbose.txt", ["--show-evidence", "--show-suppressed"]),
    ("concise.txt", ["--format", "concise"]),
    ("json.json", ["--format", "json"]),
    ("sarif.json", ["--format", "sarif"]),
    ("github.txt", ["--format", "github"]),
])
def test_golden_outputs(toy_cli, name, args):
    result = toy_cli(*args)
    assert result.code == 1 and result.err == ""
    check_golden(name, result.out)


def test_text_output_shape(toy_cli):
    lines = toy_cli().out.splitlines()
    assert lines[0] == ("design.yaml:12:19: BGP901 error circuit 'c1' peering AzurePrivatePeering: "
                        "peer ASN 65515 is reserved")
    assert lines[1] == "    fix: Use a private ASN outside 65515-65520."
    assert lines[-1] == "Found 1 error, 1 warning, 1 info (1 suppressed) in 1 file."


def test_json_marks_suppressed_findings(toy_cli):
    doc = json.loads(toy_cli("--format", "json").out)
    suppressed = [f for f in doc["findings"] if f["suppressed"]]
    assert [(f["rule"], f["suppression"]) for f in suppressed] == [
        ("BGP902", {"kind": "inSource", "reason": "lab circuit, named by the carrier", "expires": "2099-12-31"})]
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 1, "suppressed": 1, "files": 1,
                              "internal_errors": 0, "fail_on": "error"}


def test_sarif_validates_against_the_schema(toy_cli):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(toy_cli("--format", "sarif").out)
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["BGP901", "BGP902", "NET901", "SUP001"]
    assert rules[0]["helpUri"] == "https://learn.microsoft.com/azure/expressroute/expressroute-routing"
    assert rules[0]["defaultConfiguration"] == {"level": "error"}
    assert rules[0]["properties"]["aliases"] == {"psrule": "Azure.Toy.Rule"}
    assert "helpUri" not in rules[1]  # no reference and no docs-url configured: no made-up URI
    assert run["tool"]["driver"]["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": ROOT_URI}}  # the git work tree
    results = {r["ruleId"]: r for r in run["results"]}
    assert results["NET901"]["level"] == "note"
    assert results["BGP902"]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "lab circuit, named by the carrier",
         "properties": {"expires": "2099-12-31"}}]
    assert results["BGP901"]["suppressions"] == []
    loc = results["BGP901"]["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": f"{_GOLDEN_FROM_ROOT}/design.yaml".removeprefix("./"),
                                        "uriBaseId": "%SRCROOT%"},
                   "region": {"startLine": 12, "startColumn": 19, "endLine": 12, "endColumn": 24}}
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_sarif_with_real_catalog_and_internal_error_validates(examples_dir):
    import jsonschema

    from erdesign.engine.finding import Finding
    from erdesign.output.sarif import to_sarif

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))

    def broken(design):
        raise RuntimeError("boom")

    def one(design):
        yield Finding("SUP001", "x", node=design.circuits[0])

    design = erdesign.load(str(examples_dir / "seed.yaml"))
    from erdesign.engine.runner import lint

    report = lint(design, checks={"SUP001": one, "SUP002": broken})
    doc = to_sarif(report)
    jsonschema.validate(doc, schema)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "boom" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SUP001"]["helpUri"].endswith("/docs/rules/SUP001.md")  # the rule's page in the repository


def test_sarif_docs_url_is_configurable(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "design.yaml").write_text(toy.DESIGN)
    (tmp_path / ".erdesign.yaml").write_text("docs-url: https://wiki.example.com/erdesign/{id}\n")
    doc = json.loads(run_cli("lint", "design.yaml", "--format", "sarif", cwd=tmp_path).out)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["BGP902"]["helpUri"] == "https://wiki.example.com/erdesign/BGP902"
    assert rules["BGP901"]["helpUri"] == "https://wiki.example.com/erdesign/BGP901"  # the configured docs win


def test_sarif_fingerprints_survive_moving_lines():
    from erdesign.output.sarif import fingerprint

    before = toy.lint_text(toy.DESIGN)
    after = toy.lint_text("# a new first line\n" + toy.DESIGN)
    assert [f.loc.line + 1 for f in before.findings] == [f.loc.line for f in after.findings]
    assert [fingerprint(f) for f in before.findings] == [fingerprint(f) for f in after.findings]
    assert len({fingerprint(f) for f in before.findings}) == 3


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("dir,a/b:c%.yaml") == "dir%2Ca/b%3Ac%25.yaml"
    assert escape_data("a: b, c") == "a: b, c"  # ':' and ',' are only escaped in properties


def test_github_annotation_for_odd_file_name(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "odd,name:1%.yaml").write_text(toy.DESIGN)
    out = run_cli("lint", "odd,name:1%.yaml", "--format", "github", "--select", "BGP901", cwd=tmp_path).out
    assert out.splitlines()[0] == (
        "::error file=odd%2Cname%3A1%25.yaml,line=10,col=19,title=BGP901::circuit 'c1' peering "
        "AzurePrivatePeering: peer ASN 65515 is reserved%0Afix: Use a private ASN outside 65515-65520.")


def test_output_file_is_written_and_stdout_stays_empty(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "design.yaml").write_text(toy.DESIGN)
    result = run_cli("lint", "design.yaml", "--format", "json", "-o", "report.json", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["error"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".erdesign-")] == []


def test_output_file_in_missing_folder_is_exit_2(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "design.yaml").write_text(toy.DESIGN)
    result = run_cli("lint", "design.yaml", "-o", "nope/report.txt", cwd=tmp_path)
    assert result.code == 2 and result.err.strip() == "nope/report.txt: cannot write the report: No such file or directory"
