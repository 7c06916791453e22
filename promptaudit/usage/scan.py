"""Stream logs into groups: read, parse, filter by time, and count (the one hot loop of the command)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from promptaudit.errors import InputError
from promptaudit.usage.aggregate import (
    CACHE_READ,
    CAPPED,
    INPUT,
    NO_MODEL,
    OUTPUT,
    REQUESTS,
    STOP_KNOWN,
    WEB_SEARCHES,
    WRITE_1H,
    WRITE_5M,
    Group,
    price_mode,
)
from promptaudit.usage.decoding import json_loader
from promptaudit.usage.readers import LogFile, read_lines
from promptaudit.usage.records import fields

BY_CHOICES = ("model", "tag", "day", "all")
FIRST_BAD_LINES = 5
PROGRESS_EVERY = 50_000
ALL = "all"


@dataclass
class ScanOptions:
    """What to read and how to group it; times are Unix seconds, ``until`` exclusive."""

    by: str = "model"
    tag_path: tuple[str, ...] = ()
    route_path: tuple[str, ...] = ()
    since: float | None = None
    until: float | None = None
    split_at: float | None = None
    default_model: str | None = None
    only_model: str | None = None
    span: bool = False  # track each group's first and last timestamp (calibration's requests per day)
    # Pricing: (model, mode) -> a Classifier placing records by prompt size and time (money.schedule), or None
    # when that model's prices do not vary. Given, every record's timestamp is read (prices change with time).
    classify: Callable[[str, str], object | None] | None = None


@dataclass
class Scan:
    """The counted groups (per side: "all", or "before"/"after" with a split), and what was skipped."""

    # Groups per side, keyed by (group key, route role or None) so each record is counted once.
    sides: dict[str, dict[tuple[str, str | None], Group]] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    files: list[LogFile] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    unparsed: dict[str, int] = field(default_factory=lambda: {"invalid_json": 0, "no_usage": 0})
    first_unparsed: list[str] = field(default_factory=list)
    filtered_out: int = 0
    no_timestamp_skipped: int = 0
    no_model: int = 0
    no_timestamp: int = 0  # records without a timestamp, priced at the run's time (counted when pricing)

    @property
    def unparsed_lines(self) -> int:
        return sum(self.unparsed.values())

    def groups(self, side: str = ALL) -> list[Group]:
        """The groups of one side, sorted by key (route roles merged)."""
        return _merged(self.sides.get(side, {}), lambda key, role: key)

    @property
    def routes(self) -> dict[str, Group]:
        """Records carrying a route tag, as one group per role ("first" or "fallback")."""
        tagged = {k: g for k, g in self.sides.get(ALL, {}).items() if k[1] is not None}
        return {g.key: g for g in _merged(tagged, lambda key, role: role)}

    def bad_line(self, where: str, reason: str) -> None:
        """Count a line that matched no format, remembering the first few places."""
        self.unparsed[reason] += 1
        if len(self.first_unparsed) < FIRST_BAD_LINES:
            self.first_unparsed.append(where)


def _merged(groups: dict[tuple[str, str | None], Group], pick) -> list[Group]:
    merged: dict[str, Group] = {}
    for (key, role), group in groups.items():
        name = pick(key, role)
        merged.setdefault(name, Group(name)).merge(group)
    return [merged[name] for name in sorted(merged)]


def scan(paths: list[str], options: ScanOptions, on_progress: Callable[[int], None] | None = None) -> Scan:
    """Read every log in ``paths`` into a Scan; unreadable inputs are recorded in ``errors``, not raised."""
    result = Scan()
    counter = _Counter(result, options)
    done_bytes = 0
    for path in paths:
        log = LogFile(path)
        result.files.append(log)
        try:
            _scan_file(log, counter, _reporter(on_progress, done_bytes, log))
        except InputError as exc:
            result.errors.append(exc)
        done_bytes += log.size
    counter.finish()
    return result


def _reporter(on_progress: Callable[[int], None] | None, done_bytes: int, log: LogFile) -> Callable[[], None]:
    """A callback reporting bytes read so far across every input (a no-op without a progress bar)."""
    if on_progress is None:
        return lambda: None
    return lambda: on_progress(done_bytes + log.position)


def _scan_file(log: LogFile, counter: _Counter, progress: Callable[[], None]) -> None:
    # Hot loop: kept flat on purpose (local names; per line one decode, one extract and one count call).
    loads, count, tag_path, route_path, timed = json_loader(), counter.count, *counter.paths, counter.stamps
    for number, line in enumerate(read_lines(log), 1):
        try:
            found = fields(loads(line), tag_path, route_path, timed)
        except (ValueError, TypeError, KeyError, AttributeError):
            if line.strip():
                counter.scan.bad_line(f"{log.path}:{number}", "invalid_json")
            continue
        if found is None:
            counter.scan.bad_line(f"{log.path}:{number}", "no_usage")
        else:
            count(found)
        if number % PROGRESS_EVERY == 0:
            progress()


class _Counter:
    """Routes each record to its side, group and price class.

    Records that land in the same place share a slot, found by one dict lookup on the record's raw fields;
    the group key, route role, side and price class are worked out once per slot, not once per line.
    """

    def __init__(self, result: Scan, options: ScanOptions) -> None:
        self.scan, self.options = result, options
        # The tag only ever serves as a group key; not reading it otherwise keeps slots few.
        self.paths = (options.tag_path if options.by == "tag" else (), options.route_path)
        self.window = any(t is not None for t in (options.since, options.until, options.split_at))
        self.by_day = options.by == "day"
        self.when = self.window or self.by_day
        self.priced = options.classify is not None
        self.stamps = self.when or options.span or self.priced  # whether lines' timestamps are parsed at all
        self.key_of = {"model": _model_key, "tag": _tag_key, "day": self._day_key, "all": _all_key}[options.by]
        # slot key -> [requests, price-class counters, output histogram, group or None, classify or None];
        # False when filtered by model. With ``classify`` the counters depend on each record's size and time.
        self._slots: dict[tuple, list | bool] = {}
        self._days: dict[int, str] = {}

    def count(self, found: tuple) -> None:
        """Count one record (unless filtered out) in its group and price class."""
        fmt, model, tokens, capped, batch, stamp, tag, route, tier, searches = found
        when = self._when(stamp) if self.when else None
        if when is False:
            return
        if route is not None:  # the role, not the raw value, so that unique route values add no slots
            route = "fallback" if "fallback" in route.lower() else "first"
        # Requests, stop reasons and formats are counted per slot (hence capped in the key), summed in finish().
        key = (fmt, model, batch, tier, capped, tag, route, when)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slot(key, stamp)
        if slot is False:
            self.scan.filtered_out += 1
            return
        slot[0] += 1
        if stamp is None and self.priced:
            self.scan.no_timestamp += 1
        tokens_in, read, write_5m, write_1h, out = tokens
        counts, hist, classify = slot[1], slot[2], slot[4]
        if classify is not None:  # a model whose prices depend on the record's size or time
            counts = classify(tokens_in, stamp)
            counts[REQUESTS] += 1
            if capped is not None:
                counts[STOP_KNOWN] += 1
                counts[CAPPED] += capped
        if searches:
            counts[WEB_SEARCHES] += searches
        counts[INPUT] += tokens_in
        counts[CACHE_READ] += read
        counts[WRITE_5M] += write_5m
        counts[WRITE_1H] += write_1h
        counts[OUTPUT] += out
        hist[out] = hist.get(out, 0) + 1
        if stamp is not None and slot[3] is not None:
            slot[3].see_time(stamp)

    def _when(self, stamp: float | None) -> tuple | bool:
        """False for a record outside the time window, else what of its time places it (side, day)."""
        if self.window and not self._in_window(stamp):
            return False
        split = self.options.split_at
        side = ALL if split is None else ("before" if stamp < split else "after")  # type: ignore[operator]
        return side, (int(stamp // 86_400) if self.by_day and stamp is not None else None)

    def _slot(self, key: tuple, stamp: float | None) -> list | bool:
        fmt, model, batch, tier, capped, tag, route, when = key
        model = model or self.options.default_model or NO_MODEL
        if self.options.only_model and model != self.options.only_model:
            self._slots[key] = False
            return False
        groups = self.scan.sides.setdefault(ALL if when is None else when[0], {})
        group_key = (self.key_of(model, tag, stamp), route)
        group = groups.get(group_key) or groups.setdefault(group_key, Group(group_key[0]))
        # The group again, to widen its time span, only when that span is wanted (see_time costs on every line).
        span = group if self.options.span else None
        mode = price_mode(batch, tier)
        classifier = self.options.classify(model, mode) if self.priced else None  # type: ignore[misc]
        if classifier is None:
            slot = [0, group.counters((model, mode, 0, 0)), group.output_hist, span, None]
        else:
            slot = [0, None, group.output_hist, span, _classify(group, model, mode, classifier.key)]
        self._slots[key] = slot
        return slot

    def finish(self) -> None:
        """Add each slot's records to its price class's requests and stop reasons, and to the scan's tallies."""
        formats, default_model = self.scan.formats, self.options.default_model
        for (fmt, model, _, _, capped, *_), slot in self._slots.items():
            if slot is False:
                continue
            requests, counts = slot[0], slot[1]
            if counts is not None:  # classified slots counted requests and stops per record
                counts[REQUESTS] += requests
            if counts is not None and capped is not None:
                counts[STOP_KNOWN] += requests
                counts[CAPPED] += requests * capped
            formats[fmt] = formats.get(fmt, 0) + requests
            if (model or default_model or NO_MODEL) == NO_MODEL:
                self.scan.no_model += requests
        self._slots.clear()

    def _in_window(self, stamp: float | None) -> bool:
        opts = self.options
        if stamp is None:
            self.scan.no_timestamp_skipped += 1
            return False
        if (opts.since is not None and stamp < opts.since) or (opts.until is not None and stamp >= opts.until):
            self.scan.filtered_out += 1
            return False
        return True

    def _day_key(self, model: str, tag: str | None, stamp: float | None) -> str:
        if stamp is None:
            return "(no time)"
        day = int(stamp // 86_400)
        if day not in self._days:
            self._days[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        return self._days[day]


def _classify(group: Group, model: str, mode: str, key: Callable) -> Callable[[int, float | None], list[int]]:
    """The counters of the price class a record of ``model`` in ``mode`` falls in, by its size and time."""

    def counters(tokens_in: int, stamp: float | None) -> list[int]:
        tier, period = key(tokens_in, stamp)
        return group.counters((model, mode, tier, period))

    return counters


def _model_key(model: str, tag: str | None, stamp: float | None) -> str:
    return model


def _tag_key(model: str, tag: str | None, stamp: float | None) -> str:
    return tag if tag is not None else "(no tag)"


def _all_key(model: str, tag: str | None, stamp: float | None) -> str:
    return ALL
