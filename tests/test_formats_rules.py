"""PA401 and PA501 on real fixture files: golden cases in tests/data/formats/rules/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from promptaudit.counting import prompt_tokens
from promptaudit.linter import LintSettings, RuleContext
from promptaudit.prompts import load_prompts
from promptaudit.rules import pa401_no_output_cap, pa501_cheap_task_on_expensive_model
from promptaudit.sources import Source
from promptaudit.volume import from_unit

DATA = Path(__file__).parent / "data" / "formats"
MODULES = {m.ID: m for m in (pa401_no_output_cap, pa501_cheap_task_on_expensive_model)}


def _cases():
    for path in sorted((DATA / "rules").glob("pa*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


def _problems(module, case: dict) -> list:
    prompt = load_prompts(Source(str(DATA / case["file"])))[case.get("prompt", 0)]
    if "model" in case:
        prompt.model = case["model"]
    volume = from_unit("per_day", case["per_day"]) if "per_day" in case else None
    settings = LintSettings(model=prompt.model or "gpt-4o", volume=volume)
    ctx = RuleContext(prompt, settings, prompt_tokens([prompt], settings.model)[0].tokens)
    ctx.options = dict(module.OPTIONS)
    return list(module.check(ctx))


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_golden_case(rule: str, case: dict):
    module = MODULES[rule]
    problems = _problems(module, case)
    assert len(problems) == len(case["findings"]), problems
    for problem, want in zip(problems, case["findings"]):
        assert (problem.line, problem.column) == (want["line"], want["column"])
        assert want.get("severity", module.SEVERITY) == (problem.severity or module.SEVERITY)
        assert want.get("message", "") in problem.message


@pytest.mark.parametrize("module", list(MODULES.values()), ids=lambda m: m.ID)
def test_rule_protocol(module):
    assert module.__doc__.startswith(f"{module.ID} {module.NAME}:")
    assert "Anti-pattern" in module.__doc__ and "Best practice" in module.__doc__
    assert module.CATEGORY in ("output", "routing") and callable(module.check)
