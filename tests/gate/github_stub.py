"""A local stand-in for GitHub's REST API: the issue-comment endpoints the action uses, checked as GitHub would.

It implements what GitHub's REST reference documents for these endpoints (API version 2022-11-28):

- ``GET /repos/{owner}/{repo}/issues/{number}/comments`` (``per_page`` at most 100, ``page``, a ``Link``
  header with ``rel="next"`` and ``rel="last"`` while more pages follow; comments in ascending id order);
- ``POST /repos/{owner}/{repo}/issues/{number}/comments`` with ``{"body": ...}``: 201 and the comment;
- ``PATCH /repos/{owner}/{repo}/issues/comments/{id}`` with ``{"body": ...}``: 200 and the comment;
- ``DELETE /repos/{owner}/{repo}/issues/comments/{id}``: 204, no body.

Every request must carry ``Authorization: Bearer <token>``, ``Accept: application/vnd.github+json``,
``X-GitHub-Api-Version: 2022-11-28`` and a ``User-Agent``; a body must be JSON with a string ``body`` of at
most 65,536 characters (else 422, as GitHub answers). Every request is recorded. ``fail_next`` queues
answers (a 429 with ``retry-after``, a 502, a 403 rate limit) returned before the real handling.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs_test-token"
API_VERSION = "2022-11-28"
LIST = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$")
ONE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$")


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class GitHubStub:
    """State of the stand-in: comments per pull request, recorded requests, queued failures."""

    comments: dict[int, list[dict]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, dict, dict]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Requests that broke GitHub's documented contract (a test asserts this stays empty)."""
    next_id: int = 1000
    url: str = ""

    def seed(self, number: int, bodies: list[str], login: str = "someone") -> None:
        for body in bodies:
            self.next_id += 1
            self.comments.setdefault(number, []).append(self._comment(number, self.next_id, body, login))

    def _comment(self, number: int, comment_id: int, body: str, login: str = "github-actions[bot]") -> dict:
        return {"id": comment_id, "body": body, "user": {"login": login},
                "html_url": f"https://github.test/o/r/pull/{number}#issuecomment-{comment_id}"}  # fmt: skip

    def fail_next(self, status: int, headers: dict | None = None, message: str = "") -> None:
        self.failures.append((status, headers or {}, {"message": message or f"stub failure {status}"}))

    def writes(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests if r.method != "GET"]


def _handler(stub: GitHubStub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, data=None, headers: dict | None = None) -> None:
            raw = b"" if data is None else json.dumps(data).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if raw:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _record(self) -> Recorded | None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            seen = Recorded(self.command, parts.path, parse_qs(parts.query), dict(self.headers), body)
            stub.requests.append(seen)
            return seen

        def _contract(self, seen: Recorded) -> str | None:
            h = {k.lower(): v for k, v in seen.headers.items()}
            if h.get("authorization") != f"Bearer {TOKEN}":
                return "Bad credentials"
            if h.get("accept") != "application/vnd.github+json" or h.get("x-github-api-version") != API_VERSION:
                return "missing Accept or X-GitHub-Api-Version"
            if not h.get("user-agent", "").startswith("promptaudit/"):
                return "missing User-Agent"
            if seen.method in ("POST", "PATCH"):
                if not h.get("content-type", "").startswith("application/json"):
                    return "body not sent as JSON"
                if (
                    not isinstance(seen.body, dict)
                    or set(seen.body) != {"body"}
                    or not isinstance(seen.body["body"], str)
                ):
                    return 'body must be {"body": string}'
            return None

        def _handle(self) -> None:
            seen = self._record()
            if stub.failures:
                status, headers, data = stub.failures.pop(0)
                return self._answer(status, data, headers)
            problem = self._contract(seen)
            if problem:
                stub.problems.append(f"{seen.method} {seen.path}: {problem}")
                return self._answer(401 if problem == "Bad credentials" else 400, {"message": problem})
            if isinstance(seen.body, dict) and len(seen.body.get("body", "")) > 65_536:
                stub.problems.append(f"{seen.method} {seen.path}: body too long")
                return self._answer(422, {"message": "Validation Failed", "errors": [{"code": "too_long"}]})
            listed, one = LIST.match(seen.path), ONE.match(seen.path)
            if listed and seen.method == "GET":
                return self._list(int(listed.group(3)), seen)
            if listed and seen.method == "POST":
                number = int(listed.group(3))
                stub.next_id += 1
                comment = stub._comment(number, stub.next_id, seen.body["body"])
                stub.comments.setdefault(number, []).append(comment)
                return self._answer(201, comment)
            if one and seen.method in ("PATCH", "DELETE"):
                return self._one(int(one.group(3)), seen)
            stub.problems.append(f"{seen.method} {seen.path}: no such endpoint")
            return self._answer(404, {"message": "Not Found"})

        def _list(self, number: int, seen: Recorded) -> None:
            per_page = int(seen.query.get("per_page", ["30"])[0])
            if per_page > 100:
                stub.problems.append("per_page above 100")
            page = int(seen.query.get("page", ["1"])[0])
            items = sorted(stub.comments.get(number, []), key=lambda c: c["id"])
            pages = max(1, -(-len(items) // per_page))
            chunk = items[(page - 1) * per_page : page * per_page]
            headers = {}
            if page < pages:
                base = f"{stub.url}{seen.path}?per_page={per_page}"
                headers["Link"] = f'<{base}&page={page + 1}>; rel="next", <{base}&page={pages}>; rel="last"'
            return self._answer(200, chunk, headers)

        def _one(self, comment_id: int, seen: Recorded) -> None:
            for comments in stub.comments.values():
                for comment in comments:
                    if comment["id"] == comment_id:
                        if seen.method == "DELETE":
                            comments.remove(comment)
                            return self._answer(204)
                        comment["body"] = seen.body["body"]
                        return self._answer(200, comment)
            return self._answer(404, {"message": "Not Found"})

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

    return Handler


class Running:
    """A stub served on 127.0.0.1 in a thread (a context manager)."""

    def __init__(self):
        self.stub = GitHubStub()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.stub))
        self.stub.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> GitHubStub:
        self.thread.start()
        return self.stub

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
