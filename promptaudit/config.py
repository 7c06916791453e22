"""Configuration: bundled defaults, then one file, then command-line flags.

The file is ``--config FILE``, else the first ``.promptaudit.yaml`` / ``promptaudit.yaml`` /
``pyproject.toml`` (with a ``[tool.promptaudit]`` table) found walking up from the working directory.
Unknown keys and wrong types are errors that name the key and the file.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from promptaudit.errors import ConfigError
from promptaudit.reading import templates
from promptaudit.reading.safeyaml import YamlError, load_yaml

CONFIG_NAMES = (".promptaudit.yaml", "promptaudit.yaml")
SEVERITIES = ("info", "warning", "error")
VOLUME_KEYS = ("rps", "rpm", "per_day", "per_month")
TOTAL_KEYS = tuple(f"total_{unit}" for unit in VOLUME_KEYS)
"""``volume: {total_per_day: N}``: N requests in all, split among prompts by ``traffic:`` shares (money.traffic)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_mapping(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _is_volume(value: Any) -> bool:
    return _is_mapping(value) and all(_is_number(v) for v in value.values())


USAGE_KEYS = ("tag_field", "route_field", "model", "columns", "sources")
SOURCE_KEYS = ("url", "password_file")
ROUTING_KEYS = ("share", "fallback_rate")


def _is_routing(value: Any) -> bool:
    """``routing: {share: 0.5, fallback_rate: 0.1}``: the default routing what-if of ``project``."""
    return _is_mapping(value) and all(k in ROUTING_KEYS and _is_number(v) and 0 <= v <= 1 for k, v in value.items())


def _is_source(value: Any) -> bool:
    """One ``usage: sources:`` entry: ``{url: clickhouse://..., password_file: PATH}`` (never a password)."""
    return (
        _is_mapping(value) and "url" in value and all(k in SOURCE_KEYS and isinstance(v, str) for k, v in value.items())
    )


def _is_usage_value(key: str, value: Any) -> bool:
    if key == "columns":  # the CSV/Parquet/ClickHouse column mapping: {input: tokens_in, ...}
        return _is_mapping(value) and all(isinstance(v, str) for v in value.values())
    if key == "sources":
        return _is_mapping(value) and all(_is_source(v) for v in value.values())
    return isinstance(value, str)


def _is_usage(value: Any) -> bool:
    return _is_mapping(value) and all(k in USAGE_KEYS and _is_usage_value(k, v) for k, v in value.items())


def _syntax_names(value: Any) -> list | None:
    names = [value] if isinstance(value, str) else value
    return names if _is_str_list(names) else None


def _is_placeholders(value: Any) -> bool:
    if not _is_mapping(value):
        return False
    lists = [_syntax_names(v) for v in value.values()]
    return all(n is not None and all(x == "none" or templates.syntax_name(x) for x in n) for n in lists)


PLACEHOLDERS_EXPECTED = (
    f"a mapping of glob -> placeholder syntax ({', '.join(templates.SYNTAXES)} or none; or a list of them)"
)

# Top-level keys: (type check, what the type is called in error messages).
SCHEMA: dict[str, tuple[Callable[[Any], bool], str]] = {
    "models": (_is_str_list, "a list of model names"),
    "extensions": (_is_str_list, "a list of file extensions such as '.txt'"),
    "volume": (_is_volume, "a mapping such as {per_day: 10000} (per prompt) or {total_per_day: 50000}"),
    "traffic": (_is_mapping, "a mapping of glob -> volume settings ({per_day: N} or {share: 0.3})"),
    "budgets": (_is_mapping, "a mapping of glob -> token budget"),
    "max_tokens": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "a positive integer"),
    "fail_on": (lambda v: v in SEVERITIES, "one of info, warning, error"),
    "rules": (_is_mapping, "a mapping with select, ignore, severity, options"),
    "prices": (_is_mapping, "a mapping of model -> prices per million tokens"),
    "vars": (_is_mapping, "a mapping of template variable -> value"),
    "python": (_is_mapping, "a mapping with prompt_names (name suffixes) and min_words (an integer)"),
    "usage": (
        _is_usage,
        "a mapping with tag_field, route_field and model (strings), columns (a mapping) and sources"
        " (name -> {url, password_file})",
    ),
    "baseline": (lambda v: isinstance(v, str), "a file path"),
    "placeholders": (_is_placeholders, PLACEHOLDERS_EXPECTED),
    "routing": (_is_routing, "a mapping with share and fallback_rate (numbers from 0 to 1)"),
    "policies": (_is_mapping, "a mapping of cost policies such as {max_increase: {percent: 20}}"),
}

INCREASE_KEYS = ("percent", "usd_per_month")


def _is_increase(value: Any) -> bool:
    """``{percent: 20, usd_per_month: 500}``: one or both limits, each a number >= 0."""
    return bool(value) and _is_mapping(value) and all(k in INCREASE_KEYS and _is_number(v) and v >= 0
                                                      for k, v in value.items())  # fmt: skip


# ``policies:`` keys (enforced by promptaudit.gate.policies): (type check, what the type is called).
POLICY_SCHEMA: dict[str, tuple[Callable[[Any], bool], str]] = {
    "max_increase": (_is_increase, "a mapping with percent and/or usd_per_month (numbers >= 0)"),
    "max_total_increase": (_is_increase, "a mapping with percent and/or usd_per_month (numbers >= 0)"),
    "block_unknown_models": (lambda v: isinstance(v, bool), "true or false"),
    "max_usd_per_request": (lambda v: _is_number(v) and v > 0, "a number of dollars greater than 0"),
    "require_output_cap": (lambda v: isinstance(v, bool), "true or false"),
}


@dataclass
class Config:
    """Validated settings plus where they came from (``path`` is None for bundled defaults)."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def root(self) -> Path:
        """Directory that config globs are relative to (the config file's folder, else the cwd)."""
        return self.path.parent if self.path else Path.cwd()


def glob_matches(pattern: str, path: str, root: Path) -> bool:
    """Whether ``path`` matches a config glob written relative to ``root`` (or as given)."""
    candidate = Path(path)
    try:
        relative = candidate.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        relative = candidate.as_posix()
    return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(candidate.as_posix(), pattern)


def placeholders_for(path: str, config: Config) -> templates.Placeholders | None:
    """The placeholder syntax the config declares for ``path`` (first matching glob), else None."""
    for pattern, value in (config.get("placeholders") or {}).items():
        if glob_matches(pattern, path, config.root):
            return templates.declared([n for n in _syntax_names(value) if n != "none"])
    return None


def find_config(start: Path | None = None, top: Path | None = None) -> Path | None:
    """The nearest config file walking up from ``start`` (default: the working directory).

    With ``top``, folders above ``top`` are not looked at (the MCP server reads nothing outside its roots).
    """
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if top is not None and not directory.is_relative_to(top.resolve()):
            break
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path) -> dict | None:
    """The ``[tool.promptaudit]`` table, None when there is none; ConfigError when it is not a table."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(_config_text(path))
    except ValueError as exc:  # TOMLDecodeError, or an integer longer than Python converts
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    tool = data.get("tool")
    section = tool.get("promptaudit") if isinstance(tool, dict) else None
    if section is not None and not isinstance(section, dict):
        kind = "an array of tables" if isinstance(section, list) else f"a {type(section).__name__}"
        raise ConfigError(f"{path}: [tool.promptaudit] must be a table of settings, not {kind}")
    return section


def _config_text(path: Path) -> str:
    """A config file's text, read as every input is (regular files only, size-limited)."""
    from promptaudit.errors import InputError
    from promptaudit.reading.sources import read_regular

    try:
        return read_regular(path).decode("utf-8")
    except InputError as exc:
        if exc.reason == "no such file or directory":
            raise ConfigError(f"{path}: config file not found") from None
        raise ConfigError(f"{path}: cannot read config: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config: not valid UTF-8 ({exc.reason})") from None


def _read_file(path: Path) -> dict:
    if path.name == "pyproject.toml":
        section = _pyproject_section(path)
        if section is None:
            raise ConfigError(f"{path}: no [tool.promptaudit] table (add one, or name a promptaudit.yaml)")
        return section
    text = _config_text(path)
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of settings, not {type(data).__name__}")
    return data


def validate(data: dict, path: Path | str) -> dict:
    """Check every top-level key against SCHEMA; raise ConfigError naming the key and file."""
    for key, value in data.items():
        if key not in SCHEMA:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(sorted(SCHEMA))})")
        check, expected = SCHEMA[key]
        if not check(value):
            raise ConfigError(f"{path}: key {key!r} must be {expected}, got {value!r:.60}")
    _check_volumes(data, path)
    _check_policies(data.get("policies") or {}, path)
    return data


def _check_policies(policies: dict, path: Path | str) -> None:
    """Every ``policies:`` key is known and of its type (a typo must not switch a gate off)."""
    for key, value in policies.items():
        if key not in POLICY_SCHEMA:
            raise ConfigError(f"{path}: unknown key 'policies.{key}' (known: {', '.join(POLICY_SCHEMA)})")
        check, expected = POLICY_SCHEMA[key]
        if not check(value):
            raise ConfigError(f"{path}: key 'policies.{key}' must be {expected}, got {value!r:.60}")


def _check_volumes(data: dict, path: Path | str) -> None:
    """``volume:`` and every ``traffic:`` entry name known units only (a typo must not drop the volume).

    ``volume:`` is per prompt (``per_day``) or a total (``total_per_day``), not both; a ``traffic:`` entry
    is a per-prompt volume or a ``share`` of the total (0 to 1), not both.
    """
    entries = [("volume", data["volume"], VOLUME_KEYS + TOTAL_KEYS)] if "volume" in data else []
    traffic = (data.get("traffic") or {}).items()
    entries += [(f"traffic {glob!r}", settings, (*VOLUME_KEYS, "share")) for glob, settings in traffic]
    for where, settings, known in entries:
        if not _is_volume(settings):
            raise ConfigError(f"{path}: {where} must be a mapping such as {{per_day: 10000}}, got {settings!r:.60}")
        unknown = [unit for unit in settings if unit not in known]
        if unknown:
            raise ConfigError(f"{path}: {where}: unknown unit {unknown[0]!r} (known: {', '.join(known)})")
        kinds = {"total" if k.startswith("total_") or k == "share" else "per prompt" for k in settings}
        if len(kinds) > 1:
            raise ConfigError(f"{path}: {where}: give a per-prompt volume or a total share, not both")


def load_config(explicit: str | os.PathLike | None = None) -> Config:
    """Load and validate the config file (explicit, else discovered), or return empty defaults."""
    path = Path(explicit) if explicit else find_config()
    if path is None:
        return Config()
    return Config(validate(_read_file(path), path), path)
