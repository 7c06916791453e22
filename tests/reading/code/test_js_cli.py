"""JS/TS through the installed console script: count, audit, check, diff, and the missing [js] extra."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter_typescript", reason="the [js] extra is not installed")

DATA = Path(__file__).resolve().parents[2] / "data" / "js"
SCRIPT = Path(sys.executable).with_name("promptaudit")
pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the promptaudit console script is not installed")


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})  # fmt: skip


@pytest.fixture
def app(tmp_path) -> Path:
    shutil.copytree(DATA / "app", tmp_path / "src")
    return tmp_path


def test_count_reads_a_ts_folder_with_ext(app):
    done = run("count", "src/", "--ext", ".ts", "-f", "json", cwd=app)
    assert done.returncode == 0, done.stderr
    names = [row["path"] for row in json.loads(done.stdout)["files"]]
    assert names == ["src/gemini.ts#models.generateContent@6", "src/support.ts#chat.completions.create@8",
                     "src/support.ts#chat.completions.create@21", "src/translate.ts#ChatPromptTemplate@4",
                     "src/lib/prompts.ts#greetingPrompt"]  # fmt: skip


def test_audit_reports_no_cap_and_a_batch_candidate_at_the_ts_line(app):
    (app / ".promptaudit.yaml").write_text("extensions: [.ts]\n")
    done = run("audit", "src/", "-f", "json", cwd=app)
    findings = {(f["rule"], f["path"].split("#")[0], f["line"]) for f in json.loads(done.stdout)["findings"]}
    assert ("PA401", "src/support.ts", 21) in findings
    assert ("PA601", "src/support.ts", 21) in findings
    assert not any(rule == "PA401" and line == 8 for rule, _, line in findings)


def test_check_gates_a_ts_call_on_its_budget(app):
    done = run("check", "src/support.ts", "--max-tokens", "20", cwd=app)
    assert done.returncode == 1
    assert "src/support.ts#chat.completions.create@8:" in done.stdout + done.stderr


def test_without_the_js_extra_a_ts_input_is_one_line_and_exit_2(app, tmp_path):
    blocker = tmp_path / "no_tree_sitter"
    (blocker / "tree_sitter").mkdir(parents=True)
    (blocker / "tree_sitter" / "__init__.py").write_text("raise ImportError('hidden for this test')\n")
    env = {"PYTHONPATH": str(blocker)}
    done = run("count", "src/", "--ext", ".ts", cwd=app, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "js extra" in line]
    assert len(lines) == 1
    assert "pip install 'promptaudit[js]'" in lines[0] and "; 4 JS/TS files skipped" in lines[0]
