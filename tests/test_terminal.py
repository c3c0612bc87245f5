"""Terminal habits: colour (TTY, NO_COLOR, FORCE_COLOR, --color), the source line with a caret,
stdin for editors, shell completion, markdown for pull-request comments."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from erdesign.cli.terminal import use_color

REPO = Path(__file__).resolve().parents[1]
MINIMAL = (REPO / "examples" / "minimal.yaml").read_text(encoding="utf-8")
RESERVED = MINIMAL.replace("peer_asn: 64600", "peer_asn: 65515")
RED_ERROR = "\x1b[31m\x1b[1merror\x1b[0m"
BOLD_RULE = "\x1b[1mBGP001\x1b[0m"


@pytest.fixture
def design(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / "design.yaml").write_text(RESERVED, encoding="utf-8")
    return tmp_path


def test_color_always_colours_severity_and_bolds_rule_ids(run_cli, design):
    out = run_cli("lint", "design.yaml", "--isolated", "--color", "always", cwd=design).out
    assert f"design.yaml:15:19: {BOLD_RULE} {RED_ERROR} circuit 'er-ams'" in out
    assert "\x1b[33m" in out  # warnings in yellow


def test_no_colour_when_not_a_terminal_or_asked_not_to(run_cli, design, monkeypatch):
    assert "\x1b[" not in run_cli("lint", "design.yaml", "--isolated", cwd=design).out  # captured: not a TTY
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert RED_ERROR in run_cli("lint", "design.yaml", "--isolated", cwd=design).out
    assert "\x1b[" not in run_cli("lint", "design.yaml", "--isolated", "--color", "never", cwd=design).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli("lint", "design.yaml", "--isolated", cwd=design).out
    assert RED_ERROR in run_cli("lint", "design.yaml", "--isolated", "--color", "always", cwd=design).out
    assert "\x1b[" not in run_cli("lint", "design.yaml", "--isolated", "-f", "json", "--color", "always",
                                  cwd=design).out  # machine formats never


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_auto_colour_follows_the_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert use_color("auto", _Tty()) is True and use_color("auto", io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", _Tty()) is False and use_color("always", io.StringIO()) is True


def test_text_shows_the_source_line_with_a_caret_under_the_value(run_cli, design):
    lines = run_cli("lint", "design.yaml", "--isolated", cwd=design).out.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("design.yaml:15:19: BGP001 error")))
    assert lines[at + 2:at + 5] == ["       |", "    15 |         peer_asn: 65515", "       |                   ^^^^^"]
    bare = run_cli("lint", "design.yaml", "--isolated", "--no-source", cwd=design).out
    assert " | " not in bare


def test_lint_reads_stdin_under_the_given_file_name(run_cli, design, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(RESERVED))
    result = run_cli("lint", "-", "--stdin-filename", "network/er.yaml", "--isolated", cwd=design)
    assert result.code == 1
    assert "network/er.yaml:15:19: BGP001 error" in result.out
    assert "    15 |         peer_asn: 65515" in result.out  # the snippet comes from the text read
    monkeypatch.setattr(sys, "stdin", io.StringIO(RESERVED.replace("bandwidth: 200Mbps", "bandwidth: 300Mbps")))
    bad = run_cli("lint", "-", "--isolated", cwd=design)
    assert bad.code == 2 and "<stdin>:11:16: circuits[0].bandwidth: 300Mbps" in bad.err
    both = run_cli("lint", "-", "design.yaml", cwd=design)
    assert both.code == 2 and "'-' (stdin) cannot be combined" in both.err


def test_completion_script_and_real_completions(run_cli):
    script = run_cli("completion", "bash")
    assert script.code == 0 and "_ERDESIGN_COMPLETE=bash_complete" in script.out
    assert "compdef" in run_cli("completion", "zsh").out
    assert "complete" in run_cli("completion", "fish").out
    env = {**os.environ, "COMP_WORDS": "erdesign lint --format ", "COMP_CWORD": "3",
           "_ERDESIGN_COMPLETE": "bash_complete"}
    done = subprocess.run([sys.executable, "-m", "erdesign"], env=env, capture_output=True, text=True, timeout=60)
    assert "plain,sarif" in done.stdout.splitlines() and "plain,markdown" in done.stdout.splitlines()


def test_lint_markdown_for_pull_request_comments(run_cli, design):
    out = run_cli("lint", "design.yaml", "--isolated", "-f", "markdown", cwd=design).out
    lines = out.splitlines()
    assert lines[0] == "### erdesign: Found 1 error, 1 warning, 2 info in 1 file."  # GW020 info since issue 11
    assert "| Severity | Rule | Location | Finding | Fix |" in lines
    row = next(line for line in lines if "BGP001" in line)
    assert row.startswith("| 🔴 error | [BGP001](https://") and "/docs/rules/BGP001.md) | `design.yaml:15:19` |" in row


AZ_CIRCUIT = """{
  "id": "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/MyCircuit",
  "location": "westus",
  "name": "MyCircuit",
  "peerings": [],
  "serviceProviderProperties": {"bandwidthInMbps": 200, "peeringLocation": "Silicon Valley", "serviceProviderName": "Equinix"},
  "serviceProviderProvisioningState": "NotProvisioned",
  "sku": {"family": "MeteredData", "name": "Standard_MeteredData", "tier": "Standard"},
  "type": "Microsoft.Network/expressRouteCircuits"
}
"""


def test_lint_reads_az_json_piped_on_stdin_without_a_file_name(run_cli, tmp_path, monkeypatch):
    """`az network express-route show ... | erdesign lint -` is read as az CLI JSON, not as a YAML design."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(AZ_CIRCUIT))
    result = run_cli("lint", "-", "--isolated", "--no-source", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "unknown key" not in result.err
    assert "<stdin>:7:39: RES008 warning circuit 'MyCircuit' is NotProvisioned" in result.out
