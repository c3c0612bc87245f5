"""Configuration: [tool.erdesign] in pyproject.toml or .erdesign.yaml, found by walking up; CLI overrides."""
from __future__ import annotations

import json

import pytest

import engine_toy as toy
from erdesign.engine.config import Config, find_config_file, load_config_file
from erdesign.errors import InputError


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tmp/project/designs/site-a/design.yaml, with the toy registry and catalog installed."""
    toy.install(monkeypatch)
    folder = tmp_path / "project" / "designs" / "site-a"
    folder.mkdir(parents=True)
    (folder / "design.yaml").write_text(toy.DESIGN)
    return tmp_path / "project"


def rules_in(result):
    return [f["rule"] for f in json.loads(result.out)["findings"]]


def lint_json(run_cli, project, *args):
    return run_cli("lint", "designs/site-a/design.yaml", "--format", "json", *args, cwd=project)


def test_no_configuration_runs_everything(run_cli, project):
    assert rules_in(lint_json(run_cli, project)) == ["BGP902", "BGP901", "NET901"]


def test_pyproject_found_by_walking_up(run_cli, project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.erdesign]\nignore = ["BGP9"]\n')
    assert rules_in(lint_json(run_cli, project)) == ["NET901"]


def test_pyproject_without_erdesign_table_is_skipped(run_cli, project):
    (project / "pyproject.toml").write_text('[tool.erdesign]\nselect = ["NET"]\n')
    (project / "designs" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert rules_in(lint_json(run_cli, project)) == ["NET901"]


def test_nearest_file_wins_and_yaml_beats_pyproject_in_the_same_folder(run_cli, project):
    (project / "pyproject.toml").write_text('[tool.erdesign]\nselect = ["NET"]\n')
    site = project / "designs" / "site-a"
    (site / "pyproject.toml").write_text('[tool.erdesign]\nselect = ["BGP901"]\n')
    (site / ".erdesign.yaml").write_text("select: [BGP902]\n")
    assert rules_in(lint_json(run_cli, project)) == ["BGP902"]
    assert find_config_file(site / "design.yaml") == str(site / ".erdesign.yaml")


def test_yaml_configuration_severity_fail_on_and_format(run_cli, project):
    (project / ".erdesign.yaml").write_text(
        "ignore: [BGP901]\nseverity: {BGP902: error, NET: warning}\nfail_on: warning\nformat: json\n")
    result = run_cli("lint", "designs/site-a/design.yaml", cwd=project)
    doc = json.loads(result.out)
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("BGP902", "error"), ("NET901", "warning")]
    assert doc["summary"]["fail_on"] == "warning" and result.code == 1


def test_fail_on_from_configuration_decides_the_exit_code(run_cli, project):
    (project / ".erdesign.yaml").write_text("ignore: [BGP901]\n")
    assert lint_json(run_cli, project).code == 0  # a warning and an info only
    (project / ".erdesign.yaml").write_text("ignore: [BGP901]\nfail-on: info\n")
    assert lint_json(run_cli, project).code == 1
    assert lint_json(run_cli, project, "--fail-on", "error").code == 0  # the flag wins


def test_command_line_overrides_configuration(run_cli, project):
    (project / "pyproject.toml").write_text(
        '[tool.erdesign]\nselect = ["BGP"]\nignore = ["BGP902"]\n\n[tool.erdesign.severity]\nBGP901 = "warning"\n')
    assert rules_in(lint_json(run_cli, project)) == ["BGP901"]
    assert rules_in(lint_json(run_cli, project, "--select", "NET")) == ["NET901"]  # replaces select
    assert rules_in(lint_json(run_cli, project, "--select", "BGP902")) == ["BGP902"]  # later layer wins
    assert rules_in(lint_json(run_cli, project, "--ignore", "BGP901")) == []
    assert rules_in(lint_json(run_cli, project, "--extend-select", "NET901")) == ["BGP901", "NET901"]
    result = lint_json(run_cli, project, "--severity", "BGP901=info")
    assert [f["severity"] for f in json.loads(result.out)["findings"]] == ["info"]
    assert result.code == 0


def test_isolated_and_explicit_config(run_cli, project, tmp_path):
    (project / ".erdesign.yaml").write_text("select: [NET]\n")
    assert rules_in(lint_json(run_cli, project, "--isolated")) == ["BGP902", "BGP901", "NET901"]
    other = tmp_path / "other.yaml"
    other.write_text("select: [BGP901]\n")
    assert rules_in(lint_json(run_cli, project, "--config", str(other))) == ["BGP901"]


@pytest.mark.parametrize("name, text, expected", [
    (".erdesign.yaml", "select: [BGP]\nselct: [NET]\n",
     ".erdesign.yaml:2:1: unknown setting 'selct' (did you mean 'select'?)"),
    (".erdesign.yaml", "ignore:\n  - BGP902\n  - NET9O1\n",
     ".erdesign.yaml:3:5: ignore: unknown rule or prefix 'NET9O1' (did you mean 'NET901'?)"),
    (".erdesign.yaml", "severity:\n  BGP: fatal\n", ".erdesign.yaml:2:8: severity of BGP must be one of error, warning, info, not 'fatal'"),
    (".erdesign.yaml", "fail-on: critical\n", ".erdesign.yaml:1:10: 'fail-on' must be one of error, warning, info, not 'critical'"),
    (".erdesign.yaml", "select: [BGP\n", ".erdesign.yaml:2:1: malformed YAML"),
    ("pyproject.toml", '[tool.erdesign]\nselect = ["BGP"\n', "pyproject.toml:3:1: invalid TOML"),
    ("pyproject.toml", '[tool.erdesign]\nselect = ["BGP"]\nformat = "xml"\n',
     "pyproject.toml:3:1: 'format' must be one of text, concise, json, sarif, github, markdown, not 'xml'"),
    ("pyproject.toml", '[tool.erdesign]\nselect = "BGP"\n\n[tool.erdesign.severity]\nBGP1 = "error"\n',
     "pyproject.toml:5:1: severity: unknown rule or prefix 'BGP1'"),
    ("pyproject.toml", '[tool.erdesign]\nselect = 3\n', "pyproject.toml:2:1: 'select' must be a list of rule IDs or prefixes"),
])
def test_bad_configuration_is_one_located_line_and_exit_2(run_cli, project, name, text, expected):
    (project / name).write_text(text)
    result = lint_json(run_cli, project)
    assert result.code == 2
    assert json.loads(result.out)["input_errors"][0]["file"].endswith(name)  # CI formats report it too
    line = result.err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(str(project / name)) and expected.split(":", 1)[1] in line.replace(str(project / name), name)


def test_config_object_defaults():
    config = Config()
    assert config.is_enabled("BGP001") and config.fail_on == "error" and config.format == "text"
    assert config.severity_of("BGP001") is None


def test_load_config_file_without_catalog_keeps_selectors(tmp_path):
    path = tmp_path / ".erdesign.yaml"
    path.write_text("select: 'BGP, net'\nextend-select: [GW]\ndocs-url: https://wiki.example.com/er/{id}\n")
    config = load_config_file(str(path))
    assert config.layers[0].select == ("BGP", "NET") and config.layers[0].extend_select == ("GW",)
    assert config.docs_url == "https://wiki.example.com/er/{id}" and config.source == str(path)
    with pytest.raises(InputError, match="docs-url"):
        path.write_text("docs-url: wiki\n")
        load_config_file(str(path))
