"""Raw server-sent-event stream logs: what a client saw of streamed responses (``event:`` and ``data:`` lines).

A stream log is recognised by its first line (``data:``, ``event:``, ``id:`` or a ``:`` comment), so it is never
taken for CSV. Within it, each ``data:`` line is one JSON event (``data: [DONE]`` ends an OpenAI stream); one
record is counted per streamed response, at the event that carries its final usage:

- OpenAI Chat Completions with ``stream_options: {"include_usage": true}``: the last chunk (``choices: []``,
  ``usage``); its finish reason comes from the earlier chunk of the same ``id`` that had one;
- OpenAI Responses: ``response.completed`` / ``response.incomplete`` (the whole response, usage included);
- Anthropic Messages: ``message_start`` (model, input and cache counts) completed by ``message_delta``
  (cumulative output tokens, stop reason; any input or cache counts it repeats override), counted at
  ``message_stop`` (or at the end of the log for a stream cut short after its ``message_delta``);
- Gemini ``streamGenerateContent?alt=sse``: the chunk whose candidate has a ``finishReason`` (its
  ``usageMetadata`` is the whole response's).

Other events (deltas, pings, chunks without usage) are part of a stream and are not counted as unparsed; a
``data:`` line that is not JSON is.
"""

from __future__ import annotations

import json

from promptaudit.usage.records.logfile import LogFile, read_lines
from promptaudit.usage.records.values import BadValue
from promptaudit.usage.sources.responses import fields

FIELD_PREFIXES = (b"data:", b"event:", b"id:", b"retry:", b":")


def is_sse(first_line: bytes) -> bool:
    """Whether a log's first non-blank line is a server-sent-event field."""
    return first_line.lstrip().startswith(FIELD_PREFIXES)


def scan_sse(log: LogFile, counter) -> None:
    """Read a stream log into the counter, one record per streamed response."""
    state = _Streams(counter)
    for number, line in enumerate(read_lines(log), 1):
        text = line.strip()
        if not text.startswith(b"data:"):
            continue
        payload = text[5:].strip()
        if payload == b"[DONE]" or not payload:
            continue
        where = f"{log.path}:{number}"
        try:
            event = json.loads(payload)
        except ValueError:
            counter.scan.bad_line(where, "invalid_json")
            continue
        if isinstance(event, dict):
            state.see(event, where)
    state.finish(f"{log.path}: end")


class _Streams:
    """What is known of the streams in flight: finish reasons by chunk id, Anthropic messages being built."""

    def __init__(self, counter) -> None:
        self.counter = counter
        self.reasons: dict[object, str] = {}
        self.message: dict | None = None

    def see(self, event: dict, where: str) -> None:
        kind = event.get("type")
        if event.get("object") == "chat.completion.chunk":
            self._chat(event, where)
        elif kind in ("response.completed", "response.incomplete") and isinstance(event.get("response"), dict):
            self._count(event["response"], where)
        elif kind == "message_start" and isinstance(event.get("message"), dict):
            self.message = {**event["message"], "usage": dict(event["message"].get("usage") or {})}
        elif kind == "message_delta" and self.message is not None:
            self._delta(event)
        elif kind == "message_stop" and self.message is not None:
            self._count(self.message, where)
            self.message = None
        elif isinstance(event.get("usageMetadata"), dict) and _gemini_done(event):
            self._count(event, where)

    def _chat(self, chunk: dict, where: str) -> None:
        for choice in chunk.get("choices") or []:
            if isinstance(choice, dict) and choice.get("finish_reason"):
                self.reasons[chunk.get("id")] = choice["finish_reason"]
        if isinstance(chunk.get("usage"), dict):
            reason = self.reasons.pop(chunk.get("id"), None)
            choices = [{"finish_reason": reason}] if reason else []
            self._count({**chunk, "object": "chat.completion", "choices": choices}, where)

    def _delta(self, event: dict) -> None:
        delta = event.get("delta") if isinstance(event.get("delta"), dict) else {}
        usage = event.get("usage") if isinstance(event.get("usage"), dict) else {}
        self.message["usage"].update({k: v for k, v in usage.items() if v is not None})
        if delta.get("stop_reason") is not None:
            self.message["stop_reason"] = delta["stop_reason"]
        self.message["_delta"] = True

    def _count(self, response: dict, where: str) -> None:
        try:
            found = fields({k: v for k, v in response.items() if k != "_delta"}, *self.counter.paths,
                           self.counter.stamps)  # fmt: skip
        except BadValue as exc:
            self.counter.scan.refuse(where, exc)
            return
        except (ValueError, TypeError, KeyError, AttributeError):
            found = None
        if found is None:
            self.counter.scan.bad_line(where, "no_usage")
        else:
            self.counter.count(found)

    def finish(self, where: str) -> None:
        """A stream cut short after its final usage (``message_delta``) still counts."""
        if self.message is not None and self.message.get("_delta"):
            self._count(self.message, where)


def _gemini_done(chunk: dict) -> bool:
    candidates = chunk.get("candidates")
    first = candidates[0] if isinstance(candidates, list) and candidates else None
    return isinstance(first, dict) and bool(first.get("finishReason"))
