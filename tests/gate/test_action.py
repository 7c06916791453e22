"""The GitHub Action end to end: action.yml's steps run as the runner runs them, on real pull requests.

Each test builds a repository with a base and a head, publishes it as ``origin`` (a bare repository with
GitHub's ``refs/pull/7/merge``), checks it out as actions/checkout does for a ``pull_request`` event
(a shallow fetch of the merge commit), writes the event payload, and runs every composite step of
action.yml (tests/gate/action_runner.py). GitHub's REST API is the local stand-in of github_stub.py; every
process started here has the network trap of test_offline.py with loopback allowed, so nothing reaches
the internet. The install step runs for real: pip installs this checkout (copied like the tarball GitHub
serves for a ref) with ``-c constraints.txt``, offline: the dependencies are this test environment's
(a ``.pth`` file) and the build backend a wheel repacked from the installed setuptools.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests.gate.action_runner import Runner, job_environment
from tests.gate.github_stub import TOKEN, Running

ROOT = Path(__file__).resolve().parents[2]
DATES = {"GIT_AUTHOR_DATE": "2026-12-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T12:00:00Z"}
GIT_ENV = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.com", "GIT_CONFIG_NOSYSTEM": "1", **DATES}  # fmt: skip

SITE_TRAP = textwrap.dedent(
    """
    import socket

    def _loopback(real, pick):
        def guarded(*args, **kwargs):
            address = pick(args)
            host = address[0] if isinstance(address, tuple) else address
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise OSError(f"network forbidden in this test: {args!r:.120}")
            return real(*args, **kwargs)
        return guarded

    socket.socket.connect = _loopback(socket.socket.connect, lambda a: a[1])
    socket.create_connection = _loopback(socket.create_connection, lambda a: a[0])
    socket.getaddrinfo = _loopback(socket.getaddrinfo, lambda a: a[0])
    """
)


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def repack_wheel(name: str, house: Path) -> None:
    """A wheel of an installed pure-Python distribution, from the files its RECORD lists (offline builds)."""
    dist = metadata.distribution(name)
    wheel = house / f"{name}-{dist.version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for file in dist.files:
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue
            archive.write(dist.locate_file(file), file.as_posix())


@pytest.fixture(scope="session")
def action_env(tmp_path_factory):
    """The action as GitHub serves it for a ref, a runner temp dir, and an offline, network-trapped environment."""
    base = tmp_path_factory.mktemp("action")
    action = base / "action"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (action / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, action / name)
    house, tools, site = base / "wheelhouse", base / "tools", base / "site"
    for folder in (house, tools, site):
        folder.mkdir()
    repack_wheel("setuptools", house)
    (tools / "python3").symlink_to(sys.executable)
    (site / "sitecustomize.py").write_text(SITE_TRAP)
    temp = base / "runner-temp"
    venv = temp / "promptaudit-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    ours = next(p for p in sys.path if p.endswith("site-packages"))
    Path(purelib, "test-dependencies.pth").write_text(ours + "\n")
    extra = {
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(site),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(house),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **GIT_ENV,
    }
    return {"action": action, "temp": temp, "extra": extra}


def pull_request(tmp: Path, base_files: dict, head_files: dict, fork: bool = False) -> dict:
    """origin with main and feature, GitHub's merge ref, and a workspace checked out as actions/checkout does."""
    source = tmp / "source"
    source.mkdir(parents=True)
    git(source, "init", "-q", "-b", "main")
    write(source, base_files)
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "base")
    git(source, "checkout", "-q", "-b", "feature")
    write(source, head_files)
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "head", "--allow-empty")
    head = git(source, "rev-parse", "HEAD")
    git(source, "checkout", "-q", "--detach", "main")
    git(source, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    merge, base = git(source, "rev-parse", "HEAD"), git(source, "rev-parse", "main")
    origin = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(source), str(origin))
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    git(origin, "update-ref", "refs/pull/7/merge", merge)
    workspace = tmp / "workspace"
    workspace.mkdir()
    git(workspace, "init", "-q")
    git(workspace, "remote", "add", "origin", f"file://{origin}")
    git(workspace, "fetch", "-q", "--no-tags", "--depth=1", "origin", f"+{merge}:refs/remotes/pull/7/merge")
    git(workspace, "checkout", "-q", "--detach", merge)
    event = {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": base, "repo": {"full_name": "owner/repo"}},
            "head": {"ref": "feature", "sha": head, "repo": {"full_name": "someone/fork" if fork else "owner/repo"}},
        },
        "repository": {"full_name": "owner/repo"},
    }
    (tmp / "event.json").write_text(json.dumps(event))
    return {"workspace": workspace, "event": event, "event_path": tmp / "event.json", "base": base}


def write(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run_action(action_env, pr: dict, stub, inputs: dict):
    """Run every step of action.yml for the pull request, as the runner would."""
    temp = action_env["temp"]
    shutil.rmtree(temp / "promptaudit-report", ignore_errors=True)
    github = {"event_name": "pull_request", "event": pr["event"], "repository": "owner/repo", "token": TOKEN,
              "action_path": str(action_env["action"]), "workspace": str(pr["workspace"])}  # fmt: skip
    env = job_environment(pr["workspace"], temp, pr["event_path"], "pull_request", stub.url, action_env["extra"])
    runner = Runner(action_env["action"], pr["workspace"], env, github, temp)
    return runner.run(inputs)


CALL = """\
from openai import OpenAI

client = OpenAI()


def classify(ticket):
    return client.chat.completions.create(
        model="{model}",
        max_tokens={cap},
        messages=[
            {{"role": "system", "content": "You are a terse classifier of support tickets. Answer with one label."}},
            {{"role": "user", "content": ticket}},
        ],
    )
"""
CONFIG = """\
volume: {per_day: 20000}
extensions: [.txt, .md, .py]
policies:
  max_increase: {percent: 20, usd_per_month: 500}
  require_output_cap: true
"""
BASE = {
    ".promptaudit.yaml": CONFIG,
    "prompts/support.txt": "You answer questions about invoices and refunds for Acme customers. Be brief.\n",
    "app/classify.py": CALL.format(model="gpt-4o-mini", cap=64),
    "README.md": "# Demo\n",
}
RAISING = {
    "app/classify.py": CALL.format(model="gpt-4o", cap=512),
    "prompts/support.txt": BASE["prompts/support.txt"] + "Always be helpful. You are a helpful assistant.\n",
}
LOWERING = {"app/classify.py": CALL.format(model="gpt-4o-mini", cap=32)}


@pytest.fixture
def gh(allow_loopback):
    with Running() as stub:
        yield stub
    assert stub.problems == []


def test_a_pr_raising_cost_fails_with_one_sticky_comment_sarif_and_summary(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, RAISING)
    done = run_action(action_env, pr, gh, {"paths": "prompts app"})
    assert done.step("Install promptaudit from the action's checkout").returncode == 0, done.log
    assert done.outputs["result"] == "fail", done.log
    assert not done.success and done.step("Verdict").returncode == 1
    assert done.step("Find the base to compare with").outputs["commit"] == pr["base"]
    [comment] = gh.comments[7]
    body = comment["body"]
    assert body.startswith("<!-- promptaudit-gate -->\n### promptaudit: ❌ ")
    assert "| `app/classify.py#chat.completions.create@7`<br>model gpt-4o-mini → gpt-4o; max_tokens 64 → 512 |" in body
    assert "above policies.max_increase.percent (20%)" in body
    assert "**Findings this change introduces**" in body and "PA103" in body
    assert body.endswith("[Full report (JSON, SARIF, Markdown)](https://github.test/o/r/actions/runs/1/artifacts/42)\n")
    assert done.outputs["comment-url"] == comment["html_url"]
    assert "### promptaudit: ❌ " in done.summary
    sarif = done.step("Upload findings to code scanning")
    assert sarif.ran and sarif.with_["category"] == "promptaudit"
    assert json.loads(Path(sarif.with_["sarif_file"]).read_text())["version"] == "2.1.0"
    assert Path(done.step("Upload the full report").with_["path"], "diff.json").is_file()

    again = run_action(action_env, pr, gh, {"paths": "prompts app"})
    assert again.outputs["result"] == "fail" and len(gh.comments[7]) == 1  # never a second comment
    assert [w[0] for w in gh.writes()] == ["POST"]  # the same body: nothing to update
    check_docs_sample(body.replace(f"{pr['workspace']}/", ""))


SAMPLE = re.compile(r"(<!-- comment-sample:start -->\n````markdown\n)(.*?)(````\n<!-- comment-sample:end -->)", re.S)


def check_docs_sample(body: str) -> None:
    """docs/github-action.md shows this test's comment; PA_WRITE_SAMPLE=1 rewrites it after a change."""
    sys.path.insert(0, str(ROOT / "tools"))
    import docs_samples

    page = ROOT / "docs" / "github-action.md"
    text = page.read_text(encoding="utf-8")
    if os.environ.get("PA_WRITE_SAMPLE"):
        page.write_text(SAMPLE.sub(lambda m: m.group(1) + body + m.group(3), text), encoding="utf-8")
        return
    if docs_samples.drift() and not os.environ.get("CI"):
        return  # other prices or counts than constraints.txt pins: the figures differ, nothing to compare
    assert SAMPLE.search(text).group(2) == body, "run: PA_WRITE_SAMPLE=1 pytest tests/gate/test_action.py -k raising"


def test_a_pr_lowering_cost_passes(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, LOWERING)
    done = run_action(action_env, pr, gh, {"paths": "prompts\napp\n", "fail-on": "warning"})
    assert done.success and done.outputs["result"] == "pass", done.log
    assert Decimal_(done.outputs["cost-change"]) < 0
    assert gh.comments[7][0]["body"].split("\n")[1] == "### promptaudit: ✅ within the cost policies"


def Decimal_(text: str):
    from decimal import Decimal

    return Decimal(text)


def test_a_fork_gets_the_gate_without_comment_or_sarif(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, RAISING, fork=True)
    done = run_action(action_env, pr, gh, {"paths": "prompts app"})
    assert done.outputs["result"] == "fail" and not done.success
    assert gh.requests == []
    assert "pull request from a fork" in done.step("Note a pull request from a fork").stdout
    assert not done.step("Upload findings to code scanning").ran
    assert "pull-request comment skipped" in done.step("Keep the one pull-request comment up to date").stderr


def test_the_comment_is_resolved_when_the_pr_stops_changing_prompts(action_env, tmp_path, gh):
    first = pull_request(tmp_path / "one", BASE, LOWERING)
    run_action(action_env, first, gh, {"paths": "prompts app"})
    assert len(gh.comments[7]) == 1
    second = pull_request(tmp_path / "two", BASE, {"README.md": "# Demo, reworded\n"})
    done = run_action(action_env, second, gh, {"paths": "prompts app"})
    assert done.success, done.log
    assert [c["body"].split("\n")[1] for c in gh.comments[7]] == [
        "✅ **promptaudit:** this pull request no longer changes any prompt's cost; nothing to review here."
    ]


def test_rate_limits_are_retried_then_reported_without_failing_the_gate(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, LOWERING)
    for _ in range(4):
        gh.fail_next(429, {"retry-after": "0"}, "You have exceeded a secondary rate limit")
    done = run_action(action_env, pr, gh, {"paths": "prompts app"})
    step = done.step("Keep the one pull-request comment up to date")
    assert done.success and done.outputs["result"] == "pass", done.log
    assert "::warning title=promptaudit::pull-request comment failed" in step.stdout
    assert len(gh.requests) == 4 and 7 not in gh.comments  # bounded: 4 attempts, then given up
    gh.fail_next(429, {"retry-after": "0"})
    run_action(action_env, pr, gh, {"paths": "prompts app"})
    assert len(gh.comments[7]) == 1  # one retry, then it went through


def test_comment_and_sarif_can_be_switched_off_and_never_only_reports(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, RAISING)
    done = run_action(action_env, pr, gh, {"paths": "prompts app", "comment": "false", "sarif": "false",
                                           "fail-on": "never"})  # fmt: skip
    assert done.success and done.outputs["result"] == "fail"
    assert gh.requests == [] and not done.step("Upload findings to code scanning").ran


def test_a_bad_config_is_an_error_not_a_pass(action_env, tmp_path, gh):
    pr = pull_request(tmp_path, BASE, {".promptaudit.yaml": "policies: {max_increse: {percent: 5}}\n"})
    done = run_action(action_env, pr, gh, {"paths": "prompts app", "comment": "false"})
    assert done.outputs["result"] == "error" and done.step("Verdict").returncode == 2
    assert "unknown key 'policies.max_increse'" in done.step("Gate (check, diff, audit)").stdout
