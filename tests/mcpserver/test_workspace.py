"""Roots, confinement and the config file: what the server may read (no SDK needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from promptaudit.errors import UsageError
from promptaudit.mcpserver import workspace as ws
from promptaudit.reading.sources import DEFAULT_EXTENSIONS


@pytest.fixture
def tree(tmp_path) -> tuple[ws.Workspace, Path]:
    """A root with a prompt, and a folder beside it (outside) with a secret."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "prompts").mkdir(parents=True)
    outside.mkdir()
    (root / "prompts/a.txt").write_text("Answer briefly.\n", encoding="utf-8")
    (outside / "secret.txt").write_text("secret\n", encoding="utf-8")
    return ws.Workspace((root.resolve(),), True), outside


def test_roots_come_from_file_uris_that_exist(tmp_path):
    spaced = tmp_path / "my project"
    spaced.mkdir()
    uris = [spaced.as_uri(), "https://example.com/repo", (tmp_path / "gone").as_uri(), "file://otherhost/x"]

    found = ws.from_uris(uris, (tmp_path,))

    assert found == ws.Workspace((spaced.resolve(),), True)


def test_no_usable_root_means_the_default_roots(tmp_path):
    assert ws.from_uris(None, (tmp_path,)) == ws.Workspace((tmp_path.resolve(),), False)
    assert ws.from_uris(["https://example.com"], (tmp_path,)).declared is False


def test_the_default_roots_are_the_root_options_else_the_working_directory(tmp_path):
    (tmp_path / "a").mkdir()
    assert ws.default_roots(None, tmp_path) == (tmp_path.resolve(),)
    assert ws.default_roots([str(tmp_path / "a"), str(tmp_path)], Path("/")) == (
        (tmp_path / "a").resolve(),
        tmp_path.resolve(),
    )
    with pytest.raises(UsageError, match="not a folder"):
        ws.default_roots([str(tmp_path / "missing")], tmp_path)
    with pytest.raises(UsageError, match="started in /, which is not a workspace: give --root DIR"):
        ws.default_roots(None, Path("/"))


@pytest.mark.parametrize("named", ["prompts/a.txt", "prompts", "./prompts/../prompts/a.txt", "prompts/missing.txt"])
def test_paths_inside_pass_unchanged(tree, named):
    workspace, _ = tree
    assert ws.confine(named, workspace) == named


def test_absolute_paths_inside_pass(tree):
    workspace, _ = tree
    inside = str(workspace.home / "prompts/a.txt")
    assert ws.confine(inside, workspace) == inside


@pytest.mark.parametrize("named", ["../outside/secret.txt", "prompts/../../outside", "/etc/hostname", "/"])
def test_paths_outside_are_refused(tree, named):
    workspace, _ = tree
    with pytest.raises(ws.OutsideWorkspace, match="outside the workspace roots"):
        ws.confine(named, workspace)


def test_symlinks_are_resolved_before_the_check(tree):
    workspace, outside = tree
    (workspace.home / "out.txt").symlink_to(outside / "secret.txt")
    (workspace.home / "out_dir").symlink_to(outside)
    (workspace.home / "in.txt").symlink_to(workspace.home / "prompts/a.txt")

    for named in ("out.txt", "out_dir", "out_dir/secret.txt"):
        with pytest.raises(ws.OutsideWorkspace, match=f"{named}: .* leads to {outside}"):
            ws.confine(named, workspace)
    assert ws.confine("in.txt", workspace) == "in.txt"


@pytest.mark.parametrize(("named", "message"), [("", "empty"), ("-", "as text"), ("a\x00b", "NUL")])
def test_paths_that_are_not_paths_are_refused(tree, named, message):
    workspace, _ = tree
    with pytest.raises(UsageError, match=message):
        ws.confine(named, workspace)


def test_too_many_paths_are_refused(tree):
    workspace, _ = tree
    with pytest.raises(UsageError, match="the most is 1,000"):
        ws.confine_all(["prompts/a.txt"] * (ws.MAX_PATHS + 1), workspace)


def test_a_folder_is_checked_file_by_file_as_the_cli_walks_it(tree):
    workspace, outside = tree
    prompts = workspace.home / "prompts"
    (prompts / "notes.bin").symlink_to(outside / "secret.txt")  # an extension the CLI does not pick: not read
    (prompts / ".hidden").symlink_to(outside)  # hidden folders are not walked
    ws.check_files(["prompts"], workspace, DEFAULT_EXTENSIONS)

    (prompts / "z.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(ws.OutsideWorkspace, match="prompts/z.txt: outside"):
        ws.check_files(["prompts"], workspace, DEFAULT_EXTENSIONS)


def test_the_config_is_found_in_the_root_never_above(tree, tmp_path):
    workspace, _ = tree
    (tmp_path / ".promptaudit.yaml").write_text("models: [o3]\n", encoding="utf-8")
    assert ws.config_file(workspace) is None

    (workspace.home / "promptaudit.yaml").write_text("models: [o3]\n", encoding="utf-8")
    assert ws.config_file(workspace) == workspace.home / "promptaudit.yaml"


def test_a_file_root_has_no_config(tree):
    workspace, _ = tree
    only_file = ws.Workspace((workspace.home / "prompts/a.txt",), True)
    assert ws.config_file(only_file) is None


def git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=cwd, check=True, capture_output=True
    )


def test_git_files_that_lead_out_are_refused(tree):
    workspace, outside = tree
    git(workspace.home, "init", "-q")
    git(workspace.home, "add", "-A")
    git(workspace.home, "commit", "-q", "-m", "one")
    ws.check_git_links(["."], workspace)

    (workspace.home / "prompts/new.txt").symlink_to(outside / "secret.txt")  # untracked
    with pytest.raises(ws.OutsideWorkspace, match="prompts/new.txt"):
        ws.check_git_links(["."], workspace)
    ws.check_git_links(["prompts/a.txt"], workspace)  # limited to a path that stays inside


def test_outside_a_work_tree_the_command_speaks_for_itself(tree):
    workspace, _ = tree
    ws.check_git_links(["."], workspace)  # no error here: ``diff`` itself says it is not a repository
