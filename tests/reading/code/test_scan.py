"""The module scan: which calls are SDK calls, what they send, to which model, with which cap, in what context."""

from __future__ import annotations

import textwrap

import pytest

from promptaudit.reading.code import build
from promptaudit.reading.code.module import parse
from promptaudit.reading.code.scan import scan


def scanned(source: str, path: str = "app.py"):
    return scan(parse(path, textwrap.dedent(source)))


def site(source: str):
    found = scanned(source)
    assert len(found.calls) == 1, found.calls
    return found.calls[0]


def roles(call) -> list[tuple[str, str]]:
    return [(m.role, m.text.text) for m in call.messages if m.kind != "tool"]


@pytest.mark.parametrize(
    ("line", "api"),
    [
        ("client.chat.completions.create(model='m', messages=[])", "openai.chat.completions.create"),
        ("await client.chat.completions.with_raw_response.create(messages=[])", "openai.chat.completions.create"),
        ("client.responses.create(model='m', input='hi')", "openai.responses.create"),
        ("client.batches.create(input_file_id='f', endpoint='/v1/chat/completions')", "openai.batches.create"),
        ("self.llm.messages.create(model='m', max_tokens=5, messages=[])", "anthropic.messages.create"),
        ("client.beta.messages.create(model='m', max_tokens=5, messages=[])", "anthropic.beta.messages.create"),
        ("client.messages.count_tokens(model='m', messages=[])", "anthropic.messages.count_tokens"),
        ("client.messages.batches.create(requests=[])", "anthropic.messages.batches.create"),
        ("client.aio.models.generate_content(model='g', contents='x')", "google.models.generate_content"),
        ("litellm.completion(model='m', messages=[])", "litellm.completion"),
        ("acompletion(model='m', messages=[])", "litellm.acompletion"),
    ],
)
def test_sdk_calls_are_recognised(line, api):
    header = "import openai, anthropic, litellm\nfrom google import genai\nfrom litellm import acompletion\n"
    assert site(header + f"async def f(client):\n    {line}\n").api == api


def test_other_libraries_methods_of_the_same_name_are_not_llm_calls():
    twilio = (
        "from twilio.rest import Client\nclient = Client()\nclient.messages.create(body='hi', to='+1', from_='+2')\n"
    )
    assert scanned(twilio).calls == []
    assert scanned("def f(db):\n    db.chat.completions.create(messages=[])\n").calls == []  # no SDK, no model


def test_openai_chat_call_facts():
    call = site(
        """
        import os
        from openai import OpenAI
        MODEL = os.getenv("MODEL", "gpt-4o-mini")
        CAP = 300
        SYSTEM_PROMPT = "You are terse."
        def ask(client, q):
            return client.chat.completions.create(model=MODEL, max_completion_tokens=CAP,
                messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": q}])
        """
    )
    assert (call.model, call.cap, call.capped, call.line, call.column) == ("gpt-4o-mini", 300, True, 8, 12)
    assert roles(call) == [("system", "You are terse."), ("user", "{q}")]


def test_anthropic_system_comes_first_and_blocks_keep_cache_control():
    call = site(
        """
        import anthropic
        DOC = "A long manual."
        def ask(client, q):
            client.messages.create(model="claude-haiku-4-5", max_tokens=10,
                messages=[{"role": "user", "content": [{"type": "text", "text": DOC, "cache_control": {"type": "ephemeral"}},
                                                       {"type": "text", "text": q}]}],
                system=[{"type": "text", "text": "Be brief."}])
        """
    )
    assert roles(call) == [("system", "Be brief."), ("user", "A long manual."), ("user", "{q}")]
    assert [m.cache_breakpoint for m in call.messages] == [None, "5m", None]


def test_responses_instructions_and_gemini_config():
    header = "import openai\nfrom google import genai\nfrom google.genai import types\n"
    responses = site(header + "client.responses.create(model='gpt-5', instructions='Be kind.', input='Hello')\n")
    assert roles(responses) == [("system", "Be kind."), ("user", "Hello")]
    assert responses.capped is False
    gemini = site(
        header + "client.models.generate_content(model='gemini-2.5-flash', contents=['Hi'],\n"
        "    config=types.GenerateContentConfig(system_instruction='Reply in French.', max_output_tokens=20))\n"
    )
    assert roles(gemini) == [("system", "Reply in French."), ("user", "Hi")] and gemini.cap == 20
    as_dict = site(header + "client.models.generate_content(model='g', contents='x', config={'temperature': 0})\n")
    assert as_dict.capped is False


def test_kwargs_may_carry_the_cap():
    call = site("import openai\ndef f(client, **kw):\n    client.chat.completions.create(messages=[], **kw)\n")
    assert call.capped is True and call.cap is None


def test_messages_built_before_the_call_are_followed_in_order():
    call = site(
        """
        import openai
        EXAMPLES = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]
        def ask(client, q, history):
            messages = [{"role": "system", "content": "Do maths."}, *EXAMPLES]
            messages.extend(history)
            messages.append({"role": "user", "content": q})
            reply = client.chat.completions.create(model="gpt-4o", messages=messages)
            messages.append({"role": "assistant", "content": reply})
        """
    )
    assert roles(call) == [("system", "Do maths."), ("user", "2+2?"), ("assistant", "4"), ("*", "{history}"),
                           ("user", "{q}")]  # fmt: skip


def test_constants_across_modules_of_the_tree(tmp_path):
    package = tmp_path / "bot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "prompts.py").write_text('SYSTEM_PROMPT = "You help with invoices."\nASK = "Question: {q}"\n')
    service = package / "service.py"
    service.write_text(
        "import openai\nfrom .prompts import SYSTEM_PROMPT\nfrom bot import prompts\nimport bot.prompts as p\n"
        "def f(c, q):\n    c.chat.completions.create(model='gpt-4o', messages=[\n"
        "        {'role': 'system', 'content': SYSTEM_PROMPT}, {'role': 'user', 'content': prompts.ASK.format(q=q)},\n"
        "        {'role': 'user', 'content': p.SYSTEM_PROMPT}])\n"
    )
    call = scan(parse(str(service), service.read_text())).calls[0]
    assert roles(call) == [("system", "You help with invoices."), ("user", "Question: {q}"),
                           ("user", "You help with invoices.")]  # fmt: skip
    assert {m.text.path for m in call.messages} == {str(package / "prompts.py")}


def test_prompt_constants_need_a_prompt_name_enough_words_and_a_prompt_module():
    found = scanned('import openai\nSYSTEM_PROMPT = "You sort mail into folders."\nTITLE = "Not a prompt at all here"\n'
                    'SHORT_PROMPT = "Password: "\nclass Agent:\n    AGENT_INSTRUCTIONS = "Answer in one short line."\n')  # fmt: skip
    assert [c.name for c in found.constants] == ["SYSTEM_PROMPT", "AGENT_INSTRUCTIONS"]
    cli = scan(parse("cli_helpers.py", 'CONFIRM_PROMPT = "Do you really want to continue?"\n'))
    assert cli.constants == []
    assert [c.name for c in scan(parse("prompts.py", 'CONFIRM_PROMPT = "Do you really want that?"\n')).constants]


@pytest.mark.parametrize(
    ("body", "loop"),
    [
        ("for row in rows:\n        ask(row)", True),
        ("[ask(r) for r in rows]", True),
        ("while True:\n        ask(rows)", False),
        ("for attempt in range(3):\n        ask(rows)", False),
    ],
)
def test_data_loops(body, loop):
    source = (
        "import openai\ndef ask(x):\n    pass\n"
        f"def run(client, rows):\n    {body.replace('ask(', 'client.chat.completions.create(model=1, messages=')}\n"
    )
    assert (site(source).loop_line is not None) is loop


def test_route_handlers_and_streams_are_latency_bound():
    route = site("import openai\n@app.post('/x')\ndef h(c, items):\n    for i in items:\n"
                 "        c.chat.completions.create(model='m', messages=i)\n")  # fmt: skip
    stream = site("import openai\ndef h(c, q):\n    c.chat.completions.create(model='m', messages=q, stream=True)\n")
    assert route.latency_bound and stream.latency_bound


def test_langchain_templates():
    found = scanned(
        """
        from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder, PromptTemplate
        SYSTEM = "You are a tutor."
        chat = ChatPromptTemplate.from_messages([("system", SYSTEM), MessagesPlaceholder("history"),
                                                 ("human", "Question: {question} {{not a field}}")])
        plain = PromptTemplate.from_template("Summarise {text}")
        """
    )
    chat, plain = found.templates
    assert [(m.role, m.text.text) for m in chat.messages] == [
        ("system", "You are a tutor."), ("*", "{history}"), ("user", "Question: {question} {not a field}")]  # fmt: skip
    assert plain.messages[0].text.variables == ["text"]


def test_build_counts_a_constant_sent_by_a_call_once():
    found = scanned('import openai\nSYSTEM_PROMPT = "You are terse and exact."\nUNUSED_PROMPT = "Write a poem today please."\n'
                    "def f(c):\n    c.chat.completions.create(model='gpt-4o', messages=[{'role': 'system', 'content': SYSTEM_PROMPT}])\n")  # fmt: skip
    prompts = build.prompts(found)
    assert [p.name for p in prompts] == ["UNUSED_PROMPT", "chat.completions.create@5"]
    assert prompts[1].kind == "chat" and prompts[1].parts[0].line == 2


def test_variables_are_the_located_spans_and_literal_braces_stay_single():
    found = scanned(
        'import openai\ndef f(c, q):\n    c.chat.completions.create(model="gpt-4o", messages=[\n'
        '        {"role": "user", "content": f"JSON {{\\"a\\": {{x}}}} for {q}"}])\n'
    )
    part = build.prompts(found)[0].parts[0]
    assert part.text == 'JSON {"a": {x}} for {q}'
    assert [v.name for v in part.variables] == ["q"]  # {x} is literal text, not a field


def test_litellm_model_prefix_is_dropped_for_prices():
    assert build.normal_model("anthropic/claude-haiku-4-5") == "claude-haiku-4-5"
    assert build.normal_model("ft:gpt-4o-mini:acme::x1") == "ft:gpt-4o-mini:acme::x1"
