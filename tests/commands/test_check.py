"""``promptaudit check``: budgets, baseline, exit codes, quiet success, exact JSON."""

from __future__ import annotations

import json

import pytest

BIG = " hello" * 50 + "\n"  # 51 tokens (gpt-4o)
SMALL = "hello world\n"  # 3 tokens


@pytest.fixture
def project(isolated_env):
    """A folder with one big and one small prompt and a config: 10,000 requests/day, txt budget 20."""
    (isolated_env / "prompts").mkdir()
    (isolated_env / "prompts" / "big.txt").write_text(BIG)
    (isolated_env / "prompts" / "small.txt").write_text(SMALL)
    (isolated_env / ".promptaudit.yaml").write_text('budgets:\n  "prompts/*.txt": 20\nvolume: {per_day: 10000}\n')
    return isolated_env


def test_passing_check_prints_nothing(cli, project):
    result = cli("check", "prompts/small.txt")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_over_budget_names_file_excess_and_monthly_cost(cli, project):
    result = cli("check", "prompts")
    assert result.exit_code == 1
    assert result.stdout == (
        "prompts/big.txt: 51 tokens is 31 over its budget of 20, from budgets 'prompts/*.txt'; "
        "the excess costs $23.25/month at 10,000 requests/day\n"
        "1 of 2 prompt(s) over budget, counted for gpt-4o.\n"
    )


def test_without_volume_says_so(cli, project):
    (project / ".promptaudit.yaml").write_text("max_tokens: 20\n")
    result = cli("check", "prompts/big.txt")
    assert result.exit_code == 1
    assert "from max_tokens; volume not configured" in result.stdout


def test_cli_max_tokens_wins_over_config(cli, project):
    assert cli("check", "prompts", "--max-tokens", "100").exit_code == 0
    assert cli("check", "prompts", "--max-tokens", "2").exit_code == 1


def test_json_report_is_exact(cli, project):
    result = cli("check", "prompts/big.txt", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "model": "gpt-4o",
        "passed": False,
        "failed": 1,
        "prompts": [
            {
                "path": "prompts/big.txt",
                "tokens": 51,
                "exact": True,
                "method": "exact",
                "model": "gpt-4o",
                "budget": 20,
                "budget_source": "budgets 'prompts/*.txt'",
                "baseline": None,
                "excess": 31,
                "requests_per_day": "10000",
                "excess_monthly_cost": "23.25",
                "failed": True,
            }
        ],
        "findings": [],
        "violations": [],
    }


def test_baseline_lets_old_prompts_pass_until_they_grow(cli, project):
    result = cli("check", "prompts", "--write-baseline")
    assert (result.exit_code, result.stdout) == (0, "")
    recorded = json.loads((project / ".promptaudit-baseline.json").read_text())
    assert recorded == {"version": 1, "model": "gpt-4o", "prompts": {"prompts/big.txt": 51, "prompts/small.txt": 3}}
    assert cli("check", "prompts").exit_code == 0
    (project / "prompts" / "big.txt").write_text(BIG + "hello world\n")
    result = cli("check", "prompts")
    assert result.exit_code == 1
    assert result.stdout.startswith("prompts/big.txt: 54 tokens grew 3 past its baseline of 51 (budget 20)")


def test_new_prompt_is_not_covered_by_the_baseline(cli, project):
    cli("check", "prompts/small.txt", "--write-baseline")
    assert cli("check", "prompts/big.txt").exit_code == 1


def test_write_baseline_merges_and_never_touches_prompts(cli, project):
    cli("check", "prompts/small.txt", "--write-baseline")
    cli("check", "prompts/big.txt", "--write-baseline")
    recorded = json.loads((project / ".promptaudit-baseline.json").read_text())
    assert recorded["prompts"] == {"prompts/big.txt": 51, "prompts/small.txt": 3}
    assert (project / "prompts" / "big.txt").read_text() == BIG


def test_rewriting_the_baseline_drops_deleted_prompts(cli, project):
    cli("check", "prompts", "--write-baseline")
    (project / "prompts" / "big.txt").unlink()
    result = cli("check", "prompts", "--write-baseline")
    assert result.exit_code == 0
    assert "dropped prompts/big.txt from the baseline" in result.stderr
    recorded = json.loads((project / ".promptaudit-baseline.json").read_text())
    assert recorded["prompts"] == {"prompts/small.txt": 3}


def test_per_day_flag_prices_the_excess_without_config_volume(cli, isolated_env):
    (isolated_env / "big.txt").write_text(BIG)
    result = cli("check", "big.txt", "--max-tokens", "20", "--per-day", "1000", "--format", "json")
    assert result.exit_code == 1
    prompt = json.loads(result.stdout)["prompts"][0]
    assert (prompt["excess"], prompt["requests_per_day"], prompt["excess_monthly_cost"]) == (31, "1000", "2.325")
    bad = cli("check", "big.txt", "--per-day", "-3")
    assert bad.exit_code == 2 and "--per-day must be greater than zero" in bad.stderr


def test_named_baseline_must_exist(cli, project):
    result = cli("check", "prompts", "--baseline", "missing.json")
    assert result.exit_code == 2
    assert result.stderr == (
        "promptaudit: error: missing.json: baseline file not found; create it with check --write-baseline\n"
    )


@pytest.mark.parametrize(
    "args",
    [("missing.txt",), ("prompts", "--model", "no-such-model"), ("prompts", "--config", "nope.yaml")],
)
def test_input_model_and_config_errors_exit_2(cli, project, args):
    result = cli("check", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("promptaudit: error: ")
    assert "Traceback" not in result.stderr


def test_broken_budget_config_exits_2(cli, project):
    (project / ".promptaudit.yaml").write_text("budgets:\n  '*.txt': lots\n")
    result = cli("check", "prompts")
    assert result.exit_code == 2
    assert "budgets '*.txt'" in result.stderr


DUPLICATED = "Never share another customer's data.\nAnswer in English.\nNever share another customer's data.\n"


def test_findings_at_or_above_the_fail_level_fail(cli, project):
    (project / "prompts" / "dup.txt").write_text(DUPLICATED)
    result = cli("check", "prompts/dup.txt", "--fail-on", "info")
    assert result.exit_code == 1
    assert result.stdout.startswith("prompts/dup.txt:3:1: PA")
    assert result.stdout.endswith("finding(s) at or above the fail level; see promptaudit audit for fixes.\n")


# --- issue 10 section 4: the default gate fails on budgets and errors, not on advice ------------------

ADVISED = "Please note that it is important to classify the sentiment of the review as positive or negative. Reply with one word.\n"  # noqa: E501  PA103 filler and PA501 cheaper model, both warnings


@pytest.fixture
def advised(isolated_env):
    (isolated_env / "classifier.txt").write_text(ADVISED)
    return "classifier.txt"


def test_advice_does_not_fail_the_default_gate(cli, advised):
    result = cli("check", "--max-tokens", "100", advised)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    audited = cli("audit", advised, "--format", "json")
    assert {f["rule"] for f in json.loads(audited.stdout)["findings"]} == {"PA103", "PA501"}  # the advice exists


@pytest.mark.parametrize("how", [("--fail-on", "warning"), ("--config", "strict.yaml")])
def test_stricter_gating_is_opt_in(cli, advised, isolated_env, how):
    (isolated_env / "strict.yaml").write_text("fail_on: warning\n")
    result = cli("check", "--max-tokens", "100", advised, *how)
    assert result.exit_code == 1
    assert [line.split(" ")[1] for line in result.stdout.splitlines()[:2]] == ["PA103", "PA501"]


def test_an_oversized_prompt_fails_with_one_line_naming_budget_excess_and_cost(cli, advised, isolated_env):
    (isolated_env / "big.txt").write_text(BIG)
    result = cli("check", "--max-tokens", "30", "--per-day", "1000", "big.txt", advised)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [  # the advised prompt (23 tokens) is under budget: not a word about it
        "big.txt: 51 tokens is 21 over its budget of 30, from --max-tokens; "
        "the excess costs $1.58/month at 1,000 requests/day",
        "1 of 2 prompt(s) over budget, counted for gpt-4o.",
    ]


def test_a_file_read_as_text_passes_silently_unless_configured(cli, isolated_env):
    (isolated_env / "notes.json").write_text("# Not JSON\n\nAnswer briefly.\n")
    assert (cli("check", "notes.json").exit_code, cli("check", "notes.json").stdout) == (0, "")
    strict = cli("check", "notes.json", "--fail-on", "warning")
    assert strict.exit_code == 1 and "notes.json:1:1: PA001 [warning] not read as a prompt document" in strict.stdout
