"""MkDocs hooks: pages that are generated from the code at build time, so they cannot drift from it.

- ``<!-- cli-reference -->`` becomes every command's own ``--help``;
- ``<!-- rules-reference -->`` becomes the rule registry: ID, name, category, default severity and each rule
  module's docstring (its documentation, with the *Anti-pattern* and *Best practice* sections);
- ``<!-- rules-precision -->`` becomes each rule's measured precision on the held-out real prompts, before
  and after issue 21, from the committed score files of the real-prompt corpus.

Command samples (``console`` blocks) are kept equal to real output by ``tools/docs_samples.py`` and its test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _help(*args: str) -> str:
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", TERM="dumb")
    script = str(Path(sys.executable).with_name("promptaudit"))
    done = subprocess.run([script, *args, "--help"], env=env, capture_output=True, text=True, timeout=60, check=True)
    return "\n".join(line.rstrip() for line in done.stdout.splitlines())


def _commands() -> list[str]:
    from promptaudit.cli import app

    return [command.name for command in app.registered_commands]


def cli_reference() -> str:
    """Markdown for every command's ``--help``, as the installed console script prints it."""
    sections = ["## promptaudit\n\n```text\n" + _help() + "\n```\n"]
    for name in _commands():
        sections.append(f"## promptaudit {name}\n\n```text\n{_help(name)}\n```\n")
    return "\n".join(sections)


def rules_reference() -> str:
    """Markdown for every registered rule, from the registry and the rule modules' docstrings."""
    from promptaudit.lint.rules import RULE_MODULES

    rows = ["| ID | Name | Category | Default severity |", "|---|---|---|---|"]
    rows += [f"| [{m.ID}](#{m.ID.lower()}) | `{m.NAME}` | {m.CATEGORY} | {m.SEVERITY} |" for m in RULE_MODULES]
    sections = ["\n".join(rows) + "\n"]
    for module in RULE_MODULES:
        doc = "\n".join(
            line[:-1] if line.endswith("::") else line for line in (module.__doc__ or "").strip().splitlines()
        )
        fixable = " Fixed by [`promptaudit fix`](commands/fix.md)." if getattr(module, "FIXABLE", False) else ""
        sections.append(
            f"## {module.ID}\n\n**`{module.NAME}`**: {module.CATEGORY}, {module.SEVERITY} by default.{fixable}\n\n{doc}\n"
        )
    return "\n".join(sections)


def rules_precision() -> str:
    """Markdown tables of each rule's measured precision on the held-out real prompts: before issue 21, at its
    second round's start and now (tests/data/real_prompts/heldout_*_score.json), and PA101/PA102 on the
    held-out part of the public prompt collections (tests/data/real_prompts/mirrors/)."""
    import json

    data = Path(__file__).parents[1] / "tests" / "data" / "real_prompts"

    def load(name: str) -> dict:
        return json.loads((data / name).read_text(encoding="utf-8"))

    before, start, after = (
        load("heldout_first_score.json")["corpus"],
        load("heldout_main_score.json")["corpus"],
        load("heldout_final_score.json"),
    )
    rows = [
        f"| Rule | Before issue 21 ({before['units']} prompts) | Round 2 start ({start['units']}) | Now ({after['units']}) |",
        "|---|---|---|---|",
    ]
    for rule in after["precision"]:
        cells = [_both(score["precision"].get(rule)) for score in (before, start, after)]
        rows.append(f"| {rule} | {' | '.join(cells)} |")
    recall = f"{before['recall']['found']} of {before['recall']['pairs']} → {after['recall']['found']} of {after['recall']['pairs']}"
    text = "\n".join(rows) + f"\n\nRestatement recall on the held-out paraphrase pairs: {recall}.\n"
    was, now = load("mirrors/heldout_main_score.json")["corpus"], load("mirrors/heldout_final_score.json")
    collections = ["| Rule | Round 2 start | Now |", "|---|---|---|"]
    collections += [
        f"| {rule} | {_both(was['precision'][rule])} | {_both(now['precision'][rule])} |"
        for rule in ("PA101", "PA102", "PA101+PA102")
    ]
    return (
        text
        + f"\nHeld-out part of the public prompt collections ({now['units']} prompts, local-only):\n\n"
        + "\n".join(collections)
        + "\n"
    )


def _both(row: dict | None) -> str:
    """ "right / judged = precision" for one score row."""
    if row is None or not row["true"] + row["false"]:
        return "no findings"
    return f"{_cell(row)} = {_share(row)}"


def _cell(row: dict) -> str:
    return f"{row['true']} / {row['true'] + row['false']}" if row["true"] + row["false"] else "no findings"


def _share(row: dict) -> str:
    return "n/a" if row["precision"] is None else f"{row['precision']:.2f}"


GENERATED = {
    "<!-- cli-reference -->": cli_reference,
    "<!-- rules-reference -->": rules_reference,
    "<!-- rules-precision -->": rules_precision,
}


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs hook signature
    """Replace each generation marker on a page with what it stands for."""
    for marker, generate in GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, generate())
    return markdown
