"""``promptaudit fix`` as the installed console script, in a subprocess with a timeout (cold cache first, then
warm): --write and its refusals (read-only file, a symbolic link out of the tree, a file over the size cap, a
file changed while fix worked), each one line on stderr and exit 2, the file untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from promptaudit import exitcodes
from promptaudit.lint.fixing.writing import MAX_FIX_BYTES

SCRIPT = Path(sys.executable).parent / "promptaudit"
GOLDEN = Path(__file__).parent / "data" / "fix"
BEFORE = (GOLDEN / "text.before.txt").read_bytes()
AFTER = (GOLDEN / "text.after.txt").read_bytes()


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fix-console-cache")


@pytest.fixture
def run(isolated_env, shared_cache):
    if not SCRIPT.exists():
        pytest.fail(f"console script not installed next to {sys.executable}; run pip install -e '.[test]'")

    def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), *args],
            cwd=isolated_env,
            env={**os.environ, "PROMPTAUDIT_CACHE_DIR": str(shared_cache), **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run_script


def one_line(done: subprocess.CompletedProcess, said: str) -> None:
    assert done.returncode == exitcodes.USAGE, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and said in errors[0], done.stderr
    assert "Traceback" not in done.stderr


def test_preview_then_write_then_nothing_left(run, isolated_env):
    target = isolated_env / "prompt.txt"
    target.write_bytes(BEFORE)
    preview = run("fix", "prompt.txt")
    assert preview.returncode == exitcodes.FINDINGS and preview.stdout.startswith("--- prompt.txt\n")
    assert target.read_bytes() == BEFORE
    wrote = run("fix", "prompt.txt", "--write")
    assert (wrote.returncode, wrote.stdout) == (exitcodes.OK, "")
    assert "prompt.txt: fixed 8 (PA103 ×2, PA107 ×6): 104 → 60 tokens per request, -44 tokens" in wrote.stderr
    assert target.read_bytes() == AFTER
    again = run("fix", "prompt.txt", "--write")
    assert (again.returncode, again.stdout) == (exitcodes.OK, "") and "Nothing to fix" in again.stderr


def test_a_read_only_file_is_refused_even_for_root(run, isolated_env):
    target = isolated_env / "prompt.txt"
    target.write_bytes(BEFORE)
    os.chmod(target, 0o444)
    one_line(run("fix", "prompt.txt", "--write"), "prompt.txt: is read-only; not written")
    assert target.read_bytes() == BEFORE


def test_a_symbolic_link_out_of_the_tree_is_refused(run, isolated_env, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "shared.txt"
    outside.write_bytes(BEFORE)
    tree = isolated_env / "prompts"
    tree.mkdir()
    (tree / "linked.txt").symlink_to(outside)
    one_line(run("fix", "prompts", "--write"), "outside prompts; not written")
    assert outside.read_bytes() == BEFORE


def test_a_link_inside_the_tree_is_written_through(run, isolated_env):
    tree = isolated_env / "prompts"
    tree.mkdir()
    (tree / "real.txt").write_bytes(BEFORE)
    (tree / "alias.txt").symlink_to(tree / "real.txt")
    done = run("fix", "prompts/alias.txt", "--write")
    assert done.returncode == exitcodes.OK, done.stderr
    assert (tree / "alias.txt").is_symlink() and (tree / "real.txt").read_bytes() == AFTER


def test_a_file_over_the_size_cap_is_refused(run, isolated_env):
    target = isolated_env / "huge.txt"
    target.write_bytes(BEFORE * (MAX_FIX_BYTES // len(BEFORE) + 1))
    one_line(run("fix", "huge.txt", "--write"), "huge.txt: larger than")
    assert target.stat().st_size > MAX_FIX_BYTES


def test_a_file_changed_while_fix_works_is_refused(run, isolated_env):
    # A sitecustomize on PYTHONPATH plays the editor: it saves the file right after fix has computed its edits.
    hooks = isolated_env / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        textwrap.dedent(
            """
            from promptaudit.lint.fixing import engine

            _real = engine.fix_file

            def _meanwhile(path, *args, **kwargs):
                fixed = _real(path, *args, **kwargs)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write("Saved by an editor meanwhile.\\n")
                return fixed

            engine.fix_file = _meanwhile
            """
        ),
        encoding="utf-8",
    )
    target = isolated_env / "prompt.txt"
    target.write_bytes(BEFORE)
    done = run("fix", "prompt.txt", "--write", env={"PYTHONPATH": str(hooks)})
    one_line(done, "prompt.txt: changed since fix read it; not written (run fix again)")
    assert target.read_text(encoding="utf-8") == "Saved by an editor meanwhile.\n"
