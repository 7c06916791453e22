"""What a change costs, prompt by prompt: both versions of every changed file read, matched and priced.

A row is one prompt: a prompt file's prompt, one named prompt of a YAML/JSON file, or one call, template
or constant in code (``app.py#chat.completions.create@12``). Rows are matched between the two versions by
a key that survives edited line numbers: the file (following a rename), the prompt's name without its
``@line`` and its ordinal among the file's prompts of that name; a prompt that moved unchanged is paired
with itself first, so inserting a call above another does not make the other look edited.

Each version is counted and priced at its own model (``--model``, else the model the file or call names,
else the default), so a model swap, a new ``max_tokens``, a tool added or an edited text are all cost
changes. A request's cost is its input as written plus its output at its ``max_tokens`` (the most a reply
can cost; a prompt without a cap is priced on input only, as every command prices prompt files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from promptaudit.errors import UnknownModelError
from promptaudit.gate import gitutil

ZERO = Decimal(0)


@dataclass
class Context:
    """What pricing a version needs: the models, the config and any command-line volume."""

    default_model: str
    forced_model: str | None
    config: object
    volume: object
    root: Path


@dataclass(frozen=True)
class Priced:
    """One version of one prompt: its name there, the model it is counted and priced at, tokens and cost."""

    name: str
    model: str
    tokens: int
    method: str
    cap: int | None
    capped: bool
    in_code: bool
    per_request: Decimal | None
    """Input as written plus output at ``cap``; None when the model has no known price."""
    tools: int = 0

    @property
    def known(self) -> bool:
        return self.per_request is not None


@dataclass(frozen=True)
class PromptChange:
    """One prompt before and after (None on the side where it does not exist), at its volume."""

    key: str
    path: str
    old_path: str | None
    status: str
    before: Priced | None
    after: Priced | None
    requests_per_day: Decimal | None = None
    requests_per_month: Decimal | None = None
    violations: tuple = ()

    @property
    def name(self) -> str:
        """The prompt's name as the head shows it (the base's for a deleted prompt), renames shown."""
        now = (self.after or self.before).name
        if self.before and self.after and self.before.name != self.after.name and self.status == gitutil.RENAMED:
            return f"{self.before.name} → {now}"
        return now

    @property
    def tokens_before(self) -> int:
        return self.before.tokens if self.before else 0

    @property
    def tokens_after(self) -> int:
        return self.after.tokens if self.after else 0

    @property
    def method(self) -> str:
        from promptaudit.tokens.tokenizers import combine_methods

        return combine_methods(side.method for side in (self.before, self.after) if side)

    def monthly(self, side: Priced | None) -> Decimal | None:
        """$/month of one side (0 where the prompt does not exist); None without a volume or a price."""
        if self.requests_per_month is None:
            return None
        if side is None:
            return ZERO
        return None if side.per_request is None else side.per_request * self.requests_per_month

    @property
    def priced(self) -> bool:
        return all(side is None or side.known for side in (self.before, self.after))

    @property
    def monthly_before(self) -> Decimal | None:
        return self.monthly(self.before)

    @property
    def monthly_after(self) -> Decimal | None:
        return self.monthly(self.after)

    @property
    def monthly_change(self) -> Decimal | None:
        before, after = self.monthly_before, self.monthly_after
        return None if before is None or after is None else after - before

    def per_request(self, side: Priced | None) -> Decimal | None:
        """$/request of one side (0 where the prompt does not exist)."""
        return ZERO if side is None else side.per_request


def stem(name: str | None) -> str:
    """A prompt's name without the ``@line`` that moves with every edit above it."""
    return re.sub(r"@\d+$", "", name or "")


def fingerprint(prompt) -> tuple:
    """Everything about a prompt that changes what it costs (its text, parts, model and cap)."""
    parts = tuple((p.kind, p.role, p.text) for p in prompt.parts)
    return parts, prompt.model, prompt.max_tokens


def match(before: list, after: list) -> list[tuple]:
    """Pairs ``(old, new)`` of prompts (None for added or deleted), in the head's order then the base's.

    Within each name, an unchanged prompt is paired with its identical twin first; the rest pair by order.
    """
    pairs, used_old, used_new = [], set(), set()
    for stem_name in dict.fromkeys(stem(p.name) for p in [*after, *before]):
        olds = [i for i, p in enumerate(before) if stem(p.name) == stem_name]
        news = [i for i, p in enumerate(after) if stem(p.name) == stem_name]
        for j in news:
            twin = next(
                (i for i in olds if i not in used_old and fingerprint(before[i]) == fingerprint(after[j])), None
            )
            if twin is not None:
                used_old.add(twin)
                used_new.add(j)
                pairs.append((before[twin], after[j]))
        rest_old = [i for i in olds if i not in used_old]
        rest_new = [j for j in news if j not in used_new]
        for k in range(max(len(rest_old), len(rest_new))):
            old = before[rest_old[k]] if k < len(rest_old) else None
            new = after[rest_new[k]] if k < len(rest_new) else None
            pairs.append((old, new))
    return pairs


def load_version(name: str, data: bytes | None) -> list:
    """The prompts of one version of a file, parsed as ``count`` parses it (named like the file)."""
    import tempfile

    from promptaudit.reading.files import write_atomic
    from promptaudit.reading.loading import load_prompts
    from promptaudit.reading.sources import Source

    if data is None or not data.strip():
        return []
    with tempfile.TemporaryDirectory(prefix="promptaudit-diff-") as folder:
        copy = Path(folder) / Path(name).name  # same name, so the same parser is chosen
        write_atomic(copy, data, durable=False)  # a scratch copy: nothing to keep after a crash
        return load_prompts(Source(str(copy)))


def price(prompts: list, path: str, ctx: Context) -> list[Priced]:
    """Count and price each prompt of a version at its own model (``--model`` overrides every one)."""
    from promptaudit.reading.code.found import CallSite
    from promptaudit.tokens.counting import prompt_tokens

    priced = []
    for prompt in prompts:
        model, known = _model(prompt, ctx)
        counted = prompt_tokens([prompt], model if known else ctx.default_model)[0]
        origin = prompt.origin
        in_code = isinstance(origin, CallSite)
        capped = bool(getattr(origin, "capped", False)) or prompt.max_tokens is not None
        cost = _request_cost(model, counted.tokens, prompt.max_tokens) if known else None
        name = f"{path}#{prompt.name}" if prompt.name else path
        priced.append(Priced(name, model, counted.tokens, counted.method, prompt.max_tokens, capped, in_code, cost,
                             len(prompt.tools)))  # fmt: skip
    return priced


def _model(prompt, ctx: Context) -> tuple[str, bool]:
    """The model a prompt is priced at, and whether it has a price and a tokenizer."""
    from promptaudit.money import pricing
    from promptaudit.tokens.tokenizers import tokenizer_for

    model = ctx.forced_model or prompt.model or ctx.default_model
    try:
        pricing.price_for(model)
        tokenizer_for(model)
    except UnknownModelError:
        if ctx.forced_model or not prompt.model:
            raise  # a model the user chose must be known: one clear error, exit 2
        return model, False
    return model, True


def _request_cost(model: str, tokens: int, cap: int | None) -> Decimal:
    """Input as written plus output at the cap, at the price tier the request's input selects."""
    from promptaudit.money import pricing

    price = pricing.price_for(model, tokens)
    return price.input_cost(tokens) + price.output_cost(cap or 0)


def file_rows(version, ctx: Context) -> list[PromptChange]:
    """The changed prompts of one file: matched between versions, priced, unchanged ones left out."""
    from promptaudit.money import volume

    change = version.change
    old_name = change.old_path or change.path
    befores = load_version(old_name, version.before)
    afters = load_version(change.path, version.after)
    traffic = ctx.volume or volume.from_config(str(ctx.root / change.path), ctx.config)
    per_day = traffic.requests_per_day if traffic else None
    per_month = traffic.requests_per_month if traffic else None
    rows, ordinals = [], {}
    for old, new in match(befores, afters):
        if old is not None and new is not None and fingerprint(old) == fingerprint(new):
            if change.status != gitutil.RENAMED:
                continue  # an untouched prompt in an edited file
        prompt = new or old
        ordinal = ordinals[stem(prompt.name)] = ordinals.get(stem(prompt.name), -1) + 1
        key = f"{change.path}#{stem(prompt.name)}#{ordinal}"
        before = price([old], old_name, ctx)[0] if old is not None else None
        after = price([new], change.path, ctx)[0] if new is not None else None
        status = _status(change.status, old, new)
        rows.append(PromptChange(key, change.path, change.old_path, status, before, after, per_day, per_month))
    return rows


def _status(file_status: str, old, new) -> str:
    if old is None:
        return gitutil.ADDED
    if new is None:
        return gitutil.DELETED
    return gitutil.RENAMED if file_status == gitutil.RENAMED else gitutil.MODIFIED


def rows_for(versions: list, ctx: Context, skipped: list) -> list[PromptChange]:
    """Every changed prompt of every file; a version that cannot be read is skipped and said."""
    from promptaudit.errors import InputError

    rows = []
    for version in versions:
        try:
            rows += file_rows(version, ctx)
        except InputError as exc:
            skipped.append((version.change.path, exc.reason))
    return rows


def unchanged_monthly(paths: list[str], changed: set[str], ctx: Context, extensions: tuple[str, ...]) -> Decimal:
    """$/month of the prompts under ``paths`` that the change leaves alone (the rest of the bill).

    Unreadable files and prompts without a price or a volume add nothing (the total then says less).
    """
    from promptaudit.gate import versions
    from promptaudit.money import volume
    from promptaudit.reading.loading import gather_prompts

    prompts, _ = gather_prompts(paths or [str(ctx.root)], extensions)
    total = ZERO
    for prompt in prompts:
        if not versions.inside(prompt.path, ctx.root):
            continue  # a symlink out of the repository: not part of its bill, and not read
        path = versions.top_relative(prompt.path, ctx.root)
        traffic = ctx.volume or volume.from_config(str(ctx.root / path), ctx.config)
        if path in changed or traffic is None:
            continue
        side = price([prompt], path, ctx)[0]
        total += (side.per_request or ZERO) * traffic.requests_per_month
    return total
