"""Every command says when a template variable was counted at the default estimate; a passing gate stays silent."""

from __future__ import annotations

import pytest

NOTE = "no value for customer_name: the rendered estimate counts ~50 tokens each"


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
    assert line.startswith("promptaudit: note: reply.j2: ")  # count adds the variables and the rendered figure


def test_a_value_removes_the_note(cli, template):
    result = cli("audit", template, "--var", "customer_name=Ana", "--fail-on", "error")
    assert result.exit_code == 0 and NOTE not in result.stderr


def test_check_stays_silent_when_it_passes(cli, template):
    result = cli("check", template, "--fail-on", "error")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
