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


# ---------------- Anthropic Usage and Cost Analytics API, GET /v1/organizations/analytics/usage (beta
# analytics-usage-cost-2026-08-24), group_by=model,service_tier,speed,context_window,inference_geo
def analytics(day, group, per_request, requests):
    usage = {"uncached_input_tokens": per_request[0] * requests, "cache_read_input_tokens": per_request[1] * requests,
             "cache_creation": {"ephemeral_5m_input_tokens": per_request[2] * requests,
                                "ephemeral_1h_input_tokens": per_request[3] * requests},
             "output_tokens": per_request[4] * requests, "requests": requests,
             "server_tool_use": {"web_search_requests": 0}}
    usage["total_tokens"] = sum(v for k, v in usage.items() if k.endswith("tokens")) + per_request[2] * requests + per_request[3] * requests
    base = {"model": None, "service_tier": None, "speed": None, "context_window": None, "inference_geo": None}
    return {"starting_at": f"{day}T00:00:00Z", "ending_at": f"{day}T23:59:59Z", "group": {**base, **group}, "usage": usage}


sonnet = "claude-sonnet-4-5-20250929"
anthropic_page = {"data": [
    analytics("2026-11-02", {"model": sonnet, "service_tier": "standard", "speed": "standard", "context_window": "0-200k", "inference_geo": "global"}, (200, 3000, 1000, 500, 450), 1000),
    analytics("2026-11-02", {"model": sonnet, "service_tier": "batch", "speed": "standard", "context_window": "0-200k", "inference_geo": "global"}, (1000, 0, 0, 0, 500), 100),
    analytics("2026-11-02", {"model": sonnet, "service_tier": "priority", "speed": "standard", "context_window": "0-200k", "inference_geo": "global"}, (2000, 0, 0, 0, 200), 50),
    analytics("2026-11-02", {"model": sonnet, "service_tier": "flex_discount", "speed": "standard", "context_window": "0-200k", "inference_geo": "global"}, (2000, 0, 0, 0, 200), 10),
    analytics("2026-11-03", {"model": sonnet, "service_tier": "standard", "speed": "standard", "context_window": "200k-1M", "inference_geo": "global"}, (250000, 0, 0, 0, 1000), 10),
    analytics("2026-11-03", {"model": sonnet, "service_tier": "standard", "speed": "fast", "context_window": "0-200k", "inference_geo": "global"}, (3000, 0, 0, 0, 300), 20),
    analytics("2026-11-03", {"model": sonnet, "service_tier": "standard", "speed": "standard", "context_window": "0-200k", "inference_geo": "us"}, (3000, 0, 0, 0, 300), 30),
], "has_more": False, "next_page": None}
with open(os.path.join(OUT, "anthropic_analytics_usage.json"), "w", encoding="utf-8") as f:
    json.dump(anthropic_page, f, indent=2)

# ---------------- OpenAI Usage API GET /v1/organization/usage/completions with input_cache_write_tokens (2026)
def openai_row(model, n, per_request, batch=False, tier=None):
    inp, cached, written, out = per_request
    row = {"object": "organization.usage.completions.result", "input_tokens": inp * n, "output_tokens": out * n,
           "input_cached_tokens": cached * n, "input_cache_write_tokens": written * n, "input_audio_tokens": 0,
           "output_audio_tokens": 0, "num_model_requests": n, "project_id": None, "user_id": None, "api_key_id": None,
           "model": model, "batch": batch, "service_tier": tier}
    return row

openai_page = {"object": "page", "data": [
    {"object": "bucket", "start_time": 1793577600, "end_time": 1793664000, "results": [
        openai_row("gpt-5-2025-08-07", 200, (6000, 4096, 1024, 800)),
        openai_row("gpt-5-2025-08-07", 50, (6000, 0, 0, 800), tier="flex"),
        openai_row("gpt-4o-mini-2024-07-18", 100, (5000, 0, 0, 400), batch=True)]}],
    "has_more": False, "next_page": None}
with open(os.path.join(OUT, "openai_usage_2026.json"), "w", encoding="utf-8") as f:
    json.dump(openai_page, f, indent=2)


# ---------------- Amazon Bedrock model-invocation logs (schemaType ModelInvocationLog, schemaVersion 1.0):
# S3 delivery (one record per line) and a CloudWatch Logs export event wrapping one as text
def bedrock(ts, model, operation, given, output, body, metadata=None):
    return {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": ts, "accountId": "123456789012",
            "identity": {"arn": "arn:aws:sts::123456789012:assumed-role/app/session"}, "region": "us-east-1",
            "requestId": "b9f0c2d4-0000-4000-8000-000000000001", "operation": operation, "modelId": model,
            "input": {"inputContentType": "application/json", **given},
            "output": {"outputContentType": "application/json", **output, "outputBodyJson": body},
            **({"requestMetadata": metadata} if metadata else {})}

converse = bedrock("2026-11-02T10:00:00Z", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "Converse",
                   {"inputTokenCount": 200, "cacheReadInputTokenCount": 3000, "cacheWriteInputTokenCount": 1500},
                   {"outputTokenCount": 450},
                   {"output": {"message": {"role": "assistant", "content": [{"text": "..."}]}}, "stopReason": "end_turn",
                    "usage": {"inputTokens": 200, "outputTokens": 450, "totalTokens": 5150, "cacheReadInputTokens": 3000,
                              "cacheWriteInputTokens": 1500, "cacheDetails": [{"ttl": "1h", "inputTokens": 500},
                                                                              {"ttl": "5m", "inputTokens": 1000}]}},
                   {"prompt": "draft-reply"})
invoke = bedrock("2026-11-03T09:00:00Z", "anthropic.claude-3-5-haiku-20241022-v1:0", "InvokeModel",
                 {"inputTokenCount": 5000}, {"outputTokenCount": 4096},
                 {"id": "msg_bdrk_01", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
                  "content": [{"type": "text", "text": "..."}], "stop_reason": "max_tokens",
                  "usage": {"input_tokens": 5000, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                            "output_tokens": 4096}}, {"prompt": "summarise-ticket"})
negative = bedrock("2026-11-03T09:30:00Z", "anthropic.claude-3-5-haiku-20241022-v1:0", "InvokeModel",
                   {"inputTokenCount": -7}, {"outputTokenCount": 10}, {})
cloudwatch = {"timestamp": 1793703600000, "message": json.dumps(bedrock(
    "2026-11-03T11:00:00Z", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "ConverseStream",
    {"inputTokenCount": 1200}, {"outputTokenCount": 300}, [{"contentBlockDelta": {"delta": {"text": "..."}}}],
    {"prompt": "support-triage"})), "ingestionTime": 1793703601000}
with open(os.path.join(OUT, "bedrock_invocation_logs.jsonl"), "w", encoding="utf-8") as f:
    f.write("".join(json.dumps(r) + "\n" for r in (converse, invoke, negative, cloudwatch)))


# ---------------- Raw server-sent-event stream logs, as a client wrote what it received (event:/data: lines)
def sse(events):
    out = []
    for name, data in events:
        if name:
            out.append(f"event: {name}")
        out.append("data: " + (data if isinstance(data, str) else json.dumps(data)))
        out.append("")
    return "\n".join(out) + "\n"

chat_id = "chatcmpl-stream-1"
chat = [(None, {"id": chat_id, "object": "chat.completion.chunk", "created": 1793613600, "model": "gpt-4o-2024-08-06",
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}], "usage": None}),
        (None, {"id": chat_id, "object": "chat.completion.chunk", "created": 1793613600, "model": "gpt-4o-2024-08-06",
                "choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": None}], "usage": None}),
        (None, {"id": chat_id, "object": "chat.completion.chunk", "created": 1793613600, "model": "gpt-4o-2024-08-06",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": None}),
        (None, {"id": chat_id, "object": "chat.completion.chunk", "created": 1793613600, "model": "gpt-4o-2024-08-06",
                "choices": [], "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500,
                                         "prompt_tokens_details": {"cached_tokens": 1024}}}),
        (None, "[DONE]")]
msg = {"id": "msg_stream_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929", "content": [],
       "stop_reason": None, "usage": {"input_tokens": 200, "cache_creation_input_tokens": 1500,
                                      "cache_read_input_tokens": 3000, "output_tokens": 1,
                                      "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 500}}}
anthropic = [("message_start", {"type": "message_start", "message": msg}),
             ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
             ("ping", {"type": "ping"}),
             ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}),
             ("content_block_stop", {"type": "content_block_stop", "index": 0}),
             ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                "usage": {"output_tokens": 450}}),
             ("message_stop", {"type": "message_stop"})]
resp = {"id": "resp_stream_1", "object": "response", "created_at": 1793700000, "status": "incomplete",
        "incomplete_details": {"reason": "max_output_tokens"}, "model": "gpt-4o-mini-2024-07-18", "output": [],
        "usage": {"input_tokens": 5000, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 4096,
                  "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 9096}}
responses = [("response.created", {"type": "response.created", "response": {**resp, "status": "in_progress", "usage": None}}),
             ("response.output_text.delta", {"type": "response.output_text.delta", "delta": "Sum"}),
             ("response.incomplete", {"type": "response.incomplete", "response": resp})]
gemini = [(None, {"candidates": [{"content": {"parts": [{"text": "A"}], "role": "model"}}], "modelVersion": "gemini-2.5-flash",
                  "usageMetadata": {"promptTokenCount": 2000, "totalTokenCount": 2000}}),
          (None, {"candidates": [{"content": {"parts": [{"text": "B"}], "role": "model"}, "finishReason": "STOP"}],
                  "modelVersion": "gemini-2.5-flash",
                  "usageMetadata": {"promptTokenCount": 2000, "candidatesTokenCount": 150, "thoughtsTokenCount": 50,
                                    "cachedContentTokenCount": 1000, "totalTokenCount": 2200}})]
with open(os.path.join(OUT, "sse_streams.log"), "w", encoding="utf-8") as f:
    f.write(sse(chat) + sse(anthropic) + sse(responses) + sse(gemini) + "data: {not json\n\n")
