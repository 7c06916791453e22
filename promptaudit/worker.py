"""A tokenizer in a second process, started before the CLI framework loads, so start-up runs on two cores.

Building tiktoken's encoder (about 0.25 s) holds the GIL for most of its work, so a thread cannot overlap
it with importing Typer and Rich. A child process can: the console entry point starts one when a counted
file is new or changed (see :mod:`promptaudit.prefetch`); it builds the encoder with the same offline,
hash-verified loader while the parent parses arguments and files, then answers count requests over a
pipe. Anything that goes wrong with the child (it failed to start, died, or answered nonsense) makes
:func:`count` return None, and the caller counts in-process: the worker can only make a run faster.

``PROMPTAUDIT_NO_WORKER=1`` turns the worker off (everything is then counted in-process).

Protocol: each message is an 8-byte big-endian length followed by a ``marshal`` payload. The parent sends
``(encoding, [texts])`` and receives ``[token counts]``; end of input ends the child.
"""

from __future__ import annotations

import atexit
import marshal
import os
import struct
import subprocess
import sys

_HEADER = struct.Struct(">Q")
_worker: subprocess.Popen | None = None
_encodings: frozenset[str] = frozenset()


def start(encodings: set[str]) -> None:
    """Start the child process that builds ``encodings``; a failure to start is silently ignored."""
    global _worker, _encodings
    if _worker is not None or not encodings or os.environ.get("PROMPTAUDIT_NO_WORKER", "") not in ("", "0"):
        return
    command = [sys.executable, "-m", "promptaudit.worker", *sorted(encodings)]
    try:
        _worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return
    _encodings = frozenset(encodings)
    atexit.register(stop)


def serving() -> frozenset[str]:
    """Encodings a running worker is building or has built (empty when there is none)."""
    return _encodings if _worker is not None else frozenset()


def count(texts: list[str], encoding: str) -> list[int] | None:
    """Token counts from the child, or None when there is no usable child for ``encoding``."""
    global _worker
    if _worker is None or encoding not in _encodings:
        return None
    try:
        _send(_worker.stdin, (encoding, texts))
        counts = _receive(_worker.stdout)
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        counts = None
    if not isinstance(counts, list) or len(counts) != len(texts) or not all(type(c) is int for c in counts):
        stop()
        return None
    return counts


def stop() -> None:
    """End the child: closing its input ends its loop; it is killed if it does not stop promptly."""
    global _worker
    worker, _worker = _worker, None
    if worker is None:
        return
    try:
        worker.stdin.close()
        worker.wait(timeout=2)
    except (OSError, subprocess.TimeoutExpired):
        worker.kill()


def _send(stream, value) -> None:
    payload = marshal.dumps(value)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream):
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("worker closed its output")
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("worker output truncated")
    return marshal.loads(payload)


def serve(encodings: list[str]) -> None:
    """The child's loop: build the encoders, then answer count requests until input ends."""
    from promptaudit.vocab import load_encoding

    built = {name: load_encoding(name) for name in encodings}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            encoding, texts = _receive(stdin)
        except EOFError:
            os._exit(0)  # skip interpreter teardown (freeing the encoder): the parent waits for this exit
        counts = [len(tokens) for tokens in built[encoding].encode_ordinary_batch(texts)]
        _send(stdout, counts)


if __name__ == "__main__":
    try:
        serve(sys.argv[1:])
    except Exception:  # noqa: BLE001 - the parent notices the closed pipe and counts in-process
        os._exit(1)
