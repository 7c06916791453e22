"""Golden cases: one YAML file per rule (tests/lint/rules/paNNN_name.yaml), run by one parametrized test.

A case gives its prompt as ``text`` (or ``text_repeat``), or as ``file``: a fixture in tests/data/formats
(``../python/x.py`` for Python sources)
read with :func:`promptaudit.reading.loading.load_prompts` (``prompt`` picks one of a multi-prompt file, default
the first). ``model`` is the target model and replaces the model a file declares; without it the file's
model, else the default. Optional ``per_day``, ``max_tokens``, ``options`` and ``values`` (template variable
values, as ``--var`` binds them) configure the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from promptaudit.lint.findings import CATEGORIES
from promptaudit.lint.linter import DEFAULT_MODEL, LintSettings, lint
from promptaudit.lint.rules import RULE_MODULES, RULES
from promptaudit.money.volume import from_unit
from promptaudit.reading.loading import load_prompts
from promptaudit.reading.prompts import Part, Prompt
from promptaudit.reading.sources import Source

HERE = Path(__file__).parent
FORMATS = HERE.parents[1] / "data" / "formats"
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


def _prompt(case: dict) -> Prompt:
    if "file" not in case:
        return Prompt(path="case.txt", parts=[Part("", _text(case))], values=case.get("values", {}))
    prompt = load_prompts(Source(str(FORMATS / case["file"])))[case.get("prompt", 0)]
    if "model" in case:
        prompt.model = case["model"]
    return prompt


def _settings(rule: str, case: dict, prompt: Prompt) -> LintSettings:
    volume = from_unit("per_day", case["per_day"]) if "per_day" in case else None
    return LintSettings(
        model=case.get("model") or prompt.model or DEFAULT_MODEL,
        select=(rule,),
        options={rule: case.get("options", {})},
        max_tokens=case.get("max_tokens"),
        volume=volume,
    )


def _matches(finding, expected: dict) -> bool:
    fields = {k: v for k, v in expected.items() if k != "message"}
    same = all(getattr(finding, k) == v for k, v in fields.items())
    return same and expected.get("message", "") in finding.message


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_golden_case(rule: str, case: dict):
    prompt = _prompt(case)
    findings = lint([prompt], _settings(rule, case, prompt))
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
    assert module.CATEGORY in ("input", "redundancy", "caching", "size", "output", "model", "routing")
    assert module.CATEGORY in CATEGORIES
    assert isinstance(module.OPTIONS, dict) and callable(module.check)


def test_output_and_routing_rules_have_their_own_categories():
    assert (RULES["PA401"].CATEGORY, RULES["PA501"].CATEGORY) == ("output", "routing")


def test_rule_ids_are_unique():
    ids = [m.ID for m in RULE_MODULES]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
