"""``promptaudit usage``: actual spend, cache hit rate and output lengths from real API usage logs.

Exit codes: 0 when every input was read; 2 when an input is missing or unreadable, a gzip file is
truncated or corrupt (the report still shows every line read before the damage), or no input held a
usage record. Lines that match no format and models without a price are reported on stderr, not fatal.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import ConfigOption, load_settings, user_errors, warn


class UsageFormat(str, Enum):
    """Output formats of ``usage``."""

    table = "table"
    json = "json"
    markdown = "markdown"


@user_errors
def usage_command(
    logs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Usage logs: JSON Lines, JSON, CSV or Parquet (plain or gzip), - for stdin, or a table: "
            "clickhouse://[user@]host[:port]/db?table=T or chdb://PATH?table=T."
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Group by model, tag, day (UTC), or any field, e.g. --by metadata.prompt.")
    ] = "model",
    since: Annotated[str | None, typer.Option("--since", help="Only records at or after this ISO date/time.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only records before this time (a date includes that day).")
    ] = None,
    output_format: Annotated[UsageFormat, typer.Option("--format", "-f", help="table, json or markdown.")] = (
        UsageFormat.table
    ),
    tag_field: Annotated[
        str | None, typer.Option("--tag-field", help="Dotted path of the tag, e.g. metadata.prompt.")
    ] = None,
    route_field: Annotated[
        str | None, typer.Option("--route-field", help="Dotted path of the route tag (default metadata.route).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model for records that name none.")] = None,
    compare: Annotated[
        tuple[str, str] | None, typer.Option("--compare", help="BEFORE_LOG AFTER_LOG: compare two logs.")
    ] = None,
    split_at: Annotated[
        str | None, typer.Option("--split-at", help="Compare records before and after this time.")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option("--columns", help="CSV/Parquet column mapping, e.g. input=tokens_in,output=tokens_out."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="auto (DuckDB for Parquet and large logs when installed), duckdb or stream.")
    ] = "auto",
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="A table named in the config (usage: sources: NAME: {url: ...}); repeatable."),
    ] = None,
    show_sql: Annotated[
        bool, typer.Option("--show-sql", help="Print every query sent to a ClickHouse source on stderr.")
    ] = False,
    config_file: ConfigOption = None,
) -> None:
    """Read API usage logs (OpenAI, Anthropic, Gemini) and show actual cost, caching and output lengths."""
    from promptaudit.usage.clickhouse.source import from_config
    from promptaudit.usage.options import build_options, check_inputs

    settings = load_settings(config_file).get("usage") or {}  # also installs config prices: negotiated rates
    named = [from_config(name, settings) for name in source or []]
    paths = check_inputs([*(logs or []), *named] or None, compare, split_at)
    options = build_options(by, since, until, split_at, settings, tag_field, route_field, model, columns, engine)
    options.sources = settings.get("sources") or {}
    options.show_sql = _print_sql if show_sql else None
    code = _run(paths, compare, options, output_format.value)
    raise typer.Exit(code)


def _print_sql(text: str) -> None:
    """--show-sql: each query, as sent, on stderr (stdout stays the report)."""
    import sys

    sys.stderr.write(text + "\n")


def _run(paths: list[str], compare: tuple[str, str] | None, options, fmt: str) -> int:
    from promptaudit.money import pricing
    from promptaudit.report import usage as report
    from promptaudit.usage.records.logfile import total_size
    from promptaudit.usage.results import assemble as result
    from promptaudit.usage.results.costing import PriceBook
    from promptaudit.usage.scan import scan

    book = PriceBook(pricing.schedule_for)
    options.classify = book.classifier  # records are grouped by the prices they pay (docs/prices.md)
    with report.progress(total_size(list(compare or paths))) as on_progress:
        scans = [scan([p], options, on_progress) for p in compare] if compare else [scan(paths, options, on_progress)]
    if not any(s.sides for s in scans):
        return _nothing_found(scans)
    if compare or options.split_at is not None:
        before, after = _sides(scans, options, book)
        report.render_comparison(result.compare(before, after), scans, pricing.price_source(), fmt)
    else:
        report.render(result.build(scans[0], options.by, book), scans[0], pricing.price_source(), fmt)
    return _diagnose(scans, book)


def _sides(scans, options, book):
    from promptaudit.usage.results import assemble as result

    if len(scans) == 2:
        return (result.build(s, options.by, book, label=label) for s, label in zip(scans, ("before", "after")))
    return (result.build(scans[0], options.by, book, side=side, label=side) for side in ("before", "after"))


def _nothing_found(scans) -> int:
    _diagnose(scans, None)
    if not any(scan.errors for scan in scans):  # an unreadable input already said why in its own line
        warn("error: no usage records found in the input")
    return exitcodes.USAGE


def _diagnose(scans, book) -> int:
    """Tell the user on stderr what was skipped or damaged; return the exit code."""
    from promptaudit.usage.options import diagnostics

    lines, failed = diagnostics(scans, book)
    for line in lines:
        warn(line)
    return exitcodes.USAGE if failed else exitcodes.OK
