"""Command-line and config settings for ``usage`` turned into ScanOptions, and the diagnostics it prints."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from promptaudit.errors import UsageError
from promptaudit.usage.scan import BY_CHOICES, Scan, ScanOptions

DEFAULT_ROUTE_FIELD = "metadata.route"


def check_inputs(logs: list[str] | None, compare: tuple[str, str] | None, split_at: str | None) -> list[str]:
    """The logs to read; exactly one of LOG..., or --compare BEFORE AFTER, must be given."""
    if compare and logs:
        raise UsageError("give either LOG... or --compare BEFORE_LOG AFTER_LOG, not both")
    if compare and split_at:
        raise UsageError("give either --compare or --split-at, not both")
    if not compare and not logs:
        raise UsageError("name at least one log file (or - for stdin), or use --compare BEFORE_LOG AFTER_LOG")
    return list(compare) if compare else list(logs or [])


def build_options(
    by, since, until, split_at, settings: dict, tag_field, route_field, model, columns=None, engine="auto"
) -> ScanOptions:
    """ScanOptions from flags, falling back to the config's ``usage:`` settings.

    ``--by`` names model, tag, day, or any field (``--by metadata.prompt`` is ``--by tag --tag-field
    metadata.prompt``); a column mapping's ``tag``/``route`` columns stand in for the tag and route fields.
    """
    from promptaudit.usage.engine import ENGINES
    from promptaudit.usage.sources.tabular import parse_columns

    mapping = parse_columns(columns or settings.get("columns"))
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if by not in BY_CHOICES:
        by, tag_field = "tag", _field_name(by)
    tag = tag_field or settings.get("tag_field") or mapping.get("tag")
    if by == "tag" and not tag:
        raise UsageError("--by tag needs --tag-field (a dotted path such as metadata.prompt)")
    start, end = parse_time(since, "--since"), parse_time(until, "--until", end_of_day=True)
    if start is not None and end is not None and start >= end:
        raise UsageError(f"--since {since} is not before --until {until}")
    return ScanOptions(
        by=by,
        tag_path=_path(tag),
        route_path=_path(route_field or settings.get("route_field") or mapping.get("route") or DEFAULT_ROUTE_FIELD),
        since=start,
        until=end,
        split_at=parse_time(split_at, "--split-at"),
        default_model=model or settings.get("model"),
        columns=mapping,
        engine=engine,
    )


def _field_name(by: str) -> str:
    """A ``--by`` value that is not a built-in grouping must name a field."""
    if not by.strip() or by.startswith("-") or len(by) > 200:
        raise UsageError(f"--by must be model, tag, day or a field name such as metadata.prompt, got {by!r}")
    return by


def _path(dotted: str | None) -> tuple[str, ...]:
    return tuple(part for part in (dotted or "").split(".") if part)


def parse_time(value: str | None, flag: str, end_of_day: bool = False) -> float | None:
    """Unix seconds from an ISO 8601 date or date-time (UTC unless it says); a bare date with
    ``end_of_day`` means the end of that day."""
    if value is None:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} must be an ISO date or date-time such as 2026-11-01T12:00, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if end_of_day and len(text) == 10:
        if moment.year == 9999 and moment.month == 12 and moment.day == 31:
            return None  # the end of the last day there is: no upper bound
        moment += timedelta(days=1)
    return moment.timestamp()


def diagnostics(scans: list[Scan], book) -> tuple[list[str], bool]:
    """Lines for stderr about skipped or damaged input, and whether any input failed (exit code 2)."""
    lines, failed = [], False
    for scan in scans:
        for error in scan.errors:
            lines.append(f"error: {error}")
            failed = True
        for log in scan.files:
            if log.truncated:
                lines.append(f"error: {log.path}: {log.truncated}; the report uses the lines read before it")
                failed = True
        lines += _skipped(scan)
    if book is not None:
        lines += [
            f"warning: {reason}; its requests are counted but their cost is unknown" for reason in book.unknown.values()
        ]
        lines += [f"note: {note}" for note in book.notes]
        lines += _untimed(scans, book.now)
    return lines, failed


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 record``, ``2 records``: a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _untimed(scans: list[Scan], now: float) -> list[str]:
    """Records without a timestamp were priced at the rates in force when the command ran: say how many."""
    count = sum(scan.no_timestamp for scan in scans)
    if not count:
        return []
    when = datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    carry = "carries" if count == 1 else "carry"
    return [
        f"note: {counted(count, 'record')} {carry} no timestamp; priced at the rates in force at the run's time ({when})"
    ]


def _skipped(scan: Scan) -> list[str]:
    lines = []
    if scan.unparsed_lines:
        where = ", ".join(scan.first_unparsed)
        detail = f"{scan.unparsed['invalid_json']:,} not JSON, {scan.unparsed['no_usage']:,} without usage"
        lines.append(
            f"warning: {counted(scan.unparsed_lines, 'line')} matched no usage format ({detail}); first at {where}"
        )
    if scan.no_timestamp_skipped:
        untimed = counted(scan.no_timestamp_skipped, "record")
        lines.append(f"warning: {untimed} without a timestamp skipped by the time filter")
    if scan.no_model:  # counted in requests: a usage-report row holds many
        lines.append(f"warning: {counted(scan.no_model, 'request')} with no model name; pass --model to price them")
    return lines + _set_aside(scan)


def _set_aside(scan: Scan) -> list[str]:
    """Refused records (bad values), records skipped on purpose, and what pre-aggregated rows cannot give."""
    lines = []
    if scan.refused:
        lines.append(
            f"warning: {counted(scan.refused, 'record')} refused for values no provider writes; first at "
            f"{'; '.join(scan.first_refused)}"
        )
    for reason, (count, where) in sorted(scan.notices.items()):
        lines.append(f"warning: {count:,} records {reason}; first at {where}")
    for reason, count in sorted(scan.skipped.items()):
        lines.append(f"note: {counted(count, 'record')} skipped: {reason}")
    if scan.bucket_rows:
        lines.append(
            f"note: {counted(scan.bucket_rows, 'pre-aggregated row')} (usage reports) "
            f"{'counts' if scan.bucket_rows == 1 else 'count'} in tokens and cost; "
            "output percentiles, cap hits and the suggested max_tokens of their groups cannot be given"
        )
        if scan.per_request_records:
            lines.append(
                "warning: per-request logs and usage reports are summed; if they cover the same "
                "traffic it is counted twice"
            )
    if scan.unknown_request_rows:
        lines.append(
            f"note: {counted(scan.unknown_request_rows, 'row')} {'does' if scan.unknown_request_rows == 1 else 'do'} "
            "not say how many requests they hold "
            "(Anthropic usage reports): per-request figures of their groups cannot be given"
        )
    return lines
