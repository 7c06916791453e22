"""A small client for GitHub's REST API, used only when asked (``promptaudit pr-comment``), never by default.

Standard library only (``urllib``): the action needs four endpoints, not an SDK. Every request sends the
headers GitHub's REST reference asks for (``Authorization: Bearer``, ``Accept: application/vnd.github+json``,
``X-GitHub-Api-Version``, a ``User-Agent``); lists follow the ``Link: <...>; rel="next"`` header.

Retries are bounded: a rate limit (403 or 429 with ``retry-after``, or ``x-ratelimit-remaining: 0`` until
``x-ratelimit-reset``) waits as GitHub says, at most ``max_wait`` seconds; a 5xx answer or a dropped
connection waits 1, 2, 4 seconds. After ``attempts`` tries the last error is raised as :class:`GitHubError`,
which callers report without failing the gate.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
ATTEMPTS = 4
MAX_WAIT = 60
TIMEOUT = 30
SECONDARY_LIMIT_WAIT = 60
"""GitHub: after a secondary rate limit without ``retry-after``, wait at least a minute."""


class GitHubError(Exception):
    """A request GitHub refused or that never got an answer, after the retries it deserved."""

    def __init__(self, status: int | None, message: str, rate_limited: bool = False):
        super().__init__(f"GitHub API {status or 'unreachable'}: {message}")
        self.status = status
        self.message = message
        self.rate_limited = rate_limited

    @property
    def forbidden(self) -> bool:
        """403 or 404 that is not a rate limit: the token may not do this (a fork's read-only token)."""
        return self.status in (403, 404) and not self.rate_limited


@dataclass(frozen=True)
class Response:
    """One answer: status, headers (lower-case names) and the decoded JSON body (None when empty)."""

    status: int
    headers: dict[str, str]
    data: object = None


@dataclass
class Client:
    """Authenticated calls to one GitHub API root (``GITHUB_API_URL``: github.com or an Enterprise server)."""

    token: str
    api_url: str = DEFAULT_API_URL
    user_agent: str = "promptaudit"
    attempts: int = ATTEMPTS
    max_wait: float = MAX_WAIT
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    waits: list[float] = field(default_factory=list)
    """Every wait taken before a retry, in seconds (reported, and checked by the tests)."""

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": self.user_agent,
        }

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.api_url.rstrip("/") + path

    def request(self, method: str, path: str, body: dict | None = None) -> Response:
        """Send one request, retrying rate limits, 5xx answers and dropped connections a bounded number of times."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._send(method, self.url(path), body)
            except _Retry as retry:
                if attempt == self.attempts or retry.wait > self.max_wait:
                    raise retry.error from None
                self.waits.append(retry.wait)
                self.sleep(retry.wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, url: str, body: dict | None) -> Response:
        import urllib.error
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=self.headers())
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - https or a test's loopback
                return Response(answer.status, _lower(answer.headers), _decode(answer.read()))
        except urllib.error.HTTPError as exc:
            raise self._failure(exc.code, _lower(exc.headers), _decode(exc.read())) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise _Retry(1.0, GitHubError(None, str(reason))) from None

    def _failure(self, status: int, headers: dict[str, str], data: object) -> Exception:
        """The error to raise for a non-2xx answer: a retry (rate limit, 5xx) or a final GitHubError."""
        message = data.get("message", "") if isinstance(data, dict) else str(data or "")
        wait = rate_limit_wait(status, headers, message, self.clock())
        error = GitHubError(status, message or f"HTTP {status}", rate_limited=wait is not None)
        if wait is not None:
            return _Retry(wait, error)
        if status >= 500:
            return _Retry(2.0 ** len(self.waits), error)
        return error

    def paginate(self, path: str) -> Iterator[object]:
        """Every item of a list endpoint, following ``Link: rel="next"`` (100 per page)."""
        url: str | None = path + ("&" if "?" in path else "?") + "per_page=100"
        while url:
            answer = self.request("GET", url)
            yield from answer.data or []
            url = next_link(answer.headers.get("link", ""))


class _Retry(Exception):
    def __init__(self, wait: float, error: GitHubError):
        super().__init__(str(error))
        self.wait = wait
        self.error = error


def rate_limit_wait(status: int, headers: dict[str, str], message: str, now: float) -> float | None:
    """Seconds to wait before retrying a rate-limited request, as GitHub documents; None when not rate-limited."""
    if status not in (403, 429):
        return None
    if "retry-after" in headers:
        return max(0.0, float(headers["retry-after"]))
    if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
        return max(0.0, float(headers["x-ratelimit-reset"]) - now)
    if status == 429 or "rate limit" in message.lower():
        return float(SECONDARY_LIMIT_WAIT)
    return None


def next_link(link: str) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, or None on the last page."""
    for part in link.split(","):
        found = re.match(r'\s*<([^>]+)>\s*;.*\brel="?next"?', part)
        if found:
            return found.group(1)
    return None


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in (headers.items() if headers else [])}


def _decode(raw: bytes) -> object:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")[:200]
