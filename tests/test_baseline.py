"""Lint baselines: write, no new findings; add a defect, one new finding; fix a baselined one, stale (SUP005)."""
from __future__ import annotations

import json

from conftest import EXAMPLES

SEED = (EXAMPLES / "seed.yaml").read_text()


def test_round_trip(run_cli, tmp_path):
    design = tmp_path / "design.yaml"
    design.write_text(SEED)
    baseline = tmp_path / "baseline.json"

    # 1. write: today's findings are accepted, nothing is reported as new
    before = run_cli("lint", design, "--isolated", "--fail-on", "info")
    assert before.code == 1 and "Found 3 warnings, 2 info" in before.out  # GW020 info since issue 11
    written = run_cli("lint", design, "--isolated", "--fail-on", "info", "--write-baseline", baseline)
    assert written.code == 0, written.out
    assert "wrote" in written.err and "5 finding(s) baselined" in written.err
    assert written.out.strip() == "All checks passed (5 baselined)."
    data = json.loads(baseline.read_text())
    assert data["version"] == 1 and len(data["findings"]) == 5
    again = run_cli("lint", design, "--isolated", "--fail-on", "info", "--baseline", baseline)
    assert again.code == 0 and again.out.strip() == "All checks passed (5 baselined)."

    # moving every line does not change the fingerprints
    design.write_text("# moved\n\n\n" + SEED)
    assert run_cli("lint", design, "--isolated", "--baseline", baseline, "--fail-on", "info").code == 0

    # 2. a new defect: exactly one new finding is reported
    design.write_text(SEED.replace("peer_asn: 65001\n        azure_asn", "peer_asn: 65515\n        azure_asn"))
    with_defect = run_cli("lint", design, "--isolated", "--baseline", baseline, "-f", "json")
    report = json.loads(with_defect.out)
    active = [f for f in report["findings"] if not f["suppressed"]]
    assert {f["rule"] for f in active} == {"BGP001", "BGP006"}  # the reserved ASN, and it differs from the router's
    assert report["summary"]["baselined"] == 5
    assert with_defect.code == 1

    # 3. fix a baselined finding: its entry is stale, reported like an unused suppression
    design.write_text(SEED.replace("    sku: Standard\n", "    sku: ErGw1AZ\n"))
    fixed = run_cli("lint", design, "--isolated", "--baseline", baseline)
    stale = [line for line in fixed.out.splitlines() if " SUP005 " in line]
    assert len(stale) == 1 and "baseline entry for GW001" in stale[0]
    line = next(n for n, text in enumerate(baseline.read_text().splitlines(), start=1) if '"GW001"' in text)
    assert stale[0].startswith(f"{baseline}:{line}:1: SUP005 warning")
    assert "(4 baselined)" in fixed.out


def test_sarif_fingerprint_and_baseline_fingerprint_agree(run_cli, tmp_path):
    baseline = tmp_path / "b.json"
    run_cli("lint", EXAMPLES / "seed.yaml", "--isolated", "--write-baseline", baseline)
    sarif = json.loads(run_cli("lint", EXAMPLES / "seed.yaml", "--isolated", "-f", "sarif").out)
    prints = {r["partialFingerprints"]["erdesign/v1"] for r in sarif["runs"][0]["results"]}
    assert {e["fingerprint"] for e in json.loads(baseline.read_text())["findings"]} == prints


def test_bad_baseline_files(run_cli, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1,\n "findings": [\n')
    result = run_cli("lint", EXAMPLES / "seed.yaml", "--baseline", broken)
    assert result.code == 2 and result.err.startswith(f"{broken}:3:1: not a baseline file")
    other = tmp_path / "other.json"
    other.write_text("[]")
    result = run_cli("lint", EXAMPLES / "seed.yaml", "--baseline", other)
    assert result.code == 2 and "not an erdesign baseline" in result.err
    both = run_cli("lint", EXAMPLES / "seed.yaml", "--baseline", other, "--write-baseline", tmp_path / "x.json")
    assert both.code == 2 and "exclude each other" in both.err


def test_write_baseline_never_overwrites_an_input(run_cli, tmp_path):
    design = tmp_path / "design.yaml"
    design.write_text(SEED)
    result = run_cli("lint", design, "--write-baseline", design)
    assert result.code == 2
    assert design.read_text() == SEED


def test_library_baseline(tmp_path):
    from erdesign import load, lint
    from erdesign.engine.baseline import Baseline, baseline_text, read_baseline

    design = load(EXAMPLES / "seed.yaml")
    first = lint(design)
    path = tmp_path / "b.json"
    path.write_text(baseline_text(first.findings))
    second = lint(design, baseline=read_baseline(str(path)))
    assert second.active == [] and len(second.baselined) == len(first.active)
    empty = lint(design, baseline=Baseline(str(path)))
    assert len(empty.active) == len(first.active)
