"""Read a ClickHouse source: connect (clickhouse-connect over HTTP, or chdb in-process), run the grouping query
there, and count what comes back with the streaming reader's own counter.

Nothing is counted until every query has answered: an unreachable server, a wrong password, a missing table,
columns of other types, a query that runs past its timeout, more groups than ``MAX_GROUPS`` or more rows for
Python to judge than ``MAX_LEFTOVERS`` each end the read with one line (InputError) naming the source, and no
partial figures. ``--show-sql`` prints every query, exactly as sent, on stderr.
"""

from __future__ import annotations

import importlib.util

from promptaudit.errors import InputError
from promptaudit.usage.clickhouse import query as ch_query
from promptaudit.usage.clickhouse import schemas as ch_schemas
from promptaudit.usage.clickhouse import source as ch_source
from promptaudit.usage.duck.group import classifiers, count_grouped

MAX_GROUPS = 1_000_000  # grouped rows a source may send back (each is a few hundred bytes)
MAX_LEFTOVERS = 100_000  # rows SQL could not vouch for, read one by one in Python
SAMPLE_ROWS = 20_000
# ClickHouse error codes worth their own words (the rest: the server's first line)
CODES = {516: "cannot log in as {user} (wrong user or password)", 192: "cannot log in as {user} (unknown user)",
         497: "{user} may not read it (ACCESS_DENIED)", 60: "no such table", 81: "no such database",
         159: "the query ran past its timeout of {timeout} s (add &timeout=SECONDS to the URL to allow more)",
         241: "the server ran out of memory for the query", 394: "the query was cancelled"}  # fmt: skip


def available(scheme: str) -> bool:
    """Whether the client library for ``scheme`` can be imported."""
    names = ("clickhouse_connect",) if scheme == "clickhouse" else ("clickhouse_connect", "chdb")
    return all(importlib.util.find_spec(name) is not None for name in names)


def read(log, counter) -> None:
    """Read one source URL into the counter; InputError (naming the source) when it cannot be read whole."""
    opts = counter.options
    source = ch_source.parse(log.path, ch_source.password_file_for(log.path, opts.sources))
    log.path = source.display
    if not available(source.scheme):
        raise InputError(source.display, f"needs {source.scheme} support: {ch_source.INSTALL_HINT[source.scheme]}")
    session = _Session(source, opts.show_sql)
    try:
        plan = _plan(session, source, counter)
        rows = _grouped(session, plan, counter)
        leftovers = _leftovers(session, plan, counter, rows)
    finally:
        session.close()
    _count(log, counter, plan, rows, leftovers)


def _plan(session, source, counter):
    found = session.query(
        "SELECT engine FROM system.tables WHERE database = {db:String} AND name = {table:String}",
        {"db": source.database, "table": source.table},
    )
    if not found:
        raise InputError(source.display, f"no table {source.database}.{source.table}")
    columns = dict((name, kind) for name, kind, *_ in session.query(f"DESCRIBE TABLE {source.qualified}"))
    present = None
    if ch_schemas.schema_of(source, columns) == "otel-traces" and not counter.options.columns:
        ch_schemas.check_otel(source, columns)
        present = _present(session, source, counter)
    return ch_schemas.plan(source, columns, found[0][0], counter.options, *counter.paths, present)


def _present(session, source, counter) -> dict[str, set]:
    """Which of the attribute keys the SQL reads each map of the table holds (in the time window)."""
    from promptaudit.usage.clickhouse import otel as ch_otel

    window = ch_query.prune(ch_otel.TIME_COLUMN, counter.options)
    sql = f"SELECT {ch_otel.probe(counter.paths)} FROM {source.qualified} WHERE ({ch_otel.where()}) AND {window}"
    span, resource = session.query(sql)[0]
    return {"SpanAttributes": set(span), "ResourceAttributes": set(resource)}


def _grouped(session, plan, counter) -> list:
    """The grouped rows, each model whose prices vary split by price cell (duck.group.grouped_rows' loop)."""
    seen = session.query(ch_query.sample_sql(plan, counter.options, SAMPLE_ROWS))
    cells = classifiers(seen, counter, {})
    notes = len(plan.notes)
    while True:
        rows = session.query(ch_query.grouped_sql(plan, counter, cells, MAX_GROUPS + 1))
        if len(rows) > MAX_GROUPS:
            raise InputError(session.source.display, f"more than {MAX_GROUPS:,} groups came back; group by fewer "
                             "values (--by model) or narrow the time (--since/--until): nothing was counted")  # fmt: skip
        wanted = classifiers([row[notes:] for row in rows], counter, cells)
        if wanted.keys() <= cells.keys():
            return rows
        cells.update(wanted)


def _leftovers(session, plan, counter, rows: list) -> list:
    notes = len(plan.notes)
    count = sum(row[-1] for row in rows if row[notes] == "leftover")
    if not count:
        return []
    if count > MAX_LEFTOVERS:
        raise InputError(session.source.display, f"{count:,} rows hold values SQL cannot read as the streaming "
                         f"reader would (more than {MAX_LEFTOVERS:,} to judge one by one): nothing was counted")  # fmt: skip
    return session.query(ch_query.leftovers_sql(plan, counter.options, MAX_LEFTOVERS), named=True)


def _count(log, counter, plan, rows: list, leftovers: list) -> None:
    notes = len(plan.notes)
    where = f"{log.path} (ClickHouse: no row numbers)"
    for row in rows:
        for reason, count in zip(plan.notes, row[:notes]):
            if count:
                counter.scan.notice(reason, where, count)
    count_grouped([row[notes:] for row in rows], log, counter)
    for raw in leftovers:
        counter.take(plan.record(raw), where)
    log.lines = sum(row[-1] for row in rows)
    counter.scan.engines[log.path] = f"{plan.schema} table via {log.path.split(':', 1)[0]}"


class _Session:
    """One client for one source: every query goes through ``query``, which shows it and maps its errors."""

    def __init__(self, source, show_sql) -> None:
        self.source, self.show = source, show_sql
        self.client = _connect(source)

    def query(self, sql: str, parameters: dict | None = None, named: bool = False) -> list:
        if self.show is not None:
            bound = "".join(f"\n-- {{{name}}} = {value!r}" for name, value in (parameters or {}).items())
            self.show(f"-- {self.source.display}{bound}\n{sql};")
        try:
            result = self.client.query(sql, parameters=parameters)
        except Exception as exc:  # noqa: BLE001 - every driver error becomes one line naming the source
            raise InputError(self.source.display, _reason(exc, self.source)) from None
        if named:
            return [dict(zip(result.column_names, row)) for row in result.result_rows]
        return result.result_rows

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not hide the real error
            pass


CLIENT_GRACE = 30  # seconds the client waits beyond the server's own timeout before it gives up


def _connect(source):
    """A clickhouse-connect client (HTTP) or its chdb backend (in-process); InputError when it cannot connect."""
    import logging

    import clickhouse_connect

    logging.getLogger("clickhouse_connect").setLevel(logging.CRITICAL)  # its errors become our one line

    settings = {"max_execution_time": source.timeout}
    try:
        if source.scheme == "chdb":
            return clickhouse_connect.get_client(dsn=f"chdb://{_chdb_path(source)}", settings=settings)
        return clickhouse_connect.get_client(
            host=source.host, port=source.port, username=source.user, password=ch_source.password(source),
            database=source.database, secure=source.secure, connect_timeout=10,
            send_receive_timeout=source.timeout + CLIENT_GRACE, settings=settings, autogenerate_session_id=False,
        )  # fmt: skip
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(source.display, _reason(exc, source)) from None


def _chdb_path(source) -> str:
    import os

    path = os.path.abspath(os.path.expanduser(source.host))
    if not os.path.isdir(path):
        raise InputError(source.display, "no such data directory")
    return path


def _reason(exc: Exception, source) -> str:
    """One line for a driver error, never holding the password."""
    text = str(exc)
    code = getattr(exc, "code", None) or _code_in(text)
    if code in CODES:
        return CODES[code].format(user=source.user, timeout=source.timeout)
    lowered = text.lower()
    if "connection refused" in lowered or "name or service not known" in lowered or "failed to establish" in lowered:
        return f"cannot connect to {source.host}:{source.port} (is the server running and reachable?)"
    if "timed out" in lowered or "timeout" in lowered:
        return f"no answer within the timeout of {source.timeout} s"
    secret = ch_source.password(source) if source.scheme == "clickhouse" else ""
    line = next((part.strip() for part in text.splitlines() if part.strip()), type(exc).__name__)[:300]
    return line.replace(secret, "***") if secret else line


def _code_in(text: str) -> int | None:
    """The ClickHouse error code in a message (``Code: 516.``), if any."""
    import re

    found = re.search(r"Code: (\d+)", text)
    return int(found.group(1)) if found else None
