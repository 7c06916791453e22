"""The words around ``project``'s numbers: the table title, the caption and one sentence per assumption.

Every $ figure rests on assumptions the user may not have typed (the volume basis, output tokens, the cache
hit rate, the batch share, the routing share and fallback): each is said here, with where it came from, so
the terminal, Markdown, JSON (``assumptions``) and the HTML report print the same sentences.
"""

from __future__ import annotations

from decimal import Decimal

from promptaudit.money import traffic
from promptaudit.money.default_route import DEFAULT_FALLBACK, DEFAULT_SHARE
from promptaudit.money.pricing import PriceSource
from promptaudit.money.prompt_models import FROM_FILE_MARK
from promptaudit.reading.formats.variables import DEFAULT_VARIABLE_TOKENS
from promptaudit.report.common import RECONSTRUCTED_NOTE
from promptaudit.tokens import approximations
from promptaudit.tokens.tokenizers import tokenizer_for

MAX_SHARES_LISTED = 6


def title(done) -> str:
    """The cost table's title, naming the volume basis."""
    if done.basis == traffic.TOTAL:
        return "Cost per model (tokens per request; one total volume split among the prompts)"
    return "Cost per model (tokens per request; volume per prompt)"


def caption(done, prices: PriceSource) -> str:
    """Where the prices came from, and why any count is marked."""
    results = done.results
    lines = [f"Prices: {prices.source}, as of {prices.as_of}. Without levers: list prices, no cache."]
    reasons = [reason for r in results for reason in r.approximations]
    reasons += [approximations.VARIABLES] if any(r.variables_estimated for r in results) else []
    note = approximations.footnote(reasons)
    if note and set(reasons) == {approximations.VARIABLES}:
        note = note[:-1] + " (the Variable column)."
    if note:
        lines.append(note)
    if any(tokenizer_for(r.model).method == "reconstructed" and not r.approximations for r in results):
        lines.append(RECONSTRUCTED_NOTE)
    if any(r.model_from in ("file", "mixed") for r in results):
        lines.append(f"{FROM_FILE_MARK}: the model the prompts' own files or SDK calls name (--model overrides it).")
    if done.calibration is not None:
        lines.append(f"Measured from {done.calibration.source}.")
    return "\n".join(lines)


def assumptions(done, days: Decimal) -> list[str]:
    """One sentence per assumption behind the $ figures, each saying where it came from."""
    sources = done.sources or {}
    found = [volume_sentence(done, days), _output(done, sources), *_variables(done, sources), _cache(done, sources)]
    found += [_batch(done.plan), _routing(done)]
    found += [_cap(done.plan)] if done.plan.caps else []
    return [sentence for sentence in found if sentence]


def _count(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() or value >= 100 else f"{value:,.2f}"


def volume_sentence(done, days: Decimal) -> str:
    """The volume basis in words: per prompt (and what that adds up to), or the total and its shares."""
    volumes = done.volumes
    total = sum((v.requests_per_day for v in volumes), Decimal(0))
    month = f"{days.normalize():f} days a month"
    if done.basis == traffic.TOTAL:
        origin = volumes[0].origin.split(" × ", 1)[0]
        return f"Volume: {_count(total)} requests/day in all ({origin}), {_shares(volumes)}; {month}."
    origins = "; ".join(sorted({v.origin for v in volumes}))
    rates = {v.requests_per_day for v in volumes}
    if len(volumes) == 1:
        return f"Volume: {_count(total)} requests/day ({origins}); {month}."
    each = f"{_count(next(iter(rates)))} requests/day for each" if len(rates) == 1 else "its own volume for each"
    return f"Volume per prompt: {each} of the {len(volumes)} prompts ({origins}), {_count(total)} requests/day in all; {month}."


def _shares(volumes) -> str:
    """How the total was split: equally, or each distinct share once with how many prompts it went to."""
    counted: dict[str, int] = {}
    for volume in volumes:
        part = volume.origin.split(" × ", 1)[-1]
        counted[part] = counted.get(part, 0) + 1
    if len(counted) == 1 and "(equal share)" in next(iter(counted)):
        each = next(iter(counted)).split(" (", 1)[0].removeprefix("share ")
        return f"split equally among the {len(volumes)} prompts (no --share given: a share of {each} each)"
    parts = [f"{part} for {n} prompts" if n > 1 else part for part, n in counted.items()]
    shown = "; ".join(parts[:MAX_SHARES_LISTED])
    more = f"; and {len(parts) - MAX_SHARES_LISTED} more" if len(parts) > MAX_SHARES_LISTED else ""
    return f"split among the {len(volumes)} prompts by share: {shown}{more}"


def _output(done, sources: dict) -> str:
    tokens = done.traffic.output_tokens if done.traffic else 0
    if sources.get("output_tokens", "none") == "none":
        return "Output: not costed (0 tokens per request); give --output-tokens or --calibrate to price it."
    return f"Output: {tokens:,} tokens per request ({sources['output_tokens']})."


def _variables(done, sources: dict) -> list[str]:
    found = []
    if sources.get("user_tokens", "none") != "none":
        found.append(f"Variable input: {done.traffic.user_tokens:,} tokens per request ({sources['user_tokens']}).")
    if any(r.variables_estimated for r in done.results):
        found.append(
            f"Template variables without a value: ~{DEFAULT_VARIABLE_TOKENS} tokens each in the Variable column "
            "(set --var name=value or vars: in the config)."
        )
    return found


def _cache(done, sources: dict) -> str:
    rate = done.plan.hit_rate
    if rate is not None:
        return f"Cache hit rate: {rate:.0%} ({sources.get('hit_rate', '--cache-hit-rate')})."
    return "Cache hit rate: modelled from each prompt's volume and cache TTL; --cache-hit-rate sets it."


def _batch(plan) -> str:
    if plan.batch_share:
        return f"Batch API: {plan.batch_share:.0%} of traffic can wait 24 h (--batch-share)."
    return "Batch API row: a what-if for all traffic, not in All levers (--batch-share sets the share)."


def _routing(done) -> str:
    plan = done.plan
    share = DEFAULT_SHARE if plan.route_share is None else plan.route_share
    fallback = DEFAULT_FALLBACK if plan.route_fallback is None else plan.route_fallback
    given = plan.route_share is not None or plan.route_fallback is not None
    where = "--route-share/--fallback-rate or config routing:" if given else "defaults"
    if plan.routing is not None:
        return (
            f"Routing: {share:.0%} of requests to {plan.routing.target}, {fallback:.0%} of those fall back ({where})."
        )
    return (
        f"Routing row: a what-if, not in All levers: {share:.0%} routed, {fallback:.0%} of those fall back ({where})."
    )


def _cap(plan) -> str:
    if plan.max_output is not None:
        return f"Output cap: {plan.max_output:,} tokens (--max-tokens)."
    return "Output cap: each request file's own max_tokens."
