"""Baseline writes: merged under a lock, atomic, through symlinks, keeping the file's mode (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from promptaudit.errors import ConfigError
from promptaudit.gate import baseline

SCRIPT = Path(sys.executable).parent / "promptaudit"


def _prompt(folder: Path, number: int) -> Path:
    path = folder / f"p{number}.txt"
    path.write_text(f"Prompt {number}: answer the customer briefly and cite the help-centre article.\n")
    return path


def test_eight_hooks_writing_at_once_keep_eight_entries(tmp_path):
    prompts = [_prompt(tmp_path, n) for n in range(8)]
    env = {**os.environ, "PROMPTAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    command = [str(SCRIPT), "check", "--write-baseline", "--baseline", "b.json"]
    hooks = [subprocess.Popen([*command, str(p)], cwd=tmp_path, env=env, stderr=subprocess.PIPE) for p in prompts]
    results = [(hook.wait(timeout=120), hook.stderr.read().decode()) for hook in hooks]

    assert all(code == 0 for code, _ in results), results
    recorded = json.loads((tmp_path / "b.json").read_text())["prompts"]
    assert sorted(recorded) == [f"p{n}.txt" for n in range(8)]
    assert all(isinstance(v, int) and v > 10 for v in recorded.values())


def test_a_symlinked_baseline_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "shared" / "baseline.json"
    target.parent.mkdir()
    baseline.write(baseline.Baseline(target, "gpt-4o", {"old.txt": 5}))
    link = tmp_path / "link.json"
    link.symlink_to(target)
    _prompt(tmp_path, 1)

    baseline.record(link, {"p1.txt": 20}, "gpt-4o")

    assert link.is_symlink()
    assert json.loads(target.read_text())["prompts"] == {"p1.txt": 20}  # old.txt no longer exists: dropped


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600])
def test_the_file_keeps_its_mode(tmp_path, mode):
    path = tmp_path / "b.json"
    baseline.write(baseline.Baseline(path, "gpt-4o", {}))
    path.chmod(mode)
    _prompt(tmp_path, 1)

    baseline.record(path, {"p1.txt": 20}, "gpt-4o")

    assert path.stat().st_mode & 0o777 == mode


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        baseline.record(tmp_path / "b.json", {}, "gpt-4o")
    finally:
        os.umask(old)
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o644


def test_a_missing_folder_is_created_and_keys_reach_back_out_of_it(tmp_path):
    _prompt(tmp_path, 1)
    path = tmp_path / "new" / "deeper" / "b.json"

    written, dropped = baseline.record(path, {"../../p1.txt": 20}, "gpt-4o")

    assert dropped == []
    assert json.loads(path.read_text())["prompts"] == {"../../p1.txt": 20}
    assert written.tokens == {"../../p1.txt": 20}


def test_a_folder_that_cannot_be_created_is_said_and_nothing_claimed(tmp_path):
    (tmp_path / "new").write_text("a file, not a folder")

    with pytest.raises(ConfigError, match=r"b.json: cannot write baseline: cannot create or open folder"):
        baseline.record(tmp_path / "new" / "b.json", {"p.txt": 1}, "gpt-4o")


def test_another_models_counts_are_replaced_not_mixed(tmp_path):
    path = tmp_path / "b.json"
    _prompt(tmp_path, 1)
    _prompt(tmp_path, 2)
    baseline.record(path, {"p1.txt": 20}, "claude-sonnet-4")

    baseline.record(path, {"p2.txt": 30}, "gpt-4o")

    assert json.loads(path.read_text()) == {"version": 1, "model": "gpt-4o", "prompts": {"p2.txt": 30}}


def test_no_temp_file_is_left_when_the_write_fails(tmp_path, monkeypatch):
    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ConfigError, match="no space left on device"):
        baseline.record(tmp_path / "b.json", {}, "gpt-4o")
    assert list(tmp_path.iterdir()) == []
