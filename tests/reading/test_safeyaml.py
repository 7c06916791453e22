"""safeyaml.py: untrusted YAML loads only plain data, with bounded aliases and depth, no duplicate keys."""

from __future__ import annotations

import pytest

from promptaudit.reading.safeyaml import MAX_DEPTH, YamlError, load_yaml


@pytest.mark.parametrize(
    "text, value",
    [
        ("models: [gpt-4o, gpt-4]\n", {"models": ["gpt-4o", "gpt-4"]}),
        ("a: 1\nb: 2.5\nc: true\nd: null\n", {"a": 1, "b": 2.5, "c": True, "d": None}),
        ("base: &b {x: 1}\nother: *b\n", {"base": {"x": 1}, "other": {"x": 1}}),
        ("", None),
        ("# only a comment\n", None),
        ("- 1\n- 2\n", [1, 2]),
        ("text: 'Grüße, 東京'\n", {"text": "Grüße, 東京"}),
    ],
)
def test_plain_data_loads(text, value):
    assert load_yaml(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']\n",
        "x: !!python/object/new:subprocess.Popen [['true']]\n",
        "x: !!python/name:os.system\n",
        "x: !!python/object:collections.OrderedDict {}\n",
        "x: !!python/tuple [1, 2]\n",
        "x: !custom 1\n",
    ],
)
def test_code_running_and_unknown_tags_are_refused(text):
    with pytest.raises(YamlError, match=r"line 1, column \d+: .*tag"):
        load_yaml(text)


def test_duplicate_keys_are_refused_with_the_line():
    with pytest.raises(YamlError, match=r"^line 3, column 1: duplicate key 'models'$"):
        load_yaml("models: [a]\nfail_on: error\nmodels: [b]\n")


def test_duplicate_keys_in_nested_mappings_are_refused():
    with pytest.raises(YamlError, match="duplicate key 'rpm'"):
        load_yaml("traffic:\n  '*.txt':\n    rpm: 1\n    rpm: 2\n")


def test_a_mapping_as_a_key_is_refused():
    with pytest.raises(YamlError, match="plain value"):
        load_yaml("? {a: 1}\n: value\n")


def test_billion_laughs_is_refused_before_expanding():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 9)]
    with pytest.raises(YamlError, match="aliases; refused"):
        load_yaml("\n".join(lines) + "\n")


def test_absurd_nesting_is_refused():
    with pytest.raises(YamlError, match=f"deeper than {MAX_DEPTH}"):
        load_yaml("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))


def test_nesting_within_the_limit_loads():
    depth = MAX_DEPTH - 2
    value = load_yaml("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize(
    "text, where",
    [
        ("models: [gpt-4o\n", "line 2"),
        ("a: b: c\n", "line 1, column 5"),
        ("key: 'unterminated\n", "line 2"),
        ("a: 1\n---\nb: 2\n", "line 2"),  # one document only
    ],
)
def test_invalid_yaml_names_the_place(text, where):
    with pytest.raises(YamlError, match=f"^{where}"):
        load_yaml(text)
