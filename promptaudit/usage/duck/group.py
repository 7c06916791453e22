"""DuckDB's grouped rows, counted with the streaming reader's counter (shared by duck/read.py and duck/tables.py).

Each file's query yields one row per line (duck.sql.query, duck.tables); here they are grouped by everything
the counter keys on, each model whose prices vary with size or time split by price cell (money.schedule).
"""

from __future__ import annotations

from decimal import Decimal

FETCH_ROWS = 10_000
SAMPLE_ROWS = 20_000  # rows a JSON Lines file is sampled on for the models it holds


class Stream(Exception):
    """This file is better read by the streaming reader (a gateway's CSV export, a damaged CSV)."""


def quoted(path: str) -> str:
    """A path as a SQL string literal."""
    return "'" + path.replace("'", "''") + "'"


def grouped_rows(con, rows_sql: str, counter, raw: bool, sample: int | None = SAMPLE_ROWS) -> list:
    """The grouped rows of one file, each model whose prices vary with size or time split by price cell.

    Which models need cells is first learnt from a sample (``sample`` rows, None: all of a columnar table's);
    a model found only by the full query is asked after it, and the query runs again with its cells, so the
    result never depends on the sample.
    """
    limit = "" if sample is None else f" LIMIT {sample}"
    seen = con.execute(
        f"SELECT DISTINCT 'in', NULL, model, service_tier, batch FROM (SELECT * FROM ({rows_sql}){limit}) WHERE clean"
    ).fetchall()
    cells = _classifiers(seen, counter, {})
    while True:
        rows = con.execute(_grouped(rows_sql, counter, raw, cells)).fetchall()
        wanted = _classifiers(rows, counter, cells)
        if wanted.keys() <= cells.keys():
            return rows
        cells.update(wanted)


def _classifiers(rows: list, counter, known: dict) -> dict:
    """(effective model, mode) -> Classifier for every priced pair in ``rows`` whose prices vary."""
    from promptaudit.usage.records.aggregate import NO_MODEL, price_mode

    classify = counter.options.classify
    if classify is None:
        return {}
    found = dict(known)
    for row in rows:
        if row[0] == "in":
            pair = (row[2] or counter.options.default_model or NO_MODEL, price_mode(row[4], row[3]))
            if pair not in found:
                found[pair] = classify(*pair)
    return {pair: c for pair, c in found.items() if c is not None}


def _cells_sql(cells: dict, default_model: str | None) -> tuple[str, str]:
    """SQL for each row's price cell (tier, period), as money.schedule.Classifier.key computes it."""
    if not cells:
        return "0", "0"
    model = f"coalesce(model, {_literal(default_model or '(no model)')})"
    mode = "CASE WHEN batch THEN 'batch' ELSE coalesce(service_tier, 'standard') END"
    tiers, periods = [], []
    for (name, how), c in cells.items():
        match = f"WHEN {model} = {_literal(name)} AND {mode} = {_literal(how)} THEN "
        tiers.append(match + (" + ".join(f"(n_input > {t})::INT" for t in c.thresholds) or "0"))
        when = f"coalesce(moment, {float(c.now)!r})"
        segment = " + ".join(f"({when} >= {float(b)!r})::INT" for b in c.boundaries) or "0"
        of_day = f"({when} - 86400 * floor({when} / 86400))"
        part = " + ".join(f"({of_day} >= {int(cut)})::INT" for cut in c.day_cuts) + " - 1"
        periods.append(match + f"({segment}) * {len(c.day_cuts)} + ({part})")
    return f"CASE {' '.join(tiers)} ELSE 0 END", f"CASE {' '.join(periods)} ELSE 0 END"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _grouped(rows_sql: str, counter, raw: bool, cells: dict) -> str:
    """Group the per-line rows by their class and everything the counter keys on (keys are only read for "in")."""
    opts, window = counter.options, counter.window
    since, until, split = (("NULL" if v is None else repr(float(v))) for v in (opts.since, opts.until, opts.split_at))
    invalid = "WHEN raw_line IS NULL THEN 'invalid' " if raw else ""
    in_window = (
        f"(moment IS NOT NULL AND ({since} IS NULL OR moment >= {since}) AND ({until} IS NULL OR moment < {until}))"
    )
    klass = (
        f"CASE {invalid}WHEN no_usage THEN 'no_usage' WHEN NOT clean THEN 'leftover' "
        + (f"WHEN moment IS NULL THEN 'no_time' WHEN NOT {in_window} THEN 'out' " if window else "")
        + "ELSE 'in' END"
    )
    side = f"CASE WHEN {split} IS NULL THEN 'all' WHEN moment < {split} THEN 'before' ELSE 'after' END"
    day = "CASE WHEN moment > -1e29 THEN floor(moment / 86400)::BIGINT END" if counter.by_day else "NULL::BIGINT"
    tier, period = _cells_sql(cells, opts.default_model)
    keys = ("fmt", "model", "service_tier", "batch", "capped", "tag", "route_role", "side", "day", "n_output",
            "cell_tier", "cell_period")  # fmt: skip
    return f"""
SELECT klass, {", ".join(keys)},
  sum(n_input), sum(n_read), sum(n_write_5m), sum(n_write_1h), sum(n_searches),
  min(moment), max(moment), count(*) FILTER (WHERE moment IS NULL), count(*)
FROM (SELECT *, {side} AS side, {day} AS day,
             {tier} AS cell_tier, {period} AS cell_period,
             CASE WHEN route IS NULL THEN NULL WHEN contains(lower(route), 'fallback') THEN 'fallback' ELSE 'first' END
             AS route_role
      FROM (SELECT *, {klass} AS klass FROM ({rows_sql})))
GROUP BY ALL"""


def count_grouped(rows: list, log, counter) -> None:
    """Count each group row with the streaming reader's counter (see _Counter.count_rows)."""
    scan = counter.scan
    for row in rows:
        klass, fmt, model, tier, batch, capped, tag, route, side, day, output, cell_tier, cell_period = row[:13]
        sums, (first, last, untimed, n) = row[13:18], row[18:]
        if klass == "in":
            when = (side, day) if counter.when else None
            key = (fmt, model, batch, tier, capped, tag, route, when)
            counter.count_rows(key, (cell_tier, cell_period), n, sums, output, (first, last, untimed))
        elif klass == "no_usage":
            scan.bad_line(f"{log.path} (DuckDB: no line numbers)", "no_usage", n)
        elif klass == "invalid":
            scan.bad_line(f"{log.path} (DuckDB: no line numbers)", "invalid_json", n)
        elif klass == "no_time":
            scan.no_timestamp_skipped += n
        elif klass == "out":
            scan.filtered_out += n


def plain(value: object) -> object:
    """A DuckDB value as the streaming readers see cells: numbers, text, ISO times."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# Shared with the ClickHouse source (clickhouse.query, clickhouse.read): the same price cells and classifier learning, one place.
cells_sql = _cells_sql
classifiers = _classifiers
