"""Where a ClickHouse source is and how to log in: ``clickhouse://`` and ``chdb://`` URLs, config entries, secrets.

``usage clickhouse://[user@]host[:port]/database?table=NAME[&schema=...][&secure=1][&timeout=SECONDS]`` reads a
table on a ClickHouse server through clickhouse-connect (HTTP, port 8123, or 8443 with ``secure=1``);
``usage chdb://PATH?table=NAME`` (``PATH`` a ClickHouse data directory, ``database.table`` or ``table`` in the
default database) runs the same SQL in-process with chdb. ``usage --source NAME`` takes the URL from the
config's ``usage: sources: NAME: {url: ..., password_file: ...}``.

The password never comes from the command line or the URL (a URL holding one is refused before anything is
printed): it comes from ``CLICKHOUSE_PASSWORD``, else from the file that ``CLICKHOUSE_PASSWORD_FILE`` or the
config entry's ``password_file`` names; the user may also come from ``CLICKHOUSE_USER``. Every message and
every output names the source by ``Source.display``, which never holds a secret.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from promptaudit.errors import InputError, UsageError

SCHEMES = ("clickhouse", "chdb")
SCHEMAS = ("auto", "otel-traces", "langfuse", "columns")
PASSWORD_ENV, PASSWORD_FILE_ENV, USER_ENV = "CLICKHOUSE_PASSWORD", "CLICKHOUSE_PASSWORD_FILE", "CLICKHOUSE_USER"
DEFAULT_TIMEOUT = 300  # seconds a query may run on the server before it is stopped
QUERY_KEYS = ("table", "schema", "secure", "timeout")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.$-]{0,200}")
INSTALL_HINT = {"clickhouse": "pip install 'promptaudit[clickhouse]'", "chdb": "pip install 'promptaudit[chdb]'"}


@dataclass(frozen=True)
class Source:
    """A parsed source URL; ``display`` is the URL to show (no password was ever in it)."""

    scheme: str
    host: str  # the server (clickhouse), or the data directory (chdb)
    port: int
    database: str
    table: str
    schema: str = "auto"
    secure: bool = False
    timeout: int = DEFAULT_TIMEOUT
    user: str = "default"
    password_file: str | None = field(default=None, compare=False)

    @property
    def display(self) -> str:
        """The source as messages name it: scheme, user, host, port, database and table, never a secret."""
        if self.scheme == "chdb":
            return f"chdb://{self.host}?table={self.database}.{self.table}"
        return f"clickhouse://{self.user}@{self.host}:{self.port}/{self.database}?table={self.table}"

    @property
    def qualified(self) -> str:
        """The table as SQL names it (quoted identifiers)."""
        return f"{quote_name(self.database)}.{quote_name(self.table)}"


def is_source(text: str) -> bool:
    """Whether a LOG argument is a source URL rather than a file."""
    return text.split("://", 1)[0] in SCHEMES and "://" in text


def quote_name(name: str) -> str:
    """An identifier quoted for ClickHouse SQL."""
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def parse(text: str, password_file: str | None = None) -> Source:
    """The Source a URL names; InputError (naming it without any secret) when it is malformed."""
    parts = urlsplit(text)
    shown = redacted(text)
    if parts.password is not None or "password" in parse_qs(parts.query):
        raise InputError(shown, f"a password in the URL is refused; set {PASSWORD_ENV} or {PASSWORD_FILE_ENV}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - set(QUERY_KEYS))
    if unknown:
        raise InputError(shown, f"unknown URL parameter {unknown[0]!r}; use {', '.join(QUERY_KEYS)}")
    if parts.scheme == "chdb":
        return _chdb(parts, query, shown)
    return _server(parts, query, shown, password_file)


def _server(parts, query: dict, shown: str, password_file: str | None) -> Source:
    if not parts.hostname:
        raise InputError(shown, "no host; write clickhouse://[user@]host[:port]/database?table=NAME")
    database = unquote(parts.path.strip("/")) or "default"
    secure = query.get("secure", "0").lower() in ("1", "true", "yes")
    try:
        port = parts.port or (8443 if secure else 8123)
    except ValueError:
        raise InputError(shown, "the port is not a number from 1 to 65535") from None
    user = unquote(parts.username) if parts.username else os.environ.get(USER_ENV, "default")
    return Source("clickhouse", parts.hostname, port, _name(database, shown), _table(query, shown),
                  _schema(query, shown), secure, _timeout(query, shown), _name(user, shown), password_file)  # fmt: skip


def _chdb(parts, query: dict, shown: str) -> Source:
    path = unquote(parts.netloc + parts.path)
    if not path:
        raise InputError(shown, "no data directory; write chdb://PATH?table=NAME")
    database, _, table = _table(query, shown).rpartition(".")
    return Source("chdb", path, 0, _name(database or "default", shown), table, _schema(query, shown),
                  timeout=_timeout(query, shown))  # fmt: skip


def _table(query: dict, shown: str) -> str:
    if not query.get("table"):
        raise InputError(shown, "no table; add ?table=NAME to the URL")
    return _name(query["table"], shown)


def _name(text: str, shown: str) -> str:
    if not NAME.fullmatch(text):
        raise InputError(shown, f"{text[:60]!r} is not a ClickHouse name")
    return text


def _schema(query: dict, shown: str) -> str:
    schema = query.get("schema", "auto")
    if schema not in SCHEMAS:
        raise InputError(shown, f"schema must be one of {', '.join(SCHEMAS)}, got {schema[:40]!r}")
    return schema


def _timeout(query: dict, shown: str) -> int:
    text = query.get("timeout", str(DEFAULT_TIMEOUT))
    if not text.isdigit() or not 0 < int(text) <= 86_400:
        raise InputError(shown, f"timeout must be whole seconds from 1 to 86400, got {text[:20]!r}")
    return int(text)


def redacted(text: str) -> str:
    """The URL with any ``user:password@`` and ``password=`` value blanked, for the one message that refuses it."""
    text = re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", text)
    return re.sub(r"(password=)[^&]*", r"\1***", text)


def password(source: Source) -> str:
    """The password from the environment or a file (empty: none); InputError when the file cannot be read."""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    path = os.environ.get(PASSWORD_FILE_ENV) or source.password_file
    if not path:
        return ""
    try:
        return Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InputError(source.display, f"cannot read the password file {path}: {exc.strerror or exc}") from None


def from_config(name: str, settings: dict) -> str:
    """The URL of the config's ``usage: sources: NAME`` entry; UsageError when there is none."""
    sources = settings.get("sources") or {}
    entry = sources.get(name)
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        known = ", ".join(sorted(sources)) or "none"
        raise UsageError(f"--source {name}: no such entry under usage: sources: in the config (entries: {known})")
    return entry["url"]


def password_file_for(url: str, settings: dict) -> str | None:
    """The ``password_file`` of the config entry whose URL this is, if any."""
    for entry in (settings.get("sources") or {}).values():
        if isinstance(entry, dict) and entry.get("url") == url and isinstance(entry.get("password_file"), str):
            return entry["password_file"]
    return None
