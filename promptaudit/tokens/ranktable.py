"""A vocabulary's ranks as one flat table of bytes: looked up in place, without building a 200k-entry dict.

Layout (native 4-byte unsigned integers; every platform promptaudit runs on is little-endian): the number
of tokens ``n``; ``n + 1`` offsets into the token area; the ``n`` ranks; then every token's bytes, sorted.
A lookup is a binary search, so a run that counts a few kilobytes touches a few thousand entries instead
of loading all of them (about 5 ms instead of 50-100 ms). The table is derived from the ranks alone, so
the same vocabulary always gives the same bytes, and :mod:`.vocab` can check them against a listed sha256.
"""

from __future__ import annotations

from array import array
from itertools import accumulate

WORD = 4


def pack(ranks: dict[bytes, int]) -> bytes:
    """The table for ``ranks``."""
    tokens = sorted(ranks)
    offsets = array("I", accumulate(map(len, tokens), initial=0))
    values = array("I", map(ranks.__getitem__, tokens))
    return len(tokens).to_bytes(WORD, "little") + offsets.tobytes() + values.tobytes() + b"".join(tokens)


class RankTable:
    """Read-only ``bytes -> rank`` mapping over a packed table (``get``, ``[]``, ``in``, ``len``)."""

    def __init__(self, table: bytes) -> None:
        count = int.from_bytes(table[:WORD], "little")
        view = memoryview(table)
        self._offsets = view[WORD : WORD * (count + 2)].cast("I")
        self._ranks = view[WORD * (count + 2) : WORD * (2 * count + 2)].cast("I")
        self._tokens = table
        self._base = WORD * (2 * count + 2)
        self._count = count

    def _token(self, index: int) -> bytes:
        return self._tokens[self._base + self._offsets[index] : self._base + self._offsets[index + 1]]

    def get(self, key: bytes, default=None):
        """The rank of ``key``, or ``default``."""
        low, high = 0, self._count
        while low < high:
            middle = (low + high) // 2
            if self._token(middle) < key:
                low = middle + 1
            else:
                high = middle
        return self._ranks[low] if low < self._count and self._token(low) == key else default

    def __getitem__(self, key: bytes) -> int:
        rank = self.get(key)
        if rank is None:
            raise KeyError(key)
        return rank

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and self.get(key) is not None

    def __len__(self) -> int:
        return self._count

    def to_dict(self) -> dict[bytes, int]:
        """Every entry as a dict (what tiktoken's encoder is built from)."""
        area, offsets = self._tokens[self._base :], self._offsets
        return dict(zip(map(area.__getitem__, map(slice, offsets[:-1], offsets[1:])), self._ranks))
