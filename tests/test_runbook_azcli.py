"""Every az command a runbook holds goes through the real Azure CLI's argument parser.

Runs where azure-cli is installed (`pip install 'erdesign[runbook-test]'`), with an empty
configuration directory: each command must fail only for want of a login (or of the subscription
it names), never for an unknown, missing or invalid argument. Skipped with the reason otherwise.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from erdesign.loader import load_design, load_design_text
from erdesign.runbook import Var, build_runbook, teardown_runbook

from test_runbook import EXAMPLES, MORE_DESIGNS



def _has_azure_cli() -> bool:
    try:
        return importlib.util.find_spec("azure.cli.core") is not None
    except ImportError:  # no azure package at all: find_spec imports the parents
        return False


pytestmark = pytest.mark.skipif(not _has_azure_cli(),
                                reason="azure-cli is not installed (pip install 'erdesign[runbook-test]')")

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"

_RUNNER = r'''
import json, os, shlex, sys, tempfile
from azure.cli.core import get_default_cli

results = []
for line in sys.stdin.read().splitlines():
    argv = json.loads(line)
    with tempfile.TemporaryFile() as sink:
        sys.stdout.flush(); sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(sink.fileno(), 1); os.dup2(sink.fileno(), 2)
        try:
            code = get_default_cli().invoke(argv, out_file=open(os.devnull, "w"))
        except SystemExit as exc:
            code = exc.code
        except Exception as exc:  # report, do not stop
            code = f"{type(exc).__name__}: {exc}"
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os.dup2(saved[0], 1); os.dup2(saved[1], 2)
        sink.seek(0)
        text = sink.read().decode("utf-8", "replace")
    results.append({"argv": argv, "code": code, "output": text})
print(json.dumps(results))
'''

PARSER_ERRORS = ("unrecognized arguments", "the following arguments are required", "error: argument",
                 "invalid choice", "is not a valid value", "is not recognized", "usage: az")
LOGIN_ERRORS = ("az login", "Please run 'az login'")


def _argv(cmd) -> list[str]:
    out = []
    for word in cmd.argv[1:]:  # without the leading "az"
        if isinstance(word, Var):
            text = word.text if word.raw else "secret-value"
            out.append(text.replace("${SUBSCRIPTION_ID}", PLACEHOLDER_SUBSCRIPTION))
        else:
            out.append(word)
    return out


def _commands() -> list[list[str]]:
    designs = [load_design(p) for p in EXAMPLES]
    designs += [load_design_text(text, f"{name}.yaml") for name, text in MORE_DESIGNS.items()]
    designs.append(load_design_text(DIRECT, "direct.yaml"))
    seen: dict[str, list[str]] = {}
    for design in designs:
        for book in (build_runbook(design), teardown_runbook(design)):
            for step in book.steps:
                cmds = list(step.commands) + ([step.gate.command] if step.gate else [])
                for cmd in cmds:
                    argv = _argv(cmd)
                    seen.setdefault(json.dumps(argv), argv)
    return list(seen.values())


DIRECT = """
version: 1
name: direct
express_route_ports:
  - {name: port1, resource_group: rg-d, region: westeurope, peering_location: Amsterdam, bandwidth: 10Gbps}
circuits:
  - {name: er-direct, resource_group: rg-d, region: westeurope, express_route_port: port1, bandwidth: 5Gbps,
     sku: {tier: Standard, family: MeteredData},
     peerings: [{type: AzurePrivatePeering, peer_asn: 64600, prefix: 192.0.2.0/29, vlan_id: 10}]}
"""


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    config = tmp_path_factory.mktemp("azure-config")
    env = {"AZURE_CONFIG_DIR": str(config), "AZURE_CORE_COLLECT_TELEMETRY": "false", "AZURE_CORE_NO_COLOR": "true",
           "AZURE_CORE_ONLY_SHOW_ERRORS": "true", "PATH": "/usr/bin:/bin", "HOME": str(config)}
    commands = _commands()
    proc = subprocess.run([sys.executable, "-c", _RUNNER], input="\n".join(json.dumps(c) for c in commands),
                          capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_runbooks_use_many_az_commands():
    names = {" ".join(w for w in argv[:4] if not w.startswith("-")) for argv in _commands()}
    assert len(_commands()) > 60 and len(names) > 15


def test_every_command_fails_only_for_want_of_a_login(parsed):
    bad = []
    for r in parsed:
        text = r["output"]
        if any(e in text for e in PARSER_ERRORS) or not isinstance(r["code"], int):
            bad.append(f"az {' '.join(r['argv'])}\n    -> {r['code']}: {text.strip()[-400:]}")
        elif r["code"] != 0 and not any(e in text for e in LOGIN_ERRORS):
            bad.append(f"az {' '.join(r['argv'])}\n    -> not a login error: {text.strip()[-400:]}")
    assert not bad, "\n".join(bad)


def test_the_parser_does_reject_a_bad_argument(tmp_path):
    """The harness can fail: a misspelt option is reported as a parser error."""
    env = {"AZURE_CONFIG_DIR": str(tmp_path), "AZURE_CORE_COLLECT_TELEMETRY": "false", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    argv = ["network", "express-route", "create", "--resource-group", "rg", "--name", "c", "--bandwith", "50"]
    proc = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(argv), capture_output=True, text=True,
                          env=env, timeout=300)
    result = json.loads(proc.stdout.strip().splitlines()[-1])[0]
    assert result["code"] == 2 and any(e in result["output"] for e in PARSER_ERRORS)
