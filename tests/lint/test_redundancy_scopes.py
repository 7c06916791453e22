"""The scopes PA101/PA102 compare within: template conditions (``_conditions``) and parallel subjects (``_subjects``)."""

from __future__ import annotations

from promptaudit.lint.rules._conditions import Condition, Conditions, conjuncts, sent_with
from promptaudit.lint.rules._subjects import identifiers, parallel_subjects, subject_of


def test_an_if_expression_sets_its_and_parts_each_possibly_negated():
    assert conjuncts("a and not b") == {Condition("a"), Condition("b", negated=True)}
    assert conjuncts("a or b") == {Condition("a or b")}  # opaque: never split on "or"
    assert conjuncts("") == frozenset()


def _at(text: str, words: str) -> frozenset:
    return Conditions(text).at(text.index(words))


def test_a_copy_under_no_condition_makes_a_conditional_copy_redundant():
    text = "Answer briefly.\n{% if strict %}\nAnswer briefly.\n{% endif %}\n"
    assert sent_with(frozenset(), _at(text, "Answer briefly.\n{% endif"))


def test_copies_under_different_conditions_are_each_sent_alone():
    text = "{% if step_limit %}\nStop now.\n{% endif %}\n{% if time_limit %}\nStop here.\n{% endif %}\n"
    assert not sent_with(_at(text, "Stop now"), _at(text, "Stop here"))


def test_branches_of_one_block_are_never_sent_together():
    text = "{% if premium %}\nCall us.\n{% else %}\nCall them.\n{% endif %}\nDone.\n"
    assert not sent_with(_at(text, "Call us"), _at(text, "Call them"))
    assert _at(text, "Done") == frozenset()


def test_a_negated_condition_contradicts_its_positive():
    text = "{% if a and not b %}\nFirst.\n{% endif %}\n{% if b %}\nSecond.\n{% endif %}\n"
    assert not sent_with(_at(text, "First"), _at(text, "Second"))


def test_subjects_are_headings_short_titles_and_command_usages():
    assert subject_of("## The `view` tool") == "The `view` tool"
    assert subject_of("For the `grep` tool:") == "For the `grep` tool"
    assert subject_of('<copy_file source="a" target="b">') == "<copy_file>"
    assert subject_of("Copy the file, then report what you did.") is None


def test_two_tools_docs_are_parallel_but_two_sections_of_one_topic_are_not():
    assert identifiers("For the `file_glob` tool") == {"file_glob"}
    assert parallel_subjects("For the `grep` tool", "For the `file_glob` tool")
    assert parallel_subjects("<copy_file>", "<move_file>")
    assert not parallel_subjects("Testing Guidelines", "Testing Requirements")
    assert not parallel_subjects("<copy_file>", "<copy_file>")
    assert not parallel_subjects(None, "<copy_file>")
