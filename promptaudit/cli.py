"""Command-line wiring only: one Typer app, one function per command module."""

from __future__ import annotations

import importlib
import sys

import typer

from promptaudit import __version__

# (command name, module under promptaudit.commands, function): the one list of commands.
COMMANDS = (
    ("count", "count", "count_command"),
    ("models", "models", "models_command"),
    ("project", "project", "project_command"),
    ("audit", "audit", "audit_command"),
    ("check", "check", "check_command"),
    ("fix", "fix", "fix_command"),
    ("diff", "diff", "diff_command"),
    ("usage", "usage", "usage_command"),
    ("report", "report", "report_command"),
    ("pr-comment", "comment", "pr_comment_command"),
    ("mcp", "mcp", "mcp_command"),
)
NAMES = frozenset(name for name, _, _ in COMMANDS)


def build(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with ``only`` that one (the only command module then imported)."""
    app = typer.Typer(
        name="promptaudit",
        help="What your LLM prompts cost, where the money goes, and what each lever saves. Offline.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain Click help and usage errors: no Rich import, --help in ~0.1 s
    )
    for name, module, function in COMMANDS:
        if only in (None, name):
            app.command(name)(getattr(importlib.import_module(f"promptaudit.commands.{module}"), function))
    app.callback()(_root)
    return app


def __getattr__(name: str) -> typer.Typer:
    """``cli.app``: the full app, built on first use (PEP 562), so the console script imports one command."""
    if name != "app":
        raise AttributeError(name)
    globals()["app"] = full = build()
    return full


def _version(value: bool) -> None:
    if value:
        typer.echo(f"promptaudit {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """What your LLM prompts cost, where the money goes, and what each lever saves. Offline."""


def main(app: typer.Typer | None = None) -> None:
    """Console-script entry point: exit codes from ``exitcodes``, never a traceback; ``app`` defaults to the full
    app (``cli.app``)."""
    from promptaudit.reading.files import guard_stdout

    app = app if app is not None else sys.modules[__name__].app

    guard_stdout()  # a failed write to stdout (``> /dev/full``) is one line and exit 2
    code = None
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # noqa: BLE001 - the last line of defence (promptaudit.crash)
        from promptaudit import crash

        _flush_stdout()
        sys.exit(crash.report(exc))
    failed = _flush_stdout()
    sys.exit(code if failed is None else failed)


def _flush_stdout() -> int | None:
    """Flush stdout now: a reader that closed the pipe early (``| head``) is not an error at exit; a write
    that fails (a full disk) is one line, and the exit code to use instead (else None)."""
    from promptaudit import exitcodes
    from promptaudit.commands._common import stdout_closed, warn
    from promptaudit.errors import OutputError

    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        stdout_closed()
    except OutputError as exc:
        warn(f"error: {exc}")
        return exitcodes.USAGE
    return None


if __name__ == "__main__":
    main()
