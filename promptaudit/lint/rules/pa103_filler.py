"""PA103 filler: boilerplate that changes no behaviour, such as generic virtues and lead-in phrases.

Two kinds, both listed in ``promptaudit/lint/data/filler.yaml``: whole sentences ("Always be helpful.",
"You are a helpful assistant.") that can be deleted, and lead-ins ("Please note that", "As an AI
language model,") that can be cut from the start of a sentence, leaving the instruction intact. A lead-in
is filler only where it ends: at a comma or colon, or at its own "that" or "to" ("Please note that ...",
"I want you to ..."). "As a language model in a chat interface, the assistant ..." keeps its premise, and
"As an AI ethics advisor, I ..." is a job title.
``tokens_saved`` counts the deleted sentence, or only the lead-in.

Fix: ``promptaudit fix`` cuts a lead-in of the bundled list when the rest reads as a sentence on its own (it
follows on the same line, starts with a letter and has at least three words), capitalising its first word
when the lead-in started the sentence with a capital ("Please note that you should ..." -> "You should ...").
Whole filler sentences and lead-ins from ``extra_phrases`` are reported, not fixed: deleting an instruction,
or cutting a phrase nobody measured, is a choice for the author.

Anti-pattern::

    Always be helpful. Always be professional.
    Please note that you should always be polite, even when the customer is angry.

Best practice::

    Be polite, even when the customer is angry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

from promptaudit.errors import ConfigError
from promptaudit.lint.findings import Edit, Problem
from promptaudit.lint.rules._edits import cut_lead_in
from promptaudit.reading.sentences import HEADING, shorten

ID = "PA103"
NAME = "filler"
CATEGORY = "redundancy"
SEVERITY = "warning"
OPTIONS: dict = {"extra_sentences": [], "extra_phrases": []}
FIX = "Delete the filler; it changes no behaviour."
SAVINGS_OVERLAP = True
FIXABLE = True


@functools.lru_cache(maxsize=8)
def patterns(extra_sentences: tuple[str, ...] = (), extra_phrases: tuple[str, ...] = ()) -> tuple:
    """Compiled ``(sentences, phrases)`` patterns from the data file plus any configured extras."""
    from promptaudit.reading.safeyaml import load_yaml

    data = load_yaml(resources.files("promptaudit.lint").joinpath("data/filler.yaml").read_text(encoding="utf-8"))
    sentences = [*data["sentences"], *(e for e in extra_sentences if e)]
    phrases = [*data["phrases"], *(e for e in extra_phrases if e)]
    try:
        whole = re.compile("|".join(f"(?:{p})" for p in sentences))
        alternatives = "|".join(f"(?:{p})" for p in phrases)
        lead = re.compile(rf"(?:{alternatives})(?:(?<=\bthat)\b|(?<=\bto)\b|\s*[,:])\s*", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"rules.options.PA103: a filler pattern is not a valid regular expression: {exc}") from None
    return whole, lead


def _lead_in(lead: re.Pattern, text: str) -> str | None:
    """The filler lead-in at the start of ``text`` as written, if any ("it's" folded to "it s")."""
    match = lead.match(text.replace("’", " ").replace("'", " "))
    return text[: match.end()] if match and match.end() < len(text) else None


def findings(ctx) -> list[tuple]:
    """``(sentence, removable_text, is_whole_sentence, edit)`` for every filler found; ``edit`` is the certain
    cut of a bundled lead-in (see the module docstring), else None."""
    whole, lead = patterns(tuple(ctx.options["extra_sentences"]), tuple(ctx.options["extra_phrases"]))
    _, bundled = patterns()
    found = []
    for sentence in ctx.sentences():
        if sentence.kind == HEADING:
            continue
        if whole.fullmatch(sentence.key):
            found.append((sentence, sentence.text, True, None))
        elif (phrase := _lead_in(lead, sentence.text)) is not None:
            found.append((sentence, phrase.rstrip(), False, _cut(ctx.text, sentence, phrase, bundled)))
    return found


def _cut(text: str, sentence, phrase: str, bundled: re.Pattern) -> Edit | None:
    """The cut of a lead-in that the bundled list names (a configured extra is reported, not fixed)."""
    if _lead_in(bundled, sentence.text) != phrase:
        return None
    return cut_lead_in(text, sentence.start, sentence.start + len(phrase), sentence.end)


def check(ctx) -> Iterator[Problem]:
    """Yield one problem per filler sentence or lead-in, saving exactly the removable text's tokens."""
    found = findings(ctx)
    counts = ctx.count([removable for _, removable, _, _ in found])
    for (sentence, removable, whole, edit), tokens in zip(found, counts):
        line, column = ctx.locate(sentence.start)
        end_line, end_column = ctx.locate(sentence.start + len(removable))
        extent = {"end_line": end_line, "end_column": end_column}
        if whole:
            yield Problem(line, column, f'filler sentence: "{shorten(removable)}"', tokens_saved=tokens, **extent)
        else:
            fix = f'Cut "{removable}" and start the sentence with what follows.'
            yield Problem(line, column, f'filler lead-in: "{removable}"', fix, tokens, edit=edit, **extent)
