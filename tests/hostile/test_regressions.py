"""Every hostile input that once misbehaved (issue 11), through the INSTALLED console script in a subprocess.

The cases live in tests/data/hostile/cases.yaml; each asserts its exit code and message, and every case
asserts no traceback, no internal error and an answer before its timeout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from . import cases

SCRIPT = Path(sys.executable).parent / "promptaudit"
CASES = cases.load_cases()
BIG_MEGABYTES = 10  # cases that write files this large are slow (a 49 MB prompt): skipped by the quick subset


def _marks(case: dict) -> list:
    marks = [pytest.mark.xfail(reason=case["pending"], strict=False)] if case.get("pending") else []
    big = any(float(step.get("megabytes", 0)) >= BIG_MEGABYTES for step in case.get("make", []))
    return marks + [pytest.mark.slow] if big else marks


PARAMS = [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES]


@pytest.fixture
def case_env(isolated_env, tmp_path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        **os.environ,
        "HOME": str(home),
        "PROMPTAUDIT_CACHE_DIR": str(home / "cache"),
    }


@pytest.mark.parametrize("case", PARAMS)
def test_case(case, case_env, tmp_path):
    if not SCRIPT.exists():
        pytest.fail(f"console script not installed next to {sys.executable}; run pip install -e '.[test]'")
    if cases.needs_dropped_privileges(case) and not sys.platform.startswith("linux"):
        pytest.skip("dropping root's read-anything capability needs Linux")
    if cases.needs_root(case):
        pytest.skip("making another user's file needs root (os.geteuid() == 0)")
    folder = tmp_path / "case"
    folder.mkdir()
    try:
        outcome = cases.run(case, folder, SCRIPT, case_env)
        assert cases.problems(case, outcome, folder) == [], outcome.stderr[-2000:]
    finally:
        cases.remove(folder)  # deep trees and mode-000 folders defeat pytest's own clean-up
