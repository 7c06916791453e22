"""``promptaudit diff``: tokens and $/month before and after, per changed prompt file, for pull requests.

Git mode compares a ref (default: the merge base of HEAD with the default branch) with the working tree,
including untracked files; added, deleted and renamed prompts count, binary files are skipped. With
exactly two existing files and no ``--base``, it compares those two files instead (no git needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from promptaudit import exitcodes
from promptaudit.commands._common import ConfigOption, choose_models, load_settings, user_errors, warn


class DiffFormat(str, Enum):
    """Output formats of ``diff``."""

    table = "table"
    markdown = "markdown"
    json = "json"


@dataclass(frozen=True)
class FileDelta:
    """One prompt file's tokens before and after, and what the change costs per month."""

    path: str
    status: str
    old_path: str | None
    tokens_before: int
    tokens_after: int
    exact: bool
    requests_per_day: Decimal | None = None
    monthly_cost_change: Decimal | None = None
    method: str = "exact"
    """How the counts were made: ``exact``, ``reconstructed`` (Claude via ctok) or ``estimate``."""

    @property
    def change(self) -> int:
        return self.tokens_after - self.tokens_before

    def to_json(self) -> dict:
        """A JSON-safe dict; money and volume as strings so no precision is lost."""
        from promptaudit.gate.budgets import decimal_text

        per_day, cost = self.requests_per_day, self.monthly_cost_change
        return {
            "path": self.path,
            "old_path": self.old_path,
            "status": self.status,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "tokens_change": self.change,
            "exact": self.exact,
            "method": self.method,
            "requests_per_day": decimal_text(per_day),
            "monthly_cost_change": decimal_text(cost),
        }


@dataclass
class DiffReport:
    """Everything ``diff`` prints: the base compared with, the per-file deltas and what was skipped."""

    model: str
    base_ref: str | None
    base_commit: str | None
    files: list[FileDelta]
    skipped: list[tuple[str, str]]

    @property
    def tokens_change(self) -> int:
        return sum(f.change for f in self.files)

    @property
    def monthly_cost_change(self) -> Decimal | None:
        """Sum over files with a configured volume; None when no file has one."""
        known = [f.monthly_cost_change for f in self.files if f.monthly_cost_change is not None]
        return sum(known, Decimal(0)) if known else None


def file_tokens(name: str, data: bytes | None, model: str) -> tuple[int, str]:
    """Tokens in one version of a file and how they were counted, parsed as ``count`` parses it (no content: 0)."""
    import tempfile

    from promptaudit.reading.loading import load_prompts
    from promptaudit.reading.sources import Source
    from promptaudit.tokens.counting import prompt_tokens
    from promptaudit.tokens.tokenizers import combine_methods

    if data is None or not data.strip():
        return 0, "exact"
    with tempfile.TemporaryDirectory(prefix="promptaudit-diff-") as folder:
        copy = Path(folder) / Path(name).name  # same name, so the same parser is chosen
        copy.write_bytes(data)
        counts = prompt_tokens(load_prompts(Source(str(copy))), model)
    return sum(c.tokens for c in counts), combine_methods(c.method for c in counts)


def delta(path: str, status: str, old_path: str | None, before: bytes | None, after: bytes | None, ctx) -> FileDelta:
    """Count both versions of a file and price the change at the file's configured volume."""
    from promptaudit.money import economics, volume
    from promptaudit.tokens.tokenizers import combine_methods

    old_tokens, old_method = file_tokens(old_path or path, before, ctx.model)
    new_tokens, new_method = file_tokens(path, after, ctx.model)
    method = combine_methods([old_method, new_method])
    traffic = ctx.volume or volume.from_config(str(ctx.root / path), ctx.config)
    cost = economics.monthly_cost_of_tokens(new_tokens - old_tokens, ctx.price, traffic) if traffic else None
    per_day = traffic.requests_per_day if traffic else None
    return FileDelta(path, status, old_path, old_tokens, new_tokens, method == "exact", per_day, cost, method)


@dataclass
class Context:
    """What every file's delta needs: the model, its price, the config and any command-line volume."""

    model: str
    price: object
    config: object
    volume: object
    root: Path


def wanted(change, extensions: tuple[str, ...], explicit: set[str]) -> bool:
    """Prompt files by extension, plus any file the user named exactly; hidden files (config, baseline) are not."""
    names = {change.path, change.old_path} - {None}
    visible = [name for name in names if not Path(name).name.startswith(".")]
    return bool(names & explicit) or any(name.lower().endswith(extensions) for name in visible)


def git_deltas(base: str, paths: list[str], ctx, extensions: tuple[str, ...]) -> tuple[list, list]:
    """Deltas for every changed prompt file between ``base`` and the working tree, and skipped files."""
    from promptaudit.errors import InputError
    from promptaudit.gate import gitutil
    from promptaudit.reading.sources import read_regular

    explicit = {_top_relative(p, ctx.root) for p in paths}
    files, skipped = [], []
    for change in gitutil.changed_files(base, paths):
        if not wanted(change, extensions, explicit):
            continue
        before = gitutil.show(base, change.before_path) if change.before_path else None
        try:
            after = None if change.status == gitutil.DELETED else read_regular(ctx.root / change.path)
        except InputError as exc:  # a FIFO, a link to /dev/zero, a 60 MB file: said, not read
            skipped.append((change.path, exc.reason))
            continue
        if any(gitutil.is_binary(data) for data in (before, after) if data is not None):
            skipped.append((change.path, "binary"))
            continue
        files.append(_safe_delta(change.path, change.status, change.old_path, before, after, ctx, skipped))
    return [f for f in files if f is not None], skipped


def _safe_delta(path, status, old_path, before, after, ctx, skipped):
    from promptaudit.errors import InputError

    try:
        return delta(path, status, old_path, before, after, ctx)
    except InputError as exc:
        skipped.append((path, exc.reason))
        return None


def _top_relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def resolve_base(ref: str | None) -> tuple[str, str]:
    """The label and commit to compare with: ``--base``, else the merge base with the default branch."""
    from promptaudit.gate import gitutil

    if ref is not None:
        return ref, gitutil.resolve_ref(ref)
    branch = gitutil.default_branch()
    return f"merge-base with {branch}", gitutil.merge_base(branch)


def is_file_pair(paths: list[str], base: str | None) -> bool:
    """``diff OLD NEW``: exactly two existing files and no ``--base``."""
    return base is None and len(paths) == 2 and all(Path(p).is_file() for p in paths)


def build_report(paths: list[str], base: str | None, ctx, extensions: tuple[str, ...]) -> DiffReport:
    """Compare two files, or the git base with the working tree."""
    from promptaudit.gate import gitutil
    from promptaudit.reading.sources import Source, read_bytes

    if is_file_pair(paths, base):
        old, new = (read_bytes(Source(p)) for p in paths)
        ctx.root = Path.cwd()
        item = delta(paths[1], gitutil.MODIFIED, paths[0], old, new, ctx)
        return DiffReport(ctx.model, None, None, [item], [])
    ctx.root = gitutil.toplevel()
    label, commit = resolve_base(base)
    files, skipped = git_deltas(commit, paths, ctx, extensions)
    return DiffReport(ctx.model, label, commit, sorted(files, key=lambda f: f.path), skipped)


def gate(report: DiffReport, max_tokens: int | None, max_cost: str | None) -> list[str]:
    """Why the diff fails its gate (empty when it passes or no gate was asked for)."""
    from promptaudit.errors import UsageError
    from promptaudit.money.volume import to_decimal

    reasons = []
    if max_tokens is not None and report.tokens_change > max_tokens:
        reasons.append(f"prompts grew {report.tokens_change:,} tokens, above --fail-above-tokens {max_tokens:,}")
    if max_cost is not None:
        limit, cost = to_decimal(max_cost, "--fail-above-cost"), report.monthly_cost_change
        if cost is None and report.files:
            raise UsageError("--fail-above-cost needs a request volume: set volume: in config or pass --per-day")
        if cost is not None and cost > limit:
            reasons.append(f"$/month grew by {cost:.2f}, above --fail-above-cost {limit}")
    return reasons


@user_errors
def diff_command(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Paths to limit the comparison to, or OLD_FILE NEW_FILE.")
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Git ref to compare with (default: merge base with main).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model to count and price for.")] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table, markdown or json.")
    ] = DiffFormat.table,
    per_day: Annotated[str | None, typer.Option("--per-day", help="Requests per day (overrides config).")] = None,
    fail_above_tokens: Annotated[
        int | None, typer.Option("--fail-above-tokens", help="Exit 1 if prompts grow by more tokens than this.")
    ] = None,
    fail_above_cost: Annotated[
        str | None, typer.Option("--fail-above-cost", help="Exit 1 if $/month grows by more than this.")
    ] = None,
    config_file: ConfigOption = None,
) -> None:
    """Show tokens and $/month before and after for every changed prompt (git ref vs working tree)."""
    from promptaudit.money import pricing, volume
    from promptaudit.reading.loading import extensions_from

    config = load_settings(config_file)
    chosen = choose_models([model] if model else None, config)[0]
    ctx = Context(chosen, pricing.price_for(chosen), config, volume.from_cli({"per_day": per_day}), Path.cwd())
    from promptaudit.reading.code import configure

    configure(config.get("python"), str(config.path or "config"))
    report = build_report(list(paths or []), base, ctx, extensions_from(config, None))
    reasons = gate(report, fail_above_tokens, fail_above_cost)
    from promptaudit.report import diff as render

    render.render(report, output_format.value)
    for reason in reasons:
        warn(f"diff gate failed: {reason}")
    raise typer.Exit(exitcodes.FINDINGS if reasons else exitcodes.OK)
