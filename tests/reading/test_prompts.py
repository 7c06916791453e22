"""The Prompt and Part API that every command codes against."""

from __future__ import annotations

from promptaudit.reading.prompts import Part, Prompt, parse_text


def test_plain_text_is_one_static_part():
    (prompt,) = parse_text("a.txt", "Hello there.\n")
    assert (prompt.kind, prompt.display, prompt.text, prompt.chars) == ("text", "a.txt", "Hello there.\n", 13)
    part = prompt.parts[0]
    assert (part.label, part.line, part.kind, part.static, part.cache_breakpoint) == ("", 1, "text", True, None)
    assert prompt.static_prefix() == "Hello there.\n" and prompt.provider_format is None


def test_template_prefix_ends_at_first_variable():
    (prompt,) = parse_text("t.txt", "Rules first.\nUser: {{ q }}\nMore.")
    assert prompt.kind == "template" and prompt.static_prefix() == "Rules first.\nUser: "


def test_structured_prefix_stops_at_the_first_variable_part():
    parts = [
        Part("tools[0] f", '{"name":"f"}', kind="tool", templated=False),
        Part("system", "Be brief.", kind="system", role="system"),
        Part("messages[0]", "Q: {{ question }}", kind="message", role="user", message=0),
        Part("messages[1]", "Static again.", kind="message", role="assistant", message=1),
    ]
    prompt = Prompt("p.yaml", parts, name="x", kind="chat")
    assert prompt.static_prefix() == '{"name":"f"}\nBe brief.\nQ: '
    assert prompt.static_prefix_parts() == parts[:2]
    assert prompt.display == "p.yaml#x" and prompt.tools == parts[:1] and prompt.messages == 2


def test_tool_schemas_are_never_templates():
    assert Part("tools[0]", '{"description": "<name> of {user}"}', kind="tool", templated=False).static
