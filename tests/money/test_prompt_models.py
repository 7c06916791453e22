"""Which model each prompt is counted at: its own unless --model; groups and totals that add up."""

from __future__ import annotations

from promptaudit.config import Config
from promptaudit.money.prompt_models import FROM_FILE_MARK, ModelChoice, choose, groups, partitions
from promptaudit.reading.prompts import Part, Prompt


def prompt(name: str, model: str | None = None) -> Prompt:
    return Prompt(f"{name}.json", [Part("", "hi")], model=model)


PROMPTS = [prompt("a", "gpt-4o-mini"), prompt("b"), prompt("c", "claude-haiku-4-5"), prompt("d", "gpt-4o-mini")]


def test_the_choice_comes_from_the_flag_then_the_config_then_the_default():
    assert choose(["gpt-4.1", "gpt-4.1"], Config()) == ModelChoice(("gpt-4.1",), "--model")
    assert choose(None, Config({"models": ["o3"]})) == ModelChoice(("o3",), "config")
    assert choose(None, Config()) == ModelChoice(("gpt-4o",), "default")


def test_each_prompt_keeps_its_own_model_unless_model_overrides_it():
    chosen = choose(None, Config())
    assert [chosen.for_prompt(p) for p in PROMPTS] == [
        ("gpt-4o-mini",),
        ("gpt-4o",),
        ("claude-haiku-4-5",),
        ("gpt-4o-mini",),
    ]
    assert [chosen.source_for(p) for p in PROMPTS] == ["file", "default", "file", "file"]
    override = choose(["gpt-4.1", "o3"], Config())
    assert {override.for_prompt(p) for p in PROMPTS} == {("gpt-4.1", "o3")}
    assert {override.source_for(p) for p in PROMPTS} == {"--model"}


def test_groups_follow_first_use_and_say_whose_files_name_the_model():
    found = groups(PROMPTS, choose(None, Config()))
    assert [(g.model, g.indices, g.from_file) for g in found] == [
        ("gpt-4o", (1,), 0),
        ("gpt-4o-mini", (0, 3), 2),
        ("claude-haiku-4-5", (2,), 1),
    ]
    assert [g.label for g in found] == ["gpt-4o", f"gpt-4o-mini {FROM_FILE_MARK}", f"claude-haiku-4-5 {FROM_FILE_MARK}"]
    assert [g.model_from for g in found] == ["default", "file", "file"]


def test_a_model_some_prompts_name_and_others_default_to_is_marked_as_mixed():
    [group] = groups([prompt("a", "gpt-4o"), prompt("b")], choose(None, Config()))
    assert (group.label, group.model_from) == ("gpt-4o (from file: 1 of 2)", "mixed")


def test_bills_add_up_only_when_each_prompt_is_at_one_model():
    assert partitions(PROMPTS, choose(None, Config()))
    assert not partitions(PROMPTS, choose(["gpt-4o", "o3"], Config()))
    assert not partitions(PROMPTS, choose(None, Config({"models": ["gpt-4o", "o3"]})))
