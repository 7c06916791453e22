"""The installed console script over every fixture: no hang, no traceback, the same output as in-process.

Every command that reads prompts (count, audit, check, project, diff OLD NEW) runs in a subprocess with a
timeout, first on a cold cache and then on the warm one it left, over every file under tests/data and
sample_prompts (a new fixture is picked up automatically). Each run must print exactly what the same
command prints in-process, which goes through no start-up speed-up at all: counts included.
Commands that take many paths get them all in one run, so this stays a few seconds on two cores.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "promptaudit"
FIXTURES = sorted(
    str(path.relative_to(REPO))
    for folder in ("tests/data", "sample_prompts")
    for path in (REPO / folder).rglob("*")
    if path.is_file()
)
MANY_PATHS = {
    "count": ["count", "--format", "json", "--detail"],
    "audit": ["audit", "--format", "json"],
    "check": ["check", "--format", "json", "--max-tokens", "200"],
    "project": ["project", "--format", "json", "--per-day", "1000"],
}
TIMEOUT = 60
# diff OLD NEW reads copies in a temporary folder, and names them in its messages (reported upstream).
TEMP_COPY = re.compile(r"/\S*promptaudit-diff-[^/\s]+/")


def test_the_fixture_set_is_found():
    assert len(FIXTURES) > 30 and "sample_prompts/classifier.txt" in FIXTURES


@pytest.fixture
def compare(cli, isolated_env, tmp_path):
    """Run ``args`` cold, then warm, through the console script; each must equal the in-process run."""
    if not SCRIPT.exists():
        pytest.fail(f"console script not installed next to {sys.executable}; run pip install -e '.[test]'")
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "script-cache")}

    def script(args: list[str]) -> tuple[int, str, str]:
        try:
            done = subprocess.run(
                [str(SCRIPT), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"promptaudit {' '.join(args)} did not finish in {TIMEOUT} s")
        return done.returncode, done.stdout, TEMP_COPY.sub("<tmp>/", done.stderr)

    def run(argument_lists: list[list[str]]) -> None:
        with ThreadPoolExecutor(max_workers=2) as pool:  # CI has two cores
            cold = list(pool.map(script, argument_lists))
            warm = list(pool.map(script, argument_lists))
        os.chdir(REPO)
        for args, cold_run, warm_run in zip(argument_lists, cold, warm):
            result = cli(*args)
            slow = (result.exit_code, result.stdout, TEMP_COPY.sub("<tmp>/", result.stderr))
            assert "Traceback" not in cold_run[2] + warm_run[2], args
            assert cold_run[0] in (0, 1, 2), args
            assert cold_run == slow, args
            assert warm_run == slow, args

    return run


@pytest.mark.parametrize("command", sorted(MANY_PATHS))
def test_commands_over_every_fixture_cold_and_warm(compare, command):
    compare([MANY_PATHS[command] + FIXTURES])


DIFF_GROUPS = 6  # separate tests, so parallel workers (pytest -n) share the ~40 pairs


@pytest.mark.slow  # about 40 diffs, cold and warm: the quick subset keeps the other commands' fixture runs
@pytest.mark.parametrize("group", range(DIFF_GROUPS))
def test_diff_old_new_over_every_fixture_cold_and_warm(compare, group):
    pairs = [FIXTURES[i : i + 2] for i in range(0, len(FIXTURES), 2)]
    if len(pairs[-1]) == 1:
        pairs[-1] = [FIXTURES[0], pairs[-1][0]]
    compare([["diff", "--format", "json", *pair] for pair in pairs[group::DIFF_GROUPS]])


COMMANDS = ("count", "audit", "check", "project", "diff", "models", "usage")


@pytest.mark.parametrize("args", [["--help"], *([name, "--help"] for name in COMMANDS), ["check", "--bogus"], ["chek"]])
def test_help_and_usage_errors_are_the_full_apps(args, isolated_env):
    """The console script registers only the invoked command with Typer; what it prints must not change."""
    env = {**os.environ, "PROMPTAUDIT_NO_CACHE": "1"}
    full_app = [sys.executable, "-c", "import sys; sys.argv[0] = 'promptaudit'; import promptaudit.cli as c; c.main()"]

    def run(command: list[str]) -> tuple[int, str, str]:
        done = subprocess.run(command + args, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        return done.returncode, done.stdout, done.stderr

    assert run([str(SCRIPT)]) == run(full_app)
