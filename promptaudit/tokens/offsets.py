"""Where in a text a given number of tokens ends: to mark a cache minimum at its place in a prompt."""

from __future__ import annotations

import math

from promptaudit.tokens import claude
from promptaudit.tokens.tokenizers import tokenizer_for
from promptaudit.tokens.vocab import load_encoding


def offset_after_tokens(text: str, tokens: int, model: str) -> int | None:
    """The character offset in ``text`` where its first ``tokens`` tokens on ``model`` end.

    None when the whole text has fewer tokens. For a model without a public tokenizer the offset is
    as much an estimate as its counts: the base encoding's position of ``tokens / factor`` tokens.
    A token that ends inside a multi-byte character ends before that character.
    """
    tokenizer = tokenizer_for(model)
    if claude.handles(tokenizer.encoding):
        return _claude_offset(text, tokens, tokenizer.encoding)
    base = tokens if tokenizer.exact else math.ceil(tokens / tokenizer.factor)
    encoding = load_encoding(tokenizer.encoding)
    ids = encoding.encode_ordinary(text)
    if base > len(ids):
        return None
    consumed = len(encoding.decode_bytes(ids[:base]))
    return len(text.encode("utf-8")[:consumed].decode("utf-8", errors="ignore"))


def _claude_offset(text: str, tokens: int, counter: str) -> int | None:
    """The shortest prefix whose Claude count (ctok, or the estimate) reaches ``tokens``, by bisection.

    Claude's tokenizer exposes no token boundaries, only counts, and a prefix's count grows with the prefix.
    """
    if claude.count([text], counter)[0] < tokens:
        return None
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if claude.count([text[:middle]], counter)[0] >= tokens:
            high = middle
        else:
            low = middle + 1
    return low
