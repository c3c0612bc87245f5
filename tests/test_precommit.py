"""The pre-commit hooks, run by the real `pre-commit` on a throwaway git repository.

The repository holds two independent designs that reuse the same object names (they would
clash if merged) and one design split over a folder with an `erdesign.yaml` marker; changes are
committed one file at a time, as people do. The hook definitions are the shipped
.pre-commit-hooks.yaml, run as a `repo: local` hook with `language: system` on the erdesign
installed beside this Python, so nothing is downloaded.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
MINIMAL = (REPO / "examples" / "minimal.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")) is None
    or shutil.which("git") is None,
    reason="needs the pre-commit tool (pip install 'erdesign[test]') and git",
)

SPLIT_CIRCUITS = """\
circuits:
  - name: er-ams
    peering_location: Amsterdam
    provider: Equinix
    bandwidth: 200Mbps
    sku: {tier: Standard, family: MeteredData}
    peerings:
      - type: AzurePrivatePeering
        peer_asn: 64600
        prefix: 172.16.0.0/29
        vlan_id: 100
"""
SPLIT_AZURE = """\
vnets:
  - name: hub
    region: westeurope
    address_space: [10.10.0.0/16]
    subnets:
      - {name: GatewaySubnet, prefix: 10.10.255.0/27}
public_ips:
  - {name: hub-ergw-pip, region: westeurope, sku: Standard, allocation: Static, zones: ["1", "2", "3"]}
gateways:
  - {name: hub-ergw, vnet: hub, type: ExpressRoute, sku: ErGw1AZ, public_ip: hub-ergw-pip}
connections:
  - {name: hub-ergw-to-er-ams, gateway: hub-ergw, circuit: er-ams}
"""


def _erdesign() -> str:
    return str(Path(sys.executable).with_name("erdesign"))


def _pre_commit() -> str:
    return shutil.which("pre-commit", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])


@pytest.fixture
def git_repo(tmp_path):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args, check=True):
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check,
                              timeout=120)

    git("init", "-q")
    git("config", "commit.gpgsign", "false")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    lint_hook = next(h for h in hooks if h["id"] == "erdesign-lint")
    lint_hook.update(language="system", entry=f"{_erdesign()} lint",
                     files=r"^(designs|split)/.*\.ya?ml$")  # what the README tells users to set for their layout
    lint_hook.pop("minimum_pre_commit_version", None)
    config = {"repos": [{"repo": "local", "hooks": [lint_hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    git("add", ".pre-commit-config.yaml")
    git("commit", "-q", "-m", "config", "--no-verify")
    subprocess.run([_pre_commit(), "install"], cwd=repo, env=env, check=True, capture_output=True, timeout=120)

    def commit(path: str, text: str):
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        git("add", path)
        return git("commit", "-m", f"change {path}", check=False)

    return repo, git, commit


def test_pre_commit_lints_each_design_whole_one_file_at_a_time(git_repo):
    repo, git, commit = git_repo
    # Parts of the split design are all present in the work tree (as when someone splits a file),
    # but committed one at a time.
    (repo / "split").mkdir()
    (repo / "split" / "erdesign.yaml").write_text("version: 1\nname: split-design\n", encoding="utf-8")
    (repo / "split" / "circuits.yaml").write_text(SPLIT_CIRCUITS, encoding="utf-8")
    (repo / "split" / "azure.yaml").write_text(SPLIT_AZURE, encoding="utf-8")

    for path, text in [("designs/one.yaml", MINIMAL), ("designs/two.yaml", MINIMAL),  # same names: no clash
                       ("split/azure.yaml", SPLIT_AZURE),  # refers to er-ams, defined in another part
                       ("split/circuits.yaml", SPLIT_CIRCUITS), ("split/erdesign.yaml", "version: 1\nname: split-design\n")]:
        result = commit(path, text)
        assert result.returncode == 0, f"{path}:\n{result.stdout}{result.stderr}"
        assert "erdesign lint" in result.stdout + result.stderr and "Passed" in result.stdout + result.stderr

    # A real mistake in one part of the split design: the commit of that part is refused, and the
    # finding is reported against the split design.
    result = commit("split/circuits.yaml", SPLIT_CIRCUITS.replace("peer_asn: 64600", "peer_asn: 65515"))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Failed" in output
    assert "split/circuits.yaml:9:19: BGP001 error" in output
    git("reset", "-q", "--hard")

    # Touching the other part lints the whole design too (the referenced circuit is found).
    result = commit("split/azure.yaml", SPLIT_AZURE.replace("ErGw1AZ", "ErGw2AZ"))
    assert result.returncode == 0, result.stdout + result.stderr

    # A typo in one independent design fails with its location and does not involve the other.
    result = commit("designs/two.yaml", MINIMAL.replace("peering_location:", "peering_locaton:"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "designs/two.yaml:9:5: circuits[0]: unknown key 'peering_locaton'" in output
    assert "designs/one.yaml" not in output


def test_terraform_hook_lints_the_configuration_of_each_staged_tf_file(tmp_path):
    """The shipped erdesign-terraform hook (types: [terraform]) on a repository of .tf files."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "tests" / "fixtures" / "terraform" / "hub-spoke-src", repo / "infra")

    def git(*args, check=True):
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check,
                              timeout=120)

    git("init", "-q")
    git("config", "commit.gpgsign", "false")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "erdesign-terraform")
    hook.update(language="system", entry=f"{_erdesign()} lint")
    hook.pop("minimum_pre_commit_version", None)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
    git("add", ".pre-commit-config.yaml")
    git("commit", "-q", "-m", "config", "--no-verify")
    subprocess.run([_pre_commit(), "install"], cwd=repo, env=env, check=True, capture_output=True, timeout=120)

    git("add", "infra")
    clean = git("commit", "-m", "infra", check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "erdesign lint (Terraform source)" in clean.stdout + clean.stderr

    main_tf = repo / "infra" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace("peer_asn                      = 64600",
                                                   "peer_asn                      = 65515"))
    git("add", "infra/main.tf")
    refused = git("commit", "-m", "reserved ASN", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "infra/main.tf:49:35: BGP001" in output, output
