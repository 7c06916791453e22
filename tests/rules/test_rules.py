"""Golden cases: one YAML file per rule (tests/rules/paNNN_name.yaml), run by one parametrized test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from promptaudit.linter import LintSettings, lint
from promptaudit.prompts import Part, Prompt
from promptaudit.rules import RULE_MODULES
from promptaudit.volume import from_unit

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("pa*.yaml"))


def _cases():
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


def _text(case: dict) -> str:
    if "text" in case:
        return case["text"]
    spec = case["text_repeat"]
    return spec["head"] + spec["body"] * spec["times"] + spec.get("tail", "")


def _settings(rule: str, case: dict) -> LintSettings:
    volume = from_unit("per_day", case["per_day"]) if "per_day" in case else None
    return LintSettings(
        select=(rule,), options={rule: case.get("options", {})}, max_tokens=case.get("max_tokens"), volume=volume
    )


def _matches(finding, expected: dict) -> bool:
    fields = {k: v for k, v in expected.items() if k != "message"}
    same = all(getattr(finding, k) == v for k, v in fields.items())
    return same and expected.get("message", "") in finding.message


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_golden_case(rule: str, case: dict):
    prompt = Prompt(path="case.txt", parts=[Part("", _text(case))])
    findings = lint([prompt], _settings(rule, case))
    expected = case["findings"]
    assert len(findings) == len(expected), [(f.line, f.column, f.message) for f in findings]
    for finding, want in zip(findings, expected):
        assert finding.rule == rule
        assert _matches(finding, want), (finding, want)


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.ID)
def test_every_rule_has_golden_pass_and_fail_cases(module):
    path = HERE / f"{module.__name__.rsplit('.', 1)[1]}.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    assert any(c["findings"] for c in cases) and any(not c["findings"] for c in cases)


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.ID)
def test_rule_docstring_documents_anti_pattern_and_best_practice(module):
    assert "Anti-pattern" in module.__doc__ and "Best practice" in module.__doc__
    assert module.__doc__.startswith(f"{module.ID} {module.NAME}:")


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.ID)
def test_rule_declares_the_protocol(module):
    assert module.SEVERITY in ("info", "warning", "error")
    assert module.CATEGORY in ("redundancy", "caching", "size", "output", "model")
    assert isinstance(module.OPTIONS, dict) and callable(module.check)


def test_rule_ids_are_unique():
    ids = [m.ID for m in RULE_MODULES]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
