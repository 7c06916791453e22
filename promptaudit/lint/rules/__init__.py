"""The rule registry. Every rule is one module here, listed explicitly in :data:`RULE_MODULES`.

The rule protocol (what a module must define)
---------------------------------------------
``ID``
    Stable code such as ``"PA101"``; never reused. The first digit after ``PA`` is the family.
``NAME``
    Readable kebab-case name (``"duplicate-sentence"``); config and output may use either.
``CATEGORY``
    One of :data:`promptaudit.lint.findings.CATEGORIES` (``input``, ``redundancy``, ``caching``, ``size``, ``output``, ...).
``SEVERITY``
    Default severity: ``info``, ``warning`` or ``error``; config may override it.
``OPTIONS``
    Dict of option name -> default value. Config values must have the default's type.
``SAVINGS_OVERLAP`` (optional, default False)
    True when ``tokens_saved`` is text the fix deletes at the finding's span (PA101, PA102, PA103, ...).
    Such findings can overlap (a filler lead-in inside a restated sentence is deleted with it): at one
    place only the largest keeps its saving, and the trimming lever of ``project``/``report`` sums only
    these rules' savings. Rules whose fix moves text or changes settings (caching, output caps) leave it False.
``FIX``
    The hint every finding of the rule shows (a problem may give its own), fixable or not.
``FIXABLE`` (optional, default False)
    True when ``promptaudit fix`` may apply the rule's edits: ``check()`` then attaches an
    :class:`~promptaudit.lint.findings.Edit` to each problem whose fix is certain (``Problem.edit``; the
    others stay report-only), replacing text at offsets of ``ctx.text``. A rule declares it only when the
    findings that carry an edit are right at least 95% of the time on the real-prompt corpus, judged on at
    least 20 of them (``tests/lint/test_fix_precision.py`` recomputes it from the committed labels), and only
    for changes that keep every instruction: a repeat removed, a lead-in cut, JSON compacted, whitespace
    trimmed. Restatements (PA102) and caching layout (PA201, PA202) are never fixable: they need a judgement
    of meaning or a move of text. The module docstring says what the fix does. The fix command refuses any
    edit that touches a template variable or tag, lies inside a template control block (``{% if %}`` ...
    ``{% endif %}``, ``{{#section}}``), crosses from one part to another, or cannot be mapped to the file
    exactly (a JSON string's escapes, a YAML ``|`` block, a plain Python string literal), and verifies every
    edited file by parsing it again.
Savings and severity
    A finding at ``info`` (a recap, a config-lowered rule) never adds savings: the engine reports it with
    ``tokens_saved`` 0, so audit's removable tokens, the per-file savings and the trimming lever count only
    findings at warning or above.
Spans
    Every problem that flags text gives its exact extent (``line``/``column`` to ``end_line``/``end_column``,
    the end exclusive), located in the original file (a JSON string's escapes and a YAML block's indentation
    included), so a fix can edit exactly that text. PA101's repeated block spans exactly the later copy.
Module docstring
    The rule's user documentation, with an ``Anti-pattern`` and a ``Best practice`` section
    (a test enforces both).
``check(ctx)``
    A generator of :class:`promptaudit.lint.findings.Problem` for one prompt. ``ctx`` is a
    :class:`promptaudit.lint.linter.RuleContext`: ``ctx.prompt``, ``ctx.model``, ``ctx.options`` (this
    rule's options, defaults merged), ``ctx.text`` (all parts joined), ``ctx.sentences()``,
    ``ctx.locate(offset)`` -> ``(line, column)`` in the original file, ``ctx.count(texts)`` -> token
    counts for the target model (batch your texts into one call), ``ctx.total_tokens``,
    ``ctx.budget``, ``ctx.volume``, ``ctx.price``, ``ctx.segments()`` (template segments with offsets into
    ``ctx.text``) and ``ctx.part_at(offset)``.

To add a rule: write ``promptaudit/lint/rules/paNNN_name.py``, add it to the imports and to
``RULE_MODULES`` below, and add golden cases in ``tests/lint/rules/paNNN_name.yaml``.
"""

from __future__ import annotations

from types import ModuleType

from promptaudit.lint.rules import (
    pa001_not_a_prompt_document,
    pa101_duplicate_sentence,
    pa102_restated_instruction,
    pa103_filler,
    pa104_repeated_variable,
    pa105_pretty_json,
    pa106_virtue_filler,
    pa107_excess_whitespace,
    pa201_cache_prefix_too_short,
    pa202_dynamic_before_static,
    pa301_over_budget,
    pa401_no_output_cap,
    pa501_cheap_task_on_expensive_model,
    pa601_batch_candidate,
)

RULE_MODULES: tuple[ModuleType, ...] = (
    pa001_not_a_prompt_document,
    pa101_duplicate_sentence,
    pa102_restated_instruction,
    pa103_filler,
    pa104_repeated_variable,
    pa105_pretty_json,
    pa106_virtue_filler,
    pa107_excess_whitespace,
    pa201_cache_prefix_too_short,
    pa202_dynamic_before_static,
    pa301_over_budget,
    pa401_no_output_cap,
    pa501_cheap_task_on_expensive_model,
    pa601_batch_candidate,
)

RULES: dict[str, ModuleType] = {module.ID: module for module in RULE_MODULES}
"""Rule ID -> module, in ID order."""


def by_name_or_id(key: str) -> ModuleType | None:
    """The rule whose ID (``PA101``) or name (``duplicate-sentence``) is ``key``, else None."""
    upper = key.strip().upper()
    if upper in RULES:
        return RULES[upper]
    return next((m for m in RULE_MODULES if m.NAME == key.strip().lower()), None)
