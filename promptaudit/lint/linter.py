"""The lint engine: choose rules (select/ignore by ID prefix or name), apply config, run, collect findings.

``lint(prompts, settings)`` is the one entry point that ``audit``, ``check`` and ``project`` share.
Build settings with :func:`settings_from`, which validates the ``rules:`` config key
(unknown rule IDs, option names and wrong types are errors naming the key and the file).
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

from promptaudit.config import Config
from promptaudit.errors import ConfigError, UsageError
from promptaudit.lint.findings import SEVERITIES, Finding, Problem
from promptaudit.money import volume as volumes
from promptaudit.money.prompt_models import DEFAULT_MODEL
from promptaudit.reading.prompts import Prompt
from promptaudit.reading.sentences import Sentence

PART_SEPARATOR = "\n\n"  # parts never share a sentence
RULES_KEYS = ("select", "ignore", "severity", "options")


@dataclass(frozen=True)
class LintSettings:
    """Everything a lint run needs besides the prompts; build it with :func:`settings_from`."""

    model: str = DEFAULT_MODEL
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_tokens: int | None = None
    volume: volumes.Volume | None = None
    config: Config = field(default_factory=Config)
    own_models: bool = True
    """True when each prompt is judged at the model its file or SDK call names (no ``--model`` given);
    :attr:`model` is then the model of prompts that name none (money.prompt_models). False: all at :attr:`model`."""
    volumes: dict[str, volumes.Volume] | None = None
    """Each prompt's volume by its display name, when the command resolved them (money.traffic)."""
    model_source: str = "default"
    """Where :attr:`model` came from (``--model``, ``config`` or ``default``; money.prompt_models)."""

    def volume_for(self, path: str) -> volumes.Volume | None:
        """Requests per day for a prompt: the command line, else the config (per glob, then default)."""
        return self.volume or volumes.from_config(path, self.config)

    def volume_of(self, prompt: Prompt) -> volumes.Volume | None:
        """A prompt's volume: the one the command resolved for it, else :meth:`volume_for` its path."""
        if self.volumes is not None and prompt.display in self.volumes:
            return self.volumes[prompt.display]
        return self.volume_for(prompt.path)

    def model_for(self, prompt: Prompt) -> str:
        """The model a prompt is judged at: its own with :attr:`own_models` (when a price and a tokenizer know
        it; commands that show money report an unknown one first), else :attr:`model`."""
        return prompt.model if self.own_models and prompt.model and _known(prompt.model) else self.model


def _known(model: str) -> bool:
    """Whether ``model`` has a price and a tokenizer (an unknown one is counted at the default, as diff does)."""
    from promptaudit.errors import UnknownModelError
    from promptaudit.money import pricing
    from promptaudit.tokens.tokenizers import tokenizer_for

    try:
        pricing.price_for(model)
        tokenizer_for(model)
    except UnknownModelError:
        return False
    return True


def _registry():
    from promptaudit.lint.rules import RULE_MODULES, by_name_or_id

    return RULE_MODULES, by_name_or_id


def resolve_selector(key: str, where: str) -> list[str]:
    """Rule IDs matched by a selector: an ID prefix (``PA1``, ``PA101``) or a rule name."""
    modules, by_name_or_id = _registry()
    named = by_name_or_id(key)
    if named is not None:
        return [named.ID]
    matched = [m.ID for m in modules if m.ID.startswith(key.strip().upper())] if key.strip() else []
    if not matched:
        raise (ConfigError if where.endswith(("yaml", "toml")) else UsageError)(
            f"{where}: unknown rule {key!r} (known: {', '.join(m.ID for m in modules)})"
        )
    return matched


def _rule_id(key: str, where: str) -> str:
    _, by_name_or_id = _registry()
    module = by_name_or_id(key)
    if module is None:
        raise ConfigError(f"{where}: unknown rule {key!r}")
    return module.ID


def _check_options(rule_id: str, given: Any, where: str) -> dict[str, Any]:
    from promptaudit.lint.rules import RULES

    if not isinstance(given, dict):
        raise ConfigError(f"{where}: rules.options.{rule_id} must be a mapping of option -> value")
    defaults = RULES[rule_id].OPTIONS
    for name, value in given.items():
        if name not in defaults:
            known = ", ".join(defaults) or "none"
            raise ConfigError(f"{where}: unknown option {name!r} for {rule_id} (known: {known})")
        if not _same_type(defaults[name], value):
            raise ConfigError(f"{where}: rules.options.{rule_id}.{name} must be {type(defaults[name]).__name__}")
    return dict(given)


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _rules_config(config: Config) -> dict[str, Any]:
    """Validate the ``rules:`` mapping and return it with rule IDs resolved."""
    where, raw = str(config.path), config.get("rules") or {}
    for key in raw:
        if key not in RULES_KEYS:
            raise ConfigError(f"{where}: unknown key 'rules.{key}' (known: {', '.join(RULES_KEYS)})")
    for key in ("select", "ignore"):
        if not isinstance(raw.get(key, []), list) or not all(isinstance(v, str) for v in raw.get(key, [])):
            raise ConfigError(f"{where}: key 'rules.{key}' must be a list of rule IDs or prefixes")
        for selector in raw.get(key, []):
            resolve_selector(selector, where)
    severity = {_rule_id(k, where): v for k, v in _mapping(raw, "severity", where).items()}
    for rule_id, value in severity.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}: rules.severity.{rule_id} must be one of {', '.join(SEVERITIES)}")
    options = {_rule_id(k, where): v for k, v in _mapping(raw, "options", where).items()}
    options = {rule_id: _check_options(rule_id, v, where) for rule_id, v in options.items()}
    return {"select": raw.get("select", []), "ignore": raw.get("ignore", []), "severity": severity, "options": options}


def _mapping(raw: dict, key: str, where: str) -> dict:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: key 'rules.{key}' must be a mapping of rule ID -> value")
    return value


def settings_from(
    config: Config,
    *,
    model: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    max_tokens: int | None = None,
    volume: volumes.Volume | None = None,
    own_models: bool = True,
) -> LintSettings:
    """Combine bundled defaults, the validated config and command-line overrides into LintSettings.

    With ``own_models`` (the default) each prompt is judged at the model its file names (``model`` is for the
    others); without it (``--model`` given) every prompt is judged at ``model``.
    """
    rules = _rules_config(config)
    for selector in [*(select or []), *(ignore or [])]:
        resolve_selector(selector, "--select/--ignore")
    return LintSettings(
        model=model or (config.get("models") or [DEFAULT_MODEL])[0],
        select=tuple(select or rules["select"]),
        ignore=tuple([*rules["ignore"], *(ignore or [])]),
        severity=rules["severity"],
        options=rules["options"],
        max_tokens=max_tokens,
        volume=volume,
        config=config,
        own_models=own_models,
    )


def active_rules(settings: LintSettings) -> list[ModuleType]:
    """The rules to run: the selected ones (all when nothing is selected) minus the ignored ones."""
    modules, _ = _registry()
    chosen = {i for s in settings.select for i in resolve_selector(s, "select")} if settings.select else None
    ignored = {i for s in settings.ignore for i in resolve_selector(s, "ignore")}
    return [m for m in modules if (chosen is None or m.ID in chosen) and m.ID not in ignored]


class RuleContext:
    """What a rule sees for one prompt; shared facts (sentences, line index) are computed once."""

    def __init__(self, prompt: Prompt, settings: LintSettings, total_tokens: int):
        self.prompt = prompt
        self.model = settings.model_for(prompt)
        self.settings = settings
        self.total_tokens = total_tokens
        self.options: dict[str, Any] = {}
        self.text = PART_SEPARATOR.join(part.text for part in prompt.parts)
        self._part_starts = _part_starts(prompt, len(PART_SEPARATOR))
        self._files: dict[tuple[int, int], str] = {}

    @property
    def part_starts(self) -> tuple[int, ...]:
        """Where each part starts in :attr:`text` (parts are joined with :data:`PART_SEPARATOR`)."""
        return tuple(self._part_starts)

    @property
    def anchor(self) -> tuple[int, int]:
        """Where a finding about the whole prompt points: the call or constant in code, else line 1."""
        origin = self.prompt.origin
        return (origin.line, origin.column) if origin is not None else (1, 1)

    def path_of(self, problem: Problem) -> str:
        """Where a problem is reported: the prompt, or the other module whose text a prompt in code sends."""
        other = self._files.get((problem.line, problem.column))
        if self.prompt.origin is None or other is None or os.path.abspath(other) == os.path.abspath(self.prompt.path):
            return self.prompt.display
        return other

    @functools.cached_property
    def budget(self):
        """The prompt's token budget, resolved by :func:`promptaudit.gate.budgets.budget_for` as ``check`` does."""
        from promptaudit.gate.budgets import budget_for

        return budget_for(self.prompt.path, self.settings.config, self.settings.max_tokens)

    @functools.cached_property
    def volume(self) -> volumes.Volume | None:
        return self.settings.volume_of(self.prompt)

    @functools.cached_property
    def price(self):
        from promptaudit.money import pricing

        return pricing.price_for(self.model)

    @functools.cache  # noqa: B019 - one context per prompt, dropped after the run
    def sentences(self) -> list[Sentence]:
        """Sentences of the whole prompt (Markdown-aware, code fences skipped)."""
        from promptaudit.reading.sentences import split

        return split(self.text)

    @functools.cache  # noqa: B019 - one context per prompt, dropped after the run
    def segments(self) -> list:
        """Template segments of every part (each in its own syntax), with offsets into :attr:`text`."""
        return [
            replace(segment, start=segment.start + start)
            for part, start in zip(self.prompt.parts, self._part_starts)
            for segment in part.segments()
        ]

    def part_at(self, offset: int):
        """The part of the prompt that holds an offset into :attr:`text` (None between parts)."""
        index = bisect.bisect_right(self._part_starts, offset) - 1
        part = self.prompt.parts[index] if index >= 0 else None
        return part if part is not None and offset <= self._part_starts[index] + len(part.text) else None

    @functools.cached_property
    def _newlines(self) -> list[int]:
        return [match.start() for match in re.finditer("\n", self.text)]

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` in the original file of an offset into :attr:`text`."""
        part = bisect.bisect_right(self._part_starts, offset) - 1
        part_start = self._part_starts[part]
        source = self.prompt.parts[part].locator
        if source is not None:  # text read from code knows where each of its characters is written
            path, line, column = source.locate(offset - part_start)
            self._files[(line, column)] = path
            return line, column
        newlines = self._newlines
        first = bisect.bisect_left(newlines, part_start)
        index = bisect.bisect_left(newlines, offset)
        line_start = newlines[index - 1] + 1 if index > first else part_start
        return self.prompt.parts[part].line + index - first, offset - line_start + 1

    def count(self, texts: list[str]) -> list[int]:
        """Token counts of ``texts`` for the target model, in one batch (estimates for non-OpenAI models)."""
        from promptaudit.tokens import tokenizers as tokens

        return [c.tokens for c in tokens.count_texts(list(texts), self.model)] if texts else []


def _part_starts(prompt: Prompt, gap: int) -> list[int]:
    starts, offset = [], 0
    for part in prompt.parts:
        starts.append(offset)
        offset += len(part.text) + gap
    return starts


def _finding(module: ModuleType, problem: Problem, path: str, settings: LintSettings) -> Finding:
    severity = settings.severity.get(module.ID) or problem.severity or module.SEVERITY
    fix = problem.fix or getattr(module, "FIX", "")
    saved = problem.tokens_saved if severity != "info" else 0  # info findings never add savings
    return Finding(
        module.ID,
        module.NAME,
        module.CATEGORY,
        severity,
        path,
        problem.line,
        problem.column,
        problem.message,
        fix,
        saved,
        problem.end_line,
        problem.end_column,
    )


def lint(prompts: list[Prompt], settings: LintSettings, observe=None) -> list[Finding]:
    """Run the active rules over every prompt; findings sorted by path, line, column and rule.

    ``observe(ctx, rule, problems)``, when given, sees every rule's problems on every prompt before they are
    capped and stamped (``fix`` collects their edits there, so one run gives both)."""
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for ctx, module, problems in checked(prompts, settings, active_rules(settings)):
        if observe is not None:
            observe(ctx, module, problems)
        found = [_finding(module, p, ctx.path_of(p), settings) for p in _capped(module, problems)]
        findings.extend(_once(found, seen) if ctx.prompt.origin is not None else found)
    return _without_double_savings(sorted(findings, key=lambda f: f.sort_key))


def checked(prompts: list[Prompt], settings: LintSettings, rules: list[ModuleType]):
    """``(context, rule, problems)`` for every prompt and rule, in order: what :func:`lint` stamps into findings
    (and what ``fix`` reads the edits from, uncapped). Each context has the rule's options set when yielded."""
    totals = totals_at_own_models(prompts, settings)
    for prompt, total in zip(prompts, totals):
        ctx = RuleContext(prompt, settings, total.tokens)
        for module in rules:
            ctx.options = {**module.OPTIONS, **settings.options.get(module.ID, {})}
            yield ctx, module, list(module.check(ctx))


def finding_of(module: ModuleType, problem: Problem, ctx: RuleContext) -> Finding:
    """The finding a problem of ``module`` becomes in ``ctx`` (severity from config, then problem, then rule)."""
    return _finding(module, problem, ctx.path_of(problem), ctx.settings)


def totals_at_own_models(prompts: list[Prompt], settings: LintSettings) -> list:
    """Each prompt's token count at :meth:`LintSettings.model_for` (one batch per model)."""
    from promptaudit.tokens.counting import prompt_tokens

    found: dict[int, object] = {}
    for model in dict.fromkeys(settings.model_for(p) for p in prompts):
        members = [i for i, p in enumerate(prompts) if settings.model_for(p) == model]
        found.update(zip(members, prompt_tokens([prompts[i] for i in members], model)))
    return [found[i] for i in range(len(prompts))]


def _once(findings: list[Finding], seen: set[tuple]) -> list[Finding]:
    """Findings in code not yet reported at their place: a constant two calls send is one problem, not two."""
    kept = [f for f in findings if _place(f) not in seen]
    seen.update(_place(f) for f in kept)
    return kept


def _place(finding: Finding) -> tuple:
    return finding.rule, finding.path.split("#", 1)[0], finding.line, finding.column


MAX_FINDINGS_PER_RULE = 200
"""Per rule and prompt: a 50 MB file of repeats would otherwise print a million findings (and take minutes)."""


def _capped(module, problems: list[Problem]) -> list[Problem]:
    """The first MAX_FINDINGS_PER_RULE problems, then one that stands for the rest and carries their savings."""
    if len(problems) <= MAX_FINDINGS_PER_RULE:
        return problems
    rest = problems[MAX_FINDINGS_PER_RULE:]
    summary = Problem(
        rest[0].line,
        rest[0].column,
        f"and {len(rest):,} more {module.NAME} findings in this prompt from here on, not listed one by one "
        "(their savings are counted here)",
        tokens_saved=sum(p.tokens_saved for p in rest),
        severity=rest[0].severity,
    )
    return [*problems[:MAX_FINDINGS_PER_RULE], summary]


def overlapping(rule_id: str) -> bool:
    """Whether a rule's savings are text deleted at its span (its ``SAVINGS_OVERLAP`` attribute)."""
    from promptaudit.lint.rules import RULES

    return bool(getattr(RULES.get(rule_id), "SAVINGS_OVERLAP", False))


def removable_tokens(findings: list[Finding]) -> dict[str, int]:
    """Per reported path, the tokens a trim removes: savings of ``SAVINGS_OVERLAP`` rules (warning or above,
    as info findings carry none). ``project``'s and ``report``'s trimming lever use this."""
    removable: dict[str, int] = {}
    for finding in findings:
        if overlapping(finding.rule):
            removable[finding.path] = removable.get(finding.path, 0) + finding.tokens_saved
    return removable


def _without_double_savings(findings: list[Finding]) -> list[Finding]:
    """Findings of ``SAVINGS_OVERLAP`` rules at one place remove overlapping text: only the largest keeps
    its saving (a filler lead-in inside a restated sentence is deleted with the sentence). This keeps the
    sum of ``tokens_saved`` honest for reports and for the trimming lever.
    """
    best: dict[tuple, Finding] = {}
    for f in findings:
        if overlapping(f.rule):
            key = (f.path, f.line, f.column)
            if key not in best or f.tokens_saved > best[key].tokens_saved:
                best[key] = f
    return [
        f if not overlapping(f.rule) or best[(f.path, f.line, f.column)] is f else replace(f, tokens_saved=0)
        for f in findings
    ]
