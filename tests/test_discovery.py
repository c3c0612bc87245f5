"""Design discovery: which files make which design, and how lint/cost use it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from erdesign.discovery import design_parts, discover

REPO = Path(__file__).resolve().parents[1]
MINIMAL = (REPO / "examples" / "minimal.yaml").read_text(encoding="utf-8")
CIRCUITS = MINIMAL[MINIMAL.index("circuits:"):MINIMAL.index("vnets:")]
AZURE = MINIMAL[MINIMAL.index("vnets:"):]


def names(units):
    return [(u.name, u.kind, [Path(f).as_posix() for f in u.files]) for u in units]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_each_yaml_file_is_its_own_design(tmp_path, monkeypatch):
    write(tmp_path, {"a.yaml": MINIMAL, "b.yaml": MINIMAL})
    monkeypatch.chdir(tmp_path)
    assert names(discover(["a.yaml", "b.yaml"])) == [("a.yaml", "file", ["a.yaml"]), ("b.yaml", "file", ["b.yaml"])]
    assert names(discover([])) == names(discover(["."])) == names(discover(["a.yaml", "b.yaml"]))


def test_an_include_list_makes_one_design_and_any_part_names_it(tmp_path, monkeypatch):
    write(tmp_path, {"net/main.yaml": "version: 1\ninclude: [parts/circuits.yaml, parts/azure*.yaml]\n",
                     "net/parts/circuits.yaml": CIRCUITS, "net/parts/azure-1.yaml": AZURE,
                     "other.yaml": MINIMAL})
    monkeypatch.chdir(tmp_path)
    whole = ("net/main.yaml", "include", ["net/main.yaml", "net/parts/circuits.yaml", "net/parts/azure-1.yaml"])
    assert names(discover(["net/parts/azure-1.yaml"])) == [whole]
    assert names(discover(["net/parts/circuits.yaml", "net/main.yaml"])) == [whole]  # once, however named
    assert sorted(names(discover(["."]))) == sorted([whole, ("other.yaml", "file", ["other.yaml"])])
    assert design_parts("net/main.yaml") == whole[2]


def test_includes_are_followed_transitively_and_cycles_end(tmp_path, monkeypatch):
    write(tmp_path, {"top.yaml": "include: [mid.yaml]\n", "mid.yaml": "include: [leaf.yaml, top.yaml]\n",
                     "leaf.yaml": MINIMAL})
    monkeypatch.chdir(tmp_path)
    # top and mid include each other: both are roots only if nothing else includes them; leaf belongs to both
    units = discover(["leaf.yaml"])
    assert all(sorted(u.files) == ["leaf.yaml", "mid.yaml", "top.yaml"] for u in units) and units


def test_an_include_that_names_nothing_is_a_located_error(tmp_path, run_cli):
    write(tmp_path, {"main.yaml": "version: 1\ninclude:\n  - missing.yaml\n"})
    result = run_cli("lint", "main.yaml", cwd=tmp_path)
    assert result.code == 2
    assert "main.yaml:3:5: include: 'missing.yaml' names no .yaml, .yml, .json, .tf or .bicep file" in result.err


def test_a_folder_marker_makes_its_folder_one_design(tmp_path, monkeypatch):
    write(tmp_path, {"split/erdesign.yaml": "version: 1\nname: split\n", "split/circuits.yaml": CIRCUITS,
                     "split/azure/hub.yaml": AZURE, "split/inner/erdesign.yaml": MINIMAL, "alone.yaml": MINIMAL})
    monkeypatch.chdir(tmp_path)
    split = ("split/", "folder", ["split/circuits.yaml", "split/erdesign.yaml", "split/azure/hub.yaml"])
    assert names(discover(["split/azure/hub.yaml"])) == [split]
    assert names(discover(["split/inner/erdesign.yaml"])) == [("split/inner/", "folder", ["split/inner/erdesign.yaml"])]
    assert [u.name for u in discover([])] == ["alone.yaml", "split/", "split/inner/"]


def test_json_inputs_form_one_design_per_folder(tmp_path, monkeypatch):
    write(tmp_path, {"a/x.json": "{}", "a/y.json": "{}", "b/z.json": "{}"})
    monkeypatch.chdir(tmp_path)
    assert names(discover(["a/x.json", "b/z.json", "a/y.json"])) == [
        ("a/", "json", ["a/x.json", "a/y.json"]), ("b/", "json", ["b/z.json"])]


def test_configuration_files_are_not_designs(tmp_path, monkeypatch, run_cli):
    write(tmp_path, {".erdesign.yaml": "ignore: [RES009]\n"})
    monkeypatch.chdir(tmp_path)
    assert discover([".erdesign.yaml"]) == []
    result = run_cli("lint", ".erdesign.yaml", cwd=tmp_path)
    assert result.code == 0 and "no design to check" in result.err


def test_lint_examples_folder_groups_findings_per_design(run_cli, repo_root):
    result = run_cli("lint", "examples/", "--isolated", cwd=repo_root)
    assert result.code == 0, result.out + result.err
    headers = [line for line in result.out.splitlines() if line.startswith("==> ")]
    assert headers == ["==> examples/minimal.yaml <==", "==> examples/multi-region.yaml <==",
                       "==> examples/seed.yaml <=="]
    assert result.out.splitlines()[-1].startswith("3 designs: Found ")


def test_lint_and_cost_without_a_path_use_the_current_folder(run_cli, tmp_path):
    write(tmp_path, {"design.yaml": MINIMAL})
    lint = run_cli("lint", "--isolated", cwd=tmp_path)
    assert lint.code == 0 and "design.yaml:" in lint.out
    cost = run_cli("cost", "--metered", cwd=tmp_path)
    assert cost.code == 0 and "Cost of minimal" in cost.out


def test_a_broken_design_does_not_hide_the_others_and_the_worst_exit_code_wins(run_cli, tmp_path):
    write(tmp_path, {"good.yaml": MINIMAL.replace("peer_asn: 64600", "peer_asn: 65515"),
                     "bad.yaml": MINIMAL.replace("bandwidth: 200Mbps", "bandwidth: 300Mbps")})
    result = run_cli("lint", "good.yaml", "bad.yaml", "--isolated", cwd=tmp_path)
    assert result.code == 2
    assert "good.yaml:15:19: BGP001 error" in result.out
    assert "bad.yaml:11:16: circuits[0].bandwidth: 300Mbps is not an offered bandwidth" in result.err
    doc = json.loads(run_cli("lint", "good.yaml", "bad.yaml", "--isolated", "-f", "json", cwd=tmp_path).out)
    assert [(d["name"], d["exit_code"]) for d in doc["designs"]] == [("good.yaml", 1), ("bad.yaml", 2)]
    assert doc["input_errors"][0]["file"] == "bad.yaml" and doc["input_errors"][0]["line"] == 11
    cost = run_cli("cost", "good.yaml", "bad.yaml", cwd=tmp_path)
    assert cost.code == 2 and "==> good.yaml <==" in cost.out and "bad.yaml:11:16" in cost.err


def test_library_load_is_unchanged_several_files_make_one_design(tmp_path):
    import erdesign

    write(tmp_path, {"c.yaml": "version: 1\n" + CIRCUITS, "az.yaml": AZURE})
    design = erdesign.load(tmp_path / "c.yaml", tmp_path / "az.yaml")
    assert [c.name for c in design.circuits] == ["er-ams"] and [g.name for g in design.gateways] == ["hub-ergw"]


def test_library_load_follows_include_lists(tmp_path):
    import erdesign

    write(tmp_path, {"main.yaml": "version: 1\nname: split\ninclude: [az.yaml]\n" + CIRCUITS, "az.yaml": AZURE})
    design = erdesign.load(tmp_path / "main.yaml")
    assert design.name == "split" and [g.name for g in design.gateways] == ["hub-ergw"]
    write(tmp_path, {"broken.yaml": "version: 1\ninclude: [nowhere.yaml]\n"})
    from erdesign.errors import InputError

    with pytest.raises(InputError, match="include: 'nowhere.yaml' names no"):
        erdesign.load(tmp_path / "broken.yaml")


def test_summary_line_keeps_findings_when_another_design_is_broken(run_cli, tmp_path):
    """A broken design does not hide the others' findings, in the last line either."""
    bad = MINIMAL.replace("peering_location:", "peering_locaton:", 1)
    write(tmp_path, {"a.yaml": MINIMAL, "b.yaml": bad})
    result = run_cli("lint", ".", "--isolated", "--no-source", cwd=tmp_path)
    assert result.code == 2, result.out + result.err
    last = result.out.splitlines()[-1]
    assert last.startswith("2 designs: Found "), last
    assert last.endswith("in 1 file; not checked: 1 input error."), last


def test_github_summary_keeps_findings_when_another_design_is_broken(run_cli, tmp_path):
    bad = MINIMAL.replace("peering_location:", "peering_locaton:", 1)
    write(tmp_path, {"a.yaml": MINIMAL, "b.yaml": bad})
    result = run_cli("lint", ".", "--isolated", "--format", "github", cwd=tmp_path)
    assert result.code == 2, result.out + result.err
    last = result.out.splitlines()[-1]
    assert last.startswith("Found ") and last.endswith("; not checked: 1 input error."), last


def test_library_load_takes_a_list_of_paths_too(tmp_path):
    """erdesign.load(glob.glob(...)) in a notebook: a list means those files, not a TypeError traceback."""
    import erdesign

    write(tmp_path, {"c.yaml": "version: 1\n" + CIRCUITS, "az.yaml": AZURE})
    design = erdesign.load([tmp_path / "c.yaml", str(tmp_path / "az.yaml")])
    assert [c.name for c in design.circuits] == ["er-ams"] and [g.name for g in design.gateways] == ["hub-ergw"]


def test_a_folder_walk_leaves_tool_folders_out(tmp_path, run_cli):
    """`pip install .` leaves build/ behind, and virtual environments hold YAML of their own: not designs."""
    (tmp_path / "design.yaml").write_text((EXAMPLES / "minimal.yaml").read_text())
    for folder in ("build/lib/erdesign/examples", ".venv/lib", "node_modules/x", "pkg.egg-info"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "broken.yaml").write_text("circuits: [\n")
    result = run_cli("lint", tmp_path, "-f", "concise")
    assert result.code in (0, 1), result.err
    assert "broken.yaml" not in result.out + result.err
