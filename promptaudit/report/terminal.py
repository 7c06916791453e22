"""Text that is safe to print on a terminal: control characters in names and quoted prompt text escaped.

A file name or a quoted prompt sentence may hold ANSI/OSC escape sequences (ESC ] 0 ; title BEL retitles
the window, ESC [ 2 J clears the screen). Every human format passes what it prints through
:func:`printable`; JSON escapes them already, and CSV is data, kept as it is.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that reorder text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every terminal control character shown as an escape (``\\x1b``), tabs and newlines kept."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
