"""The GitHub REST client and the sticky comment, against a local stand-in that checks GitHub's contract."""

from __future__ import annotations

import json

import pytest

from promptaudit.gate import github, sticky
from tests.gate.github_stub import TOKEN, Running


@pytest.fixture
def gh(allow_loopback):
    with Running() as stub:
        yield stub
    assert stub.problems == []


@pytest.fixture
def event(tmp_path):
    """The environment a ``pull_request`` event sets for pull request 7 of owner/repo (same-repo branch)."""

    def make(stub, head_repo="owner/repo", name="pull_request", token=TOKEN):
        payload = {
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "number": 7,
                "base": {"ref": "main", "sha": "a" * 40, "repo": {"full_name": "owner/repo"}},
                "head": {"ref": "feature", "sha": "b" * 40, "repo": {"full_name": head_repo}},
            },
            "repository": {"full_name": "owner/repo"},
        }
        path = tmp_path / "event.json"
        path.write_text(json.dumps(payload))
        return {"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path), "GITHUB_REPOSITORY": "owner/repo",
                "GITHUB_API_URL": stub.url, "GITHUB_TOKEN": token}  # fmt: skip

    return make


def fast_client(waits: list):
    def factory(token, api_url, user_agent):
        return github.Client(token, api_url, user_agent, sleep=waits.append)

    return factory


def test_headers_follow_the_rest_reference(gh, event):
    outcome = sticky.run(event(gh), sticky.compose("Body"), changed=True)
    assert outcome.action == "created" and outcome.url.endswith("#issuecomment-1001")
    first = {k.lower(): v for k, v in gh.requests[0].headers.items()}
    assert first["authorization"] == f"Bearer {TOKEN}"
    assert first["accept"] == "application/vnd.github+json"
    assert first["x-github-api-version"] == "2022-11-28"
    assert first["user-agent"].startswith("promptaudit/")
    assert [(r.method, r.path) for r in gh.requests] == [
        ("GET", "/repos/owner/repo/issues/7/comments"),
        ("POST", "/repos/owner/repo/issues/7/comments"),
    ]
    assert gh.requests[0].query == {"per_page": ["100"]}
    assert gh.requests[1].body == {"body": "<!-- promptaudit-gate -->\nBody"}


def test_one_comment_updated_in_place_found_across_pages(gh, event):
    gh.seed(7, [f"chatter {n}" for n in range(150)])
    env = event(gh)
    sticky.run(env, sticky.compose("first"), changed=True)
    gh.seed(7, ["more chatter"])
    outcome = sticky.run(env, sticky.compose("second"), changed=True)
    assert outcome.action == "updated"
    ours = [c for c in gh.comments[7] if c["body"].startswith("<!-- promptaudit-gate -->")]
    assert [c["body"] for c in ours] == ["<!-- promptaudit-gate -->\nsecond"]
    pages = [r.query.get("page", ["1"]) for r in gh.requests if r.method == "GET"]
    assert pages == [["1"], ["2"], ["1"], ["2"]]  # the marker is searched on every page, each time
    assert gh.writes()[-1] == ("PATCH", f"/repos/owner/repo/issues/comments/{ours[0]['id']}")
    assert sticky.run(env, sticky.compose("second"), changed=True).action == "unchanged"


def test_duplicates_from_a_race_are_deleted(gh, event):
    gh.seed(7, ["<!-- promptaudit-gate -->\nold", "<!-- promptaudit-gate -->\nolder twin"])
    sticky.run(event(gh), sticky.compose("new"), changed=True)
    assert [c["body"] for c in gh.comments[7]] == ["<!-- promptaudit-gate -->\nnew"]
    assert gh.writes()[0] == ("DELETE", "/repos/owner/repo/issues/comments/1002")


def test_a_key_tells_two_gates_apart(gh, event):
    env = event(gh)
    sticky.run(env, sticky.compose("prompts", key="prompts"), changed=True, key="prompts")
    sticky.run(env, sticky.compose("code", key="code"), changed=True, key="code")
    assert len(gh.comments[7]) == 2


def test_resolved_when_the_pr_no_longer_changes_prompts(gh, event):
    env = event(gh)
    assert sticky.run(env, "", changed=False).action == "unchanged"
    assert gh.writes() == []  # no comment is created just to say nothing changed
    sticky.run(env, sticky.compose("a change"), changed=True)
    outcome = sticky.run(env, "", changed=False)
    assert outcome.action == "resolved"
    assert gh.comments[7][0]["body"] == "<!-- promptaudit-gate -->\n" + sticky.RESOLVED + "\n"
    assert sticky.run(env, "", changed=False, delete=True).action == "deleted"
    assert gh.comments[7] == []


def test_forks_and_other_events_are_skipped_without_a_request(gh, event):
    outcome = sticky.run(event(gh, head_repo="someone/fork"), "body", changed=True)
    assert (outcome.action, outcome.reason) == ("skipped", "pull request from a fork: its token cannot write comments")
    assert sticky.run(event(gh, name="push"), "body", changed=True).action == "skipped"
    assert sticky.run(event(gh, token=""), "body", changed=True).action == "skipped"
    assert gh.requests == []


def test_pull_request_target_from_a_fork_may_comment(gh, event):
    assert sticky.run(event(gh, head_repo="someone/fork", name="pull_request_target"), "b", True).action == "created"


def test_rate_limits_wait_as_github_says_then_succeed(gh, event):
    gh.fail_next(429, {"retry-after": "3"}, "secondary rate limit")
    gh.fail_next(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000000010"}, "API rate limit exceeded")
    gh.fail_next(502)
    waits: list[float] = []

    def factory(token, api_url, user_agent):
        return github.Client(token, api_url, user_agent, sleep=waits.append, clock=lambda: 1_000_000_000.0)

    outcome = sticky.run(event(gh), "body", changed=True, client_factory=factory)
    assert outcome.action == "created"
    assert waits == [3.0, 10.0, 4.0]  # retry-after; until x-ratelimit-reset; 5xx backoff (third wait: 2**2)


def test_bounded_retries_then_reported_not_raised(gh, event):
    for _ in range(github.ATTEMPTS):
        gh.fail_next(503)
    waits: list[float] = []
    outcome = sticky.run(event(gh), "body", changed=True, client_factory=fast_client(waits))
    assert outcome.action == "failed" and "GitHub API 503" in outcome.reason
    assert len(gh.requests) == github.ATTEMPTS and waits == [1.0, 2.0, 4.0]


def test_a_rate_limit_reset_far_away_is_not_waited_for(gh, event):
    gh.fail_next(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"}, "API rate limit exceeded")
    waits: list[float] = []
    outcome = sticky.run(event(gh), "body", changed=True, client_factory=fast_client(waits))
    assert outcome.action == "failed" and waits == [] and len(gh.requests) == 1


def test_a_token_without_write_permission_is_a_notice(gh, event):
    gh.fail_next(403, {}, "Resource not accessible by integration")
    outcome = sticky.run(event(gh), "body", changed=True)
    assert outcome.action == "skipped" and "pull-requests: write" in outcome.reason


def test_an_unreachable_api_is_reported(event, allow_loopback):
    with Running() as stub:
        env = event(stub)
    waits: list[float] = []
    outcome = sticky.run(env, "body", changed=True, client_factory=fast_client(waits))  # server is gone
    assert outcome.action == "failed" and "GitHub API unreachable" in outcome.reason
    assert waits == [1.0, 1.0, 1.0]


def test_a_remote_host_stays_blocked_even_with_loopback_allowed(allow_loopback):
    with pytest.raises(AssertionError, match="non-loopback connection"):
        github.Client("t", "https://api.github.com").request("GET", "/zen")


def test_the_comment_fits_githubs_limit():
    body = "| row |\n" * 20_000
    text = sticky.compose(body, link="https://x/artifact", details="check line\n" * 10_000)
    assert len(text) <= sticky.COMMENT_LIMIT
    assert text.startswith("<!-- promptaudit-gate -->\n") and text.endswith("(https://x/artifact)\n")
    assert "cut to fit GitHub's comment size limit" in text


def test_next_link_parsing():
    link = '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"'
    assert github.next_link(link) == "https://api.github.com/x?page=2"
    assert github.next_link('<https://api.github.com/x?page=1>; rel="prev"') is None
