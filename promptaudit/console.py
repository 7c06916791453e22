"""The console-script entry point (``promptaudit`` and ``python -m promptaudit``).

The replay package may answer a repeated hook run from its cache (:mod:`promptaudit.replay.answers`)
before Typer is imported. Cache writes that only later runs need wait until the output is flushed
(:mod:`promptaudit.tokens.deferred`). Otherwise the Typer app runs, with only the command being invoked registered
(and its module the only command module imported) when the first argument names one: Typer inspects every
registered command's signature at start-up (about 0.05 s for seven), and the command modules import what
they use (about 0.06 s for all), while a run of ``check`` needs only ``check``'s. Help, usage errors and results are
the same (tests/test_every_fixture.py compares this path with the full app, in-process).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from promptaudit.replay import answers as replay
    from promptaudit.tokens import deferred

    deferred.activate()
    code = None
    try:
        replay.run(sys.argv[1:], _cli)
        code = 0
    except SystemExit as exc:
        code = exc.code
        raise
    finally:
        deferred.run_all()
        if code is not None and "chdb" in sys.modules:
            end_before_engine_teardown(code)


def end_before_engine_teardown(code: int | str | None) -> None:
    """End the process now, output flushed and caches written: chdb's engine (``usage chdb://``) can crash the
    interpreter's own exit with SIGSEGV after the answer is out (its static destructors run while its thread
    pools still live; chdb-io/chdb-core issues 177 and 181), which would turn exit 0 into 139."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if isinstance(code, str):
        print(code, file=sys.stderr, flush=True)
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def _cli() -> None:
    from promptaudit import cli

    named = sys.argv[1] if sys.argv[1:2] and sys.argv[1] in cli.NAMES else None
    cli.main(cli.build(only=named))
