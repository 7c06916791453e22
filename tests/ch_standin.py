"""A loopback stand-in for a ClickHouse server's HTTP interface, answering with chdb (ClickHouse in-process).

clickhouse-connect talks to a server over HTTP: the query text in the POST body (ending ``FORMAT Native``),
bound parameters as ``param_NAME`` URL parameters, the user and password in the ``X-ClickHouse-User`` /
``X-ClickHouse-Key`` headers or HTTP Basic auth. This stand-in checks the credentials, runs the query in chdb
and sends chdb's own output back, with the headers a server sends; errors come back the way a server sends
them (status, ``X-ClickHouse-Exception-Code``, ``Code: N. DB::Exception: ...`` text). So the network client
path of promptaudit runs for real up to the socket; what the stand-in is not: a real server's query
planner, distributed tables, TLS, compression (it answers uncompressed), sessions or quotas.

It also counts the bytes it sends (``sent_bytes``): what the grouping query transfers.

Run as a script it serves one chdb data directory until killed (the benchmark's server):
``python tests/ch_standin.py DATA_DIR [PORT]`` prints ``port N`` when it is ready.
"""

from __future__ import annotations

import base64
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FORMAT = re.compile(r"\s+FORMAT\s+(\w+)\s*$", re.IGNORECASE)


class StandIn(ThreadingHTTPServer):
    """Serves ``connection`` (a chdb connection) on 127.0.0.1; ``users`` maps user -> password."""

    daemon_threads = True

    def __init__(self, connection, users: dict[str, str], port: int = 0, delay: float = 0.0, fail=None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.connection, self.users, self.delay = connection, users, delay
        self.fail = fail or {}  # text in a query -> (code, message): answered as that server error
        self.sent_bytes, self.queries = 0, []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> StandIn:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # the ping
        self._send(200, b"Ok.\n", {})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        sql = params.get("query") or body
        if not self._authorised():
            user = self.headers.get("X-ClickHouse-User") or "default"
            return self._error(516, f"{user}: Authentication failed: password is incorrect, or there is no user "
                               f"with such name. (AUTHENTICATION_FAILED)", 403)  # fmt: skip
        if self.server.delay:
            time.sleep(self.server.delay)
        self.server.queries.append(sql)
        for text, (code, message) in self.server.fail.items():
            if text in sql:
                return self._error(code, message, 500)
        found = FORMAT.search(sql)
        fmt = found.group(1) if found else "TabSeparated"
        bound = {k[6:]: v for k, v in params.items() if k.startswith("param_")}
        try:
            with self.server.lock:
                result = self.server.connection.query(FORMAT.sub("", sql), fmt, params=bound)
        except Exception as exc:  # noqa: BLE001 - a server sends every error back as text
            code = re.search(r"Code: (\d+)", str(exc))
            return self._error(int(code.group(1)) if code else 1000, str(exc).split("Code: ", 1)[-1], 500)
        data = result.bytes() if hasattr(result, "bytes") else bytes(result)
        self._send(200, data, {"X-ClickHouse-Format": fmt, "X-ClickHouse-Timezone": "UTC"})

    def _authorised(self) -> bool:
        user, key = self.headers.get("X-ClickHouse-User"), self.headers.get("X-ClickHouse-Key")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            user, _, key = base64.b64decode(basic[6:]).decode().partition(":")
        user = user or "default"
        return self.server.users.get(user) == (key or "")

    def _error(self, code: int, text: str, status: int) -> None:
        body = f"Code: {code}. DB::Exception: {text.split('DB::Exception: ', 1)[-1]}\n".encode()
        self._send(status, body, {"X-ClickHouse-Exception-Code": str(code)})

    def _send(self, status: int, data: bytes, headers: dict) -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(data)), "X-ClickHouse-Server-Display-Name":
                           "standin", "X-ClickHouse-Summary": "{}"}.items():  # fmt: skip
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout): nothing to send to
            return
        with self.server.lock:
            self.server.sent_bytes += len(data)


def main(argv: list[str]) -> None:
    """Serve a chdb data directory on loopback (user ``default``, no password) until killed."""
    import chdb

    server = StandIn(chdb.connect(argv[0]), {"default": ""}, int(argv[1]) if len(argv) > 1 else 0)
    print(f"port {server.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        sys.stderr.write(f"sent_bytes {server.sent_bytes}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
