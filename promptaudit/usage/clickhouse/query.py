"""The grouping query that runs on ClickHouse (a server, or chdb in-process): only grouped rows come back.

A schema (clickhouse.schemas.Plan) gives one row per request in the common row shape (clickhouse.sql); this query groups
them by everything the streaming reader's counter keys on (format, model, tier, batch, stop, tag, route
role, side of ``--split-at``, UTC day, output length) and by price cell (size tier and price period, as
money.schedule's Classifier places records, in the SQL of duck.group), so Python prices each group with the
same price classes as if it had read every row. Rows SQL cannot vouch for are counted as ``leftover`` here
and read one by one in Python (clickhouse.read). Time filters are pushed down twice: a partition-pruning condition
on the table's own time column (one second wider than asked), then the exact test on each row's time.
"""

from __future__ import annotations

from promptaudit.usage.duck.group import cells_sql

KEYS = ("fmt", "model", "service_tier", "batch", "capped", "tag", "route_role", "side", "day", "n_output",
        "cell_tier", "cell_period")  # fmt: skip
SUMS = ("n_input", "n_read", "n_write_5m", "n_write_1h", "n_searches")


def _number(value: float | None) -> str:
    return "NULL" if value is None else repr(float(value))


def prune(column: str | None, options) -> str:
    """A condition on the table's time column that lets ClickHouse skip whole parts outside the window."""
    if column is None or (options.since is None and options.until is None):
        return "true"
    checks = []
    if options.since is not None:
        checks.append(f"{column} >= toDateTime64({options.since - 1:.6f}, 6, 'UTC')")
    if options.until is not None:
        checks.append(f"{column} < toDateTime64({options.until + 1:.6f}, 6, 'UTC')")
    return f"(({' AND '.join(checks)}) OR {column} IS NULL OR {column} <= toDateTime64(0, 6, 'UTC'))"


def rows_sql(plan, options, raw: bool = False) -> str:
    """One row per request of the table (inside the time window's pruning condition)."""
    extra = "".join(f",\n  {expr}" for expr in plan.raw) if raw else ""
    inner = ",\n    ".join(plan.inner)
    passed = "".join(f", {expr.rsplit(' AS ', 1)[1]}" for expr in plan.raw) if raw else ""
    return f"""SELECT
  {plan.rows}{passed}
FROM (
  SELECT
    {inner}{extra}
  FROM {plan.table}
  WHERE ({plan.where}) AND {prune(plan.time_column, options)}
)"""


def sample_sql(plan, options, limit: int) -> str:
    """The models, tiers and batch flags of a sample of clean rows (which models need price cells)."""
    return f"""SELECT DISTINCT 'in', NULL, model, service_tier, batch
FROM (SELECT * FROM ({rows_sql(plan, options)}) LIMIT {limit})
WHERE clean"""


def grouped_sql(plan, counter, cells: dict, limit: int) -> str:
    """The grouped rows: note counts first, then duck.group's layout (klass, keys, sums, times, count)."""
    opts = counter.options
    since, until, split = (_number(v) for v in (opts.since, opts.until, opts.split_at))
    window = f"(moment >= {since} OR {since} IS NULL) AND (moment < {until} OR {until} IS NULL)"
    klass = "multiIf(no_usage, 'no_usage', NOT clean, 'leftover', " + (
        f"moment IS NULL, 'no_time', NOT ({window}), 'out', 'in')" if counter.window else "'in')"
    )
    side = f"multiIf({split} IS NULL, 'all', moment < {split}, 'before', 'after')"
    day = "toInt64(floor(moment / 86400))" if counter.by_day else "CAST(NULL AS Nullable(Int64))"
    tier, period = cells_sql(cells, opts.default_model)
    route = "multiIf(route IS NULL, NULL, position(lower(route), 'fallback') > 0, 'fallback', 'first')"
    keys = ", ".join(f"if(klass = 'in', {key}, NULL) AS g_{key}" for key in KEYS)
    notes = "".join(f"countIf(klass = 'in' AND note = {i}), " for i in range(1, len(plan.notes) + 1))
    return f"""SELECT {notes}klass, {keys},
  {", ".join(f"sum({s})" for s in SUMS)},
  min(moment), max(moment), countIf(moment IS NULL), count()
FROM (
  SELECT *, {side} AS side, {day} AS day, {tier} AS cell_tier, {period} AS cell_period, {route} AS route_role
  FROM (SELECT *, {klass} AS klass FROM ({rows_sql(plan, opts)}))
)
GROUP BY klass, {", ".join(f"g_{key}" for key in KEYS)}
LIMIT {limit}"""


def leftovers_sql(plan, options, limit: int) -> str:
    """The raw values of the rows SQL did not count (at most ``limit``)."""
    names = ", ".join(expr.rsplit(" AS ", 1)[1] for expr in plan.raw)
    return f"SELECT {names} FROM ({rows_sql(plan, options, raw=True)}) WHERE NOT clean AND NOT no_usage LIMIT {limit}"
