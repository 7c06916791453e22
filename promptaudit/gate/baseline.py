"""The baseline file: token counts recorded per prompt, so a team can adopt ``check`` without fixing old prompts.

A prompt recorded in the baseline fails its budget only when it grows past its recorded count. The file
is JSON (``.promptaudit-baseline.json`` next to the config file by default), keyed by the prompt's path
relative to the baseline's own folder, so it reads the same from any working directory. It is written by
the one safe writer (:func:`promptaudit.reading.files.write_atomic`: atomic, keeping the file's mode and
owner) and merged under a lock on its folder: prompts not checked this run keep their entry, and hooks
writing at once keep each other's. A symlinked baseline is written through to its target: the only file
promptaudit writes through a link.

A baseline that the config names, or the default one reached through a link, must lie inside the
repository (the folder holding ``.git`` above the config, else the config's folder) unless
``--allow-baseline-outside-repo`` is given: a cloned repository cannot make a hook read or overwrite a
file elsewhere. A path given with ``--baseline`` is the user's own choice and is used as given.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from promptaudit.errors import ConfigError, InputError, MissingInput, OutputError
from promptaudit.reading import files

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent writers may lose entries there
    fcntl = None  # type: ignore[assignment]

DEFAULT_NAME = ".promptaudit-baseline.json"
FORMAT_VERSION = 1


@dataclass
class Baseline:
    """Recorded token counts per prompt key, for one model."""

    path: Path
    model: str | None = None
    tokens: dict[str, int] = field(default_factory=dict)

    def key(self, prompt_path: str, name: str | None = None) -> str:
        """The key of a prompt: its path relative to the baseline's folder (posix), plus ``#name``."""
        base = self.path.parent.resolve()
        try:
            relative = Path(prompt_path).resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            relative = Path(os.path.relpath(Path(prompt_path).resolve(), base)).as_posix()
        return f"{relative}#{name}" if name else relative

    def recorded(self, key: str) -> int | None:
        """The recorded token count for ``key``, or None when the prompt is not in the baseline."""
        return self.tokens.get(key)

    def forget_deleted(self) -> list[str]:
        """Drop entries whose prompt file no longer exists (a deleted prompt cannot grow); return their keys."""
        base = self.path.parent.resolve()
        # normpath, not the kernel, folds "..": a key such as ../p.txt must resolve before its folder exists
        gone = [key for key in self.tokens if not os.path.exists(os.path.normpath(base / key.split("#", 1)[0]))]
        for key in gone:
            del self.tokens[key]
        return gone

    def to_json(self) -> dict:
        """The file's content: version, model and counts sorted by key (stable diffs in review)."""
        return {"version": FORMAT_VERSION, "model": self.model, "prompts": dict(sorted(self.tokens.items()))}


def locate(cli_path: str | None, config, allow_outside: bool = False) -> tuple[Path, bool]:
    """The baseline path and whether the user named it: ``--baseline``, else config ``baseline``, else default.

    A configured or default path (its link target included) outside the repository is refused unless
    ``allow_outside`` (``--allow-baseline-outside-repo``).
    """
    if cli_path:
        return Path(cli_path), True
    configured = config.get("baseline")
    path = config.root / (configured or DEFAULT_NAME)
    if not allow_outside:
        _inside_repository(path, config.root)
    return path, bool(configured)


OUTSIDE_FLAG = "--allow-baseline-outside-repo"


def _inside_repository(path: Path, root: Path) -> None:
    """Refuse a baseline whose real location is outside the repository that holds ``root``."""
    from promptaudit.gate.gitutil import work_tree_of

    top = os.path.realpath(work_tree_of(root) or root)
    where = os.path.realpath(path)
    if os.path.commonpath([top, where]) != top:
        raise ConfigError(
            f"{path}: the baseline is outside the repository ({top}); pass {OUTSIDE_FLAG} to use it there"
        )


def load(path: Path, required: bool) -> Baseline:
    """Read a baseline; a missing file is empty unless ``required`` (then an error naming the fix)."""
    try:
        text = files.read_regular(path).decode("utf-8")
    except MissingInput:
        if required:
            raise ConfigError(f"{path}: baseline file not found; create it with check --write-baseline") from None
        return Baseline(path)
    except InputError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.reason}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read baseline: not valid UTF-8") from None
    return _parse(path, text)


def _parse(path: Path, text: str) -> Baseline:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: baseline is not valid JSON: {exc}") from None
    except RecursionError:  # 100,000 nested arrays: Python's parser recurses once per level
        raise ConfigError(f"{path}: baseline is not valid JSON: nested too deeply") from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("prompts"), dict):
        raise ConfigError(f"{path}: not a promptaudit baseline (version {FORMAT_VERSION} with 'prompts')")
    prompts = data["prompts"]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in prompts.values()):
        raise ConfigError(f"{path}: baseline 'prompts' must map prompt paths to token counts")
    model = data.get("model")
    return Baseline(path, model if isinstance(model, str) else None, dict(prompts))


def check_model(baseline: Baseline, model: str) -> None:
    """Counts from another tokenizer are not comparable: refuse them rather than pass or fail wrongly."""
    if baseline.tokens and baseline.model and baseline.model.lower() != model.lower():
        raise ConfigError(
            f"{baseline.path}: baseline was recorded for model {baseline.model!r}, not {model!r}; "
            f"pass --model {baseline.model} or rewrite it with --write-baseline"
        )


def record(path: Path, counts: dict[str, int], model: str) -> tuple[Baseline, list[str]]:
    """Merge ``counts`` into the baseline file at ``path`` and write it; return it and the keys dropped.

    The file is re-read and written under a lock on its folder, so hooks writing at once each keep
    their entries; counts from another model are replaced, not mixed.
    """
    with _locked(Path(os.path.realpath(path)).parent, path):
        current = load(path, required=False)
        if current.model and current.model.lower() != model.lower():
            current.tokens.clear()  # counts from another tokenizer cannot be mixed with these
        current.model = model
        current.tokens.update(counts)
        dropped = current.forget_deleted()
        write(current)
    return current, dropped


@contextlib.contextmanager
def _locked(directory: Path, path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created if missing) while the baseline is merged."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot write baseline: cannot create or open folder {directory}: {files.os_reason(exc)}"
        ) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write(baseline: Baseline) -> None:
    """Write the baseline with the one safe writer, through a symlink to its target (documented above)."""
    payload = json.dumps(baseline.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        files.write_atomic(baseline.path, payload, through_symlink=True)
    except OutputError as exc:
        raise ConfigError(f"{baseline.path}: cannot write baseline: {exc.reason}") from None
