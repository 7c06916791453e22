"""The server reads only inside the workspace roots: ``..``, absolute paths and symlinks that lead out are refused."""

from __future__ import annotations

import os
import subprocess

import pytest

from .conftest import calls, document, error_text, run_async

pytest.importorskip("mcp")


@pytest.fixture
def outside(tmp_path):
    """A prompt file and a folder next to the workspace, not inside it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("The launch code is 0000.\n", encoding="utf-8")
    return folder


def refused(result, named: str) -> None:
    message = error_text(result)
    assert f"{named}: outside the workspace roots" in message
    assert "secret" not in message.split("leads to")[0] or named.endswith("secret.txt")


def test_dot_dot_absolute_and_symlinked_paths_are_refused(connect, workspace, outside):
    (workspace / "link.txt").symlink_to(outside / "secret.txt")
    (workspace / "linked_folder").symlink_to(outside)
    named = [
        "../outside/secret.txt",
        str(outside / "secret.txt"),
        "link.txt",
        "linked_folder",
        "linked_folder/secret.txt",
    ]
    requests = [
        (tool, {"paths": [path], **extra})
        for tool, extra in (("count_tokens", {}), ("project_cost", {"per_day": 100}), ("audit_prompt", {}))
        for path in named
    ]

    results = calls(connect, workspace, requests)

    for (_, arguments), result in zip(requests, results):
        refused(result, arguments["paths"][0])


def test_a_folder_holding_a_link_that_leads_out_is_refused_file_by_file(connect, workspace, outside):
    (workspace / "sample_prompts/zz_link.txt").symlink_to(outside / "secret.txt")

    [result] = calls(connect, workspace, [("count_tokens", {"paths": ["sample_prompts"]})])

    assert "sample_prompts/zz_link.txt: outside the workspace roots" in error_text(result)


def test_links_that_stay_inside_are_followed(connect, cli, workspace):
    (workspace / "alias.txt").symlink_to(workspace / "sample_prompts/classifier.txt")

    [result] = calls(connect, workspace, [("count_tokens", {"paths": ["alias.txt"]})])

    assert document(result)["files"][0]["counts"][0]["tokens"] == 40


def test_usage_logs_outside_are_refused(connect, workspace, outside):
    [result] = calls(connect, workspace, [("usage_summary", {"logs": [str(outside / "secret.txt")]})])

    refused(result, str(outside / "secret.txt"))


def test_diff_refuses_a_committed_symlink_that_leads_out(connect, workspace, outside):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=workspace, env=env, check=True, capture_output=True, timeout=60)
    (workspace / "sample_prompts/leak.txt").symlink_to(outside / "secret.txt")
    for args in (["add", "-A"], ["commit", "-q", "-m", "two"]):
        subprocess.run(["git", *args], cwd=workspace, env=env, check=True, capture_output=True, timeout=60)

    [result, base] = calls(
        connect, workspace, [("diff_cost", {"base": "HEAD~1"}), ("diff_cost", {"base": "--output=/tmp/x"})]
    )

    refused(result, "sample_prompts/leak.txt")
    assert "is not a git ref" in error_text(base)


def test_every_declared_root_is_readable_and_nothing_else(connect, workspace, tmp_path, outside):
    second = tmp_path / "second"
    second.mkdir()
    (second / "p.txt").write_text("Reply in one word.\n", encoding="utf-8")

    results = calls(
        connect,
        workspace,
        [
            ("count_tokens", {"paths": [str(second / "p.txt")]}),
            ("count_tokens", {"paths": [str(outside / "secret.txt")]}),
        ],
        roots=[workspace, second],
    )

    assert document(results[0])["files"][0]["path"] == str(second / "p.txt")
    refused(results[1], str(outside / "secret.txt"))


def test_without_the_roots_capability_the_working_directory_is_the_root(connect, workspace, outside):
    async def session():
        async with connect(workspace, roots=None) as client:
            inside = await client.call_tool("count_tokens", {"paths": ["sample_prompts/classifier.txt"]})
            out = await client.call_tool("count_tokens", {"paths": ["../outside/secret.txt"]})
            config = await client.read_resource("promptaudit://config")
            return inside, out, config

    inside, out, config = run_async(session)

    assert document(inside)["files"][0]["counts"][0]["tokens"] == 40
    refused(out, "../outside/secret.txt")
    assert '"declared_by_client": false' in config.contents[0].text


def test_a_config_above_the_root_is_not_read(connect, workspace, tmp_path):
    (tmp_path / ".promptaudit.yaml").write_text("models: [gpt-4o-mini]\n", encoding="utf-8")

    async def session():
        async with connect(workspace, roots=[workspace]) as client:
            counted = await client.call_tool("count_tokens", {"paths": ["sample_prompts/classifier.txt"]})
            return counted, await client.read_resource("promptaudit://config")

    counted, config = run_async(session)

    assert document(counted)["files"][0]["counts"][0]["model"] == "gpt-4o"
    assert '"file": null' in config.contents[0].text


def test_the_root_option_is_the_workspace_of_a_client_without_roots(connect, workspace, tmp_path, outside):
    async def session():
        async with connect(tmp_path, roots=None, args=("--root", str(workspace))) as client:
            inside = await client.call_tool("count_tokens", {"paths": ["sample_prompts/classifier.txt"]})
            return inside, await client.call_tool("count_tokens", {"paths": [str(outside / "secret.txt")]})

    inside, out = run_async(session)

    assert document(inside)["files"][0]["counts"][0]["tokens"] == 40
    refused(out, str(outside / "secret.txt"))
