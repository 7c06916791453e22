"""Every format fixture (tests/data/formats, not hostile/) through ``project`` and ``audit`` as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FORMATS = Path(__file__).parents[1] / "data" / "formats"
FIXTURES = sorted(p for p in FORMATS.iterdir() if p.is_file())

# fixture -> the rules ``audit`` reports (the exit code is 1 only when one is at --fail-on warning or above)
AUDIT_FINDINGS = {
    "anthropic.json": [],
    "anthropic_five_breakpoints.yaml": [],
    "messages_list.json": [("PA401", "info")],
    "named.yaml": [("PA501", "warning")],
    "not_a_prompt.json": [("PA001", "warning")],
    "openai_chat.json": [],
    "openai_parts.yaml": [("PA401", "info")],
    "plain.md": [],
    "template.j2": [],
    "trailing_text.json": [("PA001", "warning")],
    "undefined_alias.yaml": [("PA001", "warning")],
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in FIXTURES) == sorted(AUDIT_FINDINGS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_project_prints_json_and_exits_0(cli, fixture):
    result = cli("project", str(fixture), "--per-day", "1000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"scenario", "models", "total", "prompts", "savings", "assumptions", "prices"}
    per_model = sum(m["requests_per_day"] for m in data["models"])  # each prompt at one model: its own or gpt-4o
    assert per_model == data["total"]["requests_per_day"] == 1000 * len(data["prompts"])
    assert data["scenario"]["volume_basis"] == "per prompt" and len(data["scenario"]["volumes"]) == len(data["prompts"])


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_audit_prints_json_and_exits_by_fail_level(cli, fixture):
    result = cli("audit", str(fixture), "--format", "json")
    expected = AUDIT_FINDINGS[fixture.name]
    assert result.exit_code == (1 if any(severity != "info" for _, severity in expected) else 0), result.stderr
    data = json.loads(result.stdout)
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == expected
    assert all(f["path"].startswith(str(fixture)) for f in data["files"])
