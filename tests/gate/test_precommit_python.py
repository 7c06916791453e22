"""The published ``promptaudit-python`` hook: staged .py files, through the real pre-commit framework."""

from __future__ import annotations

import sys
import time

import pytest
import yaml

from tests.gate.test_precommit import SCRIPT, hook, hook_repo, run  # noqa: F401 - hook_repo is a fixture

OVER_BUDGET = '''from openai import OpenAI

client = OpenAI()
SUPPORT_PROMPT = """{}"""


def reply(question):
    return client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=200,
        messages=[{{"role": "system", "content": SUPPORT_PROMPT}}, {{"role": "user", "content": question}}],
    )
'''


def test_manifest_declares_the_python_hook():
    declared = hook("promptaudit-python")
    assert (declared["entry"], declared["language"], declared["types"]) == ("promptaudit check", "python", ["python"])


@pytest.fixture
def python_repo(request):
    """The pre-commit test repo, with the python hook installed and a 60-token budget."""
    repo = request.getfixturevalue("hook_repo")
    (repo / "app").mkdir()
    (repo / ".promptaudit.yaml").write_text("max_tokens: 60\n")
    local = {**hook("promptaudit-python"), "language": "system", "entry": f"{SCRIPT} check"}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    run(repo, sys.executable, "-m", "pre_commit", "install")
    return repo


@pytest.mark.skipif(not SCRIPT.exists(), reason="the promptaudit console script is not installed")
def test_python_commits_pass_and_fail_and_plain_code_is_cheap(python_repo):
    for i in range(200):  # ordinary code: skipped by the byte pre-filter
        (python_repo / "app" / f"util_{i}.py").write_text(f"def f{i}(x):\n    return x + {i}\n")
    (python_repo / "app" / "bot.py").write_text(OVER_BUDGET.format("Answer briefly."))
    run(python_repo, "git", "add", "-A")
    started = time.monotonic()
    passed = run(python_repo, "git", "commit", "-q", "-m", "small", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert time.monotonic() - started < 30
    (python_repo / "app" / "bot.py").write_text(OVER_BUDGET.format("Answer the customer politely. " * 20))
    run(python_repo, "git", "add", "-A")
    failed = run(python_repo, "git", "commit", "-q", "-m", "big", check=False)
    assert failed.returncode != 0
    assert "app/bot.py#chat.completions.create@8" in failed.stderr and "over its budget of 60" in failed.stderr
