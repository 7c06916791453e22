"""Properties of ``fix`` on generated prompts in every format (Hypothesis): the fixed file reads again (and a
JSON/YAML document or Python module still parses), a second fix changes nothing, and tokens never go up."""

from __future__ import annotations

import ast
import json

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from promptaudit.lint.fixing.engine import fix_file
from promptaudit.lint.fixing.run import fixing_rules, reader
from promptaudit.lint.fixing.savings import saving
from promptaudit.lint.linter import LintSettings

SETTINGS = LintSettings(model="gpt-4o", options={"PA105": {"min_tokens_saved": 1}, "PA107": {"min_tokens_saved": 1}})
FIXING = fixing_rules([])

SENTENCES = [
    "You answer billing questions for Acme Cloud.",
    "Never share another customer's data.",
    "Keep every reply under 120 words.",
    "Escalate to a human when a payment failed twice.",
    "Sign as Acme Support.",
]
LEAD_INS = ["Please note that ", "It is important to note that ", "Note that ", "As an AI language model, ", ""]
SPACES = ["", " ", "  ", "\t", " \t "]
BREAKS = ["\n", "\n\n", "\n\n\n", "\n \n\t\n"]
JSON_BLOCK = '{\n    "label": "refund",\n    "order": {\n        "id": "A-1042",\n        "items": [1, 2, 3]\n    }\n}'
EXTRAS = [
    JSON_BLOCK,
    '```\n{\n    "kept": true,\n    "why": "fenced"\n}  \n\n\n```',
    "{% if vip %}\nPlease note that you answer within the hour.  \n{% endif %}",
    "Customer: {{ name }}",
    "Note that.",
]

lines = st.builds(
    lambda lead, sentence, space, brk: lead + (sentence[0].lower() + sentence[1:] if lead else sentence) + space + brk,
    st.sampled_from(LEAD_INS),
    st.sampled_from(SENTENCES),
    st.sampled_from(SPACES),
    st.sampled_from(BREAKS),
)
bodies = st.lists(st.one_of(lines, st.sampled_from(EXTRAS).map(lambda block: block + "\n")), min_size=1, max_size=8)


def as_file(kind: str, text: str) -> tuple[str, str]:
    """``(file name, file text)`` holding ``text`` as a prompt in format ``kind``."""
    if kind == "json":
        return "p.json", json.dumps({"messages": [{"role": "system", "content": text}]}, indent=2) + "\n"
    if kind == "yaml":
        indented = "".join(f"      {line}" for line in text.splitlines(keepends=True))
        return "p.yaml", f"# kept\nmessages:\n  - role: system\n    content: |\n{indented}"
    if kind == "py":
        body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        call = 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])'
        return "p.py", f'from openai import OpenAI\n\nSYSTEM_PROMPT = """{body}"""\nclient = OpenAI()\n{call}\n'
    return f"p.{kind}", text


def parses(name: str, text: str) -> bool:
    """Whether ``text`` parses as its format (JSON, YAML, Python); other text always does."""
    try:
        _parse(name, text)
    except (ValueError, yaml.YAMLError, SyntaxError):
        return False
    return True


def _parse(name: str, text: str) -> None:
    if name.endswith(".json"):
        json.loads(text)
    elif name.endswith(".yaml"):
        yaml.safe_load(text)
    elif name.endswith(".py"):
        ast.parse(text)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(["txt", "md", "j2", "json", "yaml", "py"]), body=bodies)
def test_fix_reads_back_is_idempotent_and_never_adds_tokens(kind, body):
    name, text = as_file(kind, "".join(body))
    assume(parses(name, text))
    data = text.encode("utf-8")
    read = reader(name, None, lambda prompts: None)
    first = fix_file(name, data, SETTINGS, FIXING, read)
    fixed = first.encoded()
    assert parses(name, fixed.decode("utf-8"))
    read(fixed)  # reads as a prompt file again, without an error
    counted = saving(first, SETTINGS)
    assert counted.tokens_after <= counted.tokens_before
    assert counted.tokens_after < counted.tokens_before or not first.changed
    second = fix_file(name, fixed, SETTINGS, FIXING, read)
    assert not second.changed, (text, first.text, second.text)
