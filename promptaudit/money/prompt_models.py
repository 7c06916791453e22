"""Which model each prompt is counted and priced at: the model its file or code call names, unless ``--model``.

A request file (an OpenAI chat or Responses request, an Anthropic Messages request, a config ``prompts:``
entry) and an SDK call in code (``model=``) name the model they are sent to; that is the model their tokens
and money are counted at. ``--model`` overrides every prompt (repeat it to compare models side by side);
prompts that name no model are counted at the config's ``models:``, else :data:`DEFAULT_MODEL`. Every
report marks which counts use the file's own model (:data:`FROM_FILE_MARK`), so a reader never mistakes a
default for what the file sends.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MODEL = "gpt-4o"
"""The model for prompts that name none when neither ``--model`` nor the config's ``models:`` gives one."""

FILE = "file"
OPTION = "--model"
CONFIG = "config"
DEFAULT = "default"
SOURCES = (FILE, OPTION, CONFIG, DEFAULT)
"""Where a prompt's model came from, as JSON and CSV give it (``model_from``)."""

FROM_FILE_MARK = "(from file)"
"""Shown beside a model that the prompt's own file or code call names."""


@dataclass(frozen=True)
class ModelChoice:
    """The models a command was asked for: ``--model`` (which overrides files), else config, else the default."""

    models: tuple[str, ...]
    source: str = DEFAULT

    @property
    def overrides(self) -> bool:
        """True when ``--model`` was given: every prompt is counted at it, whatever its file names."""
        return self.source == OPTION

    def for_prompt(self, prompt) -> tuple[str, ...]:
        """The models ``prompt`` is counted at: its own, else the chosen ones (all of them with ``--model``)."""
        if prompt.model and not self.overrides:
            return (prompt.model,)
        return self.models

    def source_for(self, prompt) -> str:
        """Where ``prompt``'s model comes from: ``file`` when it names one (and ``--model`` is not given)."""
        return FILE if prompt.model and not self.overrides else self.source

    def needed(self, prompts: list) -> list[str]:
        """Every model some prompt is counted at, in order of first use (the chosen ones first)."""
        own = not self.overrides and prompts and all(p.model for p in prompts)
        found = [] if own else list(self.models)
        found += [model for prompt in prompts for model in self.for_prompt(prompt)]
        return list(dict.fromkeys(found))


def choose(cli_models: list[str] | None, config) -> ModelChoice:
    """``--model`` (overrides each prompt's own model), else the config's ``models``, else :data:`DEFAULT_MODEL`."""
    if cli_models:
        return ModelChoice(tuple(dict.fromkeys(cli_models)), OPTION)
    if config.get("models"):
        return ModelChoice(tuple(dict.fromkeys(config.get("models"))), CONFIG)
    return ModelChoice((DEFAULT_MODEL,), DEFAULT)


@dataclass(frozen=True)
class Group:
    """The prompts counted at one model, and how many of them name it in their own file."""

    model: str
    indices: tuple[int, ...]
    """Positions of the prompts in the command's prompt list."""
    from_file: int = 0
    """How many of them name the model in their own file or code call."""
    source: str = DEFAULT
    """Where the model came from for the others (``--model``, ``config`` or ``default``)."""

    @property
    def label(self) -> str:
        """The model as tables show it: marked when every prompt (or how many) names it in its file."""
        if not self.from_file:
            return self.model
        if self.from_file == len(self.indices):
            return f"{self.model} {FROM_FILE_MARK}"
        return f"{self.model} (from file: {self.from_file} of {len(self.indices)})"

    @property
    def model_from(self) -> str:
        """``file`` when every prompt names the model, ``mixed`` when some do, else the choice's source."""
        if not self.from_file:
            return self.source
        return FILE if self.from_file == len(self.indices) else "mixed"


def groups(prompts: list, choice: ModelChoice) -> list[Group]:
    """One group per model some prompt is counted at, in order of first use."""
    members: dict[str, list[int]] = {model: [] for model in choice.needed(prompts)}
    named: dict[str, int] = dict.fromkeys(members, 0)
    for index, prompt in enumerate(prompts):
        for model in choice.for_prompt(prompt):
            members[model].append(index)
            named[model] += choice.source_for(prompt) == FILE
    return [Group(model, tuple(found), named[model], choice.source) for model, found in members.items() if found]


def partitions(prompts: list, choice: ModelChoice) -> bool:
    """True when every prompt is counted at exactly one model: the groups' bills then add up to one total."""
    return all(len(choice.for_prompt(prompt)) == 1 for prompt in prompts)
