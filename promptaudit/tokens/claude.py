"""Claude counts: reconstructed offline with ctok (Python >= 3.12), else estimated per script.

Anthropic publishes no tokenizer for Claude 3 and later. The ``ctok`` package reconstructs its counts
offline (reported exact against Anthropic's ``count_tokens`` on about 960,000 texts); it declares Python
>= 3.12, so it is a dependency only there. Every Claude model maps to one of ctok's tokenizer families
(``data/claude_families.yaml``, a source next to each entry):

* ``v3``: Claude 3 through Opus 4.6;  ``v4.7``: Opus 4.7;  ``v4.8``: Opus 4.8, Sonnet 5, Fable 5, Mythos 5 and later.

ctok's ``token_count`` prices the text as one user message: a fixed frame of ``<pad>`` tokens (v3 7,
v4.7 11, v4.8 6) plus the content. promptaudit counts the content only (``token_count - frame``, what
ctok's own CLI prints as "content") and adds its own documented framing for structured requests (see
:mod:`promptaudit.tokens.counting`). A count made this way is ``reconstructed``: neither exact (it is not
Anthropic's tokenizer) nor a scaled guess. Without ctok the same families are estimated by
:mod:`promptaudit.tokens.claude_estimate` and labelled estimates.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from importlib import resources

from promptaudit.tokens import expiry

COUNTER_PREFIX = "claude-"
ESTIMATE_SUFFIX = "~estimate"
MIN_PYTHON = (3, 12)
HOW_TO_RECONSTRUCT = (
    "Claude counts are estimates here; for reconstructed counts (ctok, offline) run promptaudit on Python "
    "3.12 or later, where the ctok dependency installs automatically"
    if sys.version_info < MIN_PYTHON
    else "Claude counts are estimates here: ctok is not installed; pip install 'ctok>=1.3,<2' for reconstructed counts"
)


@dataclass(frozen=True)
class Family:
    """One Claude tokenizer family and whether this model's counts can be reconstructed."""

    name: str
    ctok_version: str
    reconstructable: bool
    source: str

    @property
    def counter(self) -> str:
        """The count-cache and dispatch key: family plus method (and ctok's version when reconstructed)."""
        if self.reconstructable and ctok_version() is not None:
            return f"{COUNTER_PREFIX}{self.name}@ctok{ctok_version()}"
        return f"{COUNTER_PREFIX}{self.name}{ESTIMATE_SUFFIX}"


@functools.lru_cache(maxsize=1)
def _families() -> dict:
    import yaml

    path = resources.files("promptaudit.tokens").joinpath("data/claude_families.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def normal_name(model: str) -> str:
    """The model name as the family rules read it: lower case, ``.`` read as ``-`` (claude-3.5-sonnet)."""
    return model.strip().lower().replace(".", "-")


@functools.cache
def family_for(model: str) -> Family | None:
    """The tokenizer family of a Claude model name, or None when the name is not a Claude model."""
    data, name = _families(), normal_name(model)
    for rule in data["models"]:
        if name.startswith(rule["prefix"]):
            family = rule["family"]
            version = data["families"][family]["ctok_version"]
            return Family(family, version, rule.get("reconstructed", True), rule["source"])
    return None


@functools.lru_cache(maxsize=1)
def ctok_version() -> str | None:
    """The installed ctok's version, or None when ctok cannot be used (Python < 3.12 or not installed)."""
    if sys.version_info < MIN_PYTHON:
        return None
    try:
        from importlib.metadata import version

        import ctok  # noqa: F401

        return version("ctok")
    except Exception:  # noqa: BLE001 - a broken optional install means "estimate", never a crash
        return None


def handles(counter: str) -> bool:
    """Whether ``counter`` (a Tokenizer's encoding key) is one of this module's Claude counters."""
    return counter.startswith(COUNTER_PREFIX)


def is_estimate(counter: str) -> bool:
    """Whether ``counter`` estimates (no ctok) rather than reconstructs."""
    return counter.endswith(ESTIMATE_SUFFIX)


def family_of(counter: str) -> str:
    """The family name inside a counter key (``claude-v4.8@ctok1.3.0`` -> ``v4.8``)."""
    body = counter[len(COUNTER_PREFIX) :]
    return body.split("@")[0].removesuffix(ESTIMATE_SUFFIX)


def ctok_frame(family: str) -> int:
    """The frame as the installed ctok builds it: the leading ``<pad>`` tokens of an empty message."""
    import ctok

    padding = ctok.tokenize("", _families()["families"][family]["ctok_version"])
    return next((i for i, token in enumerate(padding) if token != "⟨pad⟩"), len(padding))


def frame_tokens(family: str) -> int:
    """ctok's single-message frame for ``family`` (data file; a test checks it against ctok itself)."""
    return int(_families()["families"][family]["frame"])


def request_frame(counter: str) -> int:
    """The frame a request pays once, for a counter key."""
    return frame_tokens(family_of(counter))


def content_counts(texts: list[str], family: str) -> list[int]:
    """ctok's content tokens of each text: its single-message count minus the family's frame."""
    import ctok

    version, frame = _families()["families"][family]["ctok_version"], frame_tokens(family)
    return [ctok.token_count(text, version) - frame for text in texts]


def count(texts: list[str], counter: str) -> list[int]:
    """Claude content tokens of ``texts`` with ``counter``: reconstructed with ctok, or estimated."""
    family = family_of(counter)
    if is_estimate(counter):
        from promptaudit.tokens import claude_estimate

        return claude_estimate.estimate_counts(texts, family)
    return content_counts(texts, family)


def label(counter: str) -> str:
    """How reports name the counter: ``claude-v3 (reconstructed, ctok 1.3.0)`` or ``estimate(claude-v3 by script)``."""
    family = family_of(counter)
    if is_estimate(counter):
        return f"estimate(claude-{family} by script)"
    return f"claude-{family} (reconstructed, ctok {counter.split('@ctok')[1]})"


NOTICES = "notices.json"


def reconstruct_hint(models: list[str]) -> str | None:
    """How to get reconstructed counts, said once per user cache: when a Claude model that ctok could
    reconstruct is estimated here because ctok cannot be used (Python < 3.12)."""
    families = [family_for(m) for m in models]
    if ctok_version() is not None or not any(f is not None and f.reconstructable for f in families):
        return None
    from promptaudit.tokens import cache

    seen = cache.read_json(NOTICES) or {}
    if not isinstance(seen, dict) or seen.get("ctok"):
        return None
    cache.write_json(NOTICES, {**seen, "ctok": True})
    expiry.note(0.0)  # said once: a run that says it is never replayed
    return HOW_TO_RECONSTRUCT
