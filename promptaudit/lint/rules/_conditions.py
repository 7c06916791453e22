"""Template conditions (``{% if %}`` blocks): which sentences are sent together, for the ``template_conditions`` guard.

A template sends a sentence only when the conditions of the ``{% if %}`` blocks around it hold. Each sentence
gets the set of those conditions: the conjuncts of an ``if``/``elif`` expression (``a and not b`` gives ``a`` and
``not b``; an expression with ``or`` or brackets is one opaque condition), and, for an ``elif``/``else``
branch, a marker of that branch (it holds only when the branches before it did not).

A later copy of a sentence is redundant only when every request that carries it carries the first copy too:
when the later sentence's conditions include all of the earlier's. A copy under ``if step_limit`` and another
under ``if time_limit`` are each sent on their own; a copy under ``if a and not b`` and another under ``if b``
are never sent together; a copy under no condition makes every conditional one after it redundant.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_TAG = re.compile(r"\{%-?\s*(if|elif|else|endif)\b(.*?)-?%\}", re.S)
_NOT = re.compile(r"not\s+")


@dataclass(frozen=True)
class Condition:
    """One condition a sentence is sent under: an expression (normalised) and whether it is negated, or a
    branch marker (``elif``/``else`` of block ``n``, branch ``k``)."""

    text: str
    negated: bool = False


def conjuncts(expression: str) -> frozenset[Condition]:
    """The conditions an ``if`` expression sets: its ``and`` parts, each possibly negated."""
    expression = " ".join(expression.split())
    if not expression:
        return frozenset()
    if " or " in f" {expression} " or "(" in expression:
        return frozenset({Condition(expression)})
    found = set()
    for part in re.split(r"\s+and\s+", expression):
        negated = bool(_NOT.match(part))
        found.add(Condition(_NOT.sub("", part, count=1) if negated else part, negated))
    return frozenset(found)


class Conditions:
    """The conditions in force at each offset of a text (scanned once)."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.sets: list[frozenset[Condition]] = []
        blocks: list[tuple[int, int, frozenset[Condition]]] = []  # (block number, branch number, its conditions)
        count = 0
        for match in _TAG.finditer(text):
            tag, expression = match.group(1), match.group(2)
            if tag == "if":
                count += 1
                blocks.append((count, 0, conjuncts(expression)))
            elif tag in ("elif", "else") and blocks:
                number, branch, _ = blocks.pop()
                marker = Condition(f"branch {number}.{branch + 1}")
                blocks.append((number, branch + 1, conjuncts(expression) | {marker}))
            elif tag == "endif" and blocks:
                blocks.pop()
            self.starts.append(match.start())
            self.sets.append(frozenset().union(*(held for _, _, held in blocks)))

    def at(self, offset: int) -> frozenset[Condition]:
        """The conditions a sentence starting at ``offset`` is sent under."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.sets[index] if index >= 0 else frozenset()


def contradict(a: frozenset[Condition], b: frozenset[Condition]) -> bool:
    """Whether no request carries both: one needs a condition the other needs negated."""
    return any(Condition(c.text, not c.negated) in b for c in a)


def sent_with(earlier: frozenset[Condition], later: frozenset[Condition]) -> bool:
    """Whether every request that carries the later sentence carries the earlier one too."""
    return earlier <= later and not contradict(earlier, later)
