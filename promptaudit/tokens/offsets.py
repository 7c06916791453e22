"""Where in a text a given number of tokens ends: to mark a cache minimum at its place in a prompt."""

from __future__ import annotations

import math

from promptaudit.tokens.tokenizers import tokenizer_for
from promptaudit.tokens.vocab import load_encoding


def offset_after_tokens(text: str, tokens: int, model: str) -> int | None:
    """The character offset in ``text`` where its first ``tokens`` tokens on ``model`` end.

    None when the whole text has fewer tokens. For a model without a public tokenizer the offset is
    as much an estimate as its counts: the base encoding's position of ``tokens / factor`` tokens.
    A token that ends inside a multi-byte character ends before that character.
    """
    tokenizer = tokenizer_for(model)
    base = tokens if tokenizer.exact else math.ceil(tokens / tokenizer.factor)
    encoding = load_encoding(tokenizer.encoding)
    ids = encoding.encode_ordinary(text)
    if base > len(ids):
        return None
    consumed = len(encoding.decode_bytes(ids[:base]))
    return len(text.encode("utf-8")[:consumed].decode("utf-8", errors="ignore"))
