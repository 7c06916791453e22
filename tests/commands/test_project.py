"""``promptaudit project`` through the CLI: exact JSON, hand-computed figures, bad input -> exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptaudit.tokens import tokenizers as tokens

PROMPT_2000 = " word" * 2000  # 2,000 o200k_base tokens, no template variable


@pytest.fixture
def prompt_file(isolated_env):
    path = isolated_env / "system.txt"
    path.write_text(PROMPT_2000, encoding="utf-8")
    assert tokens.count_text(PROMPT_2000, "gpt-4o").tokens == 2000
    return str(path)


def run_json(cli, *args):
    result = cli("project", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_two_thousand_tokens_at_ten_thousand_a_day_on_gpt_4o(cli, prompt_file):
    data = run_json(cli, prompt_file, "--per-day", "10000", "--output-tokens", "0")
    model = data["models"][0]
    assert model["input_tokens_per_request"] * model["requests_per_day"] == 20_000_000
    assert {k: model[k] for k in ("model", "daily_cost", "monthly_cost", "cost_per_request")} == {
        "model": "gpt-4o",
        "daily_cost": "50",
        "monthly_cost": "1500",
        "cost_per_request": "0.005",
    }


def test_json_shape(cli, prompt_file):
    data = run_json(cli, prompt_file, "--rpm", "10", "--output-tokens", "300", "--user-tokens", "50")
    assert set(data) == {"scenario", "models", "total", "prompts", "savings", "assumptions", "prices"}
    assert data["scenario"] == {
        "days_per_month": 30,
        "volume_basis": "per prompt",
        "total_requests_per_day": 14400,
        "volumes": [{"requests_per_day": 14400, "origin": "--rpm, per prompt"}],
        "cache_hit_rate": None,
        "batch_share": 0,
        "max_tokens": None,
        "routing": None,
        "calibration": None,
        "sources": {"output_tokens": "--output-tokens", "user_tokens": "--user-tokens", "hit_rate": "none"},
    }
    model = data["models"][0]
    assert (model["requests_per_day"], model["input_tokens_per_request"], model["output_tokens_per_request"]) == (
        14400,
        2050,
        300,
    )
    assert [s["lever"] for s in data["savings"]] == ["caching", "trimming", "batch", "routing", "all"]
    what_if = data["savings"][3]
    assert what_if["default_assumption"] is True and (what_if["share"], what_if["fallback_rate"]) == (0.5, 0.1)
    assert all(isinstance(s["daily_saving"], str) and isinstance(s["percent"], float) for s in data["savings"])
    assert set(data["prices"]) == {"source", "as_of", "as_of_basis"}


def test_caching_row_on_gpt_4o(cli, prompt_file):
    data = run_json(cli, prompt_file, "--per-day", "10000", "--cache-hit-rate", "1", "--output-tokens", "0")
    caching = data["savings"][0]
    # 1,920 of 2,000 tokens cached at half price: 1,920 x 1.25 / 1e6 x 10,000 = $24 a day
    assert (caching["lever"], caching["daily_saving"], caching["monthly_saving"]) == ("caching", "24", "720")
    assert caching["note"] == "1,920 of 2,000 prefix tokens cacheable; hit rate 100.0% (given)"


def test_prefix_below_minimum_says_how_short(cli, isolated_env):
    path = isolated_env / "short.txt"
    path.write_text(" word" * 800 + " {{ question }}", encoding="utf-8")
    data = run_json(cli, str(path), "--per-day", "1000", "--output-tokens", "0")
    assert data["savings"][0]["daily_saving"] == "0"
    assert (
        data["savings"][0]["note"] == "static prefix 801 tokens is 223 short of the 1,024 minimum"
    )  # the space before {{ question }} is a token


def test_routing_and_break_even(cli, prompt_file):
    args = ("--per-day", "1000", "--output-tokens", "0", "--route-to", "gpt-4o-mini", "--route-share", "0.5")
    data = run_json(cli, prompt_file, *args, "--fallback-rate", "0")
    routing = next(s for s in data["savings"] if s["lever"] == "routing")
    # strong $5.00/day, cheap $0.30/day; half routed, no fallback: saves (5 - 0.3) / 2
    assert (routing["daily_saving"], routing["break_even_fallback"]) == ("2.35", 0.94)
    assert [m["model"] for m in data["models"]] == ["gpt-4o"]
    assert routing["in_all_levers"] is True and "routing" in data["savings"][-1]["includes"]


def test_route_to_and_the_what_if_share_one_default_fallback(cli, prompt_file):
    """--route-to without --fallback-rate assumes the what-if's 10%, and says so."""
    args = ("--per-day", "1000", "--output-tokens", "0", "--route-to", "gpt-4o-mini")
    data = run_json(cli, prompt_file, *args)
    routing = next(s for s in data["savings"] if s["lever"] == "routing")
    # half routed, 10% of those retried on gpt-4o: 5 - (0.5 x (0.3 + 0.1 x 5) + 0.5 x 5) = 2.1
    assert (routing["share"], routing["fallback_rate"], routing["daily_saving"]) == (0.5, 0.1, "2.1")
    assert "Routing: 50% of requests to gpt-4o-mini, 10% of those fall back (defaults)." in data["assumptions"]


def test_output_cap_row(cli, prompt_file):
    data = run_json(cli, prompt_file, "--per-day", "1000", "--output-tokens", "500", "--max-tokens", "300")
    cap = next(s for s in data["savings"] if s["lever"] == "output_cap")
    assert cap["daily_saving"] == "2"  # 200 tokens x $10/M x 1,000


def test_table_and_markdown_print_both_tables(cli, prompt_file):
    for fmt in ("table", "markdown"):
        result = cli("project", prompt_file, "--per-day", "1000", "--format", fmt, "--output-tokens", "10")
        assert result.exit_code == 0
        assert "Savings on gpt-4o" in result.stdout and "All levers" in result.stdout
        assert "genai-prices" in result.stdout


def test_missing_output_tokens_warns_on_stderr(cli, prompt_file):
    result = cli("project", prompt_file, "--per-day", "1000", "--format", "json")
    assert result.exit_code == 0
    assert "no --output-tokens given" in result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize(
    "flag, value, message",
    [
        ("--per-day", "-5", "--per-day must be greater than zero, got -5"),
        ("--per-day", "0", "--per-day must be greater than zero, got 0"),
        ("--rps", "lots", "--rps must be a number, got 'lots'"),
        ("--per-month", "1e30", "is not a plausible volume"),
        ("--per-day", "nan", "--per-day must be a finite number"),
        ("--batch-share", "1.5", "--batch-share must be between 0 and 1, got 1.5"),
        ("--cache-hit-rate", "x", "--cache-hit-rate must be a number"),
        ("--output-tokens", "2.5", "--output-tokens must be a whole number of tokens"),
        ("--days-per-month", "40", "--days-per-month must be between 1 and 31"),
    ],
)
def test_bad_values_give_one_line_and_exit_2(cli, prompt_file, flag, value, message):
    extra = () if flag in ("--per-day", "--rps", "--per-month") else ("--per-day", "100")
    result = cli("project", prompt_file, flag, value, *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_no_volume_is_an_error(cli, prompt_file):
    result = cli("project", prompt_file)
    assert result.exit_code == 2
    assert "no request volume" in result.stderr


def test_volume_from_config(cli, prompt_file, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("volume: {per_day: 10000}\n", encoding="utf-8")
    data = run_json(cli, prompt_file, "--output-tokens", "0")
    assert data["models"][0]["daily_cost"] == "50"
    assert data["scenario"]["volumes"][0]["origin"].endswith(".promptaudit.yaml: volume")


def test_unknown_model_exit_2_with_suggestion(cli, prompt_file):
    result = cli("project", prompt_file, "--per-day", "10", "-m", "gpt-4oo")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr


def test_calibrate_uses_measured_volume_output_and_hit_rate(cli, prompt_file, isolated_env):
    log = isolated_env / "usage.jsonl"
    log.write_text(
        '{"model": "gpt-4o", "created": 1767225600, "usage": {"prompt_tokens": 2500, "completion_tokens": 300,'
        ' "prompt_tokens_details": {"cached_tokens": 2000}}}\n'
        '{"model": "gpt-4o", "created": 1767229200, "usage": {"prompt_tokens": 2500, "completion_tokens": 500,'
        ' "prompt_tokens_details": {"cached_tokens": 0}}}\n',
        encoding="utf-8",
    )
    data = run_json(cli, prompt_file, "--calibrate", str(log))
    model = data["models"][0]
    # 2 requests an hour apart = 48 a day; output mean 400; input mean 2,500 = 2,000 prompt + 500 variable
    assert (model["requests_per_day"], model["output_tokens_per_request"], model["user_tokens_per_request"]) == (
        48,
        400,
        500,
    )
    # 2,000 of 5,000 input tokens were cached: token share 0.4 x 2,500 / 2,000 = hit rate 0.5 per request
    assert data["scenario"]["cache_hit_rate"] == 0.5
    assert data["scenario"]["calibration"].startswith("usage.jsonl: 2 requests")


FORMATS = Path(__file__).parents[1] / "data" / "formats"


def _cap_row(data):
    return next(s for s in data["savings"] if s["lever"] == "output_cap")


def test_output_cap_comes_from_the_request_file(cli, isolated_env):
    data = run_json(cli, str(FORMATS / "openai_chat.json"), "--per-day", "1000", "--output-tokens", "500")
    assert data["scenario"]["max_tokens"] == 300
    row = _cap_row(data)
    assert row["daily_saving"] == "2"  # 200 tokens x $10/M x 1,000
    assert row["note"] == "output capped at 300 tokens (the file's max_tokens)"


def test_max_tokens_option_overrides_the_file(cli, isolated_env):
    args = ("--per-day", "1000", "--output-tokens", "500", "--max-tokens", "400")
    data = run_json(cli, str(FORMATS / "openai_chat.json"), *args)
    assert (data["scenario"]["max_tokens"], _cap_row(data)["daily_saving"]) == (400, "1")
    assert _cap_row(data)["note"] == "output capped at 400 tokens"


def test_file_cap_without_output_average_says_it_is_unknown(cli, isolated_env):
    data = run_json(cli, str(FORMATS / "openai_chat.json"), "--per-day", "1000")
    row = _cap_row(data)
    assert row["daily_saving"] == "0"
    assert row["note"] == "average output unknown: give --output-tokens or --calibrate to price the cap"


def test_config_max_tokens_is_a_prompt_budget_not_an_output_cap(cli, prompt_file, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("max_tokens: 300\n", encoding="utf-8")
    data = run_json(cli, prompt_file, "--per-day", "1000", "--output-tokens", "500")
    assert data["scenario"]["max_tokens"] is None
    assert "output_cap" not in [s["lever"] for s in data["savings"]]


def test_var_counts_a_template_as_count_and_audit_do(cli, isolated_env):
    (isolated_env / "t.j2").write_text("Greet {{ name }} in French, in one sentence.\n", encoding="utf-8")
    (isolated_env / ".promptaudit.yaml").write_text("vars: {name: Ann}\n", encoding="utf-8")
    seen = []
    for values in ([], ["--var", "name=Bartholomew Fitzgerald"]):
        counted = json.loads(cli("count", "t.j2", "--format", "json", *values).stdout)
        projected = run_json(cli, "t.j2", "--per-day", "1", "--output-tokens", "0", *values)
        audited = json.loads(cli("audit", "t.j2", "--format", "json", *values).stdout)
        count = counted["files"][0]["counts"][0]
        # project prices requests as sent (variables filled in); count and audit lead with the file as written
        assert projected["models"][0]["input_tokens_per_request"] == count["rendered_tokens"]
        assert count["tokens"] == audited["files"][0]["tokens"] and audited["files"][0]["exact"] is True
        assert count["rendered_exact"] is True
        seen.append(count["rendered_tokens"])
    assert seen[0] < seen[1]  # config vars: first, --var wins


def test_var_without_equals_is_a_usage_error(cli, prompt_file):
    for command in (("project", prompt_file, "--per-day", "1"), ("audit", prompt_file)):
        result = cli(*command, "--var", "name")
        assert result.exit_code == 2 and result.stdout == ""
        assert "--var expects name=value" in result.stderr


def test_a_template_without_values_is_projected_as_an_estimate(cli, isolated_env):
    (isolated_env / "reply.j2").write_text("Hello {{ customer_name }}, thanks for writing.\n", encoding="utf-8")
    estimated = cli("project", "reply.j2", "--per-day", "100", "--format", "json")
    given = cli("project", "reply.j2", "--per-day", "100", "--var", "customer_name=Ana", "--format", "json")
    assert (estimated.exit_code, given.exit_code) == (0, 0)
    assert json.loads(estimated.stdout)["models"][0]["exact"] is False
    assert json.loads(given.stdout)["models"][0]["exact"] is True


def test_the_prompt_column_is_what_every_request_sends_and_variables_go_to_the_variable_column(
    cli, isolated_env, reference_encoding
):
    enc = reference_encoding("o200k_base")
    (isolated_env / "reply.j2").write_text("Hello {{ customer_name }}, thanks for writing.\n", encoding="utf-8")
    args = ("--per-day", "100", "--output-tokens", "0", "--user-tokens", "7", "--format", "json")
    model = json.loads(cli("project", "reply.j2", "--var", "customer_name=Ana Lopez", *args).stdout)["models"][0]
    static = len(enc.encode_ordinary("Hello , thanks for writing.\n"))
    rendered = len(enc.encode_ordinary("Hello Ana Lopez, thanks for writing.\n"))
    assert (model["prompt_tokens_per_request"], model["user_tokens_per_request"]) == (static, 7 + rendered - static)
    assert model["input_tokens_per_request"] == rendered + 7 and model["exact"] is True


def test_each_prompt_has_its_share_of_the_bill_and_the_shares_add_up(cli, isolated_env):
    from decimal import Decimal

    (isolated_env / "long.txt").write_text(PROMPT_2000, encoding="utf-8")
    (isolated_env / "short.txt").write_text(" word" * 500, encoding="utf-8")
    data = run_json(
        cli, "long.txt", "short.txt", "--per-day", "10000", "--output-tokens", "0", "-m", "gpt-4o", "-m", "gpt-4o-mini"
    )
    rows = {(r["model"], r["prompt"]): r for r in data["prompts"]}
    assert sorted(rows) == [(m, p) for m in ("gpt-4o", "gpt-4o-mini") for p in ("long.txt", "short.txt")]
    # 2,000 tokens x $2.50/M x 10,000 a day x 30 days; 500 tokens a quarter of that
    assert (rows["gpt-4o", "long.txt"]["monthly_cost"], rows["gpt-4o", "short.txt"]["monthly_cost"]) == ("1500", "375")
    assert (
        rows["gpt-4o", "long.txt"]["cacheable_tokens"] == 1920 and rows["gpt-4o", "short.txt"]["cacheable_tokens"] == 0
    )
    for model in data["models"]:
        mine = [r for r in data["prompts"] if r["model"] == model["model"]]
        for field in ("monthly_cost", "monthly_cost_cached"):
            total = sum(Decimal(r[field]) for r in mine)
            assert abs(total - Decimal(model[field])) < Decimal("1e-9"), field
