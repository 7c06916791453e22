"""Headless Chromium for the HTML report's tests: the DOM after load, a screenshot, a PDF, and every request.

Chromium runs with the flags issue 17 names, a fresh profile per run, and every host name mapped to
"not found" (so its own background services cannot reach anything either). The network log
(``--log-net-log``) lists every URL request the browser started; the page's own requests are the
ones whose network isolation key is the file:// page (the browser's services have none).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
TIMEOUT = 90


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=True)


def dump_dom(page: Path, work: Path) -> tuple[str, list[str]]:
    """The serialised DOM after the page loaded, and the URLs of the requests the page itself made."""
    netlog = work / "netlog.json"
    done = _run(["--dump-dom", f"--log-net-log={netlog}", page.resolve().as_uri()], work / "profile-dom")
    return done.stdout, page_requests(json.loads(netlog.read_text(encoding="utf-8")))


def page_requests(netlog: dict) -> list[str]:
    """URLs of requests started on behalf of a file:// page (not the browser's own services)."""
    start = netlog["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in netlog["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and (
            "file://" in event["params"].get("network_isolation_key", "")
            or event["params"].get("initiator") not in ("not an origin", None)
        )
    ]


def screenshot(page: Path, png: Path, size: str = "1280,3600") -> bytes:
    """A PNG screenshot of the page at ``size`` (width,height)."""
    _run(
        [f"--screenshot={png}", f"--window-size={size}", "--hide-scrollbars", page.resolve().as_uri()],
        png.parent / "profile-png",
    )
    return png.read_bytes()


def print_pdf(page: Path, pdf: Path) -> bytes:
    """The page printed to PDF (print CSS applies)."""
    _run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.resolve().as_uri()], pdf.parent / "profile-pdf")
    return pdf.read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@dataclass
class Element:
    """A parsed DOM element: tag, attributes, children (elements or text)."""

    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    def text(self) -> str:
        """The element's text content, as the DOM's ``textContent``."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants with ``tag`` whose attributes include ``attrs`` (``class_`` matches one class)."""
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if all(_matches(element, key, value) for key, value in attrs.items()):
                found.append(element)
        return found


def _matches(element: Element, key: str, value: str) -> bool:
    if key == "class_":
        return value in element.attrs.get("class", "").split()
    return element.attrs.get(key.replace("_", "-")) == value


VOID = {"meta", "link", "br", "img", "input", "hr", "source", "area", "base", "col", "embed", "track", "wbr"}
SVG_SELF_CLOSING = {"rect", "line", "circle", "path", "stop", "polyline", "polygon", "ellipse", "use"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The document tree of ``html``."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
