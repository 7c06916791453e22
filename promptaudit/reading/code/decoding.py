"""Bytes of a ``.py`` file to text, and the cheap byte-level test that skips files with no LLM code.

Python source is UTF-8 unless it declares another encoding in a PEP 263 cookie (``# -*- coding: latin-1 -*-``);
anything else is one clear InputError. The pre-filter runs on the raw bytes before any decoding or parsing,
so a large tree of ordinary code costs little more than reading it.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize

from promptaudit.errors import InputError

MAY_HOLD_PROMPTS = re.compile(
    rb"openai|anthropic|litellm|genai|langchain|prompt|_system|instructions|generate_content", re.IGNORECASE
)
"""Any of these in a file's bytes means it may call an LLM SDK or hold a prompt constant (default names)."""


def may_hold_prompts(data: bytes, names: tuple[str, ...] = ()) -> bool:
    """False when ``data`` names no LLM SDK and no prompt keyword: the file is skipped without parsing."""
    if MAY_HOLD_PROMPTS.search(data):
        return True
    lowered = data.lower() if names else b""
    return any(name.lower().encode("utf-8") in lowered for name in names)


def decode_source(path: str, data: bytes) -> str:
    """Decode Python source bytes (UTF-8, or the encoding its cookie declares), or raise InputError."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"  # undecodable first lines: the decode below says where
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} on line {line}); skipped"
        ) from None
