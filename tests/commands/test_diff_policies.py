"""``diff`` on calls in code (model swap, cap change, tool added, prompt edited, moved) and cost policies."""

from __future__ import annotations

import json
import subprocess
import textwrap
from decimal import Decimal

import pytest

from promptaudit.money import pricing


def git(repo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


CALL = """\
from openai import OpenAI

client = OpenAI()


def classify(ticket):
    return client.chat.completions.create(
        model="{model}",
        max_tokens={cap},
        messages=[
            {{"role": "system", "content": "{system}"}},
            {{"role": "user", "content": ticket}},
        ],{tools}
    )
"""
SYSTEM = "You are a terse classifier of support tickets. Answer with one label."
TOOL = """
        tools=[{"type": "function", "function": {"name": "lookup", "description": "Find a customer by email.",
                "parameters": {"type": "object", "properties": {"email": {"type": "string"}}}}}],"""


def code(model="gpt-4o-mini", cap=100, system=SYSTEM, tools="", above=""):
    return above + CALL.format(model=model, cap=cap, system=system, tools=tools)


@pytest.fixture
def repo(isolated_env, tmp_path, monkeypatch):
    """A repository whose main has one Python call and one prompt file; work happens on a branch."""
    for key, value in (("NAME", "Test"), ("EMAIL", "test@example.com")):
        monkeypatch.setenv(f"GIT_AUTHOR_{key}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{key}", value)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "prompts").mkdir()
    (root / "src" / "app.py").write_text(code())
    (root / "prompts" / "a.txt").write_text("Classify the ticket below into one label.\n")
    (root / ".promptaudit.yaml").write_text("volume: {per_day: 1000}\nextensions: [.txt, .py]\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "init")
    git(root, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(root)
    return root


def diff_json(cli, *args):
    result = cli("diff", "--base", "main", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def only_row(data):
    assert len(data["prompts"]) == 1, data["prompts"]
    return data["prompts"][0]


def monthly(model: str, tokens: int, cap: int) -> Decimal:
    price = pricing.price_for(model, tokens)
    return (price.input_cost(tokens) + price.output_cost(cap)) * 1000 * 30


def test_a_model_swap_is_a_cost_change_of_the_call_row(cli, repo):
    (repo / "src" / "app.py").write_text(code(model="gpt-4o"))
    _, data = diff_json(cli)
    row = only_row(data)
    assert (row["name"], row["status"], row["key"]) == (
        "src/app.py#chat.completions.create@7",
        "modified",
        "src/app.py#chat.completions.create#0",
    )
    assert (row["before"]["model"], row["after"]["model"]) == ("gpt-4o-mini", "gpt-4o")
    tokens = row["after"]["tokens"]
    assert Decimal(row["monthly_before"]) == monthly("gpt-4o-mini", row["before"]["tokens"], 100)
    assert Decimal(row["monthly_after"]) == monthly("gpt-4o", tokens, 100)
    assert Decimal(row["monthly_cost_change"]) > 0


def test_a_cap_change_prices_the_output_at_the_new_cap(cli, repo):
    (repo / "src" / "app.py").write_text(code(cap=1000))
    _, data = diff_json(cli)
    row = only_row(data)
    assert (row["before"]["max_tokens"], row["after"]["max_tokens"]) == (100, 1000)
    assert row["tokens_change"] == 0
    output = pricing.price_for("gpt-4o-mini").output_cost(900) * 30_000
    assert Decimal(row["monthly_cost_change"]) == output


def test_a_tool_added_and_an_edited_prompt_cost_tokens(cli, repo):
    (repo / "src" / "app.py").write_text(code(tools=TOOL))
    _, data = diff_json(cli)
    row = only_row(data)
    assert (row["before"]["tools"], row["after"]["tools"]) == (0, 1) and row["tokens_change"] > 10
    (repo / "src" / "app.py").write_text(code(system=SYSTEM + " Never explain the label."))
    row = only_row(diff_json(cli)[1])
    assert row["tokens_change"] == 5 and Decimal(row["monthly_cost_change"]) > 0


def test_rows_keep_their_identity_when_lines_move(cli, repo):
    """Code added above the call shifts its line; the row is matched, not reported as deleted and added."""
    (repo / "src" / "app.py").write_text(code(model="gpt-4o", above="# a comment\n\n\n"))
    row = only_row(diff_json(cli)[1])
    assert (row["status"], row["name"], row["before"]["name"]) == (
        "modified",
        "src/app.py#chat.completions.create@10",
        "src/app.py#chat.completions.create@7",
    )


def test_an_unchanged_call_moved_below_a_new_one_is_not_a_change(cli, repo):
    first = CALL.format(model="gpt-4o", cap=50, system="Summarise the ticket in one sentence please.", tools="")
    new = first.replace("def classify", "def summarise")
    (repo / "src" / "app.py").write_text(new + "\n" + code().split("\n", 3)[3])
    row = only_row(diff_json(cli)[1])
    assert (row["status"], row["before"]) == ("added", None)
    assert row["after"]["max_tokens"] == 50


def test_a_renamed_file_keeps_its_history(cli, repo):
    git(repo, "mv", "src/app.py", "src/classify.py")
    (repo / "src" / "classify.py").write_text(code(model="gpt-4o"))
    row = only_row(diff_json(cli)[1])
    assert (row["status"], row["old_path"], row["path"]) == ("renamed", "src/app.py", "src/classify.py")
    assert row["name"] == "src/app.py#chat.completions.create@7 → src/classify.py#chat.completions.create@7"
    assert (row["before"]["model"], row["after"]["model"]) == ("gpt-4o-mini", "gpt-4o")


def policies(repo, text: str) -> None:
    config = "volume: {per_day: 1000}\nextensions: [.txt, .py]\npolicies:\n" + textwrap.indent(text, "  ")
    (repo / ".promptaudit.yaml").write_text(config)


def test_a_pr_raising_cost_beyond_the_limit_fails_and_one_lowering_it_passes(cli, repo):
    policies(repo, "max_increase: {percent: 20, usd_per_month: 500}\n")
    (repo / "src" / "app.py").write_text(code(model="gpt-4o"))
    code_, data = diff_json(cli)
    assert code_ == 1 and not data["passed"]
    lines = [v["message"] for v in data["violations"]]
    assert lines[0].startswith("src/app.py#chat.completions.create@7: $/month grew ")
    assert lines[0].endswith(", above policies.max_increase.percent (20%)")
    assert lines[-1].startswith("total: $/month grew ")
    git(repo, "commit", "-qam", "gpt-4o")
    (repo / "src" / "app.py").write_text(code(model="gpt-4o-mini", cap=50))
    result = cli("diff", "--base", "feature", "--format", "markdown")
    assert result.exit_code == 0, result.stdout
    assert "### promptaudit: ✅ within the cost policies" in result.stdout
    assert "| ✅ |" in result.stdout


def test_absolute_limit_names_prompt_figure_and_limit(cli, repo):
    policies(repo, "max_increase: {usd_per_month: 5}\n")
    (repo / "src" / "app.py").write_text(code(cap=4000))
    result = cli("diff", "--base", "main")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("src/app.py"))
    assert line.startswith("src/app.py#chat.completions.create@7: $/month grew by $")
    assert line.endswith(", above policies.max_increase.usd_per_month ($5.00)")


def test_total_percent_is_measured_against_the_whole_bill(cli, repo):
    """A new small prompt is +inf% of nothing, but a few percent of the bill in scope."""
    policies(repo, "max_total_increase: {percent: 50}\n")
    (repo / "prompts" / "b.txt").write_text("Label it.\n")
    code_, data = diff_json(cli, "src", "prompts")
    assert code_ == 0, data["violations"]
    total = data["total"]
    assert Decimal(total["bill_before"]) > Decimal(total["monthly_before"]) == 0
    policies(repo, "max_total_increase: {percent: 0.1}\n")
    code_, data = diff_json(cli, "src", "prompts")
    assert code_ == 1 and data["violations"][0]["policy"] == "max_total_increase.percent"


def test_usd_limit_without_volume_is_a_config_error(cli, repo):
    (repo / ".promptaudit.yaml").write_text("extensions: [.py]\npolicies: {max_increase: {usd_per_month: 5}}\n")
    (repo / "src" / "app.py").write_text(code(model="gpt-4o"))
    result = cli("diff", "--base", "main")
    assert result.exit_code == 2
    assert "policies.max_increase: usd_per_month needs a request volume" in result.stderr


def test_unknown_model_unpriced_then_blocked(cli, repo):
    (repo / "src" / "app.py").write_text(code(model="acme-llm-9"))
    code_, data = diff_json(cli)
    row = only_row(data)
    assert code_ == 0 and row["monthly_after"] is None and row["after"]["cost_per_request"] is None
    markdown = cli("diff", "--base", "main", "--format", "markdown").stdout
    assert "No price for acme-llm-9: those prompts are not priced (never $0)." in markdown
    policies(repo, "block_unknown_models: true\n")
    code_, data = diff_json(cli)
    assert code_ == 1
    assert data["violations"][0]["message"] == (
        "src/app.py#chat.completions.create@7: model 'acme-llm-9' has no known price (policies.block_unknown_models)"
    )


def test_request_ceiling_and_output_cap(cli, repo):
    policies(repo, "max_usd_per_request: 0.001\nrequire_output_cap: true\n")
    (repo / "src" / "app.py").write_text(code(model="gpt-4o", cap=1000).replace("max_tokens=1000,", ""))
    code_, data = diff_json(cli)
    assert code_ == 1
    assert [v["policy"] for v in data["violations"]] == ["require_output_cap"]
    (repo / "src" / "app.py").write_text(code(model="gpt-4o", cap=1000))
    code_, data = diff_json(cli)
    assert [v["policy"] for v in data["violations"]] == ["max_usd_per_request"]
    assert data["violations"][0]["message"].endswith(
        "per request (input + output at max_tokens), above policies.max_usd_per_request ($0.0010)"
    )


def test_check_enforces_the_policies_a_tree_breaks_alone(cli, repo):
    policies(repo, "require_output_cap: true\nblock_unknown_models: true\n")
    (repo / "src" / "app.py").write_text(code(model="acme-llm-9").replace("max_tokens=100,", ""))
    result = cli("check", "src/app.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "src/app.py#chat.completions.create@7: model 'acme-llm-9' has no known price (policies.block_unknown_models)",
        "src/app.py#chat.completions.create@7: call sets no max_tokens (policies.require_output_cap)",
    ]
    assert json.loads(cli("check", "src/app.py", "-f", "json").stdout)["violations"][1]["policy"] == (
        "require_output_cap"
    )


def test_findings_introduced_by_the_change_only(cli, repo):
    (repo / "prompts" / "a.txt").write_text("Classify the ticket below into one label. You are a helpful assistant.\n")
    _, data = diff_json(cli)
    assert [(f["rule"], f["path"]) for f in data["findings_introduced"]] == [("PA103", "prompts/a.txt")]
    git(repo, "commit", "-qam", "filler")
    (repo / "prompts" / "a.txt").write_text(
        "Classify the ticket below into one label, please. You are a helpful assistant.\n"
    )
    assert diff_json(cli, "--base", "feature")[1]["findings_introduced"] == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("policies: {max_increase: {pct: 20}}", "key 'policies.max_increase' must be a mapping with percent"),
        ("policies: {max_increse: {percent: 20}}", "unknown key 'policies.max_increse'"),
        ("policies: {block_unknown_models: 'yes'}", "key 'policies.block_unknown_models' must be true or false"),
        ("policies: {max_usd_per_request: 0}", "key 'policies.max_usd_per_request' must be a number of dollars"),
        ("policies: [1]", "key 'policies' must be a mapping"),
    ],
)
def test_bad_policies_name_key_and_file(cli, repo, text, message):
    (repo / ".promptaudit.yaml").write_text(text + "\n")
    result = cli("diff", "--base", "main")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"promptaudit: error: {repo / '.promptaudit.yaml'}: {message}")


def test_the_comment_stays_under_githubs_limit_for_1000_prompts(cli, repo):
    (repo / ".promptaudit.yaml").write_text("volume: {per_day: 1000}\nextensions: [.yaml]\n")
    lines = [f"p{n}: Answer ticket number {n} about {'billing ' * 40}\n" for n in range(1000)]
    (repo / "prompts" / "many.yaml").write_text("".join(lines))
    result = cli("diff", "--base", "main", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout) < 65_536
    assert "| **Total (1000 changed prompts)** |" in result.stdout
    assert "… and 950 more changed prompts (smaller changes): see the full report." in result.stdout
