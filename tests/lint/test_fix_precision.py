"""Every ``FIXABLE`` rule earns it on real prompts: the findings that carry an edit are right at least 95% of the
time on the real-prompt corpus (tests/real_prompts.py), judged by reading (labels.yaml), and none is unjudged.

This is the rule protocol's bar for ``FIXABLE`` (promptaudit/lint/rules/__init__.py) and issue 29's "only
findings whose precision on real prompts is >= 0.95 are fixable", recomputed from the committed labels.
"""

from __future__ import annotations

import pytest
import real_prompts
import realdata

from promptaudit.lint.linter import LintSettings, finding_of, lint
from promptaudit.lint.rules import RULES

FIXABLE = tuple(rule for rule, module in RULES.items() if getattr(module, "FIXABLE", False))
MIN_PRECISION = 0.95
MIN_JUDGED = 10
"""Fewer judged edits than this and a precision says too little to let a rule edit files."""


def edited(unit) -> list:
    """The findings on ``unit`` at warning or above that carry an edit ``fix`` would make."""
    found = []

    def observe(ctx, module, problems) -> None:
        for problem in problems:
            if problem.edit is not None and (finding := finding_of(module, problem, ctx)).severity != "info":
                found.append(real_prompts.flag(unit, finding))

    lint(real_prompts.prompts_of(unit), LintSettings(model="gpt-4o", select=FIXABLE), observe)
    return found


@pytest.fixture(scope="module")
def edits() -> list:
    found = []
    for name, spec in real_prompts._load("sources.yaml").items():
        for unit in real_prompts._units_of(name, spec, realdata.require(real_prompts.artifacts()[name])):
            found += edited(unit)
    return found


def test_the_fixable_rules_are_the_four_kinds_of_the_protocol_and_never_a_judgement_of_meaning():
    assert "PA102" not in FIXABLE and "PA201" not in FIXABLE and "PA202" not in FIXABLE
    assert {"PA103", "PA105", "PA107"} <= set(FIXABLE)


@pytest.mark.parametrize("rule", FIXABLE)
def test_a_fixable_rule_is_right_on_real_prompts(edits, rule):
    verdict = {real_prompts.label_key(label): label["ok"] for label in real_prompts.labels()}
    mine = [f for f in edits if f.rule == rule]
    unjudged = [(f.unit, f.line) for f in mine if real_prompts.label_key(f) not in verdict]
    assert unjudged == [], f"judge these {rule} edits in tests/data/real_prompts/labels.yaml"
    right = sum(verdict[real_prompts.label_key(f)] for f in mine)
    assert len(mine) >= MIN_JUDGED, f"{rule}: only {len(mine)} judged edits on real prompts"
    assert right / len(mine) >= MIN_PRECISION, f"{rule}: {right} of {len(mine)} edits right"
