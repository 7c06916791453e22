"""Fix one file: audit it, turn the certain findings' edits into edits of the file, apply and verify them, and
repeat until nothing is left to fix (at most :data:`MAX_ROUNDS` rounds).

A round is kept only when the edited file parses to exactly what the edits meant (:mod:`.verify`) and a second
audit reports nothing new and none of the fixed findings (:mod:`.novelty`); an edit that fails the check on
its own is left out with a note, and a round that would make the audit report something new (a prompt trimmed
under the cache minimum, say) is not made at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from promptaudit.lint.findings import Edit, Finding
from promptaudit.lint.fixing import certain, verify
from promptaudit.lint.fixing.novelty import new_findings
from promptaudit.lint.fixing.places import FileEdit, Refused, place, positions
from promptaudit.lint.fixing.textfile import FileText, Lines, read_back
from promptaudit.lint.linter import LintSettings, finding_of, lint

MAX_ROUNDS = 5
"""A cut can bring another finding to light; five rounds are more than any real file needs."""


@dataclass(frozen=True)
class Proposal:
    """A finding of a rule ``fix`` may apply, its edit, its prompt (by index) and where the prompt's parts start."""

    prompt: int
    part_starts: tuple[int, ...]
    finding: Finding
    edit: Edit


@dataclass
class FileFix:
    """One file's fix: its bytes as read, its text before and after, the prompts of both, what was fixed."""

    path: str
    data: bytes
    file: FileText
    text: str
    before: list
    after: list
    fixed: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.file.text

    def encoded(self) -> bytes:
        """The fixed file's bytes: the same encoding, byte-order mark and line endings as the file read."""
        return self.file.encode(self.text)


def fix_file(path: str, data: bytes, settings: LintSettings, fixing: frozenset[str], read: Callable) -> FileFix:
    """Fix ``data`` (the bytes of ``path`` as read once) with the rules in ``fixing``. ``read(bytes)`` parses
    bytes of this file into prompts as every command reads it (variables bound)."""
    file = read_back(path, data)
    text, prompts = file.text, read(data)
    result = FileFix(path, data, file, text, prompts, prompts)
    findings, proposals = _audit(prompts, settings, fixing)
    for _ in range(MAX_ROUNDS):
        pairs, notes = _edits(path, text, prompts, proposals)
        result.notes += notes
        pairs, problem = _verified(path, text, prompts, pairs, lambda t: read(file.encode(t)))
        if problem:
            result.notes.append(f"{path}: an edit was left out: {problem}")
        if not pairs:
            break
        edits = [edit for edit, _ in pairs]
        new_text = apply(text, edits)
        new_prompts = read(file.encode(new_text))
        later, later_proposals = _audit(new_prompts, settings, fixing)
        extra = new_findings(findings, [f for _, f in pairs], later, Lines(text), Lines(new_text), edits, path)
        if extra:
            result.notes.append(_said(extra))
            break
        result.fixed += [finding for _, finding in pairs]
        text, prompts, findings, proposals = new_text, new_prompts, later, later_proposals
    result.text, result.after, result.notes = text, prompts, list(dict.fromkeys(result.notes))
    return result


def _audit(prompts: list, settings: LintSettings, fixing: frozenset[str]) -> tuple[list[Finding], list[Proposal]]:
    """The audit's findings, and the proposals of the fixing rules (warning or above; info is never fixed)."""
    proposals: list[Proposal] = []
    index = {id(prompt): number for number, prompt in enumerate(prompts)}

    def observe(ctx, module, problems) -> None:
        if module.ID not in fixing:
            return
        for problem in problems:
            finding = finding_of(module, problem, ctx) if problem.edit is not None else None
            if finding is not None and finding.severity != "info":
                proposals.append(Proposal(index[id(ctx.prompt)], ctx.part_starts, finding, problem.edit))

    return lint(prompts, settings, observe), proposals


def _edits(path: str, text: str, prompts: list, proposals: list[Proposal]) -> tuple[list[tuple], list[str]]:
    """``(file edit, finding)`` for every proposal that can be made with certainty, and a note for each other."""
    lines, mapped, made, notes = Lines(text), {}, [], []
    for proposal in proposals:
        prompt = prompts[proposal.prompt]
        try:
            index, start, end = certain.locate(
                proposal.part_starts, prompt.parts, proposal.edit.start, proposal.edit.end
            )
            part = prompt.parts[index]
            certain.check(part, start, end)
            if (proposal.prompt, index) not in mapped:
                mapped[(proposal.prompt, index)] = positions(part, text, lines, path)
            if mapped[(proposal.prompt, index)] is None:
                raise Refused("its text is not written in the file as it reads (escapes, a YAML scalar)")
            made.append((place(part, mapped[proposal.prompt, index], start, end, proposal.edit.replacement, text, path),
                         proposal.finding))  # fmt: skip
        except Refused as why:
            finding = proposal.finding
            notes.append(f"{finding.path}:{finding.line}:{finding.column} {finding.rule} not fixed: {why}")
    return _disjoint(made), notes


def _disjoint(pairs: list[tuple]) -> list[tuple]:
    """The edits in file order, each place once; an edit overlapping an earlier one waits for the next round."""
    kept: list[tuple] = []
    for edit, finding in sorted(pairs, key=lambda pair: pair[0]):
        if edit.written == edit.text and edit.end == edit.start:
            continue
        if kept and (edit == kept[-1][0] or edit.start < kept[-1][0].end):
            continue
        kept.append((edit, finding))
    return kept


def apply(text: str, edits: list[FileEdit]) -> str:
    """``text`` with the (sorted, disjoint) edits made."""
    out, position = [], 0
    for edit in edits:
        out += [text[position : edit.start], edit.written]
        position = edit.end
    return "".join(out) + text[position:]


def _verified(path: str, text: str, prompts: list, pairs: list[tuple], parse: Callable) -> tuple[list, str | None]:
    """The edits whose result verifies: all of them, else those that verify one by one (and why one did not)."""
    problem = _check(path, text, prompts, [edit for edit, _ in pairs], parse) if pairs else None
    if problem is None:
        return pairs, None
    kept: list[tuple] = []
    for pair in pairs:
        if _check(path, text, prompts, [edit for edit, _ in [*kept, pair]], parse) is None:
            kept.append(pair)
    return kept, problem


def _check(path: str, text: str, prompts: list, edits: list[FileEdit], parse: Callable) -> str | None:
    lines, wanted = Lines(text), []
    for prompt in prompts:
        texts = [verify.expected(part, positions(part, text, lines, path), edits) for part in prompt.parts]
        if any(t is None for t in texts):
            return f"{prompt.display}: an edit covers text the prompt reads in pieces"
        wanted.append(texts)
    return verify.problem(path, text, apply(text, edits), prompts, wanted, parse)


def _said(extra: list[Finding]) -> str:
    first = extra[0]
    more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
    return (f"{first.path}: not fixed: after the fix, audit would report {first.rule} at line {first.line}: "
            f"{first.message}{more}; fix it by hand")  # fmt: skip
