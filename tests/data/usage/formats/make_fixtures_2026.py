"""Write the 2026 usage-shape fixtures (run once; the files are committed, this script documents how they were made).

Hand-written from each format's documentation (the versions are in README.md beside them): no public
recording of these shapes was found in a published package to read through tests/realdata.py.
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
NS = 1_000_000_000
T = {"S1": 1793613600, "S2": 1793617200, "S3": 1793696400, "S4": 1793700000, "S5": 1793703600, "S6": 1793707200}


def attr(key, value):
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}
    elif isinstance(value, list):
        v = {"arrayValue": {"values": [{"stringValue": s} for s in value]}}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}


def span(name, start, attrs, span_id):
    return {"traceId": "7f3a9c2e1d4b5a6f8e9d0c1b2a3f4e5d", "spanId": span_id, "name": name, "kind": 3,
            "startTimeUnixNano": str(start * NS), "endTimeUnixNano": str(start * NS + 900_000_000),
            "attributes": [attr(k, v) for k, v in attrs.items()], "status": {}}


def export(service, scope, spans):
    return {"resourceSpans": [{"resource": {"attributes": [attr("service.name", service)]},
            "scopeSpans": [{"scope": {"name": scope}, "spans": spans}]}]}


# S1: the 2026 semantic-convention names (semantic-conventions-genai: cache_write, reasoning)
s1 = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.response.model": "claude-sonnet-4-5-20250929", "gen_ai.usage.input_tokens": 4700,
      "gen_ai.usage.cache_read.input_tokens": 3000, "gen_ai.usage.cache_write.input_tokens": 1500,
      "gen_ai.usage.output_tokens": 450, "gen_ai.usage.reasoning.output_tokens": 120,
      "gen_ai.response.finish_reasons": ["end_turn"], "app.prompt": "draft-reply"}
# S2: per-modality parts of the totals
s2 = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.text.input_tokens": 1000, "gen_ai.usage.image.input_tokens": 200,
      "gen_ai.usage.cache_read.input_tokens": 1024, "gen_ai.usage.text.cache_read.input_tokens": 1024,
      "gen_ai.usage.output_tokens": 300, "gen_ai.usage.text.output_tokens": 300,
      "gen_ai.response.finish_reasons": ["stop"], "app.prompt": "support-triage", "app.route": "primary"}
# S3: an older SDK's underscore spellings (OpenLLMetry-style)
s3 = {"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.prompt_tokens": 5000, "gen_ai.usage.completion_tokens": 4096,
      "gen_ai.usage.cache_read_input_tokens": 0, "gen_ai.usage.reasoning_tokens": 0,
      "gen_ai.response.finish_reasons": ["length"], "app.prompt": "summarise-ticket", "app.route": "fallback"}
# S4: a Vercel AI SDK call span (ai.generateText.doGenerate) and its root span (ai.generateText: not counted)
s4 = {"operation.name": "ai.generateText.doGenerate", "ai.operationId": "ai.generateText.doGenerate",
      "ai.model.id": "gemini-2.5-flash", "ai.model.provider": "google.generative-ai",
      "gen_ai.system": "google.generative-ai", "gen_ai.request.model": "gemini-2.5-flash",
      "gen_ai.response.model": "gemini-2.5-flash", "gen_ai.usage.input_tokens": 2000,
      "gen_ai.usage.input_tokens.cached": 1000, "gen_ai.usage.output_tokens": 200,
      "ai.usage.promptTokens": 2000, "ai.usage.completionTokens": 200, "ai.usage.reasoningTokens": 50,
      "ai.response.finishReason": "stop", "gen_ai.response.finish_reasons": ["stop"], "app.prompt": "classify-intent"}
s4_root = {"operation.name": "ai.generateText", "ai.operationId": "ai.generateText", "ai.model.id": "gemini-2.5-flash",
           "ai.usage.promptTokens": 2000, "ai.usage.completionTokens": 200, "app.prompt": "classify-intent"}
# S5: the Vercel AI SDK with Anthropic left cache reads out of the input: input (200) < cache reads (3,000)
s5 = {"operation.name": "ai.streamText.doStream", "ai.operationId": "ai.streamText.doStream",
      "gen_ai.system": "anthropic.messages", "gen_ai.request.model": "claude-sonnet-4-5-20250929",
      "gen_ai.response.model": "claude-sonnet-4-5-20250929", "gen_ai.usage.input_tokens": 200,
      "ai.usage.cachedInputTokens": 3000, "gen_ai.usage.output_tokens": 450, "app.prompt": "draft-reply"}
# S6: an emitter whose output leaves its reasoning tokens out: output (100) < reasoning (500)
s6 = {"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 800, "gen_ai.usage.output_tokens": 100,
      "gen_ai.usage.reasoning.output_tokens": 500, "app.prompt": "classify-intent"}
# a per-modality count that is no count: refused
bad = dict(s2, **{"gen_ai.usage.image.input_tokens": "-3"})

lines = [
    export("drafting", "opentelemetry.instrumentation.anthropic", [span("chat claude-sonnet-4-5", T["S1"], s1, "c1")]),
    export("support-api", "opentelemetry.instrumentation.openai_v2", [span("chat gpt-4o", T["S2"], s2, "c2"),
                                                                     span("chat gpt-4o", T["S2"] + 7, bad, "c7")]),
    export("summariser", "opentelemetry.instrumentation.openai", [span("openai.chat", T["S3"], s3, "c3")]),
    export("next-app", "ai", [span("ai.generateText", T["S4"], s4_root, "c4"),
                              span("ai.generateText.doGenerate", T["S4"], s4, "c5")]),
    export("next-app", "ai", [span("ai.streamText.doStream", T["S5"], s5, "c6")]),
    export("reasoner", "custom", [span("chat", T["S6"], s6, "c8")]),
]
with open(os.path.join(OUT, "otel_genai_2026.jsonl"), "w", encoding="utf-8") as f:
    f.write("".join(json.dumps(line) + "\n" for line in lines))
