"""``promptaudit audit`` through the CLI: exact JSON, exit codes, stderr diagnostics, formats."""

from __future__ import annotations

import json

import pytest

from promptaudit.lint.rules import RULE_MODULES

PROMPT = "Never share another customer's data.\nAnswer in English.\nNever share another customer's data.\n"


@pytest.fixture
def prompt_file(isolated_env):
    path = isolated_env / "agent.txt"
    path.write_text(PROMPT, encoding="utf-8")
    return path


def test_json_is_exact_and_findings_exit_1(cli, prompt_file):
    result = cli("audit", "agent.txt", "--format", "json", "--per-day", "1000")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "model": "gpt-4o",
        "files": [
            {
                "path": "agent.txt",
                "tokens": 16,
                "exact": True,
                "method": "exact",
                "model": "gpt-4o",
                "model_from": "default",
                "tokens_saved": 6,
                "percent_saved": "37.5",
                "requests_per_day": "1000",
                "monthly_saving": "0.450000",
            }
        ],
        "findings": [
            {
                "rule": "PA101",
                "name": "duplicate-sentence",
                "category": "redundancy",
                "severity": "warning",
                "path": "agent.txt",
                "line": 3,
                "column": 1,
                "message": 'repeats line 1: "Never share another customer\'s data."',
                "fix": "Delete the repeated sentence.",
                "tokens_saved": 6,
                "end_line": 3,
                "end_column": 37,
            }
        ],
        "summary": {"findings": 1, "tokens_saved": 6, "monthly_saving": "0.450000"},
        "notes": [],
    }


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--fail-on", "error"], 0),
        (["--fail-on", "warning"], 1),
        (["--ignore", "PA101"], 0),
        (["--select", "PA2,PA3"], 0),
    ],
)
def test_exit_codes_follow_fail_on_and_selection(cli, prompt_file, args, code):
    assert cli("audit", "agent.txt", "--format", "json", *args).exit_code == code


def test_config_fail_on_and_severity(cli, prompt_file, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("fail_on: error\nrules:\n  severity: {PA101: error}\n")
    result = cli("audit", "agent.txt", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["severity"] == "error"


def test_unreadable_file_is_one_stderr_line_and_others_still_processed(cli, prompt_file):
    result = cli("audit", "agent.txt", "missing.txt", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == "promptaudit: error: missing.txt: no such file or directory\n"
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["agent.txt"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--model", "gpt-nonexistent-9"], "unknown model"),
        (["--select", "PA9"], "unknown rule 'PA9'"),
        (["--per-day", "-5"], "--per-day must be greater than zero"),
    ],
)
def test_usage_errors_exit_2_without_traceback(cli, prompt_file, args, stderr):
    result = cli("audit", "agent.txt", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("promptaudit: error:") and stderr in result.stderr


def test_unknown_rule_in_config_exits_2(cli, prompt_file, isolated_env):
    (isolated_env / "pa.yaml").write_text("rules:\n  ignore: [PA999]\n")
    result = cli("audit", "agent.txt", "--config", "pa.yaml")
    assert result.exit_code == 2
    known = ", ".join(m.ID for m in RULE_MODULES)
    assert result.stderr == f"promptaudit: error: pa.yaml: unknown rule 'PA999' (known: {known})\n"


def test_text_report_lines_and_savings_table(cli, prompt_file):
    result = cli("audit", "agent.txt")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == 'agent.txt:3:1 PA101 [warning] repeats line 1: "Never share another customer\'s data." (saves 6 tokens)'
    )
    assert "Savings if fixed (gpt-4o)" in result.stdout
    assert any(line.split("│")[1:4] == [" agent.txt ", "     16 ", "         6 "] for line in lines)


def test_markdown_report(cli, prompt_file):
    result = cli("audit", "agent.txt", "--format", "markdown")
    assert result.stdout.splitlines()[:5] == [
        "## promptaudit: 1 finding(s) for gpt-4o",
        "",
        "| File | Tokens | Removable | % | $/month |",
        "|---|---:|---:|---:|---:|",
        "| `agent.txt` | 16 | 6 | 37.5% | n/a |",
    ]
    assert "| 🟡 | `agent.txt:3:1` | PA101 duplicate-sentence |" in result.stdout


def test_clean_prompt_exits_0(cli, isolated_env):
    (isolated_env / "ok.txt").write_text("Answer in English.\n")
    result = cli("audit", "ok.txt", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []
