"""Property-based fuzz tests (issue 11): generated prompt documents, config files, usage records and option values.

Whatever the input, a command ends with exit 0, 1 or 2, and never with an exception (no traceback, and
never the internal-error exit 3). The CI profile runs a bounded number of examples; more run locally:

    PROMPTAUDIT_FUZZ=thorough python -m pytest tests/hostile/test_fuzz.py --hypothesis-show-statistics

Inputs that once failed are kept as regression cases in tests/data/hostile/cases.yaml.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# CI: bounded, reproducible, no shrinking (a failure is reported as generated; shrink it locally).
settings.register_profile(
    "ci",
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile("thorough", max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("PROMPTAUDIT_FUZZ", "ci"))

from hypothesis import given  # noqa: E402 - after the profile is loaded

pytestmark = (
    pytest.mark.slow
)  # property-based fuzzing of every input: skipped by the quick subset (docs/development.md)

PROMPT = (
    "<instructions>\nYou are a support assistant for Acme Cloud. Answer in two short paragraphs.\n</instructions>\n"
)
ROLES = ["system", "user", "assistant", "tool", "developer", "function"]
KEYS = ["role", "content", "type", "text", "name", "tool_calls", "function_call", "cache_control", "input", "id"]

# Scalars as YAML and JSON files really hold them, and as hostile ones do: huge and non-finite numbers,
# control characters, empty strings, booleans where strings belong.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(ROLES + ["", "1e999999999", "-1", "Infinity", "NaN", "10" * 50, "{{ name }}", "\x1b]0;x\x07"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
messages = st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=5), max_size=4)
documents = st.one_of(
    st.fixed_dictionaries({"model": st.sampled_from(["gpt-4o", "claude-sonnet-4", 5, None]), "messages": messages}),
    st.fixed_dictionaries({"system": values, "messages": messages, "tools": st.lists(values, max_size=3)}),
    st.dictionaries(st.text(min_size=1, max_size=10), st.one_of(st.text(max_size=60), messages), max_size=3),
    values,
)

CONFIG_KEYS = [
    "models",
    "extensions",
    "volume",
    "traffic",
    "budgets",
    "max_tokens",
    "fail_on",
    "rules",
    "prices",
    "vars",
]
UNITS = ["rps", "rpm", "per_day", "per_month", "per_hour"]
numbers = st.one_of(scalars, st.sampled_from([0, -5, 10**6, 1e300, float("inf"), "1e999999", "5,000"]))
configs = st.fixed_dictionaries(
    {},
    optional={
        "models": st.one_of(st.lists(st.sampled_from(["gpt-4o", "gpt-4o-mini", "nope", 3]), max_size=3), values),
        "volume": st.one_of(st.dictionaries(st.sampled_from(UNITS), numbers, max_size=2), values),
        "traffic": st.dictionaries(
            st.sampled_from(["*.txt", "**", "x/*"]),
            st.dictionaries(st.sampled_from(UNITS), numbers, max_size=2) | values,
            max_size=2,
        ),
        "budgets": st.dictionaries(st.sampled_from(["*.txt", "**"]), numbers, max_size=2),
        "max_tokens": numbers,
        "fail_on": st.sampled_from(["info", "warning", "error", "fatal", 1]),
        "rules": st.dictionaries(st.sampled_from(["select", "ignore", "severity", "options"]), values, max_size=3),
        "prices": st.dictionaries(
            st.sampled_from(["gpt-4o", "my-model"]),
            st.dictionaries(
                st.sampled_from(["input", "output", "cache_read", "context_window", "tokenizer", "provider"]),
                numbers,
                max_size=4,
            )
            | values,
            max_size=2,
        ),
        "vars": st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=2),
        "extensions": st.lists(st.sampled_from([".txt", "md", "", ".*"]), max_size=2) | values,
    },
)
options = st.one_of(
    st.sampled_from(
        ["1e999999999", "-1", "0", "NaN", "Infinity", "1_000", "5,000", "", " ", "0x10", "1e-999999999", "9" * 5000]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
)
PROJECT_OPTIONS = [
    "--rps",
    "--rpm",
    "--per-day",
    "--per-month",
    "--user-tokens",
    "--output-tokens",
    "--max-tokens",
    "--cache-hit-rate",
    "--batch-share",
    "--route-share",
    "--fallback-rate",
    "--days-per-month",
]


def _assert_clean(result) -> None:
    """Exit 0, 1 or 2, never an exception; a failure is said on stderr."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-500:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.strip(), "exit 2 with nothing said"


@pytest.fixture
def folder(isolated_env) -> Path:
    (isolated_env / "prompt.txt").write_text(PROMPT, encoding="utf-8")
    return isolated_env


def _invoke(runner, *args: str, stdin: str | None = None):
    from promptaudit.cli import app

    return runner.invoke(app, list(args), input=stdin, catch_exceptions=True)


@pytest.mark.parametrize("command", ["count", "audit"])
@given(document=documents)
def test_structured_prompt_documents(runner, folder, command, document):
    (folder / "doc.json").write_text(json.dumps(document), encoding="utf-8")
    (folder / "doc.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _assert_clean(_invoke(runner, command, "doc.json", "doc.yaml"))


@pytest.mark.parametrize(
    "command", [("project", "prompt.txt", "--per-day", "10"), ("check", "prompt.txt"), ("count", "prompt.txt")]
)
@given(config=configs)
def test_config_files(runner, folder, command, config):
    (folder / "conf.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _assert_clean(_invoke(runner, *command, "--config", "conf.yaml"))


usage_records = st.fixed_dictionaries(
    {"ts": st.sampled_from(["2026-11-02T09:00:00Z", "9999-12-31", "", 5, None])},
    optional={
        "model": values,
        "metadata": st.dictionaries(st.sampled_from(["prompt", "route"]), values, max_size=2),
        "response": st.fixed_dictionaries(
            {"model": st.sampled_from(["gpt-4o", "claude-sonnet-4", "nope"]) | values},
            optional={
                "usage": st.dictionaries(
                    st.sampled_from(
                        ["prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "prompt_tokens_details"]
                    ),
                    numbers | values,
                    max_size=4,
                )
            },
        ),
    },
)


@given(records=st.lists(usage_records, min_size=1, max_size=5))
def test_usage_records(runner, folder, records):
    lines = "\n".join(json.dumps(record) for record in records) + "\n"
    (folder / "log.jsonl").write_text(lines, encoding="utf-8")
    _assert_clean(_invoke(runner, "usage", "log.jsonl"))


@given(option=st.sampled_from(PROJECT_OPTIONS), value=options)
def test_project_option_values(runner, folder, option, value):
    extra = [] if option in ("--rps", "--rpm", "--per-day", "--per-month") else ["--per-day", "10"]
    _assert_clean(_invoke(runner, "project", "prompt.txt", *extra, option, value))


@given(command=st.sampled_from(["check", "audit"]), value=options)
def test_per_day_values(runner, folder, command, value):
    _assert_clean(_invoke(runner, command, "prompt.txt", "--max-tokens", "1", "--per-day", value))


@given(since=options, until=options)
def test_usage_time_bounds(runner, folder, since, until):
    (folder / "log.jsonl").write_text((Path(__file__).parents[1] / "data/hostile/files/usage.jsonl").read_text())
    _assert_clean(_invoke(runner, "usage", "log.jsonl", "--since", since, "--until", until))


@given(text=st.text(max_size=300))
def test_prompt_text_on_stdin(runner, folder, text):
    _assert_clean(_invoke(runner, "audit", "-", stdin=text))
