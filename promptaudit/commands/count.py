"""``promptaudit count``: exact token counts and input cost per request, per file and model."""

from __future__ import annotations

from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import (
    ConfigOption,
    TableFormat,
    VarOption,
    load_settings,
    model_choice,
    read_prompts,
    report_sizes,
    usable_prompts,
    user_errors,
    warn,
)
from promptaudit.commands._options import ExtOption, ModelsOption


def _quiet_notes(results: list, prompts: list) -> list[str]:
    """Each prompt's notes except its variables (said once per file by :func:`variable_summary`)."""
    from promptaudit.money.prompt_costs import variables_note
    from promptaudit.reading.loading import variable_summary

    notes = []
    for r in results:
        listed = variables_note(r.prompt, r.counts[0]) if r.prompt.variables and r.counts else None
        notes += [f"{r.prompt.display}: {n}" for n in r.notes if n != listed]
    return notes + variable_summary(prompts)


@user_errors
def count_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (searched recursively) or - for stdin.")],
    model: ModelsOption = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = TableFormat.table,
    ext: ExtOption = None,
    config_file: ConfigOption = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Per-message and per-tool rows, cache breakpoints and notes.")
    ] = False,
    var: VarOption = None,
) -> None:
    """Count tokens exactly (OpenAI) or as labelled estimates (Claude, Gemini), with input cost per request.

    A request file or SDK call that names its model is counted at that model ("(from file)"); --model
    overrides it. Prompts that name none are counted at the config's models, else gpt-4o.
    """
    from promptaudit.money import pricing
    from promptaudit.money.limits import size_problems
    from promptaudit.money.prompt_costs import count_prompts

    if output_format is TableFormat.markdown:
        raise typer.BadParameter("count supports table, json or csv", param_hint="--format")
    config = load_settings(config_file)
    prompts, input_failures = read_prompts(paths, config, ext, var, announce=False)
    from promptaudit.report import count as report

    report.prepare(output_format.value)

    prompts, choice, model_failures = usable_prompts(prompts, model_choice(model, config))
    models = choice.needed(prompts) if choice.models else []
    results = count_prompts(prompts, choice, detail) if models else []
    if not detail:  # with --detail the notes are part of the report; without, one line per file for variables
        for note in _quiet_notes(results, prompts):
            warn(f"note: {note}")
    too_big = report_sizes(
        size_problems((r.prompt.display, c.model, c.tokens, c.exact) for r in results for c in r.counts)
    )
    nothing_read = (input_failures or model_failures) and not results
    if models and not (nothing_read and output_format is TableFormat.table):  # JSON/CSV stay parseable
        report.render(results, pricing.price_source(), output_format.value, detail)
    if model_failures or input_failures or not models or too_big:
        raise typer.Exit(exitcodes.USAGE)
