"""Every snippet in the README and the docs points at something that exists in this repository.

A snippet that names a release names this version's tag (``v`` + ``promptaudit.__version__``, the scheme of
docs/releases.md); a pre-commit hook id exists in ``.pre-commit-hooks.yaml``; an input given to the action
exists in ``action.yml`` (and its required ones are given); a repository file a page links to exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import promptaudit

ROOT = Path(__file__).resolve().parents[1]
TAG = f"v{promptaudit.__version__}"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
WORKFLOWS = sorted((ROOT / "docs").glob("*.yml"))
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def _snippets() -> list[tuple[str, object]]:
    """Every YAML snippet of the pages (steps fragments parsed as a list) and every example workflow."""
    found = []
    for page in PAGES:
        for block in YAML_BLOCK.findall(page.read_text(encoding="utf-8")):
            found.append((page.name, yaml.safe_load(_dedent(block))))
    return found + [(path.name, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in WORKFLOWS]


def _dedent(block: str) -> str:
    lines = [line for line in block.splitlines() if line.strip()]
    indent = min(len(line) - len(line.lstrip()) for line in lines)
    return "\n".join(line[indent:] for line in block.splitlines())


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _walk(child)


def _our_steps() -> list[tuple[str, dict]]:
    return [(name, node) for name, data in _snippets() for node in _walk(data)
            if isinstance(node, dict) and "promptaudit@" in str(node.get("uses", ""))]  # fmt: skip


def _our_repos() -> list[tuple[str, dict]]:
    return [(name, node) for name, data in _snippets() for node in _walk(data)
            if isinstance(node, dict) and str(node.get("repo", "")).endswith("/promptaudit")]  # fmt: skip


def test_there_are_snippets_to_check():
    assert len(_our_steps()) >= 3 and len(_our_repos()) >= 2


@pytest.mark.parametrize("page, step", _our_steps())
def test_action_snippets_name_this_release_and_real_inputs(page, step):
    assert step["uses"].split("@")[1] == TAG, page
    given = set(step.get("with") or {})
    assert given <= set(ACTION["inputs"]), f"{page}: inputs not in action.yml: {given - set(ACTION['inputs'])}"
    required = {name for name, spec in ACTION["inputs"].items() if spec.get("required")}
    assert required <= given, page


@pytest.mark.parametrize("page, repo", _our_repos())
def test_pre_commit_snippets_name_this_release_and_real_hooks(page, repo):
    assert repo["rev"] == TAG, page
    ids = {hook["id"] for hook in repo["hooks"]}
    assert ids and ids <= HOOKS, f"{page}: hook ids not in .pre-commit-hooks.yaml: {ids - HOOKS}"


def test_every_rev_or_action_ref_in_the_text_is_this_release():
    """Also the refs in prose and comments, which the YAML above does not see."""
    for page in [*PAGES, *WORKFLOWS]:
        text = page.read_text(encoding="utf-8")
        refs = re.findall(r"rev: (v[\d.]+)", text) + re.findall(r"promptaudit@(v[\d.]+)", text)
        assert set(refs) <= {TAG}, f"{page.name}: {set(refs) - {TAG}}"


def test_the_releases_page_names_the_current_tag():
    assert f"The current version is `{promptaudit.__version__}`; its tag is `{TAG}`." in (
        ROOT / "docs" / "releases.md"
    ).read_text(encoding="utf-8")


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
NAMED = re.compile(r"`((?:tests|docs|promptaudit|tools|benchmarks)/[\w./-]+\.(?:py|md|yml|yaml|json))`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_linked_and_named_repository_files_exist(page):
    text = page.read_text(encoding="utf-8")
    missing = [link for link in LINK.findall(text)
               if "://" not in link and not link.startswith("mailto:") and not (page.parent / link).exists()]  # fmt: skip
    missing += [name for name in NAMED.findall(text) if "NNN" not in name and not (ROOT / name).exists()]
    assert missing == []
