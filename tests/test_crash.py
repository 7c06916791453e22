"""The last line of defence (issue 11): an unexpected exception is one stderr line, a saved traceback, exit 3."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from promptaudit import cli, exitcodes

CRASHING_RUN = """
import sys
from promptaudit.reading import loading
def boom(*args, **kwargs):
    raise RuntimeError("a bug, not the user's mistake")
loading.gather_prompts = boom
sys.argv = ["promptaudit", "count", "x.txt"]
from promptaudit.console import main
main()
"""


def test_internal_error_is_one_line_naming_the_traceback_file(tmp_path):
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PROMPTAUDIT_TRACEBACK", None)
    (tmp_path / "x.txt").write_text("Answer briefly.\n")

    done = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == exitcodes.INTERNAL == 3
    [line] = done.stderr.splitlines()
    assert line.startswith("promptaudit: internal error: RuntimeError: a bug, not the user's mistake (traceback in ")
    saved = Path(line.split("traceback in ", 1)[1].split(";", 1)[0])
    assert saved.parent == tmp_path / "cache"
    assert "Traceback (most recent call last)" in saved.read_text() and "RuntimeError" in saved.read_text()


def test_promptaudit_traceback_prints_it_instead(monkeypatch, capsys):
    monkeypatch.setenv("PROMPTAUDIT_TRACEBACK", "1")
    monkeypatch.setattr(cli, "app", lambda: (_ for _ in ()).throw(KeyError("missing")))

    with pytest.raises(SystemExit) as exit_info:
        cli.main()

    assert exit_info.value.code == exitcodes.INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1] == "promptaudit: internal error: KeyError: 'missing' (printed above; please report it)"


def test_user_errors_keep_exit_2_and_never_reach_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "argv", ["promptaudit", "count", str(tmp_path / "missing.txt")])

    with pytest.raises(SystemExit) as exit_info:
        cli.main()

    assert exit_info.value.code == exitcodes.USAGE
    assert "internal error" not in capsys.readouterr().err
