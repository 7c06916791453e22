"""The SQL that reads provider-response JSON Lines in DuckDB, mirroring ``responses.fields`` rule for rule.

DuckDB counts only *clean* lines itself: the response where the file's first line has it (``BODIES``: the
line itself, ``response``, ``response.body`` of a batch output, ``result.message`` of an Anthropic batch),
with its usage under ``usage`` or ``usageMetadata``, every token count a plain JSON integer from 0 to the
bound, the model a string, times numbers or plain ISO text, tags strings. Every other line (bad values,
other formats, bare usage objects, unusual shapes) is a *leftover*, handed as its raw JSON text to the
streaming reader's own functions, so the two engines agree record for record (tests/usage/test_duck.py).
A JSON ``null`` reads as absent in both engines. SQL text here is built from constants only.
"""

from __future__ import annotations

import json

from promptaudit.usage.records.values import CAP_REASONS, MAX_MODEL_CHARS, MAX_REQUEST_TOKENS, TIME_KEYS

BODIES = {"root": "", "response": "response", "batch": "response.body", "anthropic-batch": "result.message"}
J = "JSON"
FINISH = [{"finish_reason": J, "finishReason": J}]
USAGE = {
    **{k: J for k in ("prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "total_tokens")},
    **{k: J for k in ("cache_read_input_tokens", "cache_creation_input_tokens")},
    "prompt_tokens_details": {"cached_tokens": J},
    "input_tokens_details": {"cached_tokens": J},
    "cache_creation": {"ephemeral_1h_input_tokens": J},
    "prompt_cache_hit_tokens": J,
    "service_tier": J,
    "server_tool_use": {"web_search_requests": J},
}
GEMINI = {k: J for k in ("promptTokenCount", "candidatesTokenCount", "cachedContentTokenCount", "thoughtsTokenCount",
                         "toolUsePromptTokenCount", "service_tier")}  # fmt: skip
GEMINI["server_tool_use"] = {"web_search_requests": J}
BODY = {"model": J, "modelVersion": J, "stop_reason": J, "status": J, "incomplete_details": {"reason": J},
        "choices": FINISH, "candidates": FINISH, "type": J, "object": J, **{k: J for k in TIME_KEYS},
        "usage": USAGE, "usageMetadata": GEMINI, "prompt_tokens": J, "input_tokens": J, "promptTokenCount": J,
        "service_tier": J, "output": [{"type": J}]}  # fmt: skip
FALSY = "('\"\"', '0', 'false', '0.0', '[]', '{}')"  # JSON values Python's ``or`` passes over
# Keys whose non-object values the typed read cannot see: a line holding one that reads as null is a leftover.
SHAPE_KEYS = {"choices": "choices", "candidates": "candidates", "input_tokens_details": "usage.input_tokens_details",
              "incomplete_details": "incomplete_details"}  # fmt: skip
OTHER_KEYS = ("resourceSpans", "resourceLogs", "data", "request_id", "request_created_at", "usageDetails", "traceId")
CAPS = "[" + ", ".join(f"'{r}'" for r in sorted(CAP_REASONS)) + "]"


def structure(body: str, tag_roots: tuple[str, ...]) -> dict:
    """The structure DuckDB reads each line into, for responses found at ``BODIES[body]``."""
    inner = {**BODY, **{key: J for key in tag_roots if key not in BODY}}
    root: dict = {key: J for key in (*TIME_KEYS, "model", "object", "custom_id", *OTHER_KEYS, *tag_roots)}
    root.update(response=J, result=J)
    if body == "root":
        root.update(inner)
    elif body == "response":
        root["response"] = {**inner, "body": J}
    elif body == "batch":
        root["response"] = {"body": inner}
    else:
        root["result"] = {"message": inner}
    return root


def sql_type(shape: dict | list | str) -> str:
    """A structure as a DuckDB type (``STRUCT("a" JSON, ...)``, lists as ``T[]``)."""
    if isinstance(shape, str):
        return shape
    if isinstance(shape, list):
        return sql_type(shape[0]) + "[]"
    return "STRUCT(" + ", ".join(f'"{key}" {sql_type(value)}' for key, value in shape.items()) + ")"


def macros() -> list[str]:
    """Helpers on raw JSON text: a clean token count (NULL when not clean), a clean epoch, a JSON string."""
    return [
        f"""CREATE OR REPLACE MACRO tok(x) AS CASE WHEN x IS NULL THEN 0
            WHEN regexp_full_match(x::VARCHAR, '[0-9]{{1,10}}') AND x::VARCHAR::BIGINT <= {MAX_REQUEST_TOKENS}
            THEN x::VARCHAR::BIGINT END""",
        """CREATE OR REPLACE MACRO from_number(v) AS CASE WHEN v >= 0 AND v < 1e15
            THEN CASE WHEN v > 1e11 THEN v / 1000.0 ELSE v END END""",
        # From a time's JSON text and that text as a number: NULL when absent or unreadable (as in Python),
        # -1e30 for text this SQL does not read the way Python would (such a line is not clean).
        r"""CREATE OR REPLACE MACRO stamp(t, d) AS CASE
            WHEN t IS NULL THEN NULL
            WHEN d IS NOT NULL AND left(t, 1) IN ('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9') THEN from_number(d)
            WHEN regexp_full_match(t, '"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)?"')
            THEN epoch(CAST(replace(trim(t, '"'), 'Z', '+00:00') AS TIMESTAMPTZ))
            ELSE -1e30 END""",
        r"""CREATE OR REPLACE MACRO jstr(x) AS CASE WHEN left(x::VARCHAR, 1) = '"' THEN
            CASE WHEN contains(x::VARCHAR, '\') THEN x->>'$' ELSE (x::VARCHAR)[2:-2] END END""",
        """CREATE OR REPLACE MACRO finish(c) AS coalesce(nullif(jstr(c.finish_reason), ''), jstr(c.finishReason))""",
        """CREATE OR REPLACE MACRO finish_clean(c) AS (c.finish_reason IS NULL OR left(c.finish_reason::VARCHAR, 1) = '"')
            AND (c.finishReason IS NULL OR left(c.finishReason::VARCHAR, 1) = '"')""",
    ]


def _time_text(prefix: str) -> str:
    """The first time field reported (values.timestamp_of), as JSON text."""
    return "coalesce(" + ", ".join(f'{prefix}"{key}"' for key in TIME_KEYS) + ")::VARCHAR"


def _tag(path: tuple[str, ...], b: str, is_root: bool) -> str:
    """A tag: the wrapper's value at the path, else the body's (records._field); raw JSON."""
    if not path:
        return "NULL::JSON"
    rest = "$." + ".".join(json.dumps(key) for key in path[1:]) if len(path) > 1 else None

    def at(prefix: str) -> str:
        return f"json_extract({prefix}\"{path[0]}\", '{rest}')" if rest else f'{prefix}"{path[0]}"'

    return at("") if is_root else f"coalesce({at('')}, {at(b)})"


def query(source: str, body: str, tag_path: tuple[str, ...], route_path: tuple[str, ...], raw: bool = False) -> str:
    """One row per line: format, model, counts, capped, batch, time, tag, route, ``clean`` and ``no_usage``."""
    b = (BODIES[body] + ".") if BODIES[body] else ""
    u, g = f"{b}usage.", f'{b}"usageMetadata".'
    batch = {"batch": "custom_id IS NOT NULL", "anthropic-batch": "true"}.get(body, "false")
    moment = "wrapper_time" if body == "root" else "CASE WHEN wrapper_time != 0 THEN wrapper_time ELSE body_time END"
    choices = f"CASE WHEN len({b}choices) > 0 THEN {b}choices ELSE {b}candidates END"
    return f"""
WITH texts AS (SELECT *, {_time_text("")} AS t_wrapper, {_time_text(b) if b else "NULL::VARCHAR"} AS t_body FROM {source}),
times AS (SELECT *, stamp(t_wrapper, TRY_CAST(t_wrapper AS DOUBLE)) AS wrapper_time,
                    stamp(t_body, TRY_CAST(t_body AS DOUBLE)) AS body_time FROM texts),
typed AS (SELECT *,
    {b}usage IS NOT NULL AND {b}"usageMetadata" IS NULL AS has_usage,
    CASE WHEN {b}"usageMetadata" IS NOT NULL THEN 'gemini'
         WHEN {b}usage IS NULL THEN NULL
         WHEN {u}prompt_tokens IS NOT NULL THEN 'openai-chat'
         WHEN {u}cache_creation_input_tokens IS NOT NULL OR {u}cache_read_input_tokens IS NOT NULL THEN 'anthropic'
         WHEN jstr({b}"type") = 'message' THEN 'anthropic'
         WHEN {u}input_tokens IS NOT NULL AND ({u}total_tokens IS NOT NULL OR {u}input_tokens_details IS NOT NULL)
              THEN 'openai-responses'
         WHEN {u}input_tokens IS NOT NULL THEN
              CASE WHEN jstr({b}"object") = 'response' THEN 'openai-responses' ELSE 'anthropic' END
         ELSE 'error' END AS kind,
    {choices} AS choice_list,
    {moment} AS moment,
    {_tag(tag_path, b, body == "root")} AS tag_json,
    {_tag(route_path, b, body == "root")} AS route_json,
    CASE WHEN {b}model IS NOT NULL AND {b}model::VARCHAR != '""' THEN {b}model
         WHEN {b}"modelVersion" IS NOT NULL AND {b}"modelVersion"::VARCHAR != '""' THEN {b}"modelVersion"
         WHEN model IS NOT NULL AND model::VARCHAR != '""' THEN model END AS model_json
  FROM times),
counted AS (SELECT *,
    CASE kind
      WHEN 'openai-chat' THEN tok({u}prompt_tokens) WHEN 'openai-responses' THEN tok({u}input_tokens)
      WHEN 'anthropic' THEN tok({u}input_tokens) + tok({u}cache_read_input_tokens) + tok({u}cache_creation_input_tokens)
      WHEN 'gemini' THEN tok({g}"promptTokenCount") + tok({g}"toolUsePromptTokenCount") END AS n_input,
    CASE kind
      WHEN 'openai-chat' THEN CASE WHEN coalesce({u}prompt_tokens_details.cached_tokens::VARCHAR, '0') = '0'
           THEN tok({u}prompt_cache_hit_tokens) ELSE tok({u}prompt_tokens_details.cached_tokens) END
      WHEN 'openai-responses' THEN tok({u}input_tokens_details.cached_tokens)
      WHEN 'anthropic' THEN tok({u}cache_read_input_tokens)
      WHEN 'gemini' THEN tok({g}"cachedContentTokenCount") END AS n_read,
    CASE WHEN kind = 'anthropic' THEN tok({u}cache_creation_input_tokens) ELSE 0 END AS n_written,
    CASE WHEN kind = 'anthropic' THEN tok({u}cache_creation.ephemeral_1h_input_tokens) ELSE 0 END AS n_one_hour,
    CASE kind
      WHEN 'openai-chat' THEN tok({u}completion_tokens)
      WHEN 'gemini' THEN tok({g}"candidatesTokenCount") + tok({g}"thoughtsTokenCount")
      ELSE tok({u}output_tokens) END AS n_output,
    CASE WHEN {b}stop_reason IS NOT NULL THEN jstr({b}stop_reason) IN {CAPS}
         WHEN choice_list[1] IS NOT NULL AND len(choice_list) = 1 THEN coalesce(finish(choice_list[1]) IN {CAPS}, false)
         WHEN choice_list[1] IS NOT NULL THEN list_has_any(list_transform(choice_list, lambda c: finish(c)), {CAPS})
         WHEN {b}status IS NOT NULL AND kind = 'openai-responses' THEN
              coalesce(jstr({b}status) = 'incomplete' AND jstr({b}incomplete_details.reason) IN {CAPS}, false)
         END AS capped,
    jstr(model_json) AS model_name,
    CASE WHEN kind = 'gemini' THEN {g}server_tool_use ELSE {u}server_tool_use END AS tools,
    CASE WHEN {b}service_tier IS NOT NULL AND {b}service_tier::VARCHAR NOT IN {FALSY} THEN {b}service_tier
         WHEN kind = 'gemini' THEN {g}service_tier ELSE {u}service_tier END AS tier_json
  FROM typed)
SELECT kind || CASE WHEN {batch} THEN ' (batch)' ELSE '' END AS fmt, model_name AS model,
  CASE WHEN jstr(tier_json) IN ('flex', 'priority') THEN jstr(tier_json) END AS service_tier,
  CASE WHEN tools IS NOT NULL THEN tok(tools.web_search_requests)
       ELSE coalesce(len(list_filter({b}output, lambda o: jstr(o.type) = 'web_search_call')), 0) END AS n_searches,
  n_input, n_read, n_written - least(n_one_hour, n_written) AS n_write_5m, least(n_one_hour, n_written) AS n_write_1h,
  n_output, capped, {batch} AS batch, moment, jstr(tag_json) AS tag, jstr(route_json) AS route,
  ({_clean(body, b, raw)}) AS clean,
  kind IS NULL AND {_no_other(body, b)} AS no_usage{", raw_line" if raw else ""}
FROM counted"""


def _clean(body: str, b: str, raw: bool) -> str:
    """A row DuckDB counts itself (see the module docstring)."""
    checks = [
        "has_usage OR kind = 'gemini'",
        "kind != 'error'",
        "n_input IS NOT NULL AND n_read IS NOT NULL AND n_written IS NOT NULL AND n_one_hour IS NOT NULL",
        "n_output IS NOT NULL AND (kind = 'anthropic' OR n_read <= n_input)",
        "(tools IS NULL OR tok(tools.web_search_requests) IS NOT NULL)",
        f"({b}service_tier IS NULL OR left({b}service_tier::VARCHAR, 1) = '\"')",
        f"(kind != 'anthropic' OR {b}usage.input_tokens IS NOT NULL)",
        f"(model_json IS NULL OR (left(model_json::VARCHAR, 1) = '\"' AND length(model_name) <= {MAX_MODEL_CHARS}))",
        "(moment IS NULL OR moment > -1e29)",
        "(tag_json IS NULL OR left(tag_json::VARCHAR, 1) = '\"')",
        "(route_json IS NULL OR left(route_json::VARCHAR, 1) = '\"')",
        f"({b}stop_reason IS NULL OR left({b}stop_reason::VARCHAR, 1) = '\"')",
        "(choice_list IS NULL OR (CASE WHEN len(choice_list) = 1 THEN coalesce(finish_clean(choice_list[1]), true)"
        " ELSE list_bool_and(list_transform(choice_list, lambda c: finish_clean(c))) END))",
        *_where_clean(body),
    ]
    if body != "root":
        checks.append("wrapper_time IS NULL OR wrapper_time > -1e29")
    if raw:  # the typed read turns non-objects into nulls: such lines are for Python to judge
        checks += [
            f"({b}{path} IS NOT NULL OR NOT contains(raw_line, '\"{key}\"'))" for key, path in SHAPE_KEYS.items()
        ]
        checks.append(
            "(choice_list IS NULL OR choice_list[1].finish_reason IS NOT NULL OR choice_list[1].finishReason IS NOT NULL)"
        )
    return " AND ".join(f"({check})" for check in checks)


def _where_clean(body: str) -> list[str]:
    """The response is where this query reads it, and nowhere else."""
    return {
        "root": ["response IS NULL", "result IS NULL"],
        "response": ["response IS NOT NULL", "response.body IS NULL", "result IS NULL"],
        "batch": ["response.body IS NOT NULL", "result IS NULL"],
        "anthropic-batch": ["result.message IS NOT NULL", "response IS NULL"],
    }[body]


def _no_other(body: str, b: str) -> str:
    """A line with no usage that no other reader claims either (responses.fields and extract.other_records)."""
    keys = " AND ".join(f'"{key}" IS NULL' for key in OTHER_KEYS)
    bare = f'{b}prompt_tokens IS NULL AND {b}input_tokens IS NULL AND {b}"promptTokenCount" IS NULL'
    return f"""{keys} AND {bare} AND {" AND ".join(_where_clean(body))} AND coalesce(jstr("object"), '') NOT IN ('page', 'bucket')"""
