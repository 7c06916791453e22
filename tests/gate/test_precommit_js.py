"""The published pre-commit hook for JS/TS files: its manifest, and real commits through real pre-commit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("promptaudit")
CALL = """import OpenAI from "openai";
const client = new OpenAI();
export const ask = (q: string) =>
  client.chat.completions.create({ model: "gpt-4o", max_tokens: 50, messages: [{ role: "user", content: %s }] });
"""


def hook() -> dict:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in manifest if h["id"] == "promptaudit-js")


@pytest.mark.parametrize(
    "path, matches",
    [("src/app.ts", True), ("src/page.tsx", True), ("lib/a.mjs", True), ("lib/b.cjs", True), ("ui/c.jsx", True),
     ("x.mts", True), ("y.cts", True), ("z.js", True), ("types/index.d.ts", False), ("node_modules/p/i.js", False),
     ("vendor/lib.min.js", False), ("README.md", False), ("app.py", False), ("data.json", False)],
)  # fmt: skip
def test_the_js_hook_picks_js_and_ts_sources(path, matches):
    declared = hook()
    picked = bool(re.search(declared["files"], path)) and not re.search(declared["exclude"], path)
    assert picked == matches


def test_the_js_hook_installs_the_extra():
    declared = hook()
    assert declared["entry"] == "promptaudit check" and declared["language"] == "python"
    assert any(d.startswith("tree-sitter-typescript") for d in declared["additional_dependencies"])


def run(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, check=check, timeout=600)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the promptaudit console script is not installed")
def test_real_commits_of_ts_files_pass_and_fail_through_pre_commit(tmp_path, monkeypatch):
    pytest.importorskip("tree_sitter_typescript", reason="the [js] extra is not installed")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    for key, value in {"NAME": "Test", "EMAIL": "test@example.com"}.items():
        monkeypatch.setenv(f"GIT_AUTHOR_{key}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{key}", value)
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / ".promptaudit.yaml").write_text("max_tokens: 20\n")
    local = {**hook(), "language": "system", "entry": f"{SCRIPT} check"}
    local.pop("additional_dependencies")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    run(repo, "git", "init", "-q", "-b", "main")
    run(repo, sys.executable, "-m", "pre_commit", "install")
    (repo / "src" / "small.ts").write_text(CALL % '"Say hi."')
    run(repo, "git", "add", "-A")
    assert run(repo, "git", "commit", "-q", "-m", "small", check=False).returncode == 0
    (repo / "src" / "big.ts").write_text(CALL % repr("Answer the question " * 10))
    run(repo, "git", "add", "-A")
    failed = run(repo, "git", "commit", "-q", "-m", "big", check=False)
    assert failed.returncode != 0
    assert "src/big.ts#chat.completions.create@4" in failed.stdout + failed.stderr
    assert run(repo, "git", "log", "--format=%s").stdout.splitlines() == ["small"]
