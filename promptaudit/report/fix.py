"""Render a ``fix`` run: the unified diff on stdout (a patch ``git apply`` or ``patch -p0`` takes), and on stderr
what each file's fix saves in tokens per request and $/month; or one JSON document on stdout."""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from dataclasses import dataclass

from promptaudit.report.common import money, print_json, tokens
from promptaudit.report.terminal import printable

NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class FixReport:
    """A run's files (each a FileFix with its Saving), the notes to say, and whether the files were written."""

    fixes: list
    savings: list
    notes: list[str]
    write: bool
    written: frozenset[str]
    price_source: object | None = None


def unified(path: str, before: str, after: str) -> str:
    """The unified diff of one file (``--- path`` / ``+++ path``, three lines of context), line endings as written."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), path, path)
    return "".join(line if line.endswith("\n") else line + "\n" + NO_NEWLINE for line in lines)


def diff(report: FixReport) -> str:
    """Every changed file's diff, in order."""
    return "".join(unified(fix.path, fix.file.text, fix.text) for fix in report.fixes if fix.changed)


def render_diff(report: FixReport) -> None:
    """The patch on stdout: as written into a pipe or file, with control characters escaped on a terminal."""
    text = diff(report)
    sys.stdout.write(printable(text) if sys.stdout.isatty() else text)


def summary_lines(report: FixReport) -> list[str]:
    """One line per file with something fixed, a total when there are several, then notes and the prices."""
    verb = "fixed" if report.write else "would fix"
    lines = [_file_line(fix, saving, verb) for fix, saving in zip(report.fixes, report.savings) if fix.changed]
    changed = [s for f, s in zip(report.fixes, report.savings) if f.changed]
    if len(changed) > 1:
        lines.append(_total(report, changed, verb))
    if not changed:
        lines.append(f"Nothing to fix in {len(report.fixes)} file(s).")
    elif not report.write:
        lines.append("Nothing was written: give --write to apply the diff.")
    lines += [f"note: {note}" for note in report.notes]
    if changed and any(s.monthly is None for s in changed):
        lines.append("$/month needs a volume: --per-day N (per prompt), --total-per-day N, or volume: in the config")
    if changed and report.price_source is not None and any(s.monthly is not None for s in changed):
        lines.append(f"Prices: {report.price_source.source}, as of {report.price_source.as_of}.")
    return lines


def _file_line(fix, saving, verb: str) -> str:
    counted = Counter(finding.rule for finding in fix.fixed)
    rules = ", ".join(f"{rule} ×{n}" for rule, n in sorted(counted.items()))
    count = (
        f"{tokens(saving.tokens_before, method=saving.method)} → {tokens(saving.tokens_after, method=saving.method)}"
    )
    return f"{fix.path}: {verb} {len(fix.fixed)} ({rules}): {count} tokens per request, {_money(saving)}"


def _money(saving) -> str:
    if saving.monthly is None:
        return f"-{saving.tokens_saved:,} tokens; $/month n/a"
    return f"-{saving.tokens_saved:,} tokens, {money(saving.monthly)}/month at {saving.requests_per_day:,} requests/day"


def _total(report: FixReport, changed: list, verb: str) -> str:
    saved = sum(s.tokens_saved for s in changed)
    fixed = sum(len(f.fixed) for f in report.fixes if f.changed)
    known = [s.monthly for s in changed if s.monthly is not None]
    monthly = f", {money(sum(known))}/month" if known and len(known) == len(changed) else ""
    return f"Total: {verb} {fixed} finding(s) in {len(changed)} files, -{saved:,} tokens per request{monthly}"


def render_summary(report: FixReport) -> None:
    """The summary lines on stderr (``promptaudit:`` first, as every diagnostic)."""
    for line in summary_lines(report):
        sys.stderr.write(f"promptaudit: {printable(line)}\n")
    sys.stderr.flush()


def render_json(report: FixReport) -> None:
    """One JSON document on stdout: every file, its fixes, its saving and its diff; the notes; the prices."""
    files = []
    for fix, saving in zip(report.fixes, report.savings):
        fixed = [{"rule": f.rule, "line": f.line, "column": f.column, "message": f.message} for f in fix.fixed]
        files.append({"path": fix.path, "changed": fix.changed, "written": fix.path in report.written,
                      "fixes": fixed, **saving.to_json(), "diff": unified(fix.path, fix.file.text, fix.text)})  # fmt: skip
    prices = report.price_source.to_json() if report.price_source is not None else None
    print_json({"write": report.write, "files": files, "notes": report.notes, "prices": prices})
