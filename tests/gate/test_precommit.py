"""The published pre-commit hook: its manifest, and real commits through the real pre-commit framework."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
BIG = " hello" * 50 + "\n"  # 51 tokens (gpt-4o)
SCRIPT = Path(sys.executable).with_name("promptaudit")


def hook(hook_id: str = "promptaudit") -> dict:
    return next(h for h in yaml.safe_load(MANIFEST.read_text()) if h["id"] == hook_id)


def test_manifest_declares_the_promptaudit_hook():
    declared = hook()
    assert (declared["id"], declared["entry"], declared["language"]) == ("promptaudit", "promptaudit check", "python")


@pytest.mark.parametrize("path", [str(p.relative_to(ROOT)) for p in sorted((ROOT / "sample_prompts").iterdir())])
def test_files_pattern_matches_the_sample_prompts(path):
    assert re.search(hook()["files"], path)


@pytest.mark.parametrize(
    "path, matches",
    [
        ("prompts/system/agent.md", True),
        ("app/prompts/reply.j2", True),
        ("src/summarise.prompt", True),
        ("README.md", False),
        (".github/workflows/ci.yml", False),
        ("prompts/helper.py", False),
    ],
)
def test_files_pattern_keeps_to_prompt_files(path, matches):
    assert bool(re.search(hook()["files"], path)) == matches


def run(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, check=check, timeout=600)


@pytest.fixture
def hook_repo(tmp_path, monkeypatch):
    """A git repo with a 20-token budget whose commits run the hook through pre-commit (isolated home)."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    for key, value in {"NAME": "Test", "EMAIL": "test@example.com"}.items():
        monkeypatch.setenv(f"GIT_AUTHOR_{key}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{key}", value)
    repo = tmp_path / "repo"
    (repo / "prompts").mkdir(parents=True)
    (repo / ".promptaudit.yaml").write_text("max_tokens: 20\n")
    run(repo, "git", "init", "-q", "-b", "main")
    return repo


def local_hook_config() -> str:
    """The published hook, run as `repo: local` with the installed console script (no network needed)."""
    local = {**hook(), "language": "system", "entry": f"{SCRIPT} check"}
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})


def commit(repo: Path, name: str, text: str) -> subprocess.CompletedProcess:
    (repo / "prompts" / name).write_text(text)
    run(repo, "git", "add", "-A")
    return run(repo, "git", "commit", "-q", "-m", f"add {name}", check=False)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the promptaudit console script is not installed")
def test_real_commits_pass_and_fail_through_pre_commit(hook_repo):
    started = time.monotonic()
    (hook_repo / ".pre-commit-config.yaml").write_text(local_hook_config())
    run(hook_repo, sys.executable, "-m", "pre_commit", "install")
    passed = commit(hook_repo, "small.txt", "hello world\n")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = commit(hook_repo, "big.txt", BIG)
    assert failed.returncode != 0
    assert "prompts/big.txt: 51 tokens is 31 over its budget of 20, from max_tokens" in failed.stderr
    assert run(hook_repo, "git", "log", "--format=%s").stdout.splitlines() == ["add small.txt"]
    assert time.monotonic() - started < 60


@pytest.mark.skipif(
    os.environ.get("PROMPTAUDIT_SKIP_TRY_REPO") == "1" or shutil.which("git") is None,
    reason="pre-commit pip-installs the hook from the package index (about 30 s); skipped on request",
)
@pytest.mark.slow  # installs the hook into a fresh environment with pip
def test_try_repo_installs_and_runs_the_published_hook(hook_repo):
    head = run(ROOT, "git", "rev-parse", "HEAD").stdout.strip()
    (hook_repo / "prompts" / "big.txt").write_text(BIG)
    (hook_repo / "prompts" / "small.txt").write_text("hello world\n")
    run(hook_repo, "git", "add", "-A")
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "promptaudit", "--ref", head]
    passed = run(hook_repo, *try_repo, "--files", "prompts/small.txt", check=False)
    assert passed.returncode == 0, passed.stdout
    failed = run(hook_repo, *try_repo, "--files", "prompts/big.txt", check=False)
    assert failed.returncode == 1 and "31 over its budget" in failed.stdout


ADVISED = "Please note that it is important to classify the sentiment of the review as positive or negative. Reply with one word.\n"  # noqa: E501  PA103 and PA501 warnings, 23 tokens


@pytest.mark.skipif(not SCRIPT.exists(), reason="the promptaudit console script is not installed")
@pytest.mark.slow  # installs the hook into a fresh environment with pip
def test_the_default_hook_with_a_budget_fails_on_the_budget_not_on_advice(hook_repo):
    local = {**hook(), "language": "system", "entry": f"{SCRIPT} check", "args": ["--max-tokens", "100"]}
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})
    (hook_repo / ".pre-commit-config.yaml").write_text(config)
    run(hook_repo, sys.executable, "-m", "pre_commit", "install")
    passed = commit(hook_repo, "classifier.txt", ADVISED)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = commit(hook_repo, "huge.txt", BIG * 3)
    assert failed.returncode != 0
    assert re.search(r"prompts/huge.txt: \d+ tokens is \d+ over its budget of 100, from --max-tokens", failed.stderr)
    assert "PA103" not in failed.stderr and "PA501" not in failed.stderr
