"""Output files: never over an input, never half-written, clean errors, normal permissions;
folders are read recursively and what is skipped is said."""
from __future__ import annotations

import os
import shutil
import stat

import pytest


@pytest.fixture
def seed_copy(examples_dir, tmp_path):
    path = tmp_path / "design.yaml"
    shutil.copy(examples_dir / "seed.yaml", path)
    return path


@pytest.mark.parametrize("command,what", [("lint", "report"), ("cost", "output"), ("import", "design")])
def test_output_over_an_input_is_refused(run_cli, seed_copy, command, what):
    before = seed_copy.read_text()
    result = run_cli(command, seed_copy, "-o", seed_copy)
    assert result.code == 2
    assert result.err.strip() == f"{seed_copy}: refusing to write the {what} over an input file (choose another -o)"
    assert seed_copy.read_text() == before


@pytest.mark.parametrize("args", [["lint", "{seed}"], ["cost", "{seed}"], ["import", "{seed}"], ["schema"]])
def test_output_to_a_missing_folder_is_one_clean_line(run_cli, seed_copy, tmp_path, args):
    target = tmp_path / "no" / "such" / "dir" / "out.txt"
    result = run_cli(*[a.format(seed=seed_copy) for a in args], "-o", target)
    assert result.code == 2
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert result.err.strip().splitlines()[-1].startswith(f"{target}: cannot write the ")
    assert not target.parent.exists()


def test_new_output_file_gets_umask_permissions_and_existing_keeps_its_own(run_cli, seed_copy, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "report.json"
        assert run_cli("lint", seed_copy, "--format", "json", "-o", out).code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o600)
        assert run_cli("lint", seed_copy, "--format", "json", "-o", out).code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_folders_are_read_recursively_and_skipped_files_listed(run_cli, examples_dir, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.copy(examples_dir / "seed.yaml", tmp_path / "sub" / "design.yaml")
    shutil.copy(examples_dir / "seed.yaml", tmp_path / ".hidden" / "design.yaml")  # would clash if read
    (tmp_path / "README.md").write_text("notes\n")
    broken = tmp_path / "sub" / "broken.yml"
    broken.write_text("circuits: [\n")
    result = run_cli("lint", tmp_path, "-v")
    assert result.code == 2 and str(broken) in result.err  # the subfolder was read
    broken.unlink()
    result = run_cli("lint", tmp_path, "-v")
    assert result.code == 0, result.err
    assert f"{tmp_path / 'README.md'}: skipped: not a .yaml, .yml, .json, .tf or .bicep file" in result.err


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_a_name_with_a_newline_keeps_one_finding_per_line(run_cli, tmp_path, fmt):
    path = tmp_path / "d.yaml"
    path.write_text('circuits:\n  - name: "a\\nb"\n    provider: p\n    bandwidth: 1Gbps\n    peering_location: Amsterdam\n')
    result = run_cli("lint", path, "--format", fmt)
    finding_lines = [line for line in result.out.splitlines() if line.startswith(str(path))]
    assert finding_lines and all("circuit 'a\\nb'" in line for line in finding_lines)
    assert not any(line.startswith("b'") for line in result.out.splitlines())


RETAIL_PAGE = ('{"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail", "Items": ['
               '{"currencyCode": "USD", "retailPrice": 0.632, "unitPrice": 0.632, "armRegionName": "westeurope", '
               '"location": "EU West", "effectiveStartDate": "2018-07-01T00:00:00Z", "meterName": "ErGw2AZ Gateway", '
               '"serviceName": "ExpressRoute", "productName": "ExpressRoute Gateway", "skuName": "ErGw2AZ", '
               '"unitOfMeasure": "1 Hour", "type": "Consumption", "isPrimaryMeterRegion": true}], '
               '"NextPageLink": null, "Count": 1}')


@pytest.mark.parametrize("command", ["cost", "diff"])
def test_output_over_a_price_book_given_with_pricing_is_refused(run_cli, seed_copy, tmp_path, command):
    page = tmp_path / "page.json"
    page.write_text(RETAIL_PAGE, encoding="utf-8")
    book = tmp_path / "quotes.yaml"
    assert run_cli("pricing", "import", page, "-o", book).code == 0
    before = book.read_text()
    designs = [seed_copy] if command == "cost" else [seed_copy, seed_copy]
    result = run_cli(command, *designs, "--pricing", book, "-o", book)
    assert result.code == 2, result.out + result.err
    assert f"{book}: refusing to write the " in result.err
    assert book.read_text() == before


def test_pricing_import_never_writes_over_a_page_it_reads(run_cli, tmp_path):
    page = tmp_path / "page.json"
    page.write_text(RETAIL_PAGE, encoding="utf-8")
    result = run_cli("pricing", "import", page, "-o", page)
    assert result.code == 2, result.out + result.err
    assert f"{page}: refusing to write the " in result.err
    assert page.read_text(encoding="utf-8") == RETAIL_PAGE


def test_lint_output_never_overwrites_the_baseline_or_config_it_read(run_cli, seed_copy, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert run_cli("lint", seed_copy, "--write-baseline", baseline).code == 0
    before = baseline.read_text()
    result = run_cli("lint", seed_copy, "--baseline", baseline, "-o", baseline)
    assert result.code == 2, result.out + result.err
    assert f"{baseline}: refusing to write the report over an input file" in result.err
    assert baseline.read_text() == before
    config = tmp_path / "lint.toml"
    config.write_text('[tool.erdesign]\nignore = ["RES009"]\n', encoding="utf-8")
    result = run_cli("lint", seed_copy, "--config", config, "-o", config)
    assert result.code == 2, result.out + result.err
    assert "ignore" in config.read_text()
