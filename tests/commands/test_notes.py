"""Every command says when a template variable was counted at the default estimate; a passing gate stays silent."""

from __future__ import annotations

import pytest

NOTE = "no value for customer_name in 1 prompt(s): the rendered estimate counts ~50 tokens each"


@pytest.fixture
def template(isolated_env):
    (isolated_env / "reply.j2").write_text("Hello {{ customer_name }}, thanks for writing.\n", encoding="utf-8")
    return "reply.j2"


@pytest.mark.parametrize(
    "args", [("count",), ("project", "--per-day", "10", "--output-tokens", "5"), ("audit", "--fail-on", "error")]
)
def test_defaulted_variables_are_noted_on_stderr(cli, template, args):
    result = cli(*args, template)
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if NOTE in line]
    assert line.startswith("promptaudit: note: reply.j2: ")


def test_a_value_removes_the_note(cli, template):
    result = cli("audit", template, "--var", "customer_name=Ana", "--fail-on", "error")
    assert result.exit_code == 0 and NOTE not in result.stderr


def test_check_stays_silent_when_it_passes(cli, template):
    result = cli("check", template, "--fail-on", "error")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_variables_with_no_value_are_one_line_per_file(cli, isolated_env):
    """Many templates in one file: one summary line (issue 22), the details with ``count --detail``."""
    lines = [f'P{i}_PROMPT = f"Answer {{question_{i}}} for the customer in full, politely."' for i in range(12)]
    (isolated_env / "prompts.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in (("count",), ("audit", "--fail-on", "error"), ("project", "--per-day", "10", "--output-tokens", "5")):
        result = cli(*args, "prompts.py")
        notes = [line for line in result.stderr.splitlines() if "no value for" in line]
        assert len(notes) == 1 and "in 12 prompt(s)" in notes[0] and "and 9 more" in notes[0], result.stderr
    detail = cli("count", "--detail", "prompts.py")
    assert detail.stdout.count("no value for") == 12
