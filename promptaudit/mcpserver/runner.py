"""Run the promptaudit CLI in a subprocess and hand back the JSON document it prints.

The child is ``sys.executable -m promptaudit`` (the same install as the server), started in its own process
group with a timeout and a bound on what it may print. Exit 0 and 1 (findings at or above the fail level)
are answers; exit 2 is the user's mistake and exit 3 a crash, each reported with the CLI's own lines. When
the call is cancelled (the client went away) or times out, the whole group is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from promptaudit import exitcodes
from promptaudit.errors import PromptauditError

MAX_OUTPUT_BYTES = 16 * 1024 * 1024
"""Most JSON one run may print: beyond what an agent can read, so a narrower question is asked for."""
MAX_STDERR_BYTES = 1024 * 1024
"""Most diagnostics kept from one run (notes beyond this are dropped, the run is not)."""
PREFIX = "promptaudit: "


class CliFailed(PromptauditError):
    """A run that gave no answer: the CLI's error lines, a timeout, a crash or unusable output."""


@dataclass(frozen=True)
class CliRun:
    """One command line to run: arguments after ``promptaudit``, the folder to run in, and standard input."""

    args: tuple[str, ...]
    cwd: Path
    stdin: bytes | None = None


@dataclass
class CliAnswer:
    """What a run printed: the JSON text exactly as printed, the parsed document, and the notes on stderr."""

    text: str
    document: object
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    """How long one run may take, in seconds."""

    timeout: float = 300.0


async def run(call: CliRun, limits: Limits) -> CliAnswer:
    """Run one command and return its answer; raise :class:`CliFailed` when it gives none."""
    try:
        with anyio.fail_after(limits.timeout):
            code, out, err = await _execute(call)
    except TimeoutError:
        raise CliFailed(f"promptaudit {call.args[0]} took longer than {limits.timeout:g} s and was stopped") from None
    return _answer(call, code, out, err)


async def _execute(call: CliRun) -> tuple[int, bytes, bytes]:
    """Start the child, feed its input, drain both pipes (bounded) and wait; kill its group if interrupted."""
    process = await anyio.open_process(
        [sys.executable, "-m", "promptaudit", *call.args],
        stdin=subprocess.PIPE if call.stdin is not None else subprocess.DEVNULL,
        cwd=call.cwd,
        env=_environment(),
        start_new_session=True,
    )
    out, err = _Sink(MAX_OUTPUT_BYTES), _Sink(MAX_STDERR_BYTES)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(_drain, process.stdout, out, process)
            group.start_soon(_drain, process.stderr, err, None)
            if call.stdin is not None:
                await _feed(process.stdin, call.stdin)
            code = await process.wait()
    finally:
        _kill_group(process)
        with anyio.CancelScope(shield=True):
            await process.aclose()
    if out.overflowed:
        raise CliFailed(f"the answer is larger than {MAX_OUTPUT_BYTES // (1024 * 1024)} MB; ask about fewer files")
    return code, bytes(out.data), bytes(err.data)


@dataclass
class _Sink:
    """What was read from one pipe, up to ``limit`` bytes."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    overflowed: bool = False


async def _feed(stream, data: bytes) -> None:
    """Write standard input and close it; a child that exits early (a usage error) is not an error here."""
    try:
        await stream.send(data)
    except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
        pass
    finally:
        await stream.aclose()


async def _drain(stream, sink: _Sink, owner) -> None:
    """Read a pipe to its end; past the limit, stop keeping it and (for stdout) stop the run."""
    async for chunk in stream:
        if sink.overflowed or len(sink.data) + len(chunk) > sink.limit:
            sink.overflowed = True
            if owner is not None:
                _kill_group(owner)
            continue
        sink.data.extend(chunk)


def _kill_group(process) -> None:
    """Kill the child and anything it started (git, a DuckDB worker) if it is still running."""
    if process.returncode is not None:
        return
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows: no process groups here; the child alone
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _environment() -> dict[str, str]:
    """The server's environment, minus colour; the CLI stays offline by default."""
    return {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}


def _answer(call: CliRun, code: int, out: bytes, err: bytes) -> CliAnswer:
    lines = [_strip(line) for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    if code not in (exitcodes.OK, exitcodes.FINDINGS):
        raise CliFailed(_failure(call, code, lines))
    text = out.decode("utf-8", "replace")
    try:
        document = json.loads(text)
    except ValueError:
        raise CliFailed(f"promptaudit {call.args[0]} printed no JSON (exit {code})") from None
    return CliAnswer(text, document, lines)


def _failure(call: CliRun, code: int, lines: list[str]) -> str:
    """The message for a failed run: the CLI's error lines (exit 2), its crash line (exit 3), or the exit code."""
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if code == exitcodes.USAGE and (errors or lines):
        return "; ".join(errors or lines)
    if code == exitcodes.INTERNAL and lines:
        return f"promptaudit {call.args[0]} failed unexpectedly: {lines[-1]}"
    return f"promptaudit {call.args[0]} exited with {code}" + (f": {lines[-1]}" if lines else "")


def _strip(line: str) -> str:
    return line[len(PREFIX) :] if line.startswith(PREFIX) else line
