"""The derived price index: each model's price schedule, resolved from genai-prices once and kept in the user cache.

genai-prices is imported only when a model is neither in the index (keyed by the installed snapshot's file
fingerprint, not by today's date: a schedule holds every period, so it never goes stale as the clock moves) nor
in the seed shipped with the package for exactly the installed genai-prices (:mod:`.price_seed`), so a cold
run with an empty cache prices the usual models without importing it. The index is written after the
command's output (:mod:`promptaudit.tokens.deferred`).
Entries are validated on read: a price that is not a finite, non-negative decimal, a wrong type or a wrong shape
makes the entry a miss; it is then resolved again and the index rewritten atomically.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from dataclasses import dataclass
from decimal import InvalidOperation

from promptaudit.errors import PromptauditError
from promptaudit.money import price_seed
from promptaudit.money import schedule as schedules
from promptaudit.tokens import cache, deferred

INDEX_FILE = "prices-v3.json"  # v3: context windows found under other providers' entries (issue 20)


@dataclass(frozen=True)
class Entry:
    """What the index knows about one model name: the genai-prices row it matched and its schedule."""

    price_id: str
    provider: str
    context_window: int | None
    schedule: schedules.Schedule

    def to_json(self) -> dict:
        return {
            "price_id": self.price_id,
            "provider": self.provider,
            "context_window": self.context_window,
            "schedule": schedules.to_json(self.schedule),
        }

    @classmethod
    def from_json(cls, data: object) -> Entry:
        """Raises ValueError (or ArithmeticError) for anything but a well-formed entry."""
        if not isinstance(data, dict):
            raise ValueError("entry is not an object")
        price_id, provider, window = data.get("price_id"), data.get("provider"), data.get("context_window")
        if not isinstance(price_id, str) or not isinstance(provider, str):
            raise ValueError("price_id and provider must be strings")
        if window is not None and (type(window) is not int or window <= 0):
            raise ValueError("context_window must be a positive integer")
        return cls(price_id, provider, window, schedules.from_json(data.get("schedule")))


def _snapshot_fingerprint() -> str | None:
    """Identify the installed genai-prices data file without importing it (stat only)."""
    spec = importlib.util.find_spec("genai_prices")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "data.py")
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


class PriceIndex:
    """Resolved entries per model reference, persisted in the user cache between runs."""

    def __init__(self) -> None:
        self.fingerprint = _snapshot_fingerprint()
        stored = cache.read_json(INDEX_FILE) or {}
        fresh = stored.get("fingerprint") == self.fingerprint and isinstance(stored.get("models"), dict)
        self.models: dict[str, object] = stored["models"] if fresh else {}
        meta = stored.get("meta") if fresh else None
        self.meta: dict | None = meta if _valid_meta(meta) else None
        self._checked: dict[str, Entry] = {}
        self.priced: dict[str, object] = {}  # pricing's PricedModel per model name, for this process
        version = stored.get("version") if fresh else None
        self.version: str | None = version if isinstance(version, str) else None
        self.dirty = False
        if self.meta is None or self.version is None:  # a cold cache: the seed knows both
            self._from_seed()

    def _from_seed(self) -> None:
        seed = price_seed.load()
        if seed is not None:
            self.meta = self.meta or (seed.get("meta") if _valid_meta(seed.get("meta")) else None)
            self.version = self.version or seed["version"]

    def entry(self, key: str) -> Entry | None:
        """A validated entry, or None when absent or damaged (the caller resolves it again).

        Each entry is validated once per process; later lookups of the same model reuse it."""
        if key in self._checked:
            return self._checked[key]
        entry = _checked_entry(self.models.get(key))
        if entry is None:
            seed = price_seed.load()
            entry = _checked_entry(seed["models"].get(key)) if seed is not None else None
            if entry is not None:
                self.store(key, entry)
        if entry is not None:
            self._checked[key] = entry
        return entry

    def store(self, key: str, entry: Entry) -> None:
        self.models[key] = entry.to_json()
        self._checked[key] = entry
        self.dirty = True
        self.save()

    def save(self) -> None:
        """Write the index if it changed: after the command's output when run from the console."""
        if self.dirty:
            deferred.later(INDEX_FILE, self._write)

    def _write(self) -> None:
        if self.dirty:
            data = {"fingerprint": self.fingerprint, "version": self.version, "models": self.models, "meta": self.meta}
            cache.write_json(INDEX_FILE, data)
            self.dirty = False


def _checked_entry(data: object) -> Entry | None:
    """The entry ``data`` holds, or None when absent or damaged (a miss)."""
    if data is None:
        return None
    try:
        return Entry.from_json(data)
    except (ValueError, TypeError, ArithmeticError, InvalidOperation):
        return None


def _valid_meta(meta: object) -> bool:
    return isinstance(meta, dict) and all(isinstance(meta.get(k), str) for k in ("source", "as_of", "as_of_basis"))


@functools.lru_cache(maxsize=1)
def index() -> PriceIndex:
    return PriceIndex()


@functools.lru_cache(maxsize=1)
def snapshot():
    """genai-prices' bundled data (imported on first use only)."""
    try:
        from genai_prices import data_snapshot
    except ImportError as exc:  # pragma: no cover - a broken install
        raise PromptauditError("the price source genai-prices is not installed; reinstall promptaudit") from exc
    return data_snapshot.get_snapshot()


def genai_prices_version() -> str:
    """The installed genai-prices version: kept in the index, else read from its package metadata (which
    costs ~20 ms, so it is read once per installed snapshot, not once per run)."""
    found = index()
    if found.version is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found.version = version("genai-prices")
        except PackageNotFoundError:  # pragma: no cover - a broken install
            found.version = "unknown"
        found.dirty = True
        found.save()
    return found.version


def find_model(model: str):
    """genai-prices' (provider, model) for ``model``; a fine-tuned ``ft:BASE:org:suffix:id`` falls back to
    ``ft:BASE``. Raises LookupError.

    genai-prices matches dated fine-tune names (``ft:gpt-4o-mini-2024-07-18:...``) itself; the fallback
    covers names given without the date, priced by the fine-tuning row of the same base model.
    """
    data = snapshot()
    try:
        return data.find_provider_model(model, None, None, None)
    except LookupError:
        if not model.startswith("ft:") or model.count(":") < 2:
            raise
    try:  # fine-tunes are OpenAI's; its rows match dated names such as ft:gpt-4o-mini-2024-07-18:...
        return data.find_provider_model(model, None, "openai", None)
    except LookupError:
        pass
    wanted = "ft:" + re.sub(r"-\d{4}-\d{2}-\d{2}$", "", model.split(":")[1])
    for provider in data.providers:
        for info in provider.models:
            if info.id == wanted:
                return provider, info
    raise LookupError(model)


def resolve(model: str) -> Entry:
    """The entry for ``model`` from genai-prices itself (raises LookupError for an unknown model)."""
    from promptaudit.money.context_windows import context_window

    provider, info = find_model(model)
    window = info.context_window or context_window(snapshot(), info.id)
    return Entry(info.id, provider.id, window, schedules.build(info, provider))


_CHECKED = re.compile(r"\b(?:verified|checked)\b[^.]*?\b(20\d\d-\d\d-\d\d)\b", re.IGNORECASE)


def source_meta() -> dict:
    """Name the snapshot and date it by a fact of the snapshot, not of the clock: the newest date its own
    notes cite as the day a price was verified or checked."""
    notes = [text for p in snapshot().providers for text in _notes(p)]
    dates = [found for text in notes for found in _CHECKED.findall(text)]
    return {
        "source": f"genai-prices {genai_prices_version()} (bundled snapshot)",
        "as_of": max(dates) if dates else "unknown",
        "as_of_basis": "newest date the snapshot's notes cite as verified or checked",
    }


def _notes(provider) -> list[str]:
    return [provider.price_comments or ""] + [m.price_comments or "" for m in provider.models]
