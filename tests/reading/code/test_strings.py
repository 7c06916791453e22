"""Prompt text from Python string expressions: exact characters, variables, and where each character is written."""

from __future__ import annotations

import textwrap

import pytest

from promptaudit.reading.code.module import parse
from promptaudit.reading.code.values import Resolver


def value(source: str, name: str = "X", path: str = "m.py"):
    module = parse(path, textwrap.dedent(source))
    return Resolver().text(module, module.constants[name])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('X = "plain"\n', "plain"),
        ('X = ("a, "\n     "b")\n', "a, b"),
        ('X = "a" + "b" + "c"\n', "abc"),
        ('X = """\\\nfirst\nsecond"""\n', "first\nsecond"),
        ('X = "tab\\there"\n', "tab\there"),
        ('X = r"raw\\n"\n', "raw\\n"),
        ('X = """  padded  """.strip()\n', "padded"),
        ('X = "\\n".join(["one", "two"])\n', "one\ntwo"),
        ('import textwrap\nX = textwrap.dedent("""\\\n    a\n      b\n""")\n', "a\n  b\n"),
        ('from textwrap import dedent\nX = dedent("""\n    a\n    b""")\n', "\na\nb"),
        ('A = "base"\nX = A + " more"\n', "base more"),
    ],
)
def test_static_text_is_what_python_would_build(source, expected):
    assert value(source).text == expected


@pytest.mark.parametrize(
    ("source", "text", "variables"),
    [
        ('X = f"Hi {user.name}!"\n', "Hi {user.name}!", ["user.name"]),
        ('X = f"{x!r:>10} and {y=}"\n', "{x} and y={y}", ["x", "y"]),  # {y=} renders "y=" then the value
        ("X = f\"Q: {item['q']}\"\n", "Q: {item['q']}", ["item['q']"]),
        ('X = f"JSON {{\\"a\\": {n}}}"\n', 'JSON {"a": {n}}', ["n"]),
        ('X = "Ticket {ticket}, {{literal}}".format(ticket=t)\n', "Ticket {ticket}, {literal}", ["ticket"]),
        ('X = "{} and {}".format(a, b)\n', "{0} and {1}", ["0", "1"]),
        ('K = "known"\nX = "a {k} b".format(k=K)\n', "a known b", []),
        ('B = "You are Quill."\nX = f"{B} Tone: {tone}."\n', "You are Quill. Tone: {tone}.", ["tone"]),
        ('X = "Rules:\\n" + extra_rules\n', "Rules:\n{extra_rules}", ["extra_rules"]),
    ],
)
def test_variables_are_shown_as_their_expression(source, text, variables):
    found = value(source)
    assert (found.text, found.variables) == (text, variables)


def test_unknown_values_are_not_strings():
    assert value("X = load_prompt('a')\n") is None
    assert value("X = 42\n") is None


def test_each_literal_of_an_implicit_concatenation_keeps_its_line():
    found = value('X = (\n    "first line. "\n    "second line."\n)\n')
    assert found.locate(0)[1:] == (2, 6)
    assert found.locate(len("first line. "))[1:] == (3, 6)
    assert (found.line, found.column) == (2, 5)


def test_triple_quoted_lines_and_dedented_columns_point_into_the_file():
    found = value('import textwrap\nX = textwrap.dedent("""\\\n    alpha\n    beta gamma\n""")\n')
    assert found.locate(found.text.index("gamma"))[1:] == (4, 10)
    assert found.locate(0)[1:] == (3, 5)


def test_f_string_fields_are_located_at_their_brace():
    found = value('X = f"""Date: {today}\nHello {name}"""\n')
    spans = found.spans()
    assert [found.locate(start)[1:] for start, _, _ in spans] == [(1, 15), (2, 7)]


def test_columns_count_characters_not_bytes():
    found = value('Y = "é"; X = "naïve prompt"\n')
    assert (found.line, found.column) == (1, 14)


def test_a_constant_from_another_text_names_where_it_was_written():
    found = value('A = "alpha"\nB = "beta"\nX = A + "\\n" + B\n')
    assert {(1, 5), (2, 5)} <= {(line, col) for _, line, col in found.includes}
    assert found.locate(found.text.index("beta"))[1:] == (2, 6)


def test_a_local_assignment_before_use_wins_over_the_module_constant():
    module = parse("m.py", 'P = "module"\ndef f(q):\n    P = "local"\n    return g(P, q)\n')
    call = module.tree.body[1].body[1].value
    resolver = Resolver()
    assert resolver.content(module, call.args[0]).text == "local"
    assert resolver.content(module, call.args[1]).variables == ["q"]
