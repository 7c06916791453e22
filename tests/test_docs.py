"""The README and the docs site: short README, every page in the nav, every command sample equal to real output."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import docs_samples  # noqa: E402 - tools/ is not a package


def _nav_pages(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return [page for item in node for page in _nav_pages(item)]


def test_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300


def test_readme_holds_the_two_setup_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    assert len(commands) == 2 and "promptaudit count sample_prompts/" in commands[0]
    assert commands[1].split("&& .venv/bin/python")[0] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_docs_page_is_in_the_nav():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    pages = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    assert pages == set(_nav_pages(config["nav"]))


def test_every_runnable_sample_is_checked():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = docs_samples.BLOCK.findall(readme)
    assert len(blocks) >= 7 and all(docs_samples._commands(body) for _, body, _ in blocks)


def test_samples_equal_what_the_commands_print(tmp_path):
    drift = docs_samples.drift()
    if drift and not os.environ.get("CI"):
        pytest.skip("samples are made at constraints.txt's versions: " + "; ".join(drift))
    assert drift == [], "install with -c constraints.txt (CI must check the samples, not skip them)"
    stale = []
    for path in docs_samples.documents():
        text = path.read_text(encoding="utf-8")
        stale += [f"{path.name}: {c}" for c in docs_samples.refresh(text, str(tmp_path))[1]]
    assert stale == [], "run: python tools/docs_samples.py --write"


def test_every_package_that_changes_a_sample_is_pinned_within_its_tested_range():
    from packaging.requirements import Requirement

    pins = docs_samples.pinned()
    assert set(pins) == set(docs_samples.SAMPLE_INPUTS)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for requirement in map(Requirement, declared):
        if requirement.name in pins:
            assert requirement.specifier.contains(pins[requirement.name]), requirement


def test_claude_samples_are_recognised_so_python_311_skips_only_those():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bodies = [body for _, body, _ in docs_samples.BLOCK.findall(readme)]
    assert any(docs_samples.needs_ctok(body) for body in bodies)
    assert not all(docs_samples.needs_ctok(body) for body in bodies)


def test_no_page_keeps_its_own_table_of_the_rules():
    """The rules table is generated from the registry (docs/rules.md at build time); a page that lists rules by
    ID and name in a table of its own falls behind the day a rule is added (issue 26)."""
    from promptaudit.lint.rules import RULE_MODULES

    rows = {f"| {m.ID} | {m.NAME} |" for m in RULE_MODULES} | {f"| {m.ID} | `{m.NAME}` |" for m in RULE_MODULES}
    pages = [*ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"]
    kept = [f"{p.name}: {line[:40]}" for p in pages for line in p.read_text(encoding="utf-8").splitlines()
            if any(line.startswith(row) for row in rows)]  # fmt: skip
    assert kept == []
