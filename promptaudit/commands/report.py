"""``promptaudit report``: one self-contained HTML page with the money, the levers and the waste.

The page shows the numbers ``project`` and ``audit`` print (computed by the same code, rendered from
the same JSON documents), plus measured spend from ``--usage`` logs as ``usage --by day`` reports it.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import sys
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, VarOption, load_settings, model_choice, user_errors, warn
from promptaudit.commands._projection import (
    DaysOption,
    ExtOption,
    ModelsOption,
    OutputTokensOption,
    PerDayOption,
    PerMonthOption,
    RpmOption,
    RpsOption,
    ShareOption,
    TotalPerDayOption,
    UserTokensOption,
    build_plan,
    compute,
    traffic_from,
)

Opt = typer.Option


class _Tee(io.TextIOBase):
    """A stderr that also keeps each ``promptaudit:`` line, so the page shows what the terminal said."""

    def __init__(self, stream):
        self.stream, self.lines = stream, []

    def write(self, text: str) -> int:
        self.lines += [line.removeprefix("promptaudit: ") for line in text.splitlines() if line.strip()]
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def _audit(prompts, choice, config, volumes) -> dict:
    """``audit --format json``'s document for the prompts, each at its model and at the report's volume."""
    from promptaudit.commands._common import lint_settings
    from promptaudit.lint import linter
    from promptaudit.report.audit import json as audit_json
    from promptaudit.report.audit.common import build

    settings = lint_settings(config, choice, prompts, volumes)
    return audit_json.payload(build(prompts, linter.lint(prompts, settings), settings))


def _cache_rules(prompts, done) -> list:
    """Each prompt's cache rules at the first model it is projected at (for the waste section's prefix marks)."""
    rules: dict[str, object] = {}
    for result in done.results:
        for case in result.cases:
            rules.setdefault(case.name, case.priced.cache)
    return [rules.get(prompt.display) for prompt in prompts]


def _measured(logs: list[str], split_at: str | None, config, prices) -> tuple[str, bool]:
    """The measured-spend section from usage logs, and whether a log was damaged (the page says what was read)."""
    from promptaudit.money import pricing
    from promptaudit.report import usage_json
    from promptaudit.report.html import usage as html_usage
    from promptaudit.usage.records.aggregate import combined
    from promptaudit.usage.results import assemble as result
    from promptaudit.usage.results.costing import PriceBook

    settings, book = config.get("usage") or {}, PriceBook(pricing.schedule_for)
    days = _scan(logs, "day", None, settings, book)
    daily = usage_json.report(result.build(days, "day", book), days, prices)
    damaged = _diagnose(days, book)
    comparison = None
    if split_at is not None:
        split = _scan(logs, "all", split_at, settings, book)
        before, after = (result.build(split, "all", book, side=side, label=side) for side in ("before", "after"))
        comparison = result.compare(before, after)
    hist = combined(days.groups()).output_hist
    return html_usage.section(daily, hist, comparison, ", ".join(logs), split_at), damaged


def _scan(logs: list[str], by: str, split_at: str | None, settings: dict, book):
    """Read the logs as ``usage --by BY`` does, records grouped by the prices they pay (exit 2 when none holds
    a usage record)."""
    from promptaudit.errors import UsageError
    from promptaudit.usage.options import build_options
    from promptaudit.usage.scan import scan

    options = build_options(by, None, None, split_at, settings, None, None, None)
    options.classify = book.classifier
    found = scan(logs, options)
    if not found.sides:
        _diagnose(found, None)
        raise UsageError(f"no usage records in {', '.join(logs)}")
    return found


def _diagnose(found, book) -> bool:
    """Say on stderr what ``usage`` would say about the logs; True when one was unreadable or damaged."""
    from promptaudit.usage.options import diagnostics

    lines, failed = diagnostics([found], book)
    for line in lines:
        warn(line)
    return failed


def write_page(text: str, output: str) -> None:
    """Write the page to ``output`` with the one safe writer (atomic, regular files only, mode and owner kept).

    ``-`` is standard output; on a terminal, control characters a prompt holds are shown as escapes.
    """
    from promptaudit.errors import OutputError
    from promptaudit.reading.files import write_atomic

    if output == "-":
        from promptaudit.report.terminal import printable

        sys.stdout.write(printable(text) if sys.stdout.isatty() else text)
        return
    try:
        write_atomic(output, text)
    except OutputError as exc:
        raise _output_error(exc) from None


def _output_error(exc):
    from promptaudit.errors import UsageError

    return UsageError(f"-o {exc.path}: {exc.reason}")


def check_output(output: str, split_at: str | None, usage: list[str] | None) -> None:
    """Refuse, before any work, an output the writer would refuse (a device, a folder, a link, no such
    folder) and ``--split-at`` without logs."""
    from promptaudit.errors import OutputError, UsageError
    from promptaudit.reading.files import check_writable

    if split_at is not None and not usage:
        raise UsageError("--split-at needs --usage LOG")
    if output == "-":
        return
    try:
        check_writable(output)
    except OutputError as exc:
        raise _output_error(exc) from None


def _command_line(paths: list[str], flags: dict) -> str:
    words = ["promptaudit", "report", *paths]
    for flag, value in flags.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                words += [flag, str(item)]
    return shlex.join(words)


@user_errors
def report_command(
    paths: Annotated[list[str], typer.Argument(help="Prompt files, directories or - for stdin.")],
    rps: RpsOption = None,
    rpm: RpmOption = None,
    per_day: PerDayOption = None,
    per_month: PerMonthOption = None,
    total_per_day: TotalPerDayOption = None,
    share: ShareOption = None,
    model: ModelsOption = None,
    usage: Annotated[list[str] | None, Opt("--usage", help="Usage log for measured spend; repeatable.")] = None,
    split_at: Annotated[str | None, Opt("--split-at", help="Compare usage before and after this time.")] = None,
    output: Annotated[str, Opt("--output", "-o", help="HTML file to write (- for stdout).")] = "report.html",
    user_tokens: UserTokensOption = None,
    output_tokens: OutputTokensOption = None,
    days_per_month: DaysOption = "30",
    ext: ExtOption = None,
    config_file: ConfigOption = None,
    var: VarOption = None,
) -> None:
    """Write one self-contained HTML page: cost by prompt, savings by lever, waste in the text, measured spend."""
    from promptaudit import exitcodes
    from promptaudit.commands._common import read_prompts, usable_prompts
    from promptaudit.money import traffic as traffic_basis
    from promptaudit.money import volume

    check_output(output, split_at, usage)
    config = load_settings(config_file)
    days = volume.days_per_month(days_per_month)
    per_prompt = {"rps": rps, "rpm": rpm, "per_day": per_day, "per_month": per_month}
    options = traffic_basis.from_cli(per_prompt, total_per_day, share, days)
    traffic = traffic_from(user_tokens, output_tokens)
    with contextlib.redirect_stderr(_Tee(sys.stderr)) as said:
        prompts, failures = read_prompts(paths, config, ext, var)
        prompts, choice, model_failures = usable_prompts(prompts, model_choice(model, config))
        if failures or model_failures or not prompts or not choice.models:
            raise typer.Exit(exitcodes.USAGE)
        flags = {"--rps": rps, "--rpm": rpm, "--per-day": per_day, "--per-month": per_month, "--model": model}
        flags |= {"--total-per-day": total_per_day, "--share": share}
        flags |= {"--usage": usage, "--split-at": split_at, "-o": None if output == "report.html" else output}
        command = _command_line(paths, flags)
        page, damaged = build_page(command, prompts, choice, (options, days), config, traffic, (usage, split_at), said)
    write_page(page, output)
    if output != "-":
        warn(f"wrote {output}")
    if damaged:  # as usage does: the page shows what was read before the damage, the exit code says it
        raise typer.Exit(exitcodes.USAGE)


def build_page(command: str, prompts, choice, volumes, config, traffic, logs, said) -> tuple[str, bool]:
    """Compute everything the page shows and render it (``said`` collects the terminal's notes)."""
    from datetime import datetime, timezone

    from promptaudit.money import pricing
    from promptaudit.report import project as project_report
    from promptaudit.report.html import page as html
    from promptaudit.report.html import waste as html_waste

    options, days = volumes
    done = compute(prompts, choice, options, days, config, traffic, build_plan(*[None] * 6), None)
    prices = pricing.price_source()
    project = project_report.payload(done, days, prices)
    audit = _audit(prompts, choice, config, done.volumes)
    first = done.results[0].model
    rules = _cache_rules(prompts, done)
    waste = html_waste.render(prompts, audit, project, rules, first)
    usage_html, damaged = _measured(logs[0], logs[1], config, prices) if logs[0] else ("", False)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notes = tuple(dict.fromkeys(said.lines))
    return html.render(html.Page(command, generated, project, audit, waste, usage_html, notes)), damaged
