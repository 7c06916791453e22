"""Bytes of a ``.py`` file to text, and the cheap byte-level test that skips files with no LLM code.

Python source is UTF-8 unless it declares another encoding in a PEP 263 cookie (``# -*- coding: latin-1 -*-``);
anything else is one clear InputError. The pre-filter runs on the raw bytes before any decoding or parsing,
so a large tree of ordinary code costs little more than reading it.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import tokenize

from promptaudit.errors import InputError
from promptaudit.reading.code.found import ScanSettings

KEYWORDS = (
    b"openai",
    b"anthropic",
    b"litellm",
    b"genai",
    b"langchain",
    b"prompt",
    b"_system",
    b"instructions",
    b"model=",
    b"messages=",
    b'"model"',
    b"'model'",
    b"modelid",
    b"system=",
)
"""Any of these (any case) in a file's bytes means it may call a model or hold a prompt: an SDK's name, a
prompt keyword, or a request's own keywords (``model=``, ``messages=``: clients of any provider, under any name)."""


def may_hold_prompts(data: bytes, names: tuple[str, ...] = (), path: str = "") -> bool:
    """False when ``data`` can give no prompt row: the file is skipped without decoding or parsing.

    A file named for prompts is always read. Otherwise it must name an LLM SDK, a prompt keyword or a
    request keyword (``bytes.lower`` and substring search run in C: about 20x faster than one regular
    expression), and then hold something the scan turns into a row (:func:`_shapes`): an SDK method's
    spelling, a prompt-named assignment, a prompt class or function, a framework keyword, a template.
    """
    if "prompt" in path.lower():
        return True
    return mentions_keywords(data, names) and _shapes(names).search(data) is not None


def mentions_keywords(data: bytes, names: tuple[str, ...] = ()) -> bool:
    """True when ``data`` names an LLM SDK, a prompt keyword or a request keyword, or one of ``names``: the
    language-neutral part of the pre-filter (the JS/TS scan uses it alone; Python adds :func:`_shapes`)."""
    lowered = data.lower()
    wanted = KEYWORDS + tuple(n.lower().encode("utf-8") for n in names)
    return any(keyword in lowered for keyword in wanted)


@functools.lru_cache(maxsize=8)
def _shapes(names: tuple[str, ...]) -> re.Pattern[bytes]:
    """What the scan needs to see before a file can give a row (the configured prompt-name suffixes too)."""
    suffixes = b"|".join(re.escape(n.encode("utf-8")) for n in (*ScanSettings.prompt_names, *names))
    return re.compile(
        rb"(completions|messages|responses|runs|models|chat|beta)\s*\.\s*\w+|\.(chat|create|complete|generate)\s*\("
        rb"|\b(a?completion|converse(_stream)?|invoke_model|chat_completion|generate_content\w*|a?invoke|astream"
        rb"|abatch|create_partial|create_iterable|create_with_completion|response_model)\b"
        rb"|\b\w*(" + suffixes + rb")\s*(:[^=\n]*)?=(?!=)"
        rb"|class\s+\w*prompt|def\s+\w*(prompt|instruction)|prompttemplate"
        rb"|\b(instructions|system_prompt|system|system_message|additional_instructions)\s*=(?!=)",
        re.IGNORECASE,
    )


def decode_source(path: str, data: bytes) -> str:
    """Decode Python source bytes (UTF-8, or the encoding its cookie declares), or raise InputError."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "unknown encoding" in str(exc) or "encoding problem" in str(exc):
            raise InputError(path, f"declares an unknown encoding ({exc}); skipped") from None
        encoding = "utf-8"  # undecodable first lines: the decode below says where
    if not _is_text_encoding(encoding):
        raise InputError(path, f"declares the encoding {encoding!r}, which is not a text encoding; skipped")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} on line {line}); skipped"
        ) from None


def _is_text_encoding(name: str) -> bool:
    """False for codecs that are not text encodings (``rot13``, ``base64``, ``zlib``, ``hex``...): Python itself
    refuses them in a coding cookie, and decoding with them would run a transform, not read text."""
    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False
