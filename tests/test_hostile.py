"""Hostile inputs: every file in tests/fixtures/hostile/ ends quickly with exit 2 and one located line,
within bounded memory; FIFOs, devices, symlink loops and oversize files are refused without being read;
-o never replaces anything but a regular file or a new path, never an input, and a failed run writes
nothing."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from erdesign.errors import InputError, Loc, clip, clip_message
from erdesign.inputgate import read_input_text

REPO = Path(__file__).resolve().parents[1]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
MINIMAL = REPO / "examples" / "minimal.yaml"
HUB = REPO / "tests" / "fixtures" / "arm" / "hub.json"
MEMORY_LIMIT_KB = 300 * 1024

# file -> (line:col of the error, what the message says); the command depends on the folder
CORPUS = {
    "terraform/growth/main.tf": ("3:47", "evaluation takes more than 500,000 steps"),
    "terraform/recursive-local/main.tf": ("2:7", "local.a refers to itself"),
    "terraform/count/main.tf": ("2:11", "count of 10,001 is past 10,000 instances"),
    "design/alias-depth.yaml": ("100:12", "nests more than 100 levels deep once alias '*a97' is expanded"),
    "design/bandwidth-inf.yaml": ("6:16", "circuits[0].bandwidth: 'inf' is not a whole, positive number of Mbps"),
    "design/billion-laughs.yaml": ("6:8", "aliases expand to more than 100,000 values"),
    "design/control-character.yaml": ("2:11", "control characters are not allowed (character 0x07)"),
    "design/deep-nesting.json": ("1:460", "nesting is too deep"),
    "design/deep-nesting.yaml": ("2:", "nesting depth"),
    "design/huge-integer.yaml": ("6:16", "an integer of 5,000 digits is not a plausible value"),
    "design/interface-prefix-length.yaml": ("7:45", "'192.0.2.97/^0' has a bad prefix length"),
    "design/long-value.yaml": ("6:16", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100002 characters) is not"),
    "design/not-utf8.yaml": ("2:10", "not UTF-8 text: invalid continuation byte (byte 0xe9)"),
    "design/recursive-alias.yaml": ("2:12", "recursive alias: '*a' is inside the value anchored as '&a'"),
    "design/two-documents.yaml": ("2:1", "expected a single document"),
    "arm/array-growth.json": ("9:13", "an array grows beyond 100,000 items"),
    "arm/cidr-subnet-index.json": ("14:15", "index 1000000000000000000 is out of range (0 to 16777215)"),
    "arm/deep-expression.json": ("14:463", "the expression nests more than 64 calls deep"),
    "arm/evaluation-steps.json": ("20:33", "the template takes more than 2,000,000 evaluation steps"),
    "arm/format-precision.json": ("14:15", "format precision 999999999 is more than 10,000"),
    "arm/format-width.json": ("14:15", "format width 999999999 is more than 10,000"),
    "arm/integer-growth.json": ("11:13", "an integer goes beyond 64 bits"),
    "arm/json-deep.json": ("14:22", "json(): the JSON nests too deeply"),
    "arm/nested-copy.json": ("24:22", "makes 100,000,000 copies; at most 100,000"),
    "arm/pad-left.json": ("14:15", "padLeft(): width 999999999 is too large"),
    "arm/range.json": ("14:22", "range(): count 999999999 is out of range"),
    "arm/replace-growth.json": ("14:15", "the result would be 6,991,555 characters, more than 1,000,000"),
    "arm/shared-value-growth.json": ("11:13", "the value grows beyond 200,000 items"),
    "arm/string-growth.json": ("11:13", "a string grows beyond 1,000,000 characters"),
    "arm/union-growth.json": ("6:13", "union() of 20,000 items; at most 10,000"),
    "arm/variable-chain.json": ("206:25", "expressions nest more than 100 deep"),
    "pricebook/alias-bomb.yaml": ("6:8", "aliases expand to more than 100,000 values"),
    "pricebook/long-value.yaml": ("1:1", "missing required key 'title'"),
    "retail/deep.json": ("1:110", "malformed JSON: nesting is too deep"),
    "retail/huge-integer.json": ("1:1", "malformed JSON"),
    "retail/product-name-not-text.json": ("6:5", "\"productName\" has the wrong type (list [\"ExpressRoute\"])"),
    "retail/region-not-text.json": ("6:5", "\"armRegionName\" has the wrong type (int 5)"),
    "retail/sku-name-not-text.json": ("6:5", "\"skuName\" has the wrong type (dict {\"a\": 1})"),
    "retail/tier-list.json": ("6:5", "\"tierMinimumUnits\" has the wrong type (list [1])"),
    "retail/tier-text.json": ("6:5", "\"tierMinimumUnits\" has the wrong type (str 'many')"),
    "config/alias-bomb.erdesign.yaml": ("6:8", "aliases expand to more than 100,000 values"),
    "config/deep.toml": ("2:110", "invalid TOML: nesting is too deep"),
    "config/long-value.erdesign.yaml": ("1:10", "not 'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww… (100002 characters)"),
    "parameters/deep.parameters.json": ("1:", "malformed JSON: nesting is too deep"),
}

# Runs erdesign and reports its own peak memory on stderr when it exits (whatever the exit code).
_RUNNER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write('PEAK_RSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "from erdesign.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _command(name: str) -> list[str]:
    folder = name.split("/")[0]
    if folder in ("design", "arm", "terraform"):
        return ["lint", name]
    if folder == "pricebook":
        return ["cost", str(MINIMAL), "--pricing", name]
    if folder == "retail":
        return ["pricing", "import", name]
    if folder == "config":
        return ["lint", str(MINIMAL), "--config", name]
    return ["lint", str(HUB), "-p", name]


# Linux keeps a process's memory high-water mark across fork and exec: a command started straight from this
# test process (hundreds of MB after a long suite) would report the suite's peak as its own. A small launcher
# process in between starts it from a few MB.
_LAUNCHER = "import subprocess, sys\nsys.exit(subprocess.call(sys.argv[1:]))\n"


def run_measured(args, cwd, env=None, stdin=None):
    """(exit code, stdout, stderr lines without the memory line, peak RSS in KB) of erdesign ARGS.
    The timeout only keeps a regression from hanging the suite; nothing here asserts on time."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, sys.executable, "-c", _RUNNER, *map(str, args)],
                          cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL)
    lines = proc.stderr.splitlines()
    peak = int(lines.pop().split()[1]) if lines and lines[-1].startswith("PEAK_RSS_KB") else -1
    return proc.returncode, proc.stdout, lines, peak


def test_every_corpus_file_is_listed():
    files = sorted(str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file() and p.name != "README.md")
    assert files == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_one_located_line_exit_2_in_bounded_memory(name):
    where, says = CORPUS[name]
    code, out, err, peak = run_measured(_command(name), HOSTILE)
    assert code == 2, (out, err)
    assert err, "no error line"
    assert err[0].startswith(f"{name}:{where}"), err[0]
    assert says in err[0]
    assert all(len(line) <= 300 for line in err)
    assert len(err) <= 4  # one problem, one line (a price book lists each missing key)
    assert 0 < peak < MEMORY_LIMIT_KB, f"peak memory {peak} KB"


# --------------------------------------------------------------------------- the input gate

@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("args,what", [
    (["lint", "{fifo}"], "file"),
    (["lint", str(MINIMAL), "--config", "{fifo}"], "configuration"),
    (["cost", str(MINIMAL), "--pricing", "{fifo}"], "price book"),
    (["lint", str(HUB), "-p", "{fifo}"], "parameters file"),
    (["pricing", "import", "{fifo}"], "Retail Prices file"),
])
def test_a_fifo_is_refused_without_being_opened(fifo, tmp_path, args, what):
    code, _, err, _ = run_measured([a.format(fifo=fifo) for a in args], tmp_path)
    assert code == 2
    assert err[-1].startswith(f"{fifo}: cannot read {what}: it is a FIFO (named pipe), not a regular file")


def test_devices_folders_and_symlink_loops_are_named(run_cli, tmp_path):
    result = run_cli("lint", "/dev/zero")
    assert result.code == 2 and result.err.strip().startswith("/dev/zero: cannot read file: it is a character device")
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = run_cli("lint", loop)
    assert result.code == 2 and result.err.strip() == f"{loop}: cannot read file: symlink loop (the link points back to itself)"
    with pytest.raises(InputError) as caught:
        read_input_text(tmp_path, "configuration")
    assert str(caught.value) == f"{tmp_path}: cannot read configuration: it is a folder, a file was expected"
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "missing.yaml")
    result = run_cli("lint", dangling)
    assert result.code == 2 and result.err.strip() == f"{dangling}: the symlink points to a missing file"


def test_the_size_limit_is_clear_and_overridable(run_cli, tmp_path, monkeypatch):
    design = tmp_path / "design.yaml"
    shutil.copy(MINIMAL, design)
    size = design.stat().st_size
    monkeypatch.setenv("ERDESIGN_MAX_INPUT_BYTES", str(size - 1))
    result = run_cli("lint", design)
    assert result.code == 2
    assert result.err.strip() == (f"{design}:1:1: file is too large: {size} bytes, the limit is {size - 1} bytes "
                                  "(set ERDESIGN_MAX_INPUT_BYTES to raise it)")
    monkeypatch.setenv("ERDESIGN_MAX_INPUT_BYTES", str(size))
    assert run_cli("lint", design).code in (0, 1)
    monkeypatch.setenv("ERDESIGN_MAX_INPUT_BYTES", "lots")
    result = run_cli("lint", design)
    assert result.code == 2 and "ERDESIGN_MAX_INPUT_BYTES must be a positive number of bytes" in result.err


def test_the_default_limit_admits_a_10000_vnet_design():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import SIZES, Estate, design_yaml
    finally:
        sys.path.pop(0)
    from erdesign.inputgate import DEFAULT_MAX_INPUT_BYTES
    from erdesign.yamlsource import load_yaml

    text = design_yaml(Estate(SIZES["S3"]))  # 1,000 circuits, 10,000 VNets, 100,000 prefixes
    assert len(text.encode()) * 1.5 < DEFAULT_MAX_INPUT_BYTES
    assert load_yaml(text, "big.yaml")[0] is not None


def test_standard_input_is_read_only_for_a_dash(tmp_path):
    text = MINIMAL.read_text()
    proc = subprocess.run([sys.executable, "-m", "erdesign", "lint", "-"], input=text, capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    proc = subprocess.run([sys.executable, "-m", "erdesign", "lint", "-", "-f", "concise"],
                          input="version: 1\nname: [\n", capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("<stdin>:3:1: malformed YAML")


def test_decode_errors_are_located_in_characters(tmp_path, run_cli):
    path = tmp_path / "d.yaml"
    path.write_bytes("version: 1\nname: \"é€\xa0".encode() + b"\xff\n")
    result = run_cli("lint", path)
    assert result.err.strip() == f"{path}: not UTF-8 text: invalid start byte (byte 0xff)".replace(
        f"{path}:", f"{path}:2:11:")


# --------------------------------------------------------------------------- the output gate

@pytest.fixture
def design(tmp_path):
    path = tmp_path / "design.yaml"
    shutil.copy(MINIMAL, path)
    return path


def _state(path: Path):
    st = os.lstat(path)
    content = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
    return st.st_mode, st.st_ino, content


@pytest.mark.parametrize("target_kind", ["fifo", "symlink-to-new", "symlink-to-input", "hard-link", "dotdot"])
def test_output_is_refused_over_anything_but_a_regular_file_or_an_input(run_cli, design, tmp_path, target_kind):
    target = tmp_path / "out.txt"
    if target_kind == "fifo":
        os.mkfifo(target)
    elif target_kind == "symlink-to-new":
        target.symlink_to(tmp_path / "new.txt")
    elif target_kind == "symlink-to-input":
        target.symlink_to(design)
    elif target_kind == "hard-link":
        os.link(design, target)
    elif target_kind == "dotdot":
        (tmp_path / "sub").mkdir()
        target = tmp_path / "sub" / ".." / "design.yaml"
    before, design_before = _state(target), design.read_bytes()
    result = run_cli("lint", design, "-o", target)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith(f"{target}: refusing to write")
    assert _state(target) == before and design.read_bytes() == design_before
    assert not (tmp_path / "new.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".erdesign-")]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root could replace a device node")
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_output_to_a_device_is_refused_and_the_device_stays(run_cli, design, device):
    before = os.stat(device)
    result = run_cli("lint", design, "-o", device)
    assert result.code == 2 and result.err.startswith(f"{device}: refusing to write the report over a device")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_to_a_device_is_refused_for_anyone(run_cli, design, tmp_path):
    result = run_cli("lint", design, "-o", "/dev/null")
    assert result.code == 2 and "refusing to write the report over a device" in result.err


@pytest.mark.parametrize("which", ["config", "discovered-config", "pricebook", "parameters", "retail"])
def test_output_is_refused_over_every_kind_of_input(run_cli, tmp_path, which, examples_dir):
    shutil.copy(MINIMAL, tmp_path / "design.yaml")
    if which == "config":
        target = tmp_path / "conf.yaml"
        target.write_text("fail-on: warning\n")
        args = ["lint", tmp_path / "design.yaml", "--config", target]
    elif which == "discovered-config":
        target = tmp_path / "pyproject.toml"
        target.write_text("[tool.erdesign]\nfail-on = 'warning'\n")
        args = ["lint", tmp_path / "design.yaml"]
    elif which == "pricebook":
        target = tmp_path / "carriers.yaml"
        shutil.copy(REPO / "pricing" / "carriers.yaml", target)
        args = ["cost", tmp_path / "design.yaml", "--pricing", target]
    elif which == "parameters":
        shutil.copy(HUB, tmp_path / "hub.json")
        target = tmp_path / "hub.parameters.json"
        shutil.copy(REPO / "tests" / "fixtures" / "arm" / "hub.parameters.json", target)
        args = ["import", tmp_path / "hub.json", "-p", target]
    else:
        target = tmp_path / "page.json"
        shutil.copy(REPO / "tests" / "fixtures" / "retail_prices" / "eastus2-expressroute.json", target)
        args = ["pricing", "import", target]
    link = tmp_path / "alias-of-input"
    os.link(target, link)
    before = target.read_bytes()
    for out in (target, link):
        result = run_cli(*args, "-o", out)
        assert result.code == 2, result.err
        assert result.err.strip().splitlines()[-1] == f"{out}: refusing to write the " + result.err.split(
            "refusing to write the ")[-1].strip()
        assert "over an input file" in result.err
        assert target.read_bytes() == before


def test_a_check_that_crashes_writes_no_report(run_cli, design, tmp_path, monkeypatch):
    from erdesign.engine import runner

    out = tmp_path / "report.txt"
    out.write_text("old\n")
    real = runner.lint

    def crashing(design, **kwargs):
        report = real(design, **kwargs)
        report.errors.append(type("Err", (), {"traceback": "", "__str__": lambda self: "check X crashed"})())
        return report

    monkeypatch.setattr(runner, "lint", crashing)
    result = run_cli("lint", design, "-o", out)
    assert result.code == 2
    assert out.read_text() == "old\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".erdesign-")]


def test_an_internal_error_after_the_output_is_prepared_writes_nothing(run_cli, design, tmp_path, monkeypatch):
    import click

    out = tmp_path / "cost.txt"
    real_echo = click.echo

    def echo(message=None, *args, **kwargs):
        if isinstance(message, str) and message.startswith("wrote "):
            raise RuntimeError("boom")
        return real_echo(message, *args, **kwargs)

    monkeypatch.setattr(click, "echo", echo)
    result = run_cli("cost", design, "-o", out)
    assert result.code == 2 and "internal error: RuntimeError: boom" in result.err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".erdesign-")]


def test_a_successful_run_replaces_a_regular_file(run_cli, design, tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("old\n")
    result = run_cli("lint", design, "-o", out, "-f", "json")
    assert result.code in (0, 1)
    assert out.read_text().startswith("{")


# --------------------------------------------------------------------------- messages

def test_clip_keeps_short_values_and_counts_long_ones():
    assert clip("x" * 80) == "x" * 80
    assert clip("x" * 100_000) == "x" * 60 + "… (100000 characters)"


def test_messages_stay_short_whatever_the_values():
    long_words = "word " * 10_000
    message = clip_message(f"bad value '{long_words}'")
    assert len(message) <= 240
    assert str(InputError("z" * 5000, Loc("f.yaml", 1, 2))) == "f.yaml:1:2: " + "z" * 60 + "… (5000 characters)"


def test_the_value_budget_grows_with_the_size_limit(monkeypatch):
    from erdesign.inputgate import DEFAULT_MAX_VALUES, max_values

    monkeypatch.delenv("ERDESIGN_MAX_INPUT_BYTES", raising=False)
    assert max_values() == DEFAULT_MAX_VALUES
    monkeypatch.setenv("ERDESIGN_MAX_INPUT_BYTES", "1M")  # a lower size limit keeps the value budget
    assert max_values() == DEFAULT_MAX_VALUES
    monkeypatch.setenv("ERDESIGN_MAX_INPUT_BYTES", "64M")
    assert max_values() == 4 * DEFAULT_MAX_VALUES


def test_a_flood_of_errors_lists_the_first_hundred_and_counts_the_rest(run_cli, tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("version: 1\n" + "".join(f"k{i}: 1\n" for i in range(5_000)))
    result = run_cli("lint", path)
    lines = result.err.strip().splitlines()
    assert result.code == 2 and len(lines) == 101
    assert lines[0] == f"{path}:2:1: unknown key 'k0'"
    assert lines[-1] == "erdesign: … and 4,900 more input errors, not listed (fix these first)"


def test_a_long_value_that_ends_like_a_location_is_still_clipped():
    # found by benchmarks/fuzz.py: a date "2024-10-…01T00:00:00Z" looked like file:line:col
    value = "2024-10-[padLeft('" + "[" * 200 + "')]01T00:00:00Z"
    message = clip_message(f"Items[1]: effectiveStartDate {value!r} is not a date")
    assert len(message) < 160 and message.endswith("… (235 characters) is not a date")
    kept = "(first at /tmp/some/where/design.yaml:66:5)"
    assert clip_message(f"VNet 'x' is defined twice {kept} " + "y" * 30) == f"VNet 'x' is defined twice {kept} " + "y" * 30


def test_numbers_beyond_float_are_input_errors_not_crashes():
    # found by benchmarks/fuzz.py: a 315-digit bandwidth in a price book, a 100,000-digit zone number
    from pydantic_core import PydanticCustomError

    from erdesign.costing.book import zone_name
    from erdesign.model import parse_bandwidth

    with pytest.raises(PydanticCustomError, match="more than a petabit per second"):
        parse_bandwidth(10 ** 315)
    with pytest.raises(PydanticCustomError, match="not a whole, positive number"):
        parse_bandwidth(-(10 ** 315))
    assert zone_name("Zone 1" + "1" * 100_000).startswith("Zone 11")  # kept as written, no int() of it
    with pytest.raises(PydanticCustomError):
        zone_name(10 ** 400)


def test_a_toml_number_of_thousands_of_digits_is_located(run_cli, tmp_path):
    # found by benchmarks/fuzz.py: tomllib raises a plain ValueError for it
    shutil.copy(MINIMAL, tmp_path / "design.yaml")
    (tmp_path / "pyproject.toml").write_text("[tool.erdesign]\nselect = " + "1" * 5000 + "\n")
    result = run_cli("lint", tmp_path / "design.yaml")
    assert result.code == 2
    assert result.err.strip() == (f"{tmp_path / 'pyproject.toml'}:2:10: invalid TOML: a number of more than "
                                  "1,000 digits is not a plausible value")
