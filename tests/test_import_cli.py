"""`erdesign import`, the round trip import -> YAML -> load/lint, and what lint finds in the seed
note's dumps and in Microsoft's quickstart template."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from erdesign.engine.catalog import load_catalog
from erdesign.engine.runner import lint
from erdesign.importers.to_yaml import design_data, to_yaml
from erdesign.loader import load_design

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "az" / "seed"


def _quickstart() -> Path:
    return FIXTURES / "arm" / "quickstart" / "azuredeploy.json"  # see SOURCE.md there


INPUTS = {
    "seed": lambda: ([SEED], {}),
    "graph": lambda: ([FIXTURES / "az" / "multi" / "graph.json"], {}),
    "rest": lambda: ([FIXTURES / "az" / "rest" / "circuit-rest.json"], {}),
    "arm-hub": lambda: ([FIXTURES / "arm" / "hub.json"], {"parameters": FIXTURES / "arm" / "hub.parameters.json"}),
    "terraform": lambda: ([FIXTURES / "terraform" / "hub-spoke.plan.json"], {}),
    "quickstart": lambda: ([_quickstart()], {}),
}


def _findings(design):
    report = lint(design, today=__import__("datetime").date(2026, 6, 1))
    assert report.errors == []
    return sorted((f.rule, f.message, f.path) for f in report.findings if not f.rule.startswith("IMP"))


@pytest.mark.parametrize("name", list(INPUTS))
def test_round_trip_gives_the_same_design_and_the_same_findings(name, tmp_path, request):
    paths, options = INPUTS[name]()
    imported = load_design(paths, **options)
    out = tmp_path / "design.yaml"
    out.write_text(to_yaml(imported, sources=[str(p) for p in paths], notes=imported._notes))
    reloaded = load_design(out)
    assert design_data(reloaded) == design_data(imported)
    assert reloaded.model_dump() == imported.model_dump()
    assert _findings(reloaded) == _findings(imported)


def test_import_prints_readable_yaml_and_notes(run_cli):
    r = run_cli("import", SEED)
    assert r.code == 0
    text = r.out
    assert text.startswith("# Design imported by `erdesign import`.")
    sections = [line[:-1] for line in text.splitlines() if re.match(r"^[a-z_]+:$", line)]
    assert sections == ["circuits", "vnets", "gateways", "connections", "vnet_peerings"]
    assert "    bandwidth: 1Gbps\n    sku: {tier: Standard, family: UnlimitedData}\n" in text
    assert "      - type: AzurePrivatePeering\n        peer_asn: 65001\n" in text
    assert "md5" not in text and "state: Enabled" not in text  # defaults are left out
    assert "#   " in text and "IMP004" in text  # notes in the header
    assert r.err.count("IMP004") == 2


def test_import_to_a_file_is_atomic_and_refuses_bad_input(run_cli, tmp_path):
    out = tmp_path / "design.yaml"
    r = run_cli("import", SEED, "-o", out)
    assert r.code == 0 and r.out == "" and out.read_text().startswith("# Design imported")
    assert "wrote" in r.err and "1 circuit" in r.err
    before = out.read_text()
    bad = tmp_path / "bad.json"
    bad.write_text("[{]")
    r = run_cli("import", bad, "-o", out)
    assert r.code == 2 and r.err.startswith(f"{bad}:1:3: malformed JSON")
    assert out.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "design.yaml"]  # no temporary left over


def test_lint_says_how_many_resources_were_skipped(run_cli):
    graph = FIXTURES / "az" / "multi" / "graph.json"
    r = run_cli("lint", graph)
    assert "erdesign: skipped 1 resource of other types (--verbose lists them)" in r.err
    r = run_cli("lint", graph, "--verbose")
    assert "IMP003 skipped 1 resource of type microsoft.compute/virtualmachines" in r.err


# --------------------------------------------------------------------------- end to end: what lint finds

def _expect(found: set, expected: set):
    catalog = load_catalog()
    missing = sorted(r for r in expected if r not in catalog)
    assert (expected - set(missing)) <= found, f"expected {sorted(expected)}, found {sorted(found)}"
    if missing:
        pytest.skip(f"rules not in the catalog yet: {', '.join(missing)}")


def test_seed_dumps_lint_as_a_reader_of_the_note_expects():
    design = load_design(SEED)
    report = lint(design)
    found = {f.rule for f in report.active}
    # legacy Standard gateway SKU, a single circuit, the note's sanitised region and peering location
    _expect(found, {"GW001", "RES003", "RES001", "RES002"})
    gw001 = next(f for f in report.active if f.rule == "GW001")
    gw_file = SEED / "vnet-gateway-show.json"
    sku_line = next(i + 1 for i, line in enumerate(gw_file.read_text().splitlines()) if '"name": "Standard"' in line)
    assert (gw001.loc.file, gw001.loc.line) == (str(gw_file), sku_line)
    assert "Standard" in gw001.message


def test_quickstart_lints_with_its_real_problems():
    quickstart = _quickstart()
    report = lint(load_design(quickstart))
    found = {f.rule for f in report.active}
    # legacy HighPerformance SKU, Basic dynamic public IP, no connection gateway<->circuit, a single circuit
    _expect(found, {"GW001", "GW003", "RES005", "RES003", "IMP001"})
    gw001 = next(f for f in report.active if f.rule == "GW001")
    assert "HighPerformance" in gw001.message
    assert gw001.loc.line == next(i + 1 for i, line in enumerate(quickstart.read_text().splitlines())
                                  if '"defaultValue": "HighPerformance"' in line)


def test_quickstart_lint_exit_code_and_output(run_cli):
    r = run_cli("lint", _quickstart())
    assert r.code == 1  # GW003 is an error
    assert ":14:25: IMP001 info resourceGroup().location is unknown at design time" in r.out


# --------------------------------------------------------------------------- the IMP catalog pages

IMP_PAGES = sorted(p.stem for p in (Path(__file__).parents[1] / "rules" / "catalog").glob("IMP*.yaml"))


@pytest.mark.parametrize("rule", IMP_PAGES)
def test_imp_examples_are_importer_inputs_bad_gives_the_note_and_good_does_not(rule, tmp_path):
    page = load_catalog()[rule]
    fired = {}
    for which in ("bad", "good"):
        path = tmp_path / f"{rule}-{which}.json"
        path.write_text(getattr(page.example, which))
        design = load_design(path)
        # IMP008 (checks held back by unknown values) is decided while linting, the others while importing
        fired[which] = [n.rule for n in design._notes] + [f.rule for f in lint(design).findings if f.rule == "IMP008"]
    assert rule in fired["bad"], f"{rule}: example.bad gives {fired['bad']}"
    assert rule not in fired["good"], f"{rule}: example.good still gives {rule}"


def test_the_imp_family_is_complete():
    assert IMP_PAGES[:7] == [f"IMP00{i}" for i in range(1, 8)]
    assert all(8 <= int(p[3:]) <= 19 for p in IMP_PAGES[7:])  # IMP008-IMP019: unknown values, vWAN, Direct
