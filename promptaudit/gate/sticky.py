"""One pull-request comment per gate, found by a hidden marker and updated in place, never a second one.

The pull request comes from the workflow's environment: ``GITHUB_EVENT_NAME`` (``pull_request`` or
``pull_request_target``), the event payload at ``GITHUB_EVENT_PATH``, ``GITHUB_REPOSITORY`` and
``GITHUB_API_URL``. A pull request from a fork runs with a read-only token on ``pull_request``: the comment
is skipped with a notice (the gate itself still runs). When the pull request no longer changes prompts
and the gate passes, an existing comment is marked resolved (or deleted, when asked); none is created.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from promptaudit.errors import ConfigError
from promptaudit.gate.github import Client, GitHubError

MARKER = "<!-- promptaudit-gate{key} -->"
COMMENT_LIMIT = 65_536
"""GitHub refuses an issue comment body longer than this (characters)."""
PR_EVENTS = ("pull_request", "pull_request_target")
RESOLVED = "✅ **promptaudit:** this pull request no longer changes any prompt's cost; nothing to review here."


@dataclass(frozen=True)
class PullRequest:
    """Where the comment goes, and whether this run's token may write there."""

    repository: str
    number: int
    fork: bool
    api_url: str


@dataclass(frozen=True)
class Outcome:
    """What happened to the comment: created, updated, resolved, deleted, unchanged or skipped (and why)."""

    action: str
    url: str = ""
    reason: str = ""


def marker(key: str = "") -> str:
    """The hidden first line that identifies this gate's comment (``key`` tells apart two gates in one PR)."""
    return MARKER.format(key=f":{key}" if key else "")


def pull_request(environ: dict[str, str]) -> PullRequest | None:
    """The pull request this workflow run is for, or None when the event is not a pull request."""
    if environ.get("GITHUB_EVENT_NAME") not in PR_EVENTS:
        return None
    from promptaudit.errors import InputError
    from promptaudit.reading.files import read_regular

    path = environ.get("GITHUB_EVENT_PATH", "")
    try:
        event = json.loads(read_regular(path))
        pr = event["pull_request"]
        number = int(pr["number"])
    except (InputError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ConfigError(f"GITHUB_EVENT_PATH {path!r}: not a pull request event payload ({exc})") from None
    repository = environ.get("GITHUB_REPOSITORY") or _full_name(pr.get("base"))
    head = _full_name(pr.get("head"))
    fork = bool(head) and head != repository and environ.get("GITHUB_EVENT_NAME") == "pull_request"
    api_url = environ.get("GITHUB_API_URL") or "https://api.github.com"
    return PullRequest(repository, number, fork, api_url)


def _full_name(side) -> str:
    repo = side.get("repo") if isinstance(side, dict) else None
    return repo.get("full_name", "") if isinstance(repo, dict) else ""


def compose(body: str, key: str = "", link: str = "", details: str = "") -> str:
    """The comment: marker, body, a collapsed block of ``details`` (the check log), the report link; cut to fit."""
    footer = f"\n[Full report (JSON, SARIF, Markdown)]({link})\n" if link else ""
    head = marker(key) + "\n"
    room = COMMENT_LIMIT - len(head) - len(footer) - 200
    text = body if len(body) <= room else body[:room] + "\n\n… (cut to fit GitHub's comment size limit)\n"
    if details.strip():
        room -= len(text)
        block = details if len(details) <= room - 100 else details[: max(room - 200, 0)] + "\n… (cut)"
        text += f"\n<details><summary>promptaudit check</summary>\n\n```text\n{block.rstrip()}\n```\n</details>\n"
    return head + text + footer


def find(client: Client, pr: PullRequest, key: str = "") -> list[dict]:
    """This gate's comments on the pull request (normally one), oldest first."""
    path = f"/repos/{pr.repository}/issues/{pr.number}/comments"
    tag = marker(key)
    return [c for c in client.paginate(path) if isinstance(c, dict) and str(c.get("body", "")).startswith(tag)]


def publish(client: Client, pr: PullRequest, body: str, key: str = "") -> Outcome:
    """Create the comment, or update the existing one in place (extra copies from a race are deleted)."""
    found = find(client, pr, key)
    for extra in found[1:]:
        client.request("DELETE", f"/repos/{pr.repository}/issues/comments/{extra['id']}")
    if not found:
        answer = client.request("POST", f"/repos/{pr.repository}/issues/{pr.number}/comments", {"body": body})
        return Outcome("created", _url(answer.data))
    current = found[0]
    if current.get("body") == body:
        return Outcome("unchanged", str(current.get("html_url", "")))
    answer = client.request("PATCH", f"/repos/{pr.repository}/issues/comments/{current['id']}", {"body": body})
    return Outcome("updated", _url(answer.data))


def resolve(client: Client, pr: PullRequest, key: str = "", delete: bool = False) -> Outcome:
    """The PR no longer changes prompts: mark the existing comment resolved (or delete it); create none."""
    found = find(client, pr, key)
    if not found:
        return Outcome("unchanged", reason="no prompt changes and no comment to resolve")
    if delete:
        for comment in found:
            client.request("DELETE", f"/repos/{pr.repository}/issues/comments/{comment['id']}")
        return Outcome("deleted")
    outcome = publish(client, pr, marker(key) + "\n" + RESOLVED + "\n", key)
    return Outcome("resolved" if outcome.action != "unchanged" else "unchanged", outcome.url)


def _url(data: object) -> str:
    return str(data.get("html_url", "")) if isinstance(data, dict) else ""


def run(environ: dict[str, str], body: str, changed: bool, key: str = "", delete: bool = False,
        client_factory=Client) -> Outcome:  # fmt: skip
    """Publish or resolve the comment for the run's pull request; GitHub's refusals become an Outcome."""
    pr = pull_request(environ)
    if pr is None:
        return Outcome("skipped", reason=f"event {environ.get('GITHUB_EVENT_NAME') or 'unknown'} is not a pull request")
    if pr.fork:
        return Outcome("skipped", reason="pull request from a fork: its token cannot write comments")
    token = environ.get("GITHUB_TOKEN", "")
    if not token:
        return Outcome("skipped", reason="no GITHUB_TOKEN in the environment")
    from promptaudit import __version__

    client = client_factory(token, pr.api_url, user_agent=f"promptaudit/{__version__}")
    try:
        return publish(client, pr, body, key) if changed else resolve(client, pr, key, delete)
    except GitHubError as exc:
        if exc.forbidden:
            return Outcome(
                "skipped", reason=f"the token may not comment here ({exc}); give the job pull-requests: write"
            )
        return Outcome("failed", reason=str(exc))
