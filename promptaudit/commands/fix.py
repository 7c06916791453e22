"""``promptaudit fix``: preview, then apply, the edits of the findings that are certain."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, VarOption, load_settings, user_errors
from promptaudit.commands._options import ExtOption, ModelOption, PerDayOption, ShareOption, TotalPerDayOption


class FixFormat(str, Enum):
    """Output formats of ``fix``."""

    text = "text"
    json = "json"


def _ids(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@user_errors
def fix_command(
    paths: Annotated[list[str], typer.Argument(help="Files and directories (searched recursively) to fix.")],
    write: Annotated[bool, typer.Option("--write", help="Apply the edits (default: print the diff only).")] = False,
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Fix only these rules (IDs, prefixes or names); repeatable.")
    ] = None,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="With --write, print the diff of what was written too.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write files that have changes git has not committed.")
    ] = False,
    output_format: Annotated[FixFormat, typer.Option("--format", "-f", help="text or json.")] = FixFormat.text,
    model: ModelOption = None,
    per_day: PerDayOption = None,
    total_per_day: TotalPerDayOption = None,
    share: ShareOption = None,
    config_file: ConfigOption = None,
    var: VarOption = None,
    ext: ExtOption = None,
) -> None:
    """Fix what is certain: filler lead-ins, pretty JSON, excess whitespace. Prints the diff and the saving;
    --write applies it."""
    from promptaudit import exitcodes
    from promptaudit.commands._common import lint_settings, model_choice, warn
    from promptaudit.lint.fixing import run
    from promptaudit.lint.fixing.engine import fix_file
    from promptaudit.lint.fixing.savings import saving
    from promptaudit.money import pricing, traffic, volume
    from promptaudit.reading.code import configure
    from promptaudit.reading.loading import extensions_from
    from promptaudit.tokens.tokenizers import tokenizer_for

    config = load_settings(config_file)
    options = traffic.from_cli({"per_day": per_day}, total_per_day, share, volume.DEFAULT_DAYS_PER_MONTH)
    choice = model_choice([model] if model else None, config)
    pricing.price_for(choice.models[0]), tokenizer_for(choice.models[0])  # an unknown --model: one line, exit 2
    fixing = run.fixing_rules(_ids(rule))
    configure(config.get("python"), str(config.path or "config"))
    targets, errors = run.targets(paths, extensions_from(config, ext))
    for error in errors:
        warn(f"error: {error}")
    readers, prompts, failures = _read(targets, config, var)
    volumes = traffic.prompt_volumes([p for found in prompts.values() for p in found], options, config,
                                     volume.DEFAULT_DAYS_PER_MONTH)  # fmt: skip
    settings = lint_settings(config, choice, [p for found in prompts.values() for p in found], volumes)
    fixes = [fix_file(t.path, t.data, settings, fixing, readers[t.path]) for t in targets if t.path in readers]
    written, refused = _write(fixes, {t.path: t.root for t in targets}, force) if write else (frozenset(), [])
    _render(fixes, [saving(f, settings) for f in fixes], failures, write, written, output_format, show_diff)
    for message in refused:
        warn(f"error: {message}")
    if errors or refused or failures:
        raise typer.Exit(exitcodes.USAGE)
    pending = not write and any(fix.changed for fix in fixes)
    raise typer.Exit(exitcodes.FINDINGS if pending else exitcodes.OK)


def _read(targets: list, config, var: list[str] | None) -> tuple[dict, dict, list[str]]:
    """Each readable target's reader and prompts; the notes and errors of the others said on stderr."""
    import functools

    from promptaudit.commands._common import warn
    from promptaudit.config import placeholders_for
    from promptaudit.errors import InputError
    from promptaudit.lint.fixing.run import reader
    from promptaudit.reading.code.js import is_js
    from promptaudit.reading.formats.variables import bind, parse_assignments

    values = parse_assignments(var)
    binder = functools.partial(bind, cli_values=values, config_values=config.get("vars"))
    readers, prompts, failures = {}, {}, []
    for target in targets:
        if is_js(target.path):
            warn(f"note: {target.path}: JS/TS sources are not fixed (audit reports their findings)")
            continue
        declared = placeholders_for(target.path, config) if config.get("placeholders") else None
        read = reader(target.path, declared, binder)
        try:
            prompts[target.path] = read(target.data)
        except InputError as exc:
            warn(f"error: {exc}")
            failures.append(str(exc))
            continue
        readers[target.path] = read
    return readers, prompts, failures


def _write(fixes: list, roots: dict[str, str], force: bool) -> tuple[frozenset[str], list[str]]:
    """Write every changed file that may be written; the paths written and one message per refusal."""
    from promptaudit.lint.fixing.writing import write_all

    return write_all([fix for fix in fixes if fix.changed], roots, force)


def _render(fixes, savings, failures, write, written, output_format, show_diff) -> None:
    from promptaudit.money import pricing
    from promptaudit.report.fix import FixReport, render_diff, render_json, render_summary

    notes = [note for fix in fixes for note in fix.notes]
    source = pricing.price_source() if any(s.monthly is not None for s in savings) else None
    report = FixReport(fixes, savings, notes, write, written, source)
    if output_format == FixFormat.json:
        render_json(report)
        return
    if not write or show_diff:
        render_diff(report)
    render_summary(report)
