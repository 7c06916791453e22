"""project's savings table always prices routing: without --route-to, a what-if against the cheapest model
of the same provider that fits the prompts, at stated default assumptions, marked as such in JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from promptaudit.money import providers

PROMPT = """<role>You are a support agent for Acme Cloud.</role>
<rules>
- Answer in the customer's language.
- Quote the relevant docs section; never invent one.
</rules>
{{ ticket }}
"""


@pytest.fixture
def prompt_file(isolated_env):
    path = isolated_env / "support.md"
    path.write_text(PROMPT, encoding="utf-8")
    return str(path)


def project_json(cli, *args) -> dict:
    result = cli("project", *args, "--per-day", "1000", "--output-tokens", "300", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def routing_row(data: dict, model: str) -> dict:
    return next(s for s in data["savings"] if s["model"] == model and s["lever"] == "routing")


def test_the_what_if_targets_the_cheapest_fitting_model_of_the_provider(cli, prompt_file):
    catalog = providers.catalog("openai")
    data = project_json(cli, prompt_file, *[arg for m in catalog for arg in ("-m", m)])
    daily = {m["model"]: Decimal(m["daily_cost"]) for m in data["models"]}

    row = routing_row(data, "gpt-4o")

    cheapest = min((m for m in catalog if m != "gpt-4o"), key=lambda m: (daily[m], m))
    assert row["to"] == cheapest and row["default_assumption"] is True
    assert (row["share"], row["fallback_rate"]) == (0.5, 0.1)
    strong, cheap = daily["gpt-4o"], daily[cheapest]
    routed = Decimal("0.5") * (cheap + Decimal("0.1") * strong) + Decimal("0.5") * strong
    assert Decimal(row["daily_saving"]) == strong - routed
    assert row["break_even_fallback"] == round(float(1 - cheap / strong), 4)
    assert row["note"].startswith("what-if: 50% to") and row["in_all_levers"] is False


def test_models_whose_window_cannot_hold_the_request_are_not_candidates(cli, prompt_file):
    data = project_json(cli, prompt_file, "-m", "gpt-5", "--user-tokens", "300000")
    row = routing_row(data, "gpt-5")
    assert row["to"] in ("gpt-5-nano", "gpt-5-mini", "gpt-4.1-nano", "gpt-4.1-mini")  # 400k or 1M windows
    assert row["to"] not in ("gpt-4o-mini", "o4-mini")  # 128k and 200k


def test_a_prompt_with_tools_skips_models_without_tool_support(cli, isolated_env, monkeypatch):
    request = {"messages": [{"role": "system", "content": "Look up orders."}], "tools": [{"type": "function",
               "function": {"name": "get_order", "parameters": {"type": "object", "properties": {}}}}]}  # fmt: skip
    path = isolated_env / "orders.json"
    path.write_text(json.dumps(request))
    first = routing_row(project_json(cli, str(path), "-m", "gpt-4o"), "gpt-4o")["to"]
    monkeypatch.setattr(providers, "supports_tools", lambda model: model != first)

    second = routing_row(project_json(cli, str(path), "-m", "gpt-4o"), "gpt-4o")["to"]

    assert second != first


def test_share_and_fallback_come_from_flags_else_config(cli, prompt_file, isolated_env):
    (isolated_env / "promptaudit.yaml").write_text("routing: {share: 0.3, fallback_rate: 0.2}\n")
    from_config = routing_row(project_json(cli, prompt_file, "-m", "gpt-4o"), "gpt-4o")
    from_flag = routing_row(project_json(cli, prompt_file, "-m", "gpt-4o", "--route-share", "0.8"), "gpt-4o")

    assert (from_config["share"], from_config["fallback_rate"]) == (0.3, 0.2)
    assert (from_flag["share"], from_flag["fallback_rate"]) == (0.8, 0.2)


def test_the_cheapest_model_gets_a_row_that_says_so(cli, prompt_file):
    data = project_json(cli, prompt_file, "-m", "gpt-5-nano")
    row = routing_row(data, "gpt-5-nano")
    assert row["daily_saving"] == "0" and row["default_assumption"] is True and "no cheaper model" in row["note"]


def test_an_explicit_route_replaces_the_what_if(cli, prompt_file):
    data = project_json(cli, prompt_file, "-m", "gpt-4o", "--route-to", "gpt-4o-mini")
    rows = [s for s in data["savings"] if s["lever"] == "routing"]
    assert len(rows) == 1 and rows[0]["to"] == "gpt-4o-mini" and "default_assumption" not in rows[0]


def test_the_what_if_is_not_part_of_the_all_levers_scenario(cli, prompt_file):
    data = project_json(cli, prompt_file, "-m", "gpt-4o")
    levers = {s["lever"]: Decimal(s["daily_saving"]) for s in data["savings"]}
    assert levers["all"] < levers["routing"]  # the only lever pulled in "all" here is caching
