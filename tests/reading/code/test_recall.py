"""What real code does that the scan must follow (issue 22): each case is one cause of a missed call or prompt."""

from __future__ import annotations

import textwrap

import pytest

from promptaudit.reading.code import build, parse_python
from promptaudit.reading.code.decoding import may_hold_prompts
from promptaudit.reading.loading import gather_prompts
from tests.reading.code.test_scan import roles as texts
from tests.reading.code.test_scan import scanned
from tests.reading.code.test_scan import site as only_call


def test_a_call_whose_prompt_is_built_at_run_time_is_still_a_row_with_its_model_and_cap():
    found = scanned(
        """
        from groq import Groq
        client = Groq()
        def ask(messages, **kwargs):
            return client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages, max_tokens=99)
        """
    )
    (prompt,) = build.prompts(found)
    assert (prompt.model, prompt.max_tokens, prompt.parts) == ("llama-3.3-70b-versatile", 99, [])
    assert prompt.unresolved == build.UNRESOLVED and prompt.name == "chat.completions.create@5"


def test_a_params_dict_built_in_the_function_is_followed():
    site = only_call(
        """
        import anthropic
        SYSTEM = "You are a careful assistant for invoice questions."
        def ask(client, question, extra):
            params = {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": question}]}
            params["system"] = SYSTEM
            params.update({"max_tokens": 512})
            return client.messages.create(**params)
        """
    )
    assert (site.model, site.cap, site.capped) == ("claude-haiku-4-5", 512, True)
    assert texts(site) == [("system", "You are a careful assistant for invoice questions."), ("user", "{question}")]


def test_a_params_dict_returned_by_a_helper_method_is_followed_and_unknown_parts_keep_the_cap_open():
    site = only_call(
        """
        import openai
        class Bot:
            def _params(self, q):
                return {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "Answer in French."},
                                                            {"role": "user", "content": q}], **self.extra}
            def ask(self, q):
                return self.client.chat.completions.create(**self._params(q))
        """
    )
    assert (site.model, site.cap, site.capped) == ("gpt-4o-mini", None, True)  # **self.extra may carry a cap
    assert texts(site)[0] == ("system", "Answer in French.")


def test_update_of_an_unknown_dict_does_not_lose_what_was_read_before():
    site = only_call(
        """
        import openai
        def ask(client, q, extra):
            kwargs = dict(model="gpt-4o", messages=[{"role": "user", "content": q}])
            kwargs.update(extra)
            kwargs["max_tokens"] = 1
            return client.chat.completions.create(**kwargs)
        """
    )
    assert (site.model, site.cap) == ("gpt-4o", 1)


@pytest.mark.parametrize(
    "data",
    [
        b"c.chat(model='x', messages=m)",
        b'params = {"model": m}\nclient.messages.create(**params)',
        b"x.converse(modelId=m)",
    ],
)
def test_the_pre_filter_admits_any_call_naming_a_model_or_messages(data):
    assert may_hold_prompts(data)
    assert not may_hold_prompts(b"def add(a, b):\n    return a + b\n")
    assert not may_hold_prompts(b"# a comment about the model= keyword, and nothing else\n")
    assert may_hold_prompts(b"X = 1\n", path="app/prompts/system.py")  # a prompt module by its name


@pytest.mark.parametrize(
    ("line", "api"),
    [
        ("client.chat.completions.create_partial(model='m', messages=[], response_model=U)", "create_partial"),
        ("client.chat.completions.create_iterable(model='m', messages=[], response_model=U)", "create_iterable"),
        ("client.chat.completions.create_with_completion(model='m', messages=[], response_model=U)", "with_comp"),
        ("client.messages.create_partial(model='m', messages=[], response_model=U)", "messages.create_partial"),
        ("client.create(response_model=U, messages=[{'role': 'user', 'content': 'x'}])", "instructor.create"),
        ("client.completions.create(model='gpt-3.5-turbo-instruct', prompt='Say this is a test')", "completions"),
        ("client.beta.threads.runs.create(thread_id=t, assistant_id=a, instructions='Be short.')", "runs.create"),
        ("client.converse(modelId='m', messages=[], inferenceConfig={'maxTokens': 5})", "bedrock.converse"),
        ("ollama.chat(model='llama3', messages=[])", "ollama.chat"),
        ("client.chat.complete(model='mistral-small', messages=[])", "mistral.chat.complete"),
    ],
)
def test_sdk_methods_of_wrappers_and_other_providers(line, api):
    header = "import instructor, openai, boto3, ollama\nfrom mistralai import Mistral\n"
    site = only_call(header + f"def f(client, t, a, U):\n    {line}\n")
    assert api.replace("with_comp", "create_with_completion") in site.api


def test_legacy_completions_prompt_and_responses_instructions_are_texts():
    found = scanned(
        """
        import openai
        openai.completions.create(model="gpt-3.5-turbo-instruct", prompt="Write a tagline for an ice cream shop.")
        openai.responses.create(model="gpt-5", instructions="Talk like a pirate.", input="Are semicolons optional?")
        """
    )
    assert [texts(s) for s in found.calls] == [
        [("user", "Write a tagline for an ice cream shop.")],
        [("system", "Talk like a pirate."), ("user", "Are semicolons optional?")],
    ]


def test_a_bedrock_converse_call_reads_its_system_blocks_and_cap():
    site = only_call(
        """
        import boto3
        def ask(client, q):
            return client.converse(modelId="anthropic.claude-3-haiku", system=[{"text": "Reply in one line."}],
                                   messages=[{"role": "user", "content": [{"text": q}]}],
                                   inferenceConfig={"maxTokens": 64})
        """
    )
    assert (site.cap, texts(site)) == (64, [("system", "Reply in one line."), ("user", "{q}")])


def test_prompt_classes_and_prompt_modules_hold_prompts_whatever_their_names(tmp_path):
    source = textwrap.dedent(
        """
        class EditPrompts:
            main_system = "Act as an expert software developer who writes clean code."
            files_content_prefix = "I have added these files to the chat so you can edit them."
            example_messages = [
                dict(role="user", content="Change get_factorial() to use math.factorial"),
                dict(role="assistant", content="To make this change we need to import math."),
            ]
            short = "Ok."
        commit_system = "You generate concise one-line git commit messages for a diff."
        """
    )
    path = tmp_path / "edit_prompts.py"
    path.write_text(source)
    names = sorted(p.name for p in parse_python(str(path), path.read_bytes()))
    assert names == ["EditPrompts.example_messages", "EditPrompts.files_content_prefix", "EditPrompts.main_system",
                     "commit_system"]  # fmt: skip
    (tmp_path / "app").mkdir()
    elsewhere = tmp_path / "app" / "helpers.py"
    elsewhere.write_text("import openai\nwelcome_text = 'Welcome back to the billing portal today.'\n")
    assert parse_python(str(elsewhere), elsewhere.read_bytes()) == []  # not a prompt module, not a prompt name


def test_framework_objects_hold_their_system_prompt_and_model():
    found = scanned(
        """
        from agents import Agent
        def triage_instructions(context):
            return f"You triage requests for {context['company']} and hand them to the right agent."
        helper = Agent(name="Helper", instructions="You only answer questions about billing.", model="gpt-4o-mini")
        triage = Agent(name="Triage", instructions=triage_instructions)
        bot = Bot(system_prompt="You are a patient support agent for a bank.")
        short = Agent(name="x", instructions="Be brief.")
        """
    )
    rows = build.prompts(found)
    assert [(p.name, p.model) for p in rows] == [("Agent@5", "gpt-4o-mini"), ("Agent@6", None), ("Bot@7", None)]
    assert rows[1].text.startswith("You triage requests for {context['company']}")


def test_a_module_alias_of_an_sdk_method_is_a_call():
    site = only_call(
        """
        if USE_LITELLM:
            import litellm
            completion = litellm.completion
        else:
            from openai import OpenAI
            client = OpenAI()
            completion = client.chat.completions.create
        def ask(messages):
            return completion(model="gpt-4o", messages=messages, stream=True)
        """
    )
    assert (site.api, site.model, site.line) == ("litellm.completion", "gpt-4o", 10)


def test_an_sdk_method_handed_to_a_retry_helper_is_a_call():
    site = only_call(
        """
        import openai
        class Model:
            def generate(self, kwargs):
                return self.retryer(self.client.chat.completions.create, model="gpt-4o", max_tokens=9, **kwargs)
        """
    )
    assert (site.api, site.model, site.cap) == ("openai.chat.completions.create", "gpt-4o", 9)


def test_langchain_chat_models_and_the_invoke_family_are_calls():
    found = scanned(
        """
        from langchain_openai import ChatOpenAI
        llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=200)
        def ask(q, X):
            a = llm.invoke([("system", "You are a terse reviewer of pull requests."), ("human", q)])
            b = llm.with_structured_output(X).invoke("Extract the names of the people in this text.")
            c = self.chat_model.ainvoke(q)
            d = parser.invoke(q)
        """
    )
    calls = found.calls
    assert [(c.line, c.model, c.cap) for c in calls] == [(5, "gpt-4o-mini", 200), (6, "gpt-4o-mini", 200),
                                                          (7, None, None)]  # fmt: skip
    assert texts(calls[0]) == [("system", "You are a terse reviewer of pull requests."), ("user", "{q}")]
    assert calls[2].capped  # a model object built elsewhere: its cap is set there


def test_replace_on_a_known_constant_keeps_the_static_text():
    site = only_call(
        """
        import openai
        PROMPT = "Summarise {{document}} for a busy reader in three bullet points."
        def ask(client, doc):
            return client.chat.completions.create(model="gpt-4o", messages=[
                {"role": "user", "content": PROMPT.replace("{{document}}", doc)}])
        """
    )
    assert texts(site) == [("user", "Summarise {doc} for a busy reader in three bullet points.")]


def test_a_typed_system_block_bound_to_a_local_is_read_with_its_constant():
    site = only_call(
        """
        import anthropic
        SYSTEM_PROMPT = "You are utilising an Ubuntu virtual machine with internet access."
        def loop(client, messages, suffix):
            system = BetaTextBlockParam(type="text", text=f"{SYSTEM_PROMPT}{' ' + suffix if suffix else ''}")
            return client.beta.messages.create(model="claude-sonnet-4-5", max_tokens=4096, system=[system],
                                               messages=messages)
        """
    )
    system = site.messages[0]
    assert system.role == "system" and system.text.text.startswith("You are utilising an Ubuntu virtual machine")


def test_a_constant_imported_by_several_modules_is_one_row(tmp_path):
    (tmp_path / "prompts.py").write_text('SYSTEM_PROMPT = "You answer questions about invoices only."\n')
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("import openai\nfrom prompts import SYSTEM_PROMPT\nCOPY_PROMPT = SYSTEM_PROMPT\n")
    prompts, errors = gather_prompts([str(tmp_path)], (".py",))
    assert errors == [] and [p.name for p in prompts] == ["SYSTEM_PROMPT"]


def test_a_constant_sent_by_a_call_is_counted_inside_the_call(tmp_path):
    (tmp_path / "prompts.py").write_text('SYSTEM_PROMPT = "You answer questions about invoices only."\n')
    (tmp_path / "app.py").write_text(
        "import openai\nfrom prompts import SYSTEM_PROMPT\n"
        "def f(c, q):\n    c.chat.completions.create(model='gpt-4o', max_tokens=5, messages=[\n"
        "        {'role': 'system', 'content': SYSTEM_PROMPT}, {'role': 'user', 'content': q}])\n"
    )
    prompts, _ = gather_prompts([str(tmp_path)], (".py",))
    assert [p.name for p in prompts] == ["chat.completions.create@4"]


def test_one_level_of_project_wrapper_functions_is_followed():
    found = scanned(
        """
        from openai import OpenAI
        client = OpenAI()
        def gpt_call(prompt, system="You are a helpful assistant for our finance team."):
            return client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=[
                {"role": "system", "content": system}, {"role": "user", "content": prompt}])
        def report(rows):
            return gpt_call("Summarise these invoice rows in three short bullet points: " + str(rows))
        """
    )
    rows = build.prompts(found)
    assert [p.name for p in rows] == ["chat.completions.create@5", "gpt_call@8"]
    assert rows[1].text.startswith("Summarise these invoice rows in three short bullet points: {str(rows)}")


def test_held_out_findings_settings_built_by_a_helper_and_assistant_thread_messages():
    """Two scanner bugs the held-out part found (scored before they were fixed; docs/python-sources.md)."""
    bedrock = only_call(
        """
        import boto3
        class Bedrock:
            def ask(self, messages):
                return self.client.converse(modelId=self.model, messages=messages,
                                            inferenceConfig=self._build_inference_config())
        """
    )
    assert (bedrock.cap, bedrock.capped) == (None, True)  # the helper may set maxTokens
    found = scanned("import openai\ndef f(client, params):\n    client.beta.threads.messages.create(**params)\n")
    assert [c.generates for c in found.calls] == [False] and build.prompts(found) == []  # a thread message
