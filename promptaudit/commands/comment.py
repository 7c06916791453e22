"""``promptaudit pr-comment``: keep the one promptaudit comment on a pull request up to date (GitHub Actions).

It talks to GitHub only because it is asked to, with the workflow's token (``GITHUB_TOKEN``), for the pull
request of the running workflow (``GITHUB_EVENT_PATH``). GitHub being down or rate-limiting past the
retries never fails the gate: the outcome is one line on stderr, a ``::notice::``/``::warning::`` in the
workflow log, and exit 0. The comment's URL goes to stdout and to the step's ``comment-url`` output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import user_errors, warn


def _read(path: str | None, what: str) -> str:
    from promptaudit.errors import InputError
    from promptaudit.reading.files import read_regular

    if not path:
        return ""
    try:
        return read_regular(Path(path)).decode("utf-8", "replace")
    except InputError as exc:
        raise InputError(path, f"cannot read the {what}: {exc.reason}") from None


def changes_anything(diff_json: str, details: str) -> bool:
    """Whether the pull request still has something to say: changed prompts, a broken policy, a failed check."""
    from promptaudit.errors import InputError

    if not diff_json:
        return True
    try:
        report = json.loads(diff_json)
        return bool(report["prompts"]) or not report["passed"] or bool(details.strip())
    except (ValueError, KeyError, TypeError):
        raise InputError("--diff-json", "not a promptaudit diff --format json report") from None


def announce(outcome) -> None:
    """Say what happened: stderr always; in GitHub Actions a workflow notice and the step's output too."""
    text = f"pull-request comment {outcome.action}" + (f": {outcome.url}" if outcome.url else "")
    text += f" ({outcome.reason})" if outcome.reason else ""
    warn(text)
    if outcome.url:
        typer.echo(outcome.url)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        level = "warning" if outcome.action == "failed" else "notice"
        typer.echo(f"::{level} title=promptaudit::{text.replace(chr(10), ' ')}")
        output = os.environ.get("GITHUB_OUTPUT")
        if output and outcome.url:
            from promptaudit.reading.files import append_text

            append_text(output, f"comment-url={outcome.url}\n")


@user_errors
def pr_comment_command(
    body_file: Annotated[str, typer.Argument(help="Markdown body (promptaudit diff --format markdown).")],
    diff_json: Annotated[
        str | None, typer.Option("--diff-json", help="diff --format json report: no changes resolves the comment.")
    ] = None,
    details: Annotated[
        str | None, typer.Option("--details", help="Text shown collapsed under the body (the check log).")
    ] = None,
    link: Annotated[str | None, typer.Option("--link", help="URL of the full report (the run's artifact).")] = None,
    key: Annotated[str, typer.Option("--key", help="Tells apart two gates commenting on one pull request.")] = "",
    delete_resolved: Annotated[
        bool, typer.Option("--delete-resolved", help="Delete the comment, not mark it resolved, once nothing changes.")
    ] = False,
) -> None:
    """Create or update the one promptaudit comment on this workflow's pull request (GitHub Actions)."""
    from promptaudit.gate import sticky

    log = _read(details, "details file")
    changed = changes_anything(_read(diff_json, "diff report"), log)
    body = sticky.compose(_read(body_file, "comment body"), key, link or "", log)
    outcome = sticky.run(dict(os.environ), body, changed, key, delete_resolved)
    announce(outcome)
    raise typer.Exit(exitcodes.OK)
