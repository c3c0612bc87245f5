"""`erdesign lint` end to end: exit codes, input errors, crashing checks, the real rules on the seed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import engine_toy as toy

GOLDEN = Path(__file__).parent / "golden" / "engine"


@pytest.fixture
def toy_design(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "design.yaml").write_text(toy.DESIGN)

    def run(*args):
        return run_cli("lint", "design.yaml", "--isolated", *args, cwd=tmp_path)

    return run


@pytest.mark.parametrize("args, code", [
    ([], 1),                                        # an error
    (["--ignore", "BGP901"], 0),                    # a warning and an info: below the default threshold
    (["--ignore", "BGP901", "--fail-on", "warning"], 1),
    (["--ignore", "BGP", "--fail-on", "warning"], 0),
    (["--ignore", "BGP", "--fail-on", "info"], 1),
    (["--exit-zero"], 0),
    (["--select", "BGP9", "--severity", "BGP901=warning"], 0),
])
def test_exit_codes(toy_design, args, code):
    assert toy_design(*args).code == code


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "Invalid value for '-f' / '--format'"),
    (["--select", "BGP91"], "unknown rule or prefix 'BGP91' (did you mean 'BGP901'?)"),
    (["--severity", "BGP901"], "expected RULE=LEVEL"),
    (["--fail-on", "fatal"], "Invalid value for '--fail-on'"),
])
def test_usage_errors_exit_2(toy_design, args, message):
    result = toy_design(*args)
    assert result.code == 2 and message in result.err and result.out == ""


def test_input_errors_exit_2_with_one_located_line(run_cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("circuits:\n  - name: c1\n    bandwidth: 3Gbps\n")
    result = run_cli("lint", "bad.yaml", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("bad.yaml:3:16: ") and "Traceback" not in result.err
    missing = run_cli("lint", "nope.yaml", cwd=tmp_path)
    assert (missing.code, missing.err.strip()) == (2, "nope.yaml: no such file")


def test_a_crashing_check_gives_exit_2_and_one_line_not_a_traceback(run_cli, monkeypatch, tmp_path):
    import erdesign.engine.runner as runner

    def broken(design):
        raise KeyError("gateway_skus")

    toy.install(monkeypatch)
    monkeypatch.setattr(runner, "_load_registry", lambda errors: {**toy.REGISTRY, "BGP902": broken})
    (tmp_path / "design.yaml").write_text(toy.DESIGN)
    result = run_cli("lint", "design.yaml", "--exit-zero", cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [
        "erdesign: internal error in rule BGP902 (check broken): KeyError: 'gateway_skus' "
        "(set ERDESIGN_DEBUG=1 for the traceback; please report it)"]
    assert "BGP901" in result.out  # the other rules still reported


def test_seed_example_lints_without_error(run_cli, examples_dir):
    import erdesign

    report = erdesign.lint(str(examples_dir / "seed.yaml"))
    assert [str(e) for e in report.errors] == []
    assert [(f.rule, f.message) for f in report.active if f.severity == "error"] == []
    result = run_cli("lint", str(examples_dir / "seed.yaml"), "--isolated")
    assert result.code == 0, result.out + result.err


def test_multiple_files_are_counted(run_cli, monkeypatch, tmp_path):
    toy.install(monkeypatch)
    (tmp_path / "a.yaml").write_text(toy.DESIGN)
    (tmp_path / "b.yaml").write_text("vnets:\n  - {name: spoke, description: s, address_space: [10.20.0.0/16]}\n")
    result = run_cli("lint", "a.yaml", "b.yaml", "--isolated", cwd=tmp_path)
    assert result.out.splitlines()[-1] == "2 designs: Found 1 error, 1 warning, 2 info in 2 files."
    assert [line.split(":")[0] for line in result.out.splitlines() if line[:1] not in (" ", "", "=", "F")][:-1] == [
        "a.yaml", "a.yaml", "a.yaml", "b.yaml"]  # each file is its own design, grouped under its name


# --------------------------------------------------------------------------- the real rules

def _seed_with(examples_dir, tmp_path, old, new, name="design.yaml"):
    text = (examples_dir / "seed.yaml").read_text()
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1))
    return name


def test_real_rule_reported_at_the_right_line(run_cli, examples_dir, tmp_path):
    from erdesign.engine.catalog import load_catalog

    if "BGP001" not in load_catalog():
        pytest.skip("BGP001 not in the catalog yet")
    name = _seed_with(examples_dir, tmp_path, "peer_asn: 65001", "peer_asn: 65515")
    result = run_cli("lint", name, "--isolated", "--select", "BGP001", "--format", "json", cwd=tmp_path)
    doc = json.loads(result.out)
    assert result.code == 1
    assert [(f["rule"], f["line"], f["column"], f["severity"]) for f in doc["findings"]] == [
        ("BGP001", 50, 19, "error")]
    assert doc["findings"][0]["references"][0].startswith("https://learn.microsoft.com/")


def test_real_rule_suppressed_inline_and_by_entry(run_cli, examples_dir, tmp_path):
    from erdesign.engine.catalog import load_catalog

    if "BGP001" not in load_catalog():
        pytest.skip("BGP001 not in the catalog yet")
    name = _seed_with(examples_dir, tmp_path, "peer_asn: 65001",
                      "peer_asn: 65515  # erdesign: ignore[BGP001] migrating off the Azure ASN, change CHG-1234")
    result = run_cli("lint", name, "--isolated", "--select", "BGP001,SUP", "--format", "sarif", cwd=tmp_path)
    assert result.code == 0
    results = json.loads(result.out)["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"]) for r in results] == [
        ("BGP001", [{"kind": "inSource", "status": "accepted",
                     "justification": "migrating off the Azure ASN, change CHG-1234"}])]

    name = _seed_with(examples_dir, tmp_path, "    peering_location: Washington DC\n",
                      "    peering_location: Washington DC\n    suppress:\n"
                      "      - {rule: BGP001, reason: old router, expires: 2020-01-31}\n", "entry.yaml")
    text = (tmp_path / name).read_text().replace("peer_asn: 65001", "peer_asn: 65515")
    (tmp_path / name).write_text(text)
    result = run_cli("lint", name, "--isolated", "--select", "BGP001,SUP", cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if not line.startswith(" ")]
    assert lines == [
        "entry.yaml:44:9: SUP002 warning circuit 'useasterc1cust1': suppress entry for BGP001 expired on 2020-01-31 "
        "(reason: old router); the findings it covered count again",
        "entry.yaml:52:19: BGP001 error circuit 'useasterc1cust1' peering AzurePrivatePeering: peer ASN 65515 is "
        "reserved by Azure (65515–65520)",
        "Found 1 error, 1 warning in 1 file.",
    ]


def test_real_rules_golden_text(run_cli, examples_dir, monkeypatch):
    """Golden text output of the real BGP rules on the seed with a reserved ASN."""
    from erdesign.engine.catalog import load_catalog

    if not {"BGP001", "BGP006"} <= set(load_catalog()):
        pytest.skip("BGP rules not in the catalog yet")
    result = run_cli("lint", "seed-reserved-asn.yaml", "--isolated", "--select", "BGP001,BGP006",
                     "--show-evidence", cwd=GOLDEN)
    from test_engine_output import check_golden

    assert result.code == 1
    check_golden("real-bgp.txt", result.out)


def test_pre_commit_hooks_manifest(repo_root):
    import re

    import yaml

    from erdesign.cli import _COMMANDS

    hooks = yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["erdesign-lint", "erdesign-cost", "erdesign-terraform", "erdesign-bicep"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
        program, command = hook["entry"].split()[:2]
        assert program == "erdesign" and command in _COMMANDS
    terraform, bicep = hooks[2], hooks[3]
    assert terraform["types"] == ["terraform"]
    assert re.search(bicep["files"], "infra/main.bicep") and re.search(bicep["files"], "main.bicepparam")
    for hook in hooks[:2]:
        pattern = re.compile(hook["files"])
        assert all(pattern.search(p) for p in ("design.yaml", "net/design.yml", "net/ams.er.yaml", "x.erdesign.yaml"))
        assert not any(pattern.search(p) for p in (".github/workflows/ci.yml", "mydesign.yaml", "pyproject.toml"))
