"""The lint engine: rule selection, config validation, severity overrides, locations, honest savings."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptaudit.config import Config
from promptaudit.errors import ConfigError, UsageError
from promptaudit.gate.budgets import budget_for
from promptaudit.lint.findings import Finding, at_or_above, severity_rank
from promptaudit.lint.linter import LintSettings, RuleContext, active_rules, lint, settings_from
from promptaudit.lint.rules import RULE_MODULES
from promptaudit.reading.prompts import Part, Prompt

CONFIG_PATH = Path("/project/.promptaudit.yaml")


def _config(rules: dict) -> Config:
    return Config({"rules": rules}, CONFIG_PATH)


ALL = [m.ID for m in RULE_MODULES]  # the registry, in its order: adding a rule changes no list here
PA1 = [i for i in ALL if i.startswith("PA1")]


def _ids(settings: LintSettings) -> list[str]:
    return [m.ID for m in active_rules(settings)]


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ([], [], ALL),
        (["PA1"], [], PA1),
        (["PA1"], ["PA102"], [i for i in PA1 if i != "PA102"]),
        (["PA201", "filler"], [], ["PA103", "PA201"]),
        ([], ["PA2", "PA3"], [i for i in ALL if not i.startswith(("PA2", "PA3"))]),
    ],
)
def test_select_and_ignore_by_prefix_or_name(select, ignore, expected):
    assert _ids(settings_from(Config(), select=select, ignore=ignore)) == expected


def test_unknown_selector_on_the_command_line_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown rule 'PA9'"):
        settings_from(Config(), select=["PA9"])


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"colour": 1}, "unknown key 'rules.colour'"),
        ({"select": ["PA999"]}, "unknown rule 'PA999'"),
        ({"select": "PA1"}, "'rules.select' must be a list"),
        ({"severity": {"PA777": "error"}}, "unknown rule 'PA777'"),
        ({"severity": {"PA101": "fatal"}}, "rules.severity.PA101 must be one of"),
        ({"options": {"PA101": {"min_wordz": 2}}}, "unknown option 'min_wordz' for PA101"),
        ({"options": {"PA101": {"min_words": "two"}}}, "rules.options.PA101.min_words must be int"),
        ({"options": {"PA102": {"min_containment": True}}}, "min_containment must be float"),
        ({"options": {"PA101": 3}}, "must be a mapping"),
    ],
)
def test_bad_rules_config_names_the_key_and_the_file(rules, message):
    with pytest.raises(ConfigError, match=message) as error:
        settings_from(_config(rules))
    assert str(CONFIG_PATH) in str(error.value)


def test_config_rules_are_resolved_by_name_and_id():
    settings = settings_from(
        _config({"select": ["PA1"], "ignore": ["filler"], "severity": {"duplicate-sentence": "error"}})
    )
    assert _ids(settings) == [i for i in PA1 if i != "PA103"]
    assert settings.severity == {"PA101": "error"}


def _prompt(*parts: tuple[str, int]) -> Prompt:
    return Prompt(path="p.txt", parts=[Part(f"part{i}", text, line) for i, (text, line) in enumerate(parts)])


def test_severity_override_and_options_from_config():
    config = _config({"severity": {"PA101": "error"}, "options": {"PA101": {"min_words": 1}}})
    findings = lint([_prompt(("Stop. Stop.", 1))], settings_from(config, select=["PA101"]))
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [("PA101", "error", 1, 7)]


def test_locations_are_lines_of_the_original_file_across_parts():
    prompt = _prompt(
        ("System text here.\nNever share another customer's data.", 3), ("Never share another customer's data.", 10)
    )
    findings = lint([prompt], settings_from(Config(), select=["PA101"]))
    assert [(f.line, f.column, f.message) for f in findings] == [
        (10, 1, 'repeats line 4: "Never share another customer\'s data."')
    ]


def test_overlapping_redundancy_savings_are_counted_once():
    text = "Do not invent features, prices or dates.\nIt is important to note that you must not make up features, prices or dates."
    findings = lint([_prompt((text, 1))], settings_from(Config(), select=["PA1"]))
    assert [(f.rule, f.line, f.tokens_saved > 0) for f in findings] == [("PA102", 2, True), ("PA103", 2, False)]


def test_model_comes_from_the_command_line_then_config():
    assert settings_from(Config({"models": ["gpt-4.1"]})).model == "gpt-4.1"
    assert settings_from(Config({"models": ["gpt-4.1"]}), model="gpt-4o-mini").model == "gpt-4o-mini"
    assert settings_from(Config()).model == "gpt-4o"


def test_budget_from_config_glob(tmp_path):
    config = Config({"budgets": {"prompts/*.txt": 3}}, tmp_path / ".promptaudit.yaml")
    prompt = Prompt(path=str(tmp_path / "prompts" / "a.txt"), parts=[Part("", "Answer billing questions with care.")])
    findings = lint([prompt], settings_from(config, select=["PA301"]))
    assert [(f.rule, f.severity) for f in findings] == [("PA301", "error")]
    assert "over the budget of 3 (budgets 'prompts/*.txt')" in findings[0].message


@pytest.mark.parametrize("cli_tokens", [None, 7])
@pytest.mark.parametrize("name", ["prompts/a.txt", "other/b.txt", "c.txt"])
def test_audit_budget_is_the_one_check_uses(tmp_path, name, cli_tokens):
    config = Config({"budgets": {"prompts/*.txt": 3}, "max_tokens": 5}, tmp_path / ".promptaudit.yaml")
    prompt = Prompt(path=str(tmp_path / name), parts=[Part("", "Answer billing questions.")])
    ctx = RuleContext(prompt, settings_from(config, max_tokens=cli_tokens), 4)
    assert ctx.budget == budget_for(prompt.path, config, cli_tokens)


def test_severity_order_and_fail_level():
    def finding(severity):
        return Finding("PA101", "n", "redundancy", severity, "p", 1, 1, "m")

    found = [finding("info"), finding("warning"), finding("error")]
    assert severity_rank("info") < severity_rank("warning") < severity_rank("error")
    assert [f.severity for f in at_or_above(found, "warning")] == ["warning", "error"]
    assert at_or_above(found[:1], "error") == []


def test_no_prompts_no_findings():
    assert lint([], LintSettings()) == []


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.ID)
def test_savings_overlap_is_declared_as_a_bool_by_rules_that_delete_text(module):
    overlap = getattr(module, "SAVINGS_OVERLAP", False)
    assert isinstance(overlap, bool)
    assert overlap == (module.ID in ("PA101", "PA102", "PA103", "PA104", "PA105", "PA106", "PA107"))


def test_info_findings_never_add_savings_and_the_trim_counts_only_deleting_rules():
    from promptaudit.lint.linter import LintSettings, lint, removable_tokens

    text = "Never share another customer's data.\nAnswer in English.\nNever share another customer's data.\n"
    prompt = Prompt(path="p.txt", parts=[Part("", text)])
    (warned,) = lint([prompt], LintSettings(select=("PA101",)))
    (lowered,) = lint([prompt], LintSettings(select=("PA101",), severity={"PA101": "info"}))
    assert warned.tokens_saved > 0 and lowered.tokens_saved == 0
    assert removable_tokens([warned]) == {"p.txt": warned.tokens_saved} and removable_tokens([lowered]) == {"p.txt": 0}
