"""A bounded fuzz of every input kind (the long runs are benchmarks/fuzz.py N): generated bad designs,
az/ARM/Terraform JSON, ARM parameters, price books, configuration and Retail Prices pages each end
with exit 0, 1 or 2 — never a traceback or an internal error — an exit 2 names file:line:col and
writes no output, and no error or finding line runs over 300 characters."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from hostile_inputs import GENERATORS, judge  # noqa: E402

sys.path.pop(0)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_generated_bad_inputs_end_cleanly(run_cli, kind, rng):
    try:
        case = GENERATORS[kind](rng)
    except RecursionError:  # the generator's own deep copy of a deeply nested mutation
        assume(False)
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        for name, data in case.files.items():
            Path(folder, name).write_bytes(data)
        os.chdir(folder)  # names relative to the case folder keep lines as short as a user's
        try:
            result = run_cli(*case.args(""))
        finally:
            os.chdir(here)
        wrote = any(Path(folder, name).exists() for name in ("out.txt", "out.yaml"))
    assert judge(result.code, result.out, result.err, wrote) == "", (case.argv, result.err[-2000:])
