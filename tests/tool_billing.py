"""Recorded OpenAI requests with tools, and what promptaudit's count misses of their bill.

The material is VCR cassettes published inside sdists (``tests/data/tool_billing/manifest.yaml``): each
interaction holds the request JSON sent to ``/chat/completions`` and the API's response with
``usage.prompt_tokens``. :func:`records` reads every non-streaming chat request with function tools whose
response names an OpenAI model with a public tokenizer (text content only: images and audio are billed by
size); :func:`error` counts a request as ``promptaudit count`` would (the request JSON is a chat request
file) at the model the response names, and subtracts the billed tokens.

Each cassette file is in the held-out third or in the fitting two thirds by a hash of its name, fixed once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parent / "data" / "tool_billing" / "manifest.yaml"


@dataclass(frozen=True)
class Record:
    """One recorded request and its bill."""

    source: str
    """``package version: cassette file``."""
    request: dict
    model: str
    billed: int
    held_out: bool

    @property
    def with_history(self) -> bool:
        """True when earlier tool calls and results are in the messages (an agent loop's later turn)."""
        return any(m.get("tool_calls") or m.get("role") == "tool" for m in self.request["messages"])


def _cassette(path: Path) -> dict | None:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    try:
        loaded = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _text(body) -> str | None:
    """A body as text: VCR keeps it as a string, or as (gzip-compressed) bytes under ``string``."""
    if isinstance(body, dict):
        body = body.get("string")
    if isinstance(body, bytes):
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        body = body.decode("utf-8", "replace")
    return body if isinstance(body, str) else None


def _exchanges(cassette: dict):
    """(request, response) pairs in either VCR layout (``interactions`` or ``requests``/``responses``)."""
    if isinstance(cassette.get("interactions"), list):
        for item in cassette["interactions"]:
            if isinstance(item, dict):
                yield item.get("request") or {}, item.get("response") or {}
    elif isinstance(cassette.get("requests"), list):
        yield from zip(cassette["requests"], cassette.get("responses") or [])


def _json(text: str | None):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _wanted(request, response) -> bool:
    if not isinstance(request, dict) or not isinstance(response, dict) or request.get("stream"):
        return False
    if not request.get("tools") or not isinstance(request.get("messages"), list) or request.get("response_format"):
        return False
    usage = response.get("usage")
    return isinstance(usage, dict) and isinstance(usage.get("prompt_tokens"), int) and _text_only(request)


def _text_only(request: dict) -> bool:
    for message in request["messages"]:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list) and any(isinstance(b, dict) and b.get("type") != "text" for b in content):
            return False
    return True


def held_out(name: str) -> bool:
    """The held-out third, fixed by the cassette file's name."""
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % 3 == 0


def records(root: Path, label: str) -> list[Record]:
    """Every distinct recorded chat request with tools under ``root`` (one unpacked artifact)."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.tokens.tokenizers import tokenizer_for

    found, seen = [], set()
    for path in sorted(root.rglob("*")):
        if not path.name.endswith((".yaml", ".yaml.gz", ".yml")) or "cassette" not in str(path):
            continue
        for raw_request, raw_response in _exchanges(_cassette(path) or {}):
            request, response = _json(_text(raw_request.get("body"))), _json(_text(raw_response.get("body")))
            if not _wanted(request, response):
                continue
            key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
            model = str(response.get("model") or request.get("model") or "")
            try:
                exact = tokenizer_for(model).exact
            except UnknownModelError:
                continue
            if key in seen or not exact:
                continue
            seen.add(key)
            found.append(Record(f"{label}: {path.name}", request, model, response["usage"]["prompt_tokens"],
                                held_out(path.name)))  # fmt: skip
    return found


def counted(record: Record) -> int:
    """The request's tokens as ``promptaudit count`` counts the request file, at the response's model."""
    from promptaudit.reading.formats import parse_structured
    from promptaudit.tokens.counting import prompt_tokens

    return prompt_tokens(parse_structured("request.json", json.dumps(record.request)), record.model)[0].tokens


def error(record: Record) -> int:
    """Counted minus billed tokens (positive: promptaudit counts too many)."""
    return counted(record) - record.billed


def all_records() -> list[Record]:
    """Every record of every artifact in the manifest (downloaded on first use; a skip where offline)."""
    import realdata

    return [
        record
        for artifact in realdata.load_manifest(MANIFEST)
        for record in records(realdata.require(artifact), f"{artifact.name} {artifact.version}")
    ]
