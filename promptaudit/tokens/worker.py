"""A tokenizer in a second process, started before the CLI framework loads, so start-up runs on two cores.

Building tiktoken's encoder (about 0.25 s) holds the GIL for most of its work, so a thread cannot overlap
it with importing Typer and Rich. A child process can: the console entry point starts one when a counted
file is new or changed (see :mod:`promptaudit.tokens.prefetch`); it builds the encoder with the same offline,
hash-verified loader while the parent parses arguments and files. As files are read, their static text
is sent ahead as *hints*, so the child encodes while the parent is still parsing; the final *count*
request is then mostly answered from what the child already knows. Messages go through a writer thread,
so the parent never blocks on a full pipe while the child is busy.

Anything that goes wrong with the child (it failed to start, died, or answered nonsense) makes
:func:`count` return None, and the caller counts in-process: the worker can only make a run faster.
``PROMPTAUDIT_NO_WORKER=1`` turns it off.

Protocol: each message is an 8-byte big-endian length and a ``marshal`` payload ``(op, encoding, texts)``,
with ``op`` ``"hint"`` (no reply) or ``"count"`` (reply: the list of token counts). End of input ends it.
"""

from __future__ import annotations

import atexit
import marshal
import os
import queue
import struct
import subprocess
import sys
import threading

_HEADER = struct.Struct(">Q")


class _Child:
    """The parent's handle on one worker process: its pipes, encodings and writer thread."""

    def __init__(self, process: subprocess.Popen, encodings: frozenset[str]) -> None:
        self.process = process
        self.encodings = encodings
        self.outbox: queue.Queue = queue.Queue()
        self.writer = threading.Thread(target=self._write_all, daemon=True, name="promptaudit-worker-writer")
        self.writer.start()

    def _write_all(self) -> None:
        try:
            while (message := self.outbox.get()) is not None:
                _send(self.process.stdin, message)
            self.process.stdin.close()
        except (OSError, ValueError):
            pass  # the child is gone: count() notices when its reply never comes

    def close(self) -> None:
        self.outbox.put(None)
        self.writer.join(timeout=2)
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()


_child: _Child | None = None


def start(encodings: set[str]) -> None:
    """Start the child process that builds ``encodings``; a failure to start is silently ignored."""
    global _child
    if _child is not None or not encodings or os.environ.get("PROMPTAUDIT_NO_WORKER", "") not in ("", "0"):
        return
    command = [sys.executable, "-m", "promptaudit.tokens.worker", *sorted(encodings)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return
    _child = _Child(process, frozenset(encodings))
    atexit.register(stop)


def serving() -> frozenset[str]:
    """Encodings a running worker is building or has built (empty when there is none)."""
    return _child.encodings if _child is not None else frozenset()


def hint(texts: list[str]) -> None:
    """Send texts that will probably be counted, so the child can encode them ahead of the request."""
    if _child is not None and texts:
        for encoding in sorted(_child.encodings):
            _child.outbox.put(("hint", encoding, texts))


def count(texts: list[str], encoding: str) -> list[int] | None:
    """Token counts from the child, or None when there is no usable child for ``encoding``."""
    if _child is None or encoding not in _child.encodings:
        return None
    _child.outbox.put(("count", encoding, texts))
    try:
        counts = _receive(_child.process.stdout)
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        counts = None
    if not isinstance(counts, list) or len(counts) != len(texts) or not all(type(c) is int for c in counts):
        stop()
        return None
    return counts


def stop() -> None:
    """End the child: closing its input ends its loop; it is killed if it does not stop promptly."""
    global _child
    child, _child = _child, None
    if child is not None:
        child.close()


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
    """The child's loop: build the encoders, then take hints and answer count requests until input ends."""
    from promptaudit.tokens.vocab import load_encoding

    built = {name: load_encoding(name) for name in encodings}
    known: dict[tuple[str, str], int] = {}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            op, encoding, texts = _receive(stdin)
        except EOFError:
            os._exit(0)  # skip interpreter teardown (freeing the encoder): the parent waits for this exit
        fresh = list(dict.fromkeys(t for t in texts if (encoding, t) not in known))
        # Hints arrive one file at a time while the parent parses: encode them on one core, leaving the
        # other to the parent; the final request gets tiktoken's threaded batch for whatever is left.
        encode = built[encoding].encode_ordinary_batch if op == "count" else _one_by_one(built[encoding])
        for text, tokens in zip(fresh, encode(fresh)):
            known[(encoding, text)] = len(tokens)
        if op == "count":
            _send(stdout, [known[(encoding, t)] for t in texts])


def _one_by_one(encoder):
    return lambda texts: [encoder.encode_ordinary(text) for text in texts]


if __name__ == "__main__":
    try:
        serve(sys.argv[1:])
    except Exception:  # noqa: BLE001 - the parent notices the closed pipe and counts in-process
        os._exit(1)
