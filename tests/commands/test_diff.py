"""``promptaudit diff`` in temporary git repositories: modified, added, deleted, renamed, binary, gates."""

from __future__ import annotations

import json
import subprocess

import pytest

BIG = " hello" * 50 + "\n"  # 51 tokens (gpt-4o)
SMALL = "hello world\n"  # 3 tokens


def git(repo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(isolated_env, tmp_path, monkeypatch):
    """A git repo on main with two prompts committed, checked out on a feature branch."""
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "Test")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "test@example.com")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    (root / "prompts").mkdir(parents=True)
    (root / "prompts" / "keep.txt").write_text(SMALL)
    (root / "prompts" / "old.txt").write_text(BIG)
    (root / ".promptaudit.yaml").write_text("volume: {per_day: 10000}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "init")
    git(root, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(root)
    return root


def entry(path, status, before, after, cost, old_path=None):
    return {
        "path": path,
        "old_path": old_path,
        "status": status,
        "tokens_before": before,
        "tokens_after": after,
        "tokens_change": after - before,
        "exact": True,
        "method": "exact",
        "requests_per_day": "10000",
        "monthly_cost_change": cost,
    }


def test_modified_added_deleted_renamed_and_binary(cli, repo):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    git(repo, "mv", "prompts/old.txt", "prompts/moved.txt")
    (repo / "prompts" / "new.txt").write_text(SMALL)
    (repo / "prompts" / "logo.txt").write_bytes(b"\x89PNG\0\0binary")
    (repo / "notes.py").write_text("print('not a prompt')\n")
    result = cli("diff", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "base": {"ref": "merge-base with main", "commit": base},
        "model": "gpt-4o",
        "files": [
            entry("prompts/keep.txt", "modified", 3, 6, "2.25"),
            entry("prompts/moved.txt", "renamed", 51, 51, "0", old_path="prompts/old.txt"),
            entry("prompts/new.txt", "added", 0, 3, "2.25"),
        ],
        "skipped": [{"path": "prompts/logo.txt", "reason": "binary"}],
        "total": {"tokens_change": 6, "monthly_cost_change": "4.5"},
    }


def test_deleted_prompt_counts_as_savings(cli, repo):
    git(repo, "rm", "-q", "prompts/old.txt")
    git(repo, "commit", "-q", "-m", "drop")
    data = json.loads(cli("diff", "--format", "json").stdout)
    assert data["files"] == [entry("prompts/old.txt", "deleted", 51, 0, "-38.25")]


def test_markdown_table_for_pull_requests(cli, repo):
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    result = cli("diff", "--format", "markdown", "--base", "main")
    assert result.exit_code == 0
    commit = git(repo, "rev-parse", "main")[:8]
    assert result.stdout == (
        f"### Prompt token changes (gpt-4o, vs main @ {commit})\n\n"
        "| Prompt | Status | Tokens before | Tokens after | Change | $/month change |\n"
        "|---|---|--:|--:|--:|--:|\n"
        "| `prompts/keep.txt` | modified | 3 | 6 | +3 | +$2.25 |\n"
        "| **Total** |  | **3** | **6** | **+3** | **+$2.25** |\n\n"
        "$/month at 10,000 requests/day.\n"
    )


def test_paths_limit_the_comparison(cli, repo):
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    (repo / "prompts" / "old.txt").write_text(SMALL)
    data = json.loads(cli("diff", "prompts/old.txt", "--base", "main", "--format", "json").stdout)
    assert [f["path"] for f in data["files"]] == ["prompts/old.txt"]


def test_no_volume_gives_no_cost(cli, repo):
    (repo / ".promptaudit.yaml").write_text("models: [gpt-4o]\n")
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    data = json.loads(cli("diff", "--format", "json").stdout)
    assert (data["files"][0]["monthly_cost_change"], data["total"]["monthly_cost_change"]) == (None, None)
    result = cli("diff", "--fail-above-cost", "1")
    assert result.exit_code == 2 and "needs a request volume" in result.stderr


@pytest.mark.parametrize(
    "args, code",
    [
        (("--fail-above-tokens", "2"), 1),
        (("--fail-above-tokens", "3"), 0),
        (("--fail-above-cost", "2"), 1),
        (("--fail-above-cost", "2.25"), 0),
    ],
)
def test_gates(cli, repo, args, code):
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    result = cli("diff", "--format", "json", *args)
    assert result.exit_code == code
    assert ("diff gate failed" in result.stderr) == (code == 1)


def test_default_branch_from_origin_head(cli, repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    git(repo, "branch", "-q", "-m", "main", "trunk")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "fetch", "-q", "origin")
    git(repo, "remote", "set-head", "origin", "main")
    data = json.loads(cli("diff", "--format", "json").stdout)
    assert data["base"]["ref"] == "merge-base with origin/main"


def test_two_files_need_no_git(cli, isolated_env):
    (isolated_env / "a.txt").write_text(SMALL)
    (isolated_env / "b.txt").write_text(BIG)
    data = json.loads(cli("diff", "a.txt", "b.txt", "--format", "json", "--per-day", "1000").stdout)
    assert data["base"] is None
    assert data["files"] == [{**entry("b.txt", "modified", 3, 51, "3.6", old_path="a.txt"), "requests_per_day": "1000"}]


def test_outside_a_repository_exits_2(cli, isolated_env, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(isolated_env.parent))
    result = cli("diff")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("promptaudit: error: not a git repository")


def test_unknown_ref_exits_2(cli, repo):
    result = cli("diff", "--base", "no-such-branch")
    assert (result.exit_code, result.stderr) == (2, "promptaudit: error: unknown git ref 'no-such-branch'\n")


def test_no_default_branch_exits_2(cli, repo):
    git(repo, "branch", "-q", "-m", "main", "trunk")
    result = cli("diff")
    assert result.exit_code == 2 and "pass --base REF" in result.stderr


def test_hidden_files_such_as_the_baseline_are_left_out(cli, repo):
    (repo / ".promptaudit-baseline.json").write_text('{"version": 1, "prompts": {}}\n')
    (repo / "prompts" / "keep.txt").write_text(SMALL * 2)
    data = json.loads(cli("diff", "--format", "json").stdout)
    assert [f["path"] for f in data["files"]] == ["prompts/keep.txt"]
