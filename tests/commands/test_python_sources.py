"""count, audit, check, project and diff on .py files: end to end, with findings pointing into the code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AGENT = """\
import csv

from openai import OpenAI

from .prompts import SUMMARY_PROMPT

client = OpenAI()


def summarise(path):
    for row in csv.DictReader(open(path)):
        client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "system", "content": SUMMARY_PROMPT}, {"role": "user", "content": row["text"]}],
        )
"""
PROMPTS = '''\
SUMMARY_PROMPT = """You summarise support tickets for the weekly report.
Please note that you write one sentence per ticket.
Mention the product and the problem."""
'''


@pytest.fixture
def project(isolated_env) -> Path:
    package = isolated_env / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "agent.py").write_text(AGENT)
    (package / "prompts.py").write_text(PROMPTS)
    (package / "utils.py").write_text("def add(a, b):\n    return a + b\n")
    return package


def test_audit_sarif_points_into_the_python_files(cli, project):
    result = cli("audit", "app/agent.py", "app/prompts.py", "--format", "sarif")
    assert result.exit_code == 1, result.stderr  # PA103 is a warning: at the default --fail-on
    results = json.loads(result.stdout)["runs"][0]["results"]
    places = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                     r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results)  # fmt: skip
    assert places == [
        ("PA103", "app/prompts.py", 2),  # the filler sentence, in the module that holds the constant
        ("PA401", "app/agent.py", 12),
        ("PA601", "app/agent.py", 12),
    ]


def test_count_reads_py_from_folders_with_ext_and_counts_a_sent_constant_once(cli, project):
    result = cli("count", "app", "--ext", ".py", "-f", "json")
    assert result.exit_code == 0, result.stderr
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == ["app/agent.py#chat.completions.create@12"]


def test_folders_skip_py_files_unless_configured(cli, project, isolated_env):
    assert json.loads(cli("count", "app", "-f", "json").stdout)["files"] == []
    (isolated_env / ".promptaudit.yaml").write_text("extensions: ['.py']\n")
    assert len(json.loads(cli("count", "app", "-f", "json").stdout)["files"]) == 1


def test_python_config_section_renames_prompt_constants(cli, project, isolated_env):
    (project / "texts.py").write_text('import openai\nSUMMARY_TEXT = "You summarise support tickets for the report."\n')
    assert json.loads(cli("count", "app/texts.py", "-f", "json").stdout)["files"] == []
    (isolated_env / ".promptaudit.yaml").write_text("python: {prompt_names: [_TEXT]}\n")
    assert [f["path"] for f in json.loads(cli("count", "app/texts.py", "-f", "json").stdout)["files"]] == [
        "app/texts.py#SUMMARY_TEXT"
    ]


def test_every_string_constant_of_a_prompt_module_is_a_prompt(cli, project):
    (project / "prompts.py").write_text('SUMMARY_TEXT = "You summarise support tickets for the report."\n')
    assert [f["path"] for f in json.loads(cli("count", "app/prompts.py", "-f", "json").stdout)["files"]] == [
        "app/prompts.py#SUMMARY_TEXT"
    ]


def test_python_config_section_is_validated(cli, project, isolated_env):
    (isolated_env / ".promptaudit.yaml").write_text("python: {prompt_name: [X]}\n")
    result = cli("count", "app/prompts.py")
    assert result.exit_code == 2
    assert "unknown key 'python.prompt_name'" in result.stderr


def test_check_fails_on_a_call_over_budget_and_names_the_call(cli, project):
    result = cli("check", "app/agent.py", "--max-tokens", "20", "--format", "json")
    assert result.exit_code == 1
    assert "app/agent.py" in result.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"import openai\ndef broken(:\n    client.chat.completions.create(model='x')\n", "not valid Python (line 2"),
        (b"import openai\nPROMPT = '\xff\xfe'\n", "not valid UTF-8 (byte 0xff on line 2)"),
    ],
)
def test_broken_python_is_one_clear_line_and_the_rest_is_still_read(cli, project, content, reason):
    (project / "bad.py").write_bytes(content)
    result = cli("count", "app/bad.py", "app/agent.py", "-f", "json")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and reason in errors[0] and "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)["files"]) == 1


def test_a_declared_source_encoding_is_honoured(cli, project):
    (project / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport openai\nGREETING_PROMPT = 'Saluez le client: caf\xe9 offert.'\n"
    )
    result = cli("count", "app/latin.py", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["path"] == "app/latin.py#GREETING_PROMPT"


def test_files_without_llm_code_yield_nothing_and_no_error(cli, project):
    result = cli("count", "app/utils.py", "app/__init__.py", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["files"] == []


def test_project_prices_the_calls(cli, project):
    result = cli("project", "app/agent.py", "app/prompts.py", "--per-day", "1000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    model = json.loads(result.stdout)["models"][0]
    assert model["requests_per_day"] == 1000 and model["prompt_tokens_per_request"] > 30  # the call's system prompt


def test_diff_counts_a_changed_python_prompt(cli, project, isolated_env):
    def git(*args):
        subprocess.run(["git", *args], cwd=isolated_env, check=True, capture_output=True, timeout=30)

    git("init", "-q")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "base")
    (project / "prompts.py").write_text(PROMPTS.replace("Mention the product", "Always mention the product"))
    result = cli("diff", "--base", "HEAD", "--format", "json", "app/prompts.py")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["prompts"]  # one row per changed prompt (gate/costdiff.py)
    assert [(r["path"], r["tokens_after"] - r["tokens_before"]) for r in rows] == [("app/prompts.py", 1)]


def test_the_installed_script_audits_python_in_a_subprocess(project, isolated_env):
    script = Path(sys.executable).parent / "promptaudit"
    result = subprocess.run(
        [str(script), "audit", "app/agent.py", "--format", "json"],
        cwd=isolated_env, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PROMPTAUDIT_CACHE_DIR": str(isolated_env / "cache")},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    rules = sorted(f["rule"] for f in json.loads(result.stdout)["findings"])
    assert rules == ["PA103", "PA401", "PA601"]
