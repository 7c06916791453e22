"""A run that loaded chdb ends before the interpreter's teardown, with its own exit code and output intact.

chdb's engine can crash the interpreter's exit after the answer is printed (promptaudit.console). Here a stand-in
``chdb`` module, imported at start-up through ``sitecustomize``, registers an exit handler that would write a
marker: the installed console script must keep its output and exit code, and the handler must never run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "promptaudit"


@pytest.fixture
def with_engine(tmp_path: Path) -> tuple[dict, Path]:
    marker = tmp_path / "teardown-ran"
    site = tmp_path / "site"
    site.mkdir()
    (site / "chdb.py").write_text(
        f"import atexit\natexit.register(lambda: open({str(marker)!r}, 'w').close())\n", encoding="utf-8"
    )
    (site / "sitecustomize.py").write_text("import chdb\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    return env, marker


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["count", "sample_prompts/classifier.txt", "--format", "json"], 0),
        (["check", "sample_prompts/classifier.txt", "--max-tokens", "5"], 1),
        (["count", "no/such/file.txt"], 2),
    ],
    ids=["answer", "gate-fails", "usage-error"],
)
def test_exit_code_and_output_kept_and_teardown_skipped(with_engine, args, code):
    env, marker = with_engine
    done = subprocess.run([str(SCRIPT), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    plain = subprocess.run(
        [str(SCRIPT), *args], cwd=REPO, env={**env, "PYTHONPATH": ""}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == plain.returncode == code
    assert (done.stdout, done.stderr) == (plain.stdout, plain.stderr)
    assert not marker.exists()


def test_without_the_engine_the_interpreter_ends_as_usual(with_engine, tmp_path):
    env, marker = with_engine
    (tmp_path / "site" / "sitecustomize.py").write_text("import atexit\n", encoding="utf-8")
    (tmp_path / "site" / "other.py").write_text("", encoding="utf-8")
    probe = "import atexit, promptaudit.console\natexit.register(lambda: print('teardown ran'))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe + "import sys; sys.argv = ['promptaudit', '--version']; promptaudit.console.main()"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "teardown ran"
