"""The JS/TS scan on our own small files: calls, texts, imports across files, context, and bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter_typescript", reason="the [js] extra is not installed")

from promptaudit.errors import InputError, SkippedInput  # noqa: E402
from promptaudit.reading.code.js import parse_js, parsing  # noqa: E402
from promptaudit.reading.code.js.scan import scan  # noqa: E402
from promptaudit.reading.loading import gather_prompts  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "js"
ALL = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


@pytest.fixture(autouse=True)
def _in_data(monkeypatch):
    monkeypatch.chdir(DATA)


def calls(path: str) -> dict:
    found = scan(parsing.parse(path, Path(path).read_bytes())).calls
    return {site.line: site for site in found}


def prompts() -> dict:
    found, errors = gather_prompts(["app"], ALL)
    assert errors == []
    return {p.display: p for p in found}


def test_openai_calls_read_model_cap_texts_and_loops():
    sites = calls("app/support.ts")
    answer, triage = sites[8], sites[21]
    assert (answer.api, answer.model, answer.cap, answer.loop_line) == (
        "openai.chat.completions.create",
        "gpt-4.1",
        300,
        None,
    )
    system, user = answer.messages
    assert system.text.text == "You are a support assistant for Acme. Answer in two sentences.\nNever promise refunds."
    assert (system.text.pieces[0].path, system.text.pieces[0].line) == ("app/lib/prompts.ts", 4)
    assert user.text.text == "Question: {question}" and user.text.variables == ["question"]
    assert (triage.model, triage.cap, triage.capped, triage.loop_line) == ("gpt-4.1", None, False, 20)
    assert triage.messages[0].text.text == "Classify the ticket as billing, bug or other.\nReply with one word."


def test_commonjs_require_spread_options_and_anthropic_beta_blocks():
    site = calls("app/summarise.cjs")[8]
    assert (site.api, site.model, site.cap) == ("anthropic.beta.messages.create", "claude-haiku-4-5", 200)
    system, user = site.messages
    assert (system.kind, system.cache_breakpoint, system.text.pieces[0].path) == (
        "system",
        "5m",
        "app/summary_prompt.cjs",
    )
    assert user.text.text == "Summarise this:\n\n{text}"


def test_vercel_ai_sdk_provider_models_caps_and_latency():
    sites = calls("app/chat.tsx")
    stream, title = sites[9], sites[23]
    assert (stream.api, stream.provider, stream.model, stream.cap) == (
        "ai.streamText",
        "anthropic",
        "claude-sonnet-4-5",
        800,
    )
    assert stream.latency_bound and [m.role for m in stream.messages] == ["system", "*"]
    assert (title.provider, title.model, title.cap, title.capped) == ("openai", "gpt-4.1-mini", None, False)
    assert title.messages[0].text.text == "Write a five word title for: {text}"


def test_gemini_config_system_instruction_and_cap():
    site = calls("app/gemini.ts")[6]
    assert (site.api, site.model, site.cap) == ("google.models.generateContent", "gemini-2.5-flash", 60)
    assert [(m.role, m.text.text) for m in site.messages] == [
        ("system", "You are a poet who writes in plain words."),
        ("user", "Write a haiku about autumn leaves."),
    ]


def test_langchain_templates_and_models():
    found = scan(parsing.parse("app/translate.ts", Path("app/translate.ts").read_bytes()))
    (template,) = found.templates
    assert [m.text.text for m in template.messages] == [
        "You translate {input_language} to {output_language}. Keep names unchanged.",
        "{text}",
    ]
    assert template.messages[0].text.variables == ["input_language", "output_language"]
    (model,) = found.calls
    assert (model.api, model.model, model.cap, model.generates) == ("langchain.ChatOpenAI", "gpt-4o-mini", 256, False)


def test_rows_are_named_by_call_and_carry_model_and_cap():
    rows = prompts()
    assert sorted(rows) == [
        "app/chat.tsx#generateText@23", "app/chat.tsx#streamText@9", "app/gemini.ts#models.generateContent@6",
        "app/lib/prompts.ts#greetingPrompt", "app/summarise.cjs#beta.messages.create@8",
        "app/support.ts#chat.completions.create@21", "app/support.ts#chat.completions.create@8",
        "app/translate.ts#ChatPromptTemplate@4"]  # fmt: skip
    answer = rows["app/support.ts#chat.completions.create@8"]
    assert (answer.model, answer.max_tokens, answer.provider_format) == ("gpt-4.1", 300, "openai")
    assert rows["app/summarise.cjs#beta.messages.create@8"].provider_format == "anthropic"
    assert (
        rows["app/lib/prompts.ts#greetingPrompt"].parts[0].text == "Greet {name} warmly in one short sentence please."
    )


def test_a_syntax_error_is_one_note_and_the_rest_is_scanned():
    (row,) = parse_js("../js/broken/syntax_error.ts", (DATA / "broken/syntax_error.ts").read_bytes())
    assert row.name == "chat.completions.create@6" and row.max_tokens == 100
    assert row.notes == ["syntax error at line 13, column 8; scanned what parses"]


def test_odd_jsx_nesting_is_read_and_jsx_content_is_a_variable():
    (row,) = parse_js("broken/odd.jsx", (DATA / "broken/odd.jsx").read_bytes())
    assert [p.text for p in row.parts] == ["{<b>nope</b>}", "Label: {text}"]


def test_minified_bundles_non_utf8_and_declarations():
    with pytest.raises(SkippedInput, match="minified bundle"):
        parse_js("broken/bundle.min.js", (DATA / "broken/bundle.min.js").read_bytes())
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xe9 on line 2\)"):
        parse_js("broken/latin1.ts", (DATA / "broken/latin1.ts").read_bytes())
    assert parse_js("types.d.ts", b'export declare const SYSTEM_PROMPT: "openai";') == []


def test_a_file_that_names_no_sdk_or_prompt_is_not_parsed():
    assert parse_js("x.ts", b"export const add = (a: number, b: number) => a + b;\n" * 1000) == []


def test_huge_generated_files_scan_in_linear_time(tmp_path):
    def build(count: int) -> bytes:
        rows = "".join(
            f'  {{ role: "user", content: "Row {i} of the generated prompt file" }},\n' for i in range(count)
        )
        return ('import OpenAI from "openai";\nconst c = new OpenAI();\n'
                f'c.chat.completions.create({{ model: "gpt-4o", messages: [\n{rows}] }});\n').encode()  # fmt: skip

    def best(count: int) -> float:
        data, timings = build(count), []
        for _ in range(2):
            started = time.perf_counter()
            (row,) = parse_js("gen.ts", data)
            timings.append(time.perf_counter() - started)
            assert len(row.parts) == count
        return min(timings)

    small, large = best(2000), best(8000)
    assert large < small * 10  # 4x the input: linear is ~4x, quadratic would be 16x (slack for a loaded machine)


@pytest.mark.parametrize("config", ["[" * 100_000 + "]" * 100_000, '{"compilerOptions": {"paths": ' + "x" * 1_000_001])
def test_a_hostile_tsconfig_is_ignored_not_a_crash(tmp_path, config):
    """tsconfig.json is read by the one reader (capped at TSCONFIG_BYTES); JSON too deep or too big is no config."""
    (tmp_path / "tsconfig.json").write_text(config)
    (tmp_path / "app.ts").write_text(
        'import OpenAI from "openai";\nimport { SYSTEM } from "@/prompts";\nconst client = new OpenAI();\n'
        'await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n'
    )
    prompts, errors = gather_prompts([str(tmp_path / "app.ts")], ALL)
    assert [Path(p.display).name for p in prompts] == ["app.ts#chat.completions.create@4"] and errors == []
