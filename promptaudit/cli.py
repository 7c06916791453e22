"""Command-line wiring only: one Typer app, one function per command module."""

from __future__ import annotations

import sys

import typer

from promptaudit import __version__
from promptaudit.commands import audit, check, count, diff, models, project, report, usage

app = typer.Typer(
    name="promptaudit",
    help="What your LLM prompts cost, where the money goes, and what each lever saves. Offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain Click help and usage errors: no Rich import, --help in ~0.1 s
)
app.command("count")(count.count_command)
app.command("models")(models.models_command)
app.command("project")(project.project_command)
app.command("audit")(audit.audit_command)
app.command("check")(check.check_command)
app.command("diff")(diff.diff_command)
app.command("usage")(usage.usage_command)
app.command("report")(report.report_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"promptaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """What your LLM prompts cost, where the money goes, and what each lever saves. Offline."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
