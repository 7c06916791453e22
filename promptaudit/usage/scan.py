"""Stream logs into groups: read, parse, filter by time, and count (the one hot loop of the command)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from promptaudit.errors import InputError
from promptaudit.usage.inputs import read_input
from promptaudit.usage.records.aggregate import (
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
from promptaudit.usage.records.logfile import LogFile
from promptaudit.usage.records.normal import IGNORED, Bucket, Noted, Skipped
from promptaudit.usage.records.values import BadValue

BY_CHOICES = ("model", "tag", "day", "all")
FIRST_BAD_LINES = 5
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
    columns: dict[str, str] = field(default_factory=dict)  # CSV/Parquet column mapping (tabular.COLUMN_KEYS)
    engine: str = "auto"  # "auto", "duckdb" or "stream" (see usage/engine.py)
    # Pricing: (model, mode) -> a Classifier placing records by prompt size and time (money.schedule), or None
    # when that model's prices do not vary. Given, every record's timestamp is read (prices change with time).
    classify: Callable[[str, str], object | None] | None = None
    sources: dict = field(default_factory=dict)  # the config's usage: sources: entries (ClickHouse URLs, secrets files)
    show_sql: Callable[[str], None] | None = None  # told every query sent to a ClickHouse source (--show-sql)


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
    refused: int = 0  # records holding a value no provider writes (values.BadValue)
    first_refused: list[str] = field(default_factory=list)  # "where: why" for the first few
    skipped: dict[str, int] = field(default_factory=dict)  # set aside on purpose: failed requests, cost rows
    notices: dict[str, list] = field(default_factory=dict)  # counted, with a warning: reason -> [count, first place]
    bucket_rows: int = 0  # pre-aggregated rows (usage reports)
    unknown_request_rows: int = 0  # ... of which do not say how many requests they hold
    per_request_records: int = 0
    engines: dict[str, str] = field(default_factory=dict)  # path -> the engine that read it
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

    def bad_line(self, where: str, reason: str, count: int = 1) -> None:
        """Count a line that matched no format, remembering the first few places."""
        self.unparsed[reason] += count
        if len(self.first_unparsed) < FIRST_BAD_LINES:
            self.first_unparsed.append(where)

    def refuse(self, where: str, exc: BadValue, count: int = 1) -> None:
        """Count a record refused for a bad value, remembering the first few places and reasons."""
        self.refused += count
        if len(self.first_refused) < FIRST_BAD_LINES:
            self.first_refused.append(f"{where}: {exc.reason}")

    def notice(self, reason: str, where: str, count: int = 1) -> None:
        """Count a record read with a warning (normal.Noted), remembering where the first one was."""
        seen = self.notices.setdefault(reason, [0, where])
        seen[0] += count

    def skip(self, reason: str, count: int = 1) -> None:
        """Count a record set aside on purpose (failed request, cost-only row)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + count


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
    """Read one input with the reader its kind needs (see usage/inputs.py)."""
    read_input(log, counter, progress)


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
        self._bucket_requests = 0
        self._days: dict[int, str] = {}

    def take(self, items: list | None, where: str) -> None:
        """Count what a reader found in one line or item: records, buckets, set-aside and refused records."""
        if items is None:
            self.scan.bad_line(where, "no_usage")
            return
        for item in items:
            if item is None:
                self.scan.bad_line(where, "no_usage")
            elif isinstance(item, BadValue):
                self.scan.refuse(where, item)
            elif isinstance(item, Bucket):
                self.count_bucket(item)
            elif isinstance(item, Skipped):
                if item is not IGNORED:
                    self.scan.skip(item.reason)
            elif isinstance(item, Noted):
                self.scan.notice(item.reason, where)
                self.take([item.record], where)
            else:
                self.count(item)

    def count(self, found: tuple) -> None:
        """Count one record (unless filtered out) in its group and price class."""
        slot = self._place(found)
        if slot is None:
            return
        _, _, tokens, capped, _, stamp, _, _, _, searches = found
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

    def count_bucket(self, bucket: Bucket) -> None:
        """Count a pre-aggregated row: its requests and tokens, not its output lengths (it has none)."""
        slot = self._place(bucket.record)
        if slot is None:
            return
        requests, stamp = bucket.requests or 0, bucket.record.stamp
        slot[0] += requests
        self._bucket_requests += requests
        counts = slot[1]
        if slot[4] is not None:  # a bucket's size tier is the one its requests had (see buckets.py)
            counts = slot[4](bucket.tier_input, stamp)
            counts[REQUESTS] += requests
        for index, value in zip((INPUT, CACHE_READ, WRITE_5M, WRITE_1H, OUTPUT), bucket.record.counts):
            counts[index] += value
        counts[WEB_SEARCHES] += bucket.record.web_searches
        group = slot[5]
        group.bucket_rows += 1
        group.unknown_request_rows += bucket.requests is None
        self.scan.bucket_rows += 1
        self.scan.unknown_request_rows += bucket.requests is None
        if slot[3] is not None:
            for seen in (stamp, bucket.end):
                if seen is not None:
                    slot[3].see_time(seen)

    def count_rows(self, key: tuple, cell: tuple, requests: int, sums: tuple, output: int, times: tuple) -> None:
        """Count ``requests`` records DuckDB grouped under one slot key and price ``cell`` (tier, period), all of
        ``output`` tokens out; ``sums`` are their input, cache read, 5m and 1h writes and web searches; ``times``
        the first and last timestamps and how many had none."""
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slot(key, None if key[-1] is None or key[-1][1] is None else key[-1][1] * 86_400.0)
        if slot is False:
            self.scan.filtered_out += requests
            return
        slot[0] += requests
        counts, hist = slot[1], slot[2]
        if slot[4] is not None:
            counts = slot[5].counters((slot[6], slot[7], *cell))
            counts[REQUESTS] += requests
            if key[4] is not None:
                counts[STOP_KNOWN] += requests
                counts[CAPPED] += requests * key[4]
        for index, value in zip((INPUT, CACHE_READ, WRITE_5M, WRITE_1H, WEB_SEARCHES), sums):
            counts[index] += int(value)
        counts[OUTPUT] += output * requests
        hist[output] = hist.get(output, 0) + requests
        first, last, untimed = times
        if self.priced:
            self.scan.no_timestamp += untimed
        if slot[3] is not None:
            for seen in (first, last):
                if seen is not None:
                    slot[3].see_time(seen)

    def _place(self, found: tuple) -> list | None:
        """The slot a record counts in, or None when the time window or --model filters it out."""
        fmt, model, _, capped, batch, stamp, tag, route, tier, _ = found
        when = self._when(stamp) if self.when else None
        if when is False:
            return None
        if route is not None:  # the role, not the raw value, so that unique route values add no slots
            route = "fallback" if "fallback" in route.lower() else "first"
        # Requests, stop reasons and formats are counted per slot (hence capped in the key), summed in finish().
        key = (fmt, model, batch, tier, capped, tag, route, when)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slot(key, stamp)
        if slot is False:
            self.scan.filtered_out += 1
            return None
        return slot  # type: ignore[return-value]

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
        # [requests, counters (None when classified per record), output histogram, group when its time span is
        #  wanted, classify or None, group, model, mode]
        if classifier is None:
            slot = [0, group.counters((model, mode, 0, 0)), group.output_hist, span, None, group, model, mode]
        else:
            slot = [0, None, group.output_hist, span, _classify(group, model, mode, classifier.key), group, model, mode]
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
            self.scan.per_request_records += requests
        self.scan.per_request_records -= self._bucket_requests
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
