"""Each prompt's request volume: per prompt (``--per-day``), or a total split by shares (``--total-per-day``).

Two ways to say traffic, and every report says which one it used (its *volume basis*):

* **per prompt** -- ``--rps/--rpm/--per-day/--per-month``, the config's ``volume:`` and ``traffic:`` globs:
  each prompt gets that many requests, so a folder of four prompts at ``--per-day 10000`` sends 40,000
  requests a day;
* **total** -- ``--total-per-day N`` (or ``volume: {total_per_day: N}`` in the config): N requests a day in
  all, split among the prompts by their shares. ``--share PATTERN=F`` (repeatable) and the config's
  ``traffic: {GLOB: {share: F}}`` give shares; a pattern is a prompt's name (``file#name``), its path or a
  glob, and a share matching several prompts is split equally among them. Prompts without a share split
  what is left equally; with no shares at all every prompt gets an equal share. Shares must add up to 1.

The command line wins over the config; a total (from either) wins over per-prompt volumes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from promptaudit.errors import UsageError
from promptaudit.money import volume as volumes
from promptaudit.money.volume import Volume

PER_PROMPT = "per prompt"
TOTAL = "total"
SHARE_TOLERANCE = Decimal("0.0005")
"""Shares that add up to within this of 1 are taken as 1 (0.333 + 0.333 + 0.333 is a third each)."""


@dataclass(frozen=True)
class Share:
    """A share of the total traffic for the prompts a pattern matches, and where it was given."""

    pattern: str
    share: Decimal
    origin: str


@dataclass(frozen=True)
class TrafficOptions:
    """What the command line says about traffic: a per-prompt volume, or a total and shares."""

    per_prompt: Volume | None = None
    total: Volume | None = None
    shares: tuple[Share, ...] = ()


def parse_shares(values: list[str] | None) -> tuple[Share, ...]:
    """``--share PATTERN=F`` values, each F from 0 to 1."""
    shares = []
    for value in values or []:
        pattern, sep, number = value.rpartition("=")
        if not sep or not pattern.strip():
            raise UsageError(f"--share must be PATTERN=SHARE such as prompts/classify.txt=0.3, got {value!r}")
        shares.append(Share(pattern.strip(), volumes.fraction(number, f"--share {pattern.strip()}"), "--share"))
    return tuple(shares)


def from_cli(per_prompt: dict, total_per_day, shares: list[str] | None, days: Decimal) -> TrafficOptions:
    """Validate the traffic options: one per-prompt unit, or ``--total-per-day`` (with optional ``--share``)."""
    single = volumes.from_cli(per_prompt, days)
    given = parse_shares(shares)
    if total_per_day is None:
        if given:
            raise UsageError("--share needs --total-per-day (shares split a total; --per-day is per prompt)")
        return TrafficOptions(per_prompt=_labelled(single, per_prompt))
    if single is not None:
        raise UsageError("give either --total-per-day or a per-prompt volume (--rps, --rpm, --per-day, --per-month)")
    total = volumes.from_unit("per_day", total_per_day, days, "--total-per-day")
    return TrafficOptions(total=replace(total, origin=f"--total-per-day {_count(total)}"), shares=given)


def _count(found: Volume) -> str:
    return f"{found.requests_per_day.normalize():,f}"


def _labelled(single: Volume | None, flags: dict) -> Volume | None:
    """The per-prompt volume, its origin naming the flag and saying "per prompt"."""
    if single is None:
        return None
    flag = next(unit for unit, value in flags.items() if value is not None)
    return replace(single, origin=f"--{flag.replace('_', '-')}, {PER_PROMPT}")


def config_total(config, days: Decimal) -> Volume | None:
    """The config's ``volume: {total_per_day: N}`` (or another ``total_`` unit), else None."""
    settings = config.get("volume") or {}
    totals = {key.removeprefix("total_"): value for key, value in settings.items() if key.startswith("total_")}
    if not totals:
        return None
    found = volumes.from_mapping(totals, days, f"{config.path}: volume total")
    return replace(found, origin=f"{config.path}: total {_count(found)}/day") if found else None


def config_shares(config) -> tuple[Share, ...]:
    """``traffic: {GLOB: {share: F}}`` entries, in file order."""
    where = f"{config.path}: traffic"
    return tuple(
        Share(pattern, volumes.fraction(settings["share"], f"{where} {pattern!r} share"), f"{where} {pattern!r}")
        for pattern, settings in (config.get("traffic") or {}).items()
        if isinstance(settings, dict) and "share" in settings
    )


def basis(options: TrafficOptions, config) -> str:
    """``total`` when a total is given (command line or config), else ``per prompt``."""
    if options.per_prompt is not None:
        return PER_PROMPT
    return TOTAL if options.total is not None or config_total(config, volumes.DEFAULT_DAYS_PER_MONTH) else PER_PROMPT


def prompt_volumes(prompts: list, options: TrafficOptions, config, days: Decimal) -> list[Volume | None]:
    """Each prompt's volume (None where nothing gives one: the caller may calibrate or refuse)."""
    if options.per_prompt is not None:
        return [options.per_prompt] * len(prompts)
    total = options.total or config_total(config, days)
    if total is None:
        return [volumes.from_config(p.path, config, days) for p in prompts]
    shares = options.shares or config_shares(config)
    return [_share_of(total, share, origin) for share, origin in split(prompts, shares, config)]


def _share_of(total: Volume, share: Decimal, origin: str) -> Volume:
    return Volume(total.requests_per_day * share, total.days_per_month, f"{total.origin} × {origin}")


def split(prompts: list, shares: tuple[Share, ...], config) -> list[tuple[Decimal, str]]:
    """(share, how it was set) per prompt: given shares split among their prompts, the rest split equally."""
    owner = [next((s for s in shares if _matches(s.pattern, p, config)), None) for p in prompts]
    for share in shares:
        if share not in owner and not any(_matches(share.pattern, p, config) for p in prompts):
            raise UsageError(f"{share.origin} {share.pattern}: matches no prompt")
    given = sum((s.share for s in dict.fromkeys(o for o in owner if o is not None)), Decimal(0))
    rest = [i for i, o in enumerate(owner) if o is None]
    _check_sum(given, len(rest), shares)
    each_rest = (Decimal(1) - given) / len(rest) if rest else Decimal(0)
    found = []
    for share in owner:
        if share is None:
            how = "equal share" if not shares else "an equal part of the shares not given"
            found.append((each_rest, f"{_fraction(each_rest)} ({how})"))
        else:
            members = owner.count(share)
            found.append((share.share / members, _given(share, members)))
    return found


def _matches(pattern: str, prompt, config) -> bool:
    return pattern in (prompt.display, prompt.path) or volumes.glob_matches(pattern, prompt.path, config.root)


def _check_sum(given: Decimal, without: int, shares: tuple[Share, ...]) -> None:
    if given > 1 + SHARE_TOLERANCE:
        raise UsageError(f"the shares given add up to {given.normalize():f}, more than 1")
    if not without and shares and abs(given - 1) > SHARE_TOLERANCE:
        raise UsageError(f"the shares add up to {given.normalize():f}, not 1, and every prompt has one")
    if without and given >= 1 - SHARE_TOLERANCE and shares:
        raise UsageError(
            f"the shares given add up to 1, leaving nothing for {without} prompt(s) without one "
            "(give them a share, 0 if they get no traffic)"
        )


def _fraction(share: Decimal) -> str:
    return f"share {share:.4g}"


def _given(share: Share, members: int) -> str:
    split_note = f" split among {members} prompts" if members > 1 else ""
    return f"{_fraction(share.share / members)} ({share.origin} {share.pattern}{split_note})"
