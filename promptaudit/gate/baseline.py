"""The baseline file: token counts recorded per prompt, so a team can adopt ``check`` without fixing old prompts.

A prompt recorded in the baseline fails its budget only when it grows past its recorded count. The file
is JSON (``.promptaudit-baseline.json`` next to the config file by default), keyed by the prompt's path
relative to the baseline's own folder, so it reads the same from any working directory. It is written
atomically (a temp file, then ``os.replace``) and merged: prompts not checked this run keep their entry.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from promptaudit.errors import ConfigError

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
        gone = [key for key in self.tokens if not (self.path.parent / key.split("#", 1)[0]).exists()]
        for key in gone:
            del self.tokens[key]
        return gone

    def to_json(self) -> dict:
        """The file's content: version, model and counts sorted by key (stable diffs in review)."""
        return {"version": FORMAT_VERSION, "model": self.model, "prompts": dict(sorted(self.tokens.items()))}


def locate(cli_path: str | None, config) -> tuple[Path, bool]:
    """The baseline path and whether the user named it: ``--baseline``, else config ``baseline``, else default."""
    if cli_path:
        return Path(cli_path), True
    configured = config.get("baseline")
    if configured:
        return config.root / configured, True
    return config.root / DEFAULT_NAME, False


def load(path: Path, required: bool) -> Baseline:
    """Read a baseline; a missing file is empty unless ``required`` (then an error naming the fix)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{path}: baseline file not found; create it with check --write-baseline") from None
        return Baseline(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc}") from None
    return _parse(path, text)


def _parse(path: Path, text: str) -> Baseline:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: baseline is not valid JSON: {exc}") from None
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


def write(baseline: Baseline) -> None:
    """Write the baseline atomically: a temp file in the same folder, then ``os.replace``."""
    directory = baseline.path.parent
    payload = json.dumps(baseline.to_json(), indent=2, ensure_ascii=False) + "\n"
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-baseline-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, baseline.path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise ConfigError(f"{baseline.path}: cannot write baseline: {exc}") from None
