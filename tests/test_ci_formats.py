"""CI formats on every run: input errors in SARIF and GitHub annotations, -o written, exit 2;
SARIF paths relative to the repository root, rule pages as helpUri."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MINIMAL = (REPO / "examples" / "minimal.yaml").read_text(encoding="utf-8")
TYPO = MINIMAL.replace("peering_location:", "peering_locaton:")
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"  # see SOURCE.md there


def validate(doc):
    import jsonschema

    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_input_error_is_written_to_sarif_output_with_its_location(run_cli, tmp_path):
    (tmp_path / "design.yaml").write_text(TYPO, encoding="utf-8")
    result = run_cli("lint", "design.yaml", "-f", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert result.code == 2
    assert "design.yaml:9:5: circuits[0]: unknown key 'peering_locaton'" in result.err
    doc = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    validate(doc)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith("circuits[0]: unknown key 'peering_locaton'")
    physical = note["locations"][0]["physicalLocation"]
    assert physical["region"] == {"startLine": 9, "startColumn": 5, "endLine": 9, "endColumn": 20}
    assert physical["artifactLocation"]["uri"].endswith("design.yaml")
    assert doc["runs"][0]["results"] == []


def test_input_error_becomes_a_github_error_annotation(run_cli, tmp_path):
    (tmp_path / "design.yaml").write_text(TYPO, encoding="utf-8")
    result = run_cli("lint", "design.yaml", "-f", "github", cwd=tmp_path)
    assert result.code == 2
    lines = result.out.splitlines()
    assert lines[0].startswith("::error file=") and ",line=9,col=5,title=erdesign input error::" in lines[0]
    assert lines[0].endswith("circuits[0]: unknown key 'peering_locaton' (did you mean 'peering_location'?)")


def test_input_error_in_json_and_text_output_files(run_cli, tmp_path):
    (tmp_path / "design.yaml").write_text(TYPO, encoding="utf-8")
    assert run_cli("lint", "design.yaml", "-f", "json", "-o", "out.json", cwd=tmp_path).code == 2
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert doc["input_errors"] == [{"file": "design.yaml", "line": 9, "column": 5,
                                    "message": "circuits[0]: unknown key 'peering_locaton' "
                                               "(did you mean 'peering_location'?)"}]
    result = run_cli("lint", "design.yaml", cwd=tmp_path)
    assert result.code == 2 and result.out == ""  # text on a terminal: the error line on stderr says it all


def test_a_missing_file_is_reported_in_sarif_too(run_cli, tmp_path):
    result = run_cli("lint", "nope.yaml", "-f", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert result.code == 2 and "nope.yaml: no such file" in result.err
    doc = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    validate(doc)
    [note] = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == "no such file"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("nope.yaml")


@pytest.fixture
def git_checkout(tmp_path):
    try:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        (tmp_path / ".git").mkdir()  # what erdesign looks for: the work tree's .git
    sub = tmp_path / "network" / "er"
    sub.mkdir(parents=True)
    (sub / "design.yaml").write_text(MINIMAL.replace("peer_asn: 64600", "peer_asn: 65515"), encoding="utf-8")
    return tmp_path, sub


def test_sarif_and_github_paths_are_relative_to_the_repository_root(run_cli, git_checkout):
    root, sub = git_checkout
    doc = json.loads(run_cli("lint", "design.yaml", "-f", "sarif", "--isolated", cwd=sub).out)
    validate(doc)
    run = doc["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    result = next(r for r in run["results"] if r["ruleId"] == "BGP001")
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "network/er/design.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 15, "startColumn": 19, "endLine": 15, "endColumn": 24}
    driver = run["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rule = next(r for r in driver["rules"] if r["id"] == "BGP001")
    assert rule["helpUri"].endswith("/docs/rules/BGP001.md")
    github = run_cli("lint", "design.yaml", "-f", "github", "--isolated", cwd=sub).out
    assert "::error file=network/er/design.yaml,line=15,col=19,title=BGP001::" in github
