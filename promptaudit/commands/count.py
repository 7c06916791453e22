"""``promptaudit count``: exact token counts and input cost per request, per file and model."""

from __future__ import annotations

from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import (
    ConfigOption,
    TableFormat,
    VarOption,
    choose_models,
    load_settings,
    user_errors,
    warn,
)


def gather_prompts(paths: list[str], extensions: tuple[str, ...]) -> tuple[list, int]:
    """Read every path into prompts; report each unreadable input on stderr and count failures."""
    from promptaudit import worker
    from promptaudit.errors import InputError
    from promptaudit.prompts import load_prompts
    from promptaudit.sources import discover

    prompts, failures = [], 0
    for item in discover(paths, extensions):
        try:
            if isinstance(item, InputError):
                raise item
            loaded = load_prompts(item)
            prompts.extend(loaded)
            # Static text is billed as read: a start-up worker can encode it while later files are parsed.
            worker.hint([part.text for prompt in loaded for part in prompt.parts if part.static])
        except InputError as exc:
            warn(f"error: {exc}")
            failures += 1
    return prompts, failures


def usable_models(models: list[str]) -> tuple[list[str], int]:
    """Keep the models that have a tokenizer and a price; report the rest on stderr."""
    from promptaudit import pricing, tokens
    from promptaudit.errors import UnknownModelError

    usable, failures = [], 0
    for model in models:
        try:
            pricing.price_for(model)
            tokens.tokenizer_for(model)
            usable.append(model)
        except UnknownModelError as exc:
            warn(f"error: {exc}")
            failures += 1
    return usable, failures


def extensions_from(config, cli_ext: list[str] | None) -> tuple[str, ...]:
    """File extensions to pick from directories: ``--ext``, else config, else the defaults."""
    from promptaudit.sources import DEFAULT_EXTENSIONS

    chosen = cli_ext or config.get("extensions") or DEFAULT_EXTENSIONS
    return tuple(e if e.startswith(".") else f".{e}" for e in chosen)


def remember_counted(prompts: list, models: list[str]) -> None:
    """Record the counted files so the next run can skip prefetching an unneeded vocabulary."""
    from promptaudit import prefetch, tokens

    prefetch.remember([p.path for p in prompts], {tokens.tokenizer_for(m).encoding for m in models})


@user_errors
def count_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (searched recursively) or - for stdin.")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model to count for; repeat for side-by-side columns."),
    ] = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = TableFormat.table,
    ext: Annotated[
        list[str] | None, typer.Option("--ext", help="Extension to pick from directories; repeatable.")
    ] = None,
    config_file: ConfigOption = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Per-message and per-tool rows, cache breakpoints and notes.")
    ] = False,
    var: VarOption = None,
) -> None:
    """Count tokens exactly (OpenAI) or as labelled estimates (Claude, Gemini), with input cost per request."""
    from promptaudit import counting, pricing
    from promptaudit.counting import count_prompts

    if output_format is TableFormat.markdown:
        raise typer.BadParameter("count supports table, json or csv", param_hint="--format")
    config = load_settings(config_file)
    prompts, input_failures = read_prompts(paths, config, ext, var, announce=False)
    requested = choose_models(model, config)
    counting.warm_up(prompts, requested)
    from promptaudit.report import count as report

    report.prepare(output_format.value)  # imports Rich while the vocabulary loads in the background

    models, model_failures = usable_models(requested)
    results = count_prompts(prompts, models, detail) if models else []
    remember_counted(prompts, models)
    if not detail:  # with --detail the notes are part of the report
        for note in (f"{r.prompt.display}: {n}" for r in results for n in r.notes):
            warn(f"note: {note}")
    nothing_read = input_failures and not results
    if models and not (nothing_read and output_format is TableFormat.table):  # JSON/CSV stay parseable
        report.render(results, models, pricing.price_source(), output_format.value, detail)
    if model_failures or input_failures or not models:
        raise typer.Exit(exitcodes.USAGE)


def read_prompts(paths: list[str], config, ext, var, announce: bool = True) -> tuple[list, int]:
    """Read prompts and bind template variables (``--var``, then config ``vars:``, else a labelled default).

    With ``announce``, parse notes and defaulted variables are said on stderr (``count`` says them itself,
    with its other notes, after counting).
    """
    from promptaudit.counting import reading_notes
    from promptaudit.formats.variables import bind, parse_assignments

    values = parse_assignments(var)
    prompts, failures = gather_prompts(paths, extensions_from(config, ext))
    bind(prompts, values, config.get("vars"))
    for note in reading_notes(prompts) if announce else ():
        warn(f"note: {note}")
    return prompts, failures
