"""ClickHouse sources on ClickHouse's own engine (chdb): the same groups and totals as the streaming reader (and
DuckDB, where it reads the same rows), on tables made from each schema's documented DDL (chdb_tables.py)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import chdb_tables
import pytest

pytest.importorskip("chdb")
clickhouse_connect = pytest.importorskip("clickhouse_connect")

DATA = Path(__file__).parent.parent / "data" / "usage"
FORMATS = DATA / "formats"
OTEL_FIXTURES = ["otlp_traces.jsonl", "otel_genai_2026.jsonl"]
GROUPINGS = [
    [],
    ["--by", "day"],
    ["--by", "app.prompt"],
    ["--split-at", "2026-11-03"],
    ["--since", "2026-11-02T09:30"],
    ["--until", "2026-11-03"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One chdb data directory for the module (chdb keeps one engine per process)."""
    path = tmp_path_factory.mktemp("chdb") / "data"
    path.mkdir()
    client = clickhouse_connect.get_client(dsn=f"chdb://{path}")
    yield path, client
    client.close()


def _fresh(store, db: str):
    path, client = store
    chdb_tables.create(client, db)
    return path, client


def report(cli, *args) -> dict:
    result = cli("usage", *args, "--format", "json")
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if not result.stdout.strip():
        return {"exit": result.exit_code, "said": result.stderr}
    doc = json.loads(result.stdout)
    for key in ("inputs", "refused_first", "formats"):
        doc.pop(key, None)
    doc["unparsed"].pop("first_lines")
    return doc


def requests(doc: dict) -> int:
    """Requests counted (both sides of a comparison)."""
    if "before" in doc:
        return doc["before"]["total"]["requests"] + doc["after"]["total"]["requests"]
    return doc["total"]["requests"]


def same_rows(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("grouping", GROUPINGS, ids=lambda g: " ".join(g) or "model")
@pytest.mark.parametrize("fixture", OTEL_FIXTURES)
def test_exporter_traces_table_reads_as_the_otlp_file(cli, store, tmp_path, fixture, grouping):
    path, client = _fresh(store, "otel_eq")
    lines = chdb_tables.fill_otel(client, "otel_eq", FORMATS / fixture)
    reference = same_rows(tmp_path, fixture, lines)
    stream = report(cli, reference, *grouping, "--model", "gpt-4o-2024-08-06", "--engine", "stream")
    table = report(cli, f"chdb://{path}?table=otel_eq.otel_traces", *grouping, "--model", "gpt-4o-2024-08-06")
    assert table == stream
    assert requests(stream) > 0


@pytest.mark.parametrize("grouping", [[], ["--by", "promptName"], ["--by", "day"], ["--split-at", "2026-11-03"]])
@pytest.mark.parametrize("table", ["events_full", "observations"])
def test_langfuse_tables_read_as_the_export(cli, store, tmp_path, table, grouping):
    path, client = _fresh(store, "lf_eq")
    items = chdb_tables.langfuse_items(FORMATS / "langfuse_observations.json")
    chdb_tables.fill_langfuse(client, "lf_eq", items)
    reference = tmp_path / "observations.json"
    reference.write_text(json.dumps({"data": items}), encoding="utf-8")
    stream = report(cli, str(reference), *grouping, "--engine", "stream")
    found = report(cli, f"chdb://{path}?table=lf_eq.{table}", *grouping)
    assert found == stream
    assert requests(stream) == 4


GENERIC_FIXTURES = ["handchecked.jsonl", "providers.jsonl", "malformed.jsonl", "formats/helicone_export.csv",
                    "formats/litellm_spend_logs.json", "formats/otlp_logs.jsonl"]  # fmt: skip


def _groups(doc: dict) -> dict:
    if "before" in doc:
        return {side: _groups(doc[side]) for side in ("before", "after")} | {"change": doc["change"]}
    return {"groups": doc["groups"], "total": doc["total"], "routing": doc.get("routing")}


@pytest.mark.parametrize("grouping", [[], ["--by", "day"], ["--by", "tag"], ["--split-at", "2026-11-03"]])
@pytest.mark.parametrize("fixture", GENERIC_FIXTURES)
def test_a_generic_table_of_each_fixtures_records_gives_its_groups_and_totals(cli, store, fixture, grouping):
    path, client = _fresh(store, "gen_eq")
    tag = ("app.prompt" if "otlp" in fixture else "metadata.prompt").split(".")
    route = ("app.route" if "otlp" in fixture else "metadata.route").split(".")
    records = chdb_tables.counted_records(str(DATA / fixture), tag_path=tuple(tag), route_path=tuple(route), by="tag")
    chdb_tables.fill_generic(client, "gen_eq", records)
    by = ["--by", ".".join(tag)] if grouping == ["--by", "tag"] else grouping
    stream = report(cli, str(DATA / fixture), *by, "--route-field", ".".join(route), "--engine", "stream")
    by = ["--by", "tag"] if grouping == ["--by", "tag"] else grouping
    columns = chdb_tables.GENERIC_COLUMNS + ",tag=tag"
    table = report(cli, f"chdb://{path}?table=gen_eq.usage", *by, "--columns", columns)
    assert _groups(table) == _groups(stream)
    if fixture.endswith(".jsonl") and "otlp" not in fixture:
        pytest.importorskip("duckdb")
        duck = report(cli, str(DATA / fixture), *(["--by", "metadata.prompt"] if by == ["--by", "tag"] else by),
                      "--route-field", "metadata.route", "--engine", "duckdb")  # fmt: skip
        assert _groups(duck) == _groups(table)


def _chat(model: str, prompt: int, when: str, **extra) -> dict:
    body = {"object": "chat.completion", "model": model, "choices": [{"finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": 100}, **extra}  # fmt: skip
    return {"ts": when, "metadata": {"prompt": model}, "response": body}


def test_prices_that_vary_by_size_and_time_are_grouped_on_the_server(cli, store, tmp_path):
    path, client = _fresh(store, "cells")
    lines = [_chat("claude-sonnet-4-5-20250929", 210_000, "2026-03-02T10:00:00Z"),
             _chat("claude-sonnet-4-5-20250929", 150_000, "2026-03-02T10:00:00Z"),
             _chat("deepseek-chat", 10_000, "2026-11-25T09:00:00Z"),
             _chat("deepseek-chat", 10_000, "2026-11-25T17:00:00Z"),
             _chat("o3-2025-04-16", 20_000, "2025-05-01T12:00:00Z"),
             _chat("o3-2025-04-16", 20_000, "2026-11-01T12:00:00Z")]  # fmt: skip
    log = tmp_path / "priced.jsonl"
    log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    records = chdb_tables.counted_records(str(log), tag_path=("metadata", "prompt"), by="tag")
    chdb_tables.fill_generic(client, "cells", records)
    for grouping in ([], ["--by", "day"]):
        stream = report(cli, str(log), *grouping, "--engine", "stream")
        table = report(cli, f"chdb://{path}?table=cells.usage", *grouping, "--columns", chdb_tables.GENERIC_COLUMNS)
        assert _groups(table) == _groups(stream)
    assert len(stream["groups"]) >= 3


def test_show_sql_prints_every_query_on_stderr_and_the_report_stays_pure(cli, store):
    path, client = _fresh(store, "show")
    chdb_tables.fill_otel(client, "show", FORMATS / "otlp_traces.jsonl")
    result = cli("usage", f"chdb://{path}?table=show.otel_traces", "--show-sql", "--format", "json")
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)
    assert "DESCRIBE TABLE `show`.`otel_traces`;" in result.stderr
    assert result.stderr.count("GROUP BY klass") == 1 and "FROM `show`.`otel_traces`" in result.stderr


def test_the_read_names_its_engine_and_schema(cli, store):
    path, client = _fresh(store, "named")
    chdb_tables.fill_otel(client, "named", FORMATS / "otlp_traces.jsonl")
    doc = json.loads(cli("usage", f"chdb://{path}?table=named.otel_traces", "--format", "json").stdout)
    assert doc["inputs"][0]["read_as"] == "otel-traces table via chdb"
    assert doc["inputs"][0]["path"] == f"chdb://{path}?table=named.otel_traces"


@pytest.mark.parametrize(
    "setup, url, said",
    [
        ("", "chdb://{path}?table=bad.nothing", "no table bad.nothing"),
        ("CREATE TABLE bad.odd (Timestamp DateTime64(9), SpanAttributes Map(String, UInt64), "
         "ResourceAttributes Map(String, String)) ENGINE = MergeTree ORDER BY Timestamp",
         "chdb://{path}?table=bad.odd", "column SpanAttributes is Map(String, UInt64)"),
        ("CREATE TABLE bad.plain (when DateTime, what String) ENGINE = MergeTree ORDER BY when",
         "chdb://{path}?table=bad.plain", "no token columns recognised"),
        ("CREATE TABLE bad.arr (n Array(UInt64), m String) ENGINE = MergeTree ORDER BY m",
         "chdb://{path}?table=bad.arr&schema=columns", "column n is Array(UInt64), which cannot hold a token count"),
        ("", "chdb:///no/such/dir?table=t", "no such data directory"),
    ],
)  # fmt: skip
def test_bad_tables_are_one_line_naming_the_source(cli, store, setup, url, said):
    path, client = store
    client.command("DROP DATABASE IF EXISTS bad")
    client.command("CREATE DATABASE bad")
    if setup:
        client.command(setup)
    args = [url.format(path=path)] + (["--columns", "input=n,model=m"] if "arr" in url else [])
    result = cli("usage", *args)
    assert result.exit_code == 2
    assert said in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1


def test_more_groups_than_the_bound_is_an_error_with_nothing_counted(cli, store, monkeypatch):
    from promptaudit.usage.clickhouse import read as ch_read

    path, client = _fresh(store, "bound")
    chdb_tables.fill_otel(client, "bound", FORMATS / "otlp_traces.jsonl")
    monkeypatch.setattr(ch_read, "MAX_GROUPS", 1)
    result = cli("usage", f"chdb://{path}?table=bound.otel_traces", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "more than 1 groups came back" in result.stderr and "nothing was counted" in result.stderr


def test_a_url_with_a_password_is_refused_without_echoing_it(cli):
    result = cli("usage", "clickhouse://reader:hunter2@localhost/otel?table=otel_traces")
    assert result.exit_code == 2
    assert "hunter2" not in result.stderr + result.stdout
    assert "a password in the URL is refused" in result.stderr


def test_a_config_source_names_the_table(cli, store, tmp_path):
    path, client = _fresh(store, "conf")
    chdb_tables.fill_otel(client, "conf", FORMATS / "otlp_traces.jsonl")
    config = tmp_path / "promptaudit.yaml"
    config.write_text(f"usage:\n  sources:\n    traces: {{url: 'chdb://{path}?table=conf.otel_traces'}}\n")
    result = cli("usage", "--source", "traces", "--config", str(config), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"]["requests"] == 3
    missing = cli("usage", "--source", "nope", "--config", str(config))
    assert missing.exit_code == 2 and "no such entry" in missing.stderr


def test_a_time_filter_is_pushed_down_so_rows_outside_it_are_not_read(cli, store, tmp_path):
    """Rows outside --since/--until never leave the server: a bad value there is not seen (the streaming reader,
    which reads every line, reports it); the groups and totals are the same."""
    path, client = _fresh(store, "window")
    lines = chdb_tables.fill_otel(client, "window", FORMATS / "otlp_traces.jsonl")
    reference = same_rows(tmp_path, "otlp_traces.jsonl", lines)
    stream = report(cli, reference, "--since", "2026-11-02T10:30", "--engine", "stream")
    table = report(cli, f"chdb://{path}?table=window.otel_traces", "--since", "2026-11-02T10:30")
    assert "refused" in stream["said"] and "refused" not in table["said"]
    assert stream["exit"] == table["exit"] == 2


# --- The network client path (clickhouse://), against a loopback stand-in for a server's HTTP interface ---
# What runs for real: clickhouse-connect's HTTP client (connection, auth headers, bound parameters, the Native
# result format, its errors), promptaudit's URL, credential and error handling, and the same SQL text, run by
# ClickHouse's own engine (chdb) behind the stand-in. What does not: a real server's planner on distributed or
# replicated tables, TLS (secure=1), compression on the wire, quotas and a real query timeout (the stand-in
# answers with the server's timeout error instead). See tests/ch_standin.py.

_REAL = {"connect": socket.socket.connect, "getaddrinfo": socket.getaddrinfo}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture
def loopback(monkeypatch):
    """Sockets to 127.0.0.1 only (the conftest forbids every socket: this opens loopback, nothing else)."""

    def connect(sock, address):
        if address[0] not in LOOPBACK:
            raise AssertionError(f"a non-loopback socket was opened: {address!r}")
        return _REAL["connect"](sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise AssertionError(f"a non-loopback name was looked up: {host!r}")
        return _REAL["getaddrinfo"](host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def server(store, loopback, monkeypatch):
    """A stand-in server over the module's chdb data (user ``reader``, password from the environment)."""
    import ch_standin
    import chdb

    path, client = _fresh(store, "net")
    chdb_tables.fill_otel(client, "net", FORMATS / "otlp_traces.jsonl")
    standin = ch_standin.StandIn(chdb.connect(str(path)), {"reader": "s3cret-pw"}).start()
    monkeypatch.setenv("CLICKHOUSE_PASSWORD", "s3cret-pw")
    yield standin, path
    standin.shutdown()


def test_the_network_path_gives_what_chdb_gives(cli, server):
    standin, path = server
    over_http = report(cli, f"clickhouse://reader@127.0.0.1:{standin.port}/net?table=otel_traces", "--by", "day")
    in_process = report(cli, f"chdb://{path}?table=net.otel_traces", "--by", "day")
    assert over_http == in_process and requests(over_http) == 3
    assert any("GROUP BY klass" in sql for sql in standin.queries)


def test_the_password_can_come_from_a_file(cli, server, tmp_path, monkeypatch):
    standin, _ = server
    secret = tmp_path / "pw"
    secret.write_text("s3cret-pw\n")
    monkeypatch.delenv("CLICKHOUSE_PASSWORD")
    monkeypatch.setenv("CLICKHOUSE_PASSWORD_FILE", str(secret))
    result = cli("usage", f"clickhouse://reader@127.0.0.1:{standin.port}/net?table=otel_traces", "--format", "json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "change, said",
    [
        ({"password": "wrong"}, "cannot log in as reader (wrong user or password)"),
        ({"table": "missing"}, "no table net.missing"),
        ({"port": 1}, "cannot connect to 127.0.0.1:1"),
        ({"fail": {"GROUP BY klass": (159, "Timeout exceeded: elapsed 1.5 seconds, maximum: 1. (TIMEOUT_EXCEEDED)")}},
         "the query ran past its timeout of 300 s"),
        ({"fail": {"GROUP BY klass": (241, "Memory limit (total) exceeded (MEMORY_LIMIT_EXCEEDED)")}},
         "the server ran out of memory"),
    ],
)  # fmt: skip
def test_server_failures_are_one_line_naming_the_source_and_never_the_password(cli, server, monkeypatch, change, said):
    standin, _ = server
    monkeypatch.setenv("CLICKHOUSE_PASSWORD", change.get("password", "s3cret-pw"))
    standin.fail = change.get("fail", {})
    port, table = change.get("port", standin.port), change.get("table", "otel_traces")
    result = cli("usage", f"clickhouse://reader@127.0.0.1:{port}/net?table={table}", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and said in result.stderr
    assert f"clickhouse://reader@127.0.0.1:{port}/net?table={table}" in result.stderr
    assert "s3cret-pw" not in result.stderr and "wrong" not in result.stderr.replace("wrong user", "")


def test_a_server_that_does_not_answer_in_time_is_one_line(cli, server, monkeypatch):
    from promptaudit.usage.clickhouse import read as ch_read

    standin, _ = server
    monkeypatch.setattr(ch_read, "CLIENT_GRACE", 0)
    standin.delay = 3
    result = cli("usage", f"clickhouse://reader@127.0.0.1:{standin.port}/net?table=otel_traces&timeout=1")
    assert result.exit_code == 2 and "no answer within the timeout of 1 s" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_installed_script_refuses_a_password_in_the_url_in_one_line(tmp_path):
    import shutil
    import subprocess
    import sys

    script = shutil.which("promptaudit", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run(
        [script, "usage", "clickhouse://reader:hunter2@127.0.0.1/otel?table=otel_traces"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "hunter2" not in done.stderr
    assert "clickhouse://reader:***@127.0.0.1/otel?table=otel_traces: a password in the URL is refused" in done.stderr
