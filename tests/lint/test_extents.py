"""Findings about a piece of text say where it ends: the slice from start to end is exactly what a fix removes."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptaudit.config import Config
from promptaudit.lint.linter import lint, settings_from
from promptaudit.reading.prompts import parse_text
from promptaudit.tokens.tokenizers import count_text

SAMPLES = Path(__file__).resolve().parents[2] / "sample_prompts"


def _slice(text: str, finding) -> str:
    """The file text between a finding's (line, column) and (end_line, end_column), end exclusive."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    begin = starts[finding.line - 1] + finding.column - 1
    end = starts[finding.end_line - 1] + finding.end_column - 1
    return text[begin:end]


def _findings(name: str, text: str | None = None):
    text = text if text is not None else (SAMPLES / name).read_text(encoding="utf-8")
    return text, lint(parse_text(name, text), settings_from(Config()))


def test_every_redundancy_finding_spans_the_text_it_removes():
    text, findings = _findings("support_agent.txt")
    spanned = [f for f in findings if f.category == "redundancy"]
    assert len(spanned) >= 8 and all(f.end_line is not None for f in spanned)
    for finding in spanned:
        removed = _slice(text, finding)
        assert removed == removed.strip() and removed
        if finding.tokens_saved:  # zero when a larger finding at the same place removes it
            assert count_text(removed, "gpt-4o").tokens == finding.tokens_saved, finding


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("PA101", "Never share another customer's data."),
        ("PA103", "Please note that"),
        ("PA103", "As an AI language model,"),
        ("PA102", "Responses should never run longer than about a hundred words."),
    ],
)
def test_the_span_is_the_flagged_sentence_or_lead_in(rule, expected):
    text, findings = _findings("support_agent.txt")
    assert expected in [_slice(text, f) for f in findings if f.rule == rule]


def test_a_dynamic_before_static_finding_spans_the_first_variable():
    text, findings = _findings("ticket_reply.j2")
    (finding,) = [f for f in findings if f.rule == "PA202"]
    assert _slice(text, finding) == "{{ customer_name }}"


def test_findings_about_the_whole_prompt_have_no_extent():
    _, findings = _findings("classifier.txt")
    assert findings and all(f.end_line is None and f.end_column is None for f in findings)


def test_an_extent_crosses_lines_in_the_original_file():
    wrapped = "Never invent prices or dates for the customer,\nnot even as an example."
    text = f"# Rules\n{wrapped.replace(chr(10), ' ')}\n\n{wrapped}\n"
    _, findings = _findings("wrapped.md", text)
    (repeat,) = [f for f in findings if f.rule == "PA101"]
    assert (repeat.line, repeat.column, repeat.end_line, repeat.end_column) == (4, 1, 5, 24)
    assert _slice(text, repeat) == wrapped


def _file_findings(tmp_path, name: str, text: str, rules: tuple[str, ...] = ("PA101",)):
    from promptaudit.lint.linter import LintSettings
    from promptaudit.reading.loading import load_prompts
    from promptaudit.reading.sources import Source

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint(load_prompts(Source(str(path))), LintSettings(select=rules))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "chat.json",
            '{"messages": [\n  {"role": "system",\n   "content": "Be kind.\\nNever share another customer\\u2019s data.'
            '\\n\\nAnswer in English.\\nNever share another customer\\u2019s data."}\n]}\n',
        ),
        (
            "chat.yaml",
            "messages:\n  - role: system\n    content: |\n      Be kind.\n      Never share another customer’s data.\n"
            "      Answer in English.\n      Never share another customer’s data.\n",
        ),
        (
            "prompts.yaml",
            "support:\n  system: |\n    Be kind.\n    Never share another customer’s data.\n"
            "    Answer in English.\n    Never share another customer’s data.\n",
        ),
    ],
)
def test_a_finding_in_a_json_string_or_yaml_block_points_at_the_sentence_in_the_file(tmp_path, name, text):
    (finding,) = _file_findings(tmp_path, name, text)
    written = _slice(text, finding)
    assert written.replace("\\u2019", "’") == "Never share another customer’s data."


def test_named_prompt_groups_in_yaml_are_separate_prompts_never_compared(tmp_path):
    text = "system_prompt: |\n  Never share another customer data.\nplanning:\n  initial: |\n    Never share another customer data.\n"
    assert _file_findings(tmp_path, "agent.yaml", text) == []


def test_a_repeated_block_spans_exactly_the_later_copy():
    text = "Greet the customer by name.\nCheck the order status first.\n\nGreet the customer by name.\nCheck the order status first.\n"
    (finding,) = [f for f in _findings("x.txt", text)[1] if f.rule == "PA101"]
    assert _slice(text, finding) == "Greet the customer by name.\nCheck the order status first."
    assert finding.line == 4 and finding.end_line == 5  # the later copy, not the first
