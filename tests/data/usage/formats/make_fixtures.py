"""Write the usage-format fixtures (run once; the files are committed, this script documents how they were made).

The same four requests appear in every per-request format (see README.md beside the fixtures):
R1 OpenAI gpt-4o-2024-08-06, R2 Anthropic claude-sonnet-4-5-20250929, R3 OpenAI gpt-4o-mini (capped), R4 Gemini
gemini-2.5-flash with thinking tokens. Each file adds the rows that format gets wrong in real life.
"""
import csv, io, json, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)) + "/fixtures"
NS = 1_000_000_000
T1, T2, T3, T4 = 1793610000, 1793613600, 1793700000, 1793703600  # 2026-11-02T09:00Z, 10:00Z, 2026-11-03T10:00Z, 11:00Z

def iso(t, frac=""):
    import datetime as dt
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"

def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)

# ---------------- OTLP JSON (file exporter: one ExportTraceServiceRequest / ExportLogsServiceRequest per line)
def attr(key, value):
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}  # proto3 JSON: int64 as a string
    elif isinstance(value, float):
        v = {"doubleValue": value}
    elif isinstance(value, list):
        v = {"arrayValue": {"values": [{"stringValue": s} for s in value]}}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}

def span(name, start, attrs, span_id):
    return {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": span_id, "parentSpanId": "eee19b7ec3c1b173",
            "name": name, "kind": 3, "startTimeUnixNano": str(start * NS), "endTimeUnixNano": str(start * NS + 850_000_000),
            "attributes": [attr(k, v) for k, v in attrs.items()], "status": {}}

def resource_spans(service, spans):
    return {"resourceSpans": [{"resource": {"attributes": [attr("service.name", service)]},
            "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.genai", "version": "0.3b0"}, "spans": spans}]}]}

r1 = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.cache_read.input_tokens": 1024, "gen_ai.usage.output_tokens": 300,
      "gen_ai.response.finish_reasons": ["stop"], "app.prompt": "support-triage", "app.route": "primary"}
http = {"http.request.method": "POST", "url.full": "https://api.openai.com/v1/chat/completions", "http.response.status_code": 200}
# Legacy (v1.36.0 and before): gen_ai.system instead of gen_ai.provider.name
r2 = {"gen_ai.operation.name": "chat", "gen_ai.system": "anthropic", "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.response.model": "claude-sonnet-4-5-20250929", "gen_ai.usage.input_tokens": 4700,
      "gen_ai.usage.cache_read.input_tokens": 3000, "gen_ai.usage.cache_creation.input_tokens": 1500,
      "gen_ai.usage.output_tokens": 450, "gen_ai.response.finish_reasons": ["end_turn"], "app.prompt": "draft-reply"}
no_model = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.usage.input_tokens": 10,
            "gen_ai.usage.output_tokens": 5}
negative = dict(r1, **{"gen_ai.usage.output_tokens": -5})
otlp = [
    resource_spans("support-api", [span("chat gpt-4o", T1, r1, "a1"), span("POST", T1, http, "a2")]),
    resource_spans("drafting", [span("chat claude-sonnet-4-5", T2, r2, "b1"), span("chat", T2 + 5, no_model, "b2"),
                                span("chat gpt-4o", T2 + 9, negative, "b3")]),
]
write("otlp_traces.jsonl", "".join(json.dumps(o) + "\n" for o in otlp) + '{"resourceSpans": [{"resource": {"attr\n')

def log_record(t, attrs):
    return {"timeUnixNano": str(t * NS), "observedTimeUnixNano": str(t * NS + 1000), "eventName":
            "gen_ai.client.inference.operation.details", "severityNumber": 9, "body": {},
            "attributes": [attr(k, v) for k, v in attrs.items()]}

r3 = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18", "gen_ai.usage.input_tokens": 5000,
      "gen_ai.usage.output_tokens": 4096, "gen_ai.response.finish_reasons": ["length"], "app.prompt": "summarise-ticket",
      "app.route": "fallback"}
r4 = {"gen_ai.operation.name": "generate_content", "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.model": "gemini-2.5-flash", "gen_ai.usage.input_tokens": 2000,
      "gen_ai.usage.cache_read.input_tokens": 1000, "gen_ai.usage.output_tokens": 200,
      "gen_ai.usage.reasoning.output_tokens": 50, "gen_ai.response.finish_reasons": ["stop"], "app.prompt": "classify-intent"}
too_cached = dict(r4, **{"gen_ai.usage.cache_read.input_tokens": 20000})
logs = {"resourceLogs": [{"resource": {"attributes": [attr("service.name", "batch-worker")]}, "scopeLogs": [
    {"scope": {"name": "opentelemetry.instrumentation.genai"}, "logRecords": [
        log_record(T3, r3), log_record(T4, r4), log_record(T4 + 1, too_cached),
        {"timeUnixNano": str(T4 * NS), "severityText": "INFO", "body": {"stringValue": "worker started"}, "attributes": []}]}]}]}
write("otlp_logs.jsonl", json.dumps(logs) + "\n")

# ---------------- LiteLLM spend logs (LiteLLM_SpendLogs rows as /spend/logs returns them)
def litellm_row(rid, t, model, provider, prompt, completion, spend, tags, usage_extra, status="success", end_user=""):
    return {"request_id": rid, "call_type": "acompletion", "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
            "spend": spend, "total_tokens": prompt + completion, "prompt_tokens": prompt, "completion_tokens": completion,
            "startTime": iso(t, ".120000"), "endTime": iso(t + 1, ".020000"), "model": model, "model_group": model.split("/")[-1],
            "custom_llm_provider": provider, "api_base": "", "user": "", "end_user": end_user,
            "metadata": {"user_api_key_alias": "support-bot", "user_api_key_team_alias": "support", "status": status,
                         "additional_usage_values": usage_extra, "spend_logs_metadata": {"prompt": tags[0].split(":", 1)[1]} if tags else None},
            "cache_hit": "False", "cache_key": "", "request_tags": tags, "team_id": "team-support", "status": status}

litellm = [
    litellm_row("chatcmpl-R1", T1, "gpt-4o-2024-08-06", "openai", 1200, 300, 0.00472, ["prompt:support-triage", "route:primary"],
                {"prompt_tokens_details": {"cached_tokens": 1024}, "completion_tokens_details": {"reasoning_tokens": 0}}),
    litellm_row("msg_R2", T2, "claude-sonnet-4-5-20250929", "anthropic", 4700, 450, 0.015, ["prompt:draft-reply"],
                {"cache_read_input_tokens": 3000, "cache_creation_input_tokens": 1500,
                 "cache_creation_token_details": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 500}}),
    litellm_row("chatcmpl-R3", T3, "gpt-4o-mini-2024-07-18", "openai", 5000, 4096, 0.0032076, ["prompt:summarise-ticket", "route:fallback"],
                {"prompt_tokens_details": {"cached_tokens": 0}}),
    litellm_row("gem-R4", T4, "gemini/gemini-2.5-flash", "gemini", 2000, 200, 0.00083, ["prompt:classify-intent"],
                {"prompt_tokens_details": {"cached_tokens": 1000}, "completion_tokens_details": {"reasoning_tokens": 50}}),
    litellm_row("fail-1", T4 + 60, "gpt-4o-2024-08-06", "openai", 0, 0, 0.0, ["prompt:support-triage"], {}, status="failure"),
]
bad_model = litellm_row("bad-model", T4 + 120, "x", "openai", 10, 5, 0.0, [], {})
bad_model["model"] = 123
litellm.append(bad_model)
write("litellm_spend_logs.json", json.dumps(litellm, indent=1) + "\n")

cols = ["request_id", "call_type", "startTime", "endTime", "model", "model_group", "custom_llm_provider", "prompt_tokens",
        "completion_tokens", "total_tokens", "spend", "request_tags", "metadata", "status"]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(cols)
for row in litellm[:5]:
    w.writerow([json.dumps(row[c]) if isinstance(row[c], (dict, list)) else row[c] for c in cols])
w.writerow(["trunc-1", "acompletion", iso(T4 + 200), "", "gpt-4o-2024-08-06", "gpt-4o", "openai", "12"])  # short row
w.writerow(["huge-1", "acompletion", iso(T4 + 300), iso(T4 + 301), "gpt-4o-2024-08-06", "gpt-4o", "openai", "1e400", "5", "", "0", "[]", "{}", "success"])
write("litellm_spend_logs.csv", buf.getvalue())

# ---------------- Langfuse observations (GET /api/public/observations page)
def obs(oid, t, model, usage, name, prompt, otype="GENERATION", metadata=None):
    return {"id": oid, "traceId": "trace-" + oid, "type": otype, "name": name, "startTime": iso(t, ".000"),
            "endTime": iso(t + 1, ".000"), "completionStartTime": iso(t, ".400"), "model": model, "modelParameters": {"temperature": "0"},
            "input": None, "output": None, "version": None, "metadata": metadata or {"route": "primary"},
            "usageDetails": usage, "costDetails": {}, "level": "DEFAULT", "statusMessage": None, "parentObservationId": None,
            "promptId": None, "promptName": prompt, "promptVersion": 3 if prompt else None, "environment": "production"}

langfuse = {"data": [
    # OpenAI integration: input excludes cached tokens, which are their own usage type
    obs("o1", T1, "gpt-4o-2024-08-06", {"input": 176, "input_cached_tokens": 1024, "output": 300, "output_reasoning_tokens": 0, "total": 1500},
        "chat-completion", "support-triage"),
    # Anthropic integration: Anthropic's own usage keys
    obs("o2", T2, "claude-sonnet-4-5-20250929", {"input": 200, "cache_read_input_tokens": 3000, "cache_creation_input_tokens": 1500,
        "ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 500, "output": 450, "total": 5150}, "draft", "draft-reply"),
    obs("o3", T3, "gpt-4o-mini-2024-07-18", {"input": 5000, "output": 4096, "total": 9096}, "summarise", "summarise-ticket",
        metadata={"route": "fallback", "finish_reason": "length"}),
    obs("o4", T4, "gemini-2.5-flash", {"input": 1000, "input_cache_read": 1000, "output": 150, "output_reasoning": 50, "total": 2200},
        "classify", "classify-intent"),
    obs("s1", T4, None, None, "retrieve-docs", None, otype="SPAN"),
    obs("o5", T4 + 5, ["gpt-4o"], {"input": 10, "output": 1}, "weird", None),
    obs("o6", T4 + 6, "gpt-4o-2024-08-06", {"input": 1e300, "output": 1}, "huge", None),
], "meta": {"page": 1, "limit": 50, "totalItems": 7, "totalPages": 1}}
write("langfuse_observations.json", json.dumps(langfuse, indent=1) + "\n")

# ---------------- Helicone (@helicone/export JSONL rows, HeliconeRequest)
def heli(rid, t, model, provider, prompt, read, write_, completion, reasoning, props, status=200):
    return {"request_id": rid, "request_created_at": iso(t, ".000"), "response_created_at": iso(t + 1, ".000"),
            "response_status": status, "request_model": model, "response_model": model, "model": model, "provider": provider,
            "prompt_tokens": prompt, "prompt_cache_read_tokens": read, "prompt_cache_write_tokens": write_,
            "completion_tokens": completion, "reasoning_tokens": reasoning, "total_tokens": prompt + completion,
            "costUSD": None, "request_properties": props, "request_user_id": "user-42", "request_path": "/v1/chat/completions",
            "delay_ms": 850, "time_to_first_token": 310, "cache_enabled": False}

helicone = [
    heli("h1", T1, "gpt-4o-2024-08-06", "OPENAI", 1200, 1024, 0, 300, 0, {"prompt": "support-triage", "route": "primary"}),
    # Anthropic through Helicone: prompt_tokens is Anthropic's uncached input_tokens, cache reads/writes separate
    heli("h2", T2, "claude-sonnet-4-5-20250929", "ANTHROPIC", 200, 3000, 1500, 450, 0, {"prompt": "draft-reply"}),
    heli("h3", T3, "gpt-4o-mini-2024-07-18", "OPENAI", 5000, 0, 0, 4096, 0, {"prompt": "summarise-ticket", "route": "fallback"}),
    heli("h4", T4, "gemini-2.5-flash", "GOOGLE", 2000, 1000, 0, 200, 50, {"prompt": "classify-intent"}),
]
missing = heli("h5", T4 + 9, "gpt-4o-2024-08-06", "OPENAI", 0, 0, 0, 0, 0, {})
del missing["prompt_tokens"], missing["completion_tokens"]
helicone.append(missing)
bool_model = heli("h6", T4 + 10, True, "OPENAI", 5, 0, 0, 1, 0, {})
helicone.append(bool_model)
write("helicone_export.jsonl", "".join(json.dumps(h) + "\n" for h in helicone))
hcols = ["request_id", "request_created_at", "model", "provider", "prompt_tokens", "prompt_cache_read_tokens",
         "prompt_cache_write_tokens", "completion_tokens", "reasoning_tokens", "total_tokens", "costUSD", "request_properties"]
buf = io.StringIO(); w = csv.writer(buf, lineterminator="\n"); w.writerow(hcols)
for h in helicone[:4]:
    w.writerow([json.dumps(h[c]) if isinstance(h[c], dict) else ("" if h[c] is None else h[c]) for c in hcols])
w.writerow(["h7", iso(T4 + 20), "gpt-4o-2024-08-06", "OPENAI", "-40", "0", "0", "3", "0", "-37", "", "{}"])
write("helicone_export.csv", buf.getvalue())

# ---------------- OpenAI organisation usage API: /v1/organization/usage/completions (group_by=model,batch), and costs
def oa_result(model, inp, cached, out, n, batch):
    return {"object": "organization.usage.completions.result", "input_tokens": inp, "output_tokens": out,
            "input_cached_tokens": cached, "input_audio_tokens": 0, "output_audio_tokens": 0, "num_model_requests": n,
            "project_id": None, "user_id": None, "api_key_id": None, "model": model, "batch": batch, "service_tier": None}
openai_usage = {"object": "page", "data": [
    {"object": "bucket", "start_time": 1793577600, "end_time": 1793664000, "results": [
        oa_result("gpt-4o-2024-08-06", 1_200_000, 1_024_000, 300_000, 1000, False)]},
    {"object": "bucket", "start_time": 1793664000, "end_time": 1793750400, "results": [
        oa_result("gpt-4o-mini-2024-07-18", 5_000_000, 0, 4_096_000, 1000, False),
        oa_result("gpt-4o-mini-2024-07-18", 2_000_000, 0, 500_000, 400, True)]},
    {"object": "bucket", "start_time": 1793750400, "end_time": 1793836800, "results": []},
], "has_more": False, "next_page": None}
write("openai_usage_completions.json", json.dumps(openai_usage, indent=2) + "\n")
openai_costs = {"object": "page", "data": [{"object": "bucket", "start_time": 1793577600, "end_time": 1793664000, "results": [
    {"object": "organization.costs.result", "amount": {"value": 6.2, "currency": "usd"}, "line_item": None, "project_id": None}]}],
    "has_more": False, "next_page": None}
write("openai_costs.json", json.dumps(openai_costs, indent=2) + "\n")

# ---------------- Anthropic Usage & Cost API: /v1/organizations/usage_report/messages (group_by=model,service_tier)
def an_result(model, tier, uncached, read, w5, w1h, out, searches=0):
    return {"uncached_input_tokens": uncached, "cache_creation": {"ephemeral_1h_input_tokens": w1h, "ephemeral_5m_input_tokens": w5},
            "cache_read_input_tokens": read, "output_tokens": out, "server_tool_use": {"web_search_requests": searches},
            "api_key_id": None, "workspace_id": None, "model": model, "service_tier": tier, "context_window": "0-200k"}
anthropic_usage = {"data": [
    {"starting_at": "2026-11-02T00:00:00Z", "ending_at": "2026-11-03T00:00:00Z", "results": [
        an_result("claude-sonnet-4-5-20250929", "standard", 200_000, 3_000_000, 1_000_000, 500_000, 450_000)]},
    {"starting_at": "2026-11-03T00:00:00Z", "ending_at": "2026-11-04T00:00:00Z", "results": [
        an_result("claude-sonnet-4-5-20250929", "batch", 100_000, 0, 0, 0, 50_000)]},
], "has_more": False, "next_page": None}
write("anthropic_usage_report.json", json.dumps(anthropic_usage, indent=2) + "\n")

# ---------------- A warehouse table (CSV with a documented column mapping; Parquet is written from it in the tests)
gcols = ["event_time", "llm_model", "tokens_in", "tokens_cached", "tokens_out", "feature", "stop"]
rows = [[iso(T1), "gpt-4o-2024-08-06", 1200, 1024, 300, "support-triage", "stop"],
        [iso(T3), "gpt-4o-mini-2024-07-18", 5000, 0, 4096, "summarise-ticket", "length"],
        [iso(T4), "gemini-2.5-flash", 2000, 1000, 200, "classify-intent", "stop"],
        [iso(T4 + 1), "gpt-4o-2024-08-06", "", 0, 7, "support-triage", "stop"],
        [iso(T4 + 2), "gpt-4o-2024-08-06", 100, 900, 7, "support-triage", "stop"]]
buf = io.StringIO(); w = csv.writer(buf, lineterminator="\n"); w.writerow(gcols); w.writerows(rows)
write("warehouse.csv", buf.getvalue())
print("wrote fixtures to", OUT)
