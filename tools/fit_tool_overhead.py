"""Fit the per-request tool overhead of OpenAI families and measure the tool rendering against real bills.

``python tools/fit_tool_overhead.py`` downloads the recordings ``tests/data/tool_billing/manifest.yaml``
names (PyPI sdists whose test cassettes hold chat requests with tools and the API's billed
``usage.prompt_tokens``), then:

1. on the fitting two thirds, requests without earlier tool turns, takes per model family the median of
   ``billed - counted`` with the overhead at 0: the tokens the API adds that the rendering does not show;
2. writes them to ``promptaudit/tokens/data/tool_overhead.yaml`` (families with fewer than
   :data:`MIN_FIT` requests take the default, the median over all);
3. with ``--report``, prints the error of the stored table on the held-out third, beside the error of
   counting the tools as compact JSON (the method before): the figures in docs/counting-and-templates.md.

``--check`` fits without writing and exits 1 when the stored table differs (the test suite runs the same
comparison in tests/tokens/test_tool_billing.py).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import tool_billing  # noqa: E402

from promptaudit.tokens import counting, openai_tools  # noqa: E402

TABLE = ROOT / "promptaudit" / "tokens" / "data" / "tool_overhead.yaml"
FAMILIES = ("gpt-5", "gpt-4o-mini", "gpt-4o", "gpt-4.1", "o")
MIN_FIT = 3


def family(model: str) -> str | None:
    """The first family prefix ``model`` starts with, else None (the default)."""
    return next((prefix for prefix in FAMILIES if model.lower().startswith(prefix)), None)


def residuals(records) -> dict[str | None, list[int]]:
    """Billed minus counted with no overhead, per family, for the fitting records without tool turns."""
    saved = openai_tools.overhead
    openai_tools.overhead = lambda model: 0
    try:
        found: dict[str | None, list[int]] = {}
        for record in records:
            if not record.held_out and not record.with_history:
                found.setdefault(family(record.model), []).append(-tool_billing.error(record))
        return found
    finally:
        openai_tools.overhead = saved


def fit(records) -> dict:
    """The table: a constant per family with enough requests, and the default."""
    found = residuals(records)
    default = round(statistics.median([value for values in found.values() for value in values]))
    rules = [
        {"prefix": prefix, "tokens": round(statistics.median(found[prefix]))}
        for prefix in FAMILIES
        if len(found.get(prefix, [])) >= MIN_FIT
    ]
    return {"families": rules, "default": default}


def stored() -> dict:
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return {"families": data["families"], "default": data["default"]}


def write(table: dict) -> None:
    text = TABLE.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    rules = "".join(f'  - {{prefix: "{r["prefix"]}", tokens: {r["tokens"]}}}\n' for r in table["families"])
    TABLE.write_text(f"{header}families:\n{rules}default: {table['default']}\n", encoding="utf-8")
    openai_tools._overheads.cache_clear()


def summary(errors: list[int], billed: list[int]) -> str:
    """n, exact, within 5 tokens, median and 90th-percentile absolute error (tokens and % of the bill)."""
    if not errors:
        return "n=0"
    absolute = sorted(abs(e) for e in errors)
    relative = sorted(abs(e) / b for e, b in zip(errors, billed))
    p90 = int(0.9 * (len(errors) - 1))
    return (
        f"n={len(errors)} exact={sum(e == 0 for e in errors)} within 5 tokens={sum(a <= 5 for a in absolute)} "
        f"median |error|={statistics.median(absolute):g} tokens ({100 * statistics.median(relative):.1f}%) "
        f"p90={absolute[p90]} tokens ({100 * relative[p90]:.1f}%) median signed={statistics.median(errors):+g}"
    )


def report(records) -> None:
    """Held-out error of the stored table, and of counting the tools as compact JSON (the method before)."""
    for history in (False, True):
        chosen = [r for r in records if r.held_out and r.with_history == history]
        label = "with earlier tool turns" if history else "tool definitions only"
        now = [tool_billing.error(r) for r in chosen]
        saved = counting.renders_tools
        counting.renders_tools = lambda prompt, tokenizer: False
        try:
            before = [tool_billing.error(r) for r in chosen]
        finally:
            counting.renders_tools = saved
        billed = [r.billed for r in chosen]
        print(f"held-out, {label}:\n  compact JSON: {summary(before, billed)}\n  rendered:     {summary(now, billed)}")


def main(argv: list[str]) -> int:
    records = tool_billing.all_records()
    table = fit(records)
    if "--check" in argv:
        if table != stored():
            print(f"stored table differs from the fit: {table}")
            return 1
        return 0
    if "--report" not in argv:
        write(table)
        print(f"wrote {TABLE.relative_to(ROOT)}: {table}")
    report(records)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
