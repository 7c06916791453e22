"""Budget resolution shared by check and the audit rule PA301, and the baseline file."""

from __future__ import annotations

import json

import pytest

from promptaudit.config import Config
from promptaudit.errors import ConfigError
from promptaudit.gate import baseline as baselines
from promptaudit.gate.budgets import Budget, BudgetResult, budget_for, over_by


def _config(tmp_path, **values):
    return Config(values, tmp_path / ".promptaudit.yaml")


@pytest.mark.parametrize(
    "path, cli, expected",
    [
        ("prompts/system/a.txt", None, Budget(1500, "budgets 'prompts/system/*.txt'")),
        ("prompts/user/b.txt", None, Budget(400, "budgets 'prompts/*/*.txt'")),
        ("other/c.md", None, Budget(9000, "max_tokens")),
        ("prompts/system/a.txt", 10, Budget(10, "--max-tokens")),
    ],
)
def test_budget_precedence(tmp_path, path, cli, expected):
    budgets = {"prompts/system/*.txt": 1500, "prompts/*/*.txt": 400}
    config = _config(tmp_path, budgets=budgets, max_tokens=9000)
    assert budget_for(str(tmp_path / path), config, cli) == expected


def test_no_budget(tmp_path):
    assert budget_for("a.txt", _config(tmp_path)) is None


def test_bad_budget_names_the_glob(tmp_path):
    with pytest.raises(ConfigError, match="budgets 'x'"):
        budget_for(str(tmp_path / "x"), _config(tmp_path, budgets={"x": "big"}))


def test_baseline_raises_the_allowance_only_for_recorded_prompts():
    budget = Budget(100, "max_tokens")
    assert BudgetResult("a", 150, True, budget).excess == 50
    assert not BudgetResult("a", 150, True, budget, baseline=150).failed
    assert BudgetResult("a", 151, True, budget, baseline=150).excess == 1
    assert BudgetResult("a", 120, True, budget, baseline=50).excess == 20
    assert over_by(150, budget) == 50 and over_by(150, None) == 0


def test_baseline_round_trip_is_atomic_and_sorted(tmp_path):
    path = tmp_path / "base.json"
    recorded = baselines.Baseline(path, "gpt-4o", {"b.txt": 2, "a.txt": 1})
    baselines.write(recorded)
    assert list(json.loads(path.read_text())["prompts"]) == ["a.txt", "b.txt"]
    assert baselines.load(path, required=True) == recorded
    assert [p.name for p in tmp_path.iterdir()] == ["base.json"]  # no temp file left behind


def test_baseline_key_is_relative_to_its_folder(tmp_path):
    recorded = baselines.Baseline(tmp_path / "sub" / "b.json")
    assert recorded.key(str(tmp_path / "sub" / "p" / "a.txt"), "greet") == "p/a.txt#greet"
    assert recorded.key(str(tmp_path / "x.txt")) == "../x.txt"


@pytest.mark.parametrize(
    "content", ["{", "[]", '{"version": 9, "prompts": {}}', '{"version": 1, "prompts": {"a": -1}}']
)
def test_broken_baseline_is_a_config_error(tmp_path, content):
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match="b.json"):
        baselines.load(path, required=True)


def test_missing_baseline_only_errors_when_named(tmp_path):
    assert baselines.load(tmp_path / "none.json", required=False).tokens == {}
    with pytest.raises(ConfigError, match="--write-baseline"):
        baselines.load(tmp_path / "none.json", required=True)


def test_baseline_for_another_model_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="claude"):
        baselines.check_model(baselines.Baseline(tmp_path / "b", "claude-sonnet-4-5", {"a": 1}), "gpt-4o")
