"""Config ``prices:``: negotiated rates, and private or new models, in USD per million tokens.

    prices:
      gpt-4o: {input: 2.0}                         # override one field, keep genai-prices' others
      my-private-model: {input: 1, output: 4, provider: openai, context_window: 128000}

A model genai-prices does not know needs at least ``input`` and ``output``.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from promptaudit.errors import ConfigError, UnknownModelError
from promptaudit.money.pricing import ModelPrice, snapshot_price

# Config ``prices:`` keys -> ModelPrice fields (USD per million tokens).
CONFIG_PRICE_KEYS = {
    "input": "input_mtok",
    "output": "output_mtok",
    "cache_read": "cache_read_mtok",
    "cache_write": "cache_write_mtok",
    "cache_write_1h": "cache_write_1h_mtok",
    "batch_input": "batch_input_mtok",
    "batch_output": "batch_output_mtok",
}
_CONFIG_OTHER_KEYS = ("provider", "context_window", "tokenizer")


MAX_PRICE_MTOK = Decimal(1_000_000)  # USD per million tokens ($1 a token); the dearest list price today is under $1,000
MAX_CONTEXT_WINDOW = 100_000_000  # tokens; the largest windows today are a few million


def _config_number(value, where: str, most: Decimal = MAX_PRICE_MTOK) -> Decimal:
    """A price from config: a finite number from 0 to ``most`` (checked before any arithmetic can overflow)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or number < 0:
        raise ConfigError(f"{where} must be a price >= 0 in USD per million tokens, got {value!r}")
    if number > most:
        raise ConfigError(f"{where} must be at most {most:,} USD per million tokens, got {value!r:.40}")
    return number


def _context_window(value, where: str) -> int:
    """A positive whole number of tokens up to MAX_CONTEXT_WINDOW."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        value = None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal(0)
    if not number.is_finite() or number != number.to_integral_value() or not 0 < number <= MAX_CONTEXT_WINDOW:
        raise ConfigError(
            f"{where} must be a whole number of tokens from 1 to {MAX_CONTEXT_WINDOW:,}, got {value!r:.40}"
        )
    return int(number)


def _check_price_keys(settings, where: str) -> None:
    if not isinstance(settings, dict):
        raise ConfigError(f"{where} must be a mapping such as {{input: 2.5, output: 10}}, got {settings!r:.60}")
    for key in settings:
        if key not in CONFIG_PRICE_KEYS and key not in _CONFIG_OTHER_KEYS:
            known = ", ".join([*CONFIG_PRICE_KEYS, *_CONFIG_OTHER_KEYS])
            raise ConfigError(f"{where}: unknown key {key!r} (known: {known})")


def _base_price(model: str, settings: dict, where: str) -> ModelPrice:
    """The snapshot's price to override, or an empty one for a model the snapshot lacks."""
    try:
        return snapshot_price(model)
    except UnknownModelError:
        missing = [key for key in ("input", "output") if key not in settings]
        if missing:
            raise ConfigError(f"{where}: a model unknown to genai-prices needs {' and '.join(missing)}") from None
        provider = str(settings.get("provider", "custom"))
        return ModelPrice(model, model, provider, Decimal(0), Decimal(0))


def price_from_config(model: str, settings, origin: str) -> ModelPrice:
    """One ``prices:`` entry as a ModelPrice: given fields override the snapshot's, the rest are kept."""
    where = f"{origin}: prices.{model}"
    _check_price_keys(settings, where)
    base = _base_price(model, settings, where)
    changes = {
        field: _config_number(settings[key], f"{where}.{key}")
        for key, field in CONFIG_PRICE_KEYS.items()
        if key in settings
    }
    if "provider" in settings:
        changes["provider"] = str(settings["provider"])
    if "context_window" in settings:
        changes["context_window"] = _context_window(settings["context_window"], f"{where}.context_window")
    return replace(base, model=model, source=f"config ({origin})", **changes)


def tokenizers_from_config(config) -> dict[str, str]:
    """``tokenizer:`` of every ``prices:`` entry that names one (private or new models)."""
    entries = config.get("prices") or {}
    return {model: str(s["tokenizer"]) for model, s in entries.items() if isinstance(s, dict) and "tokenizer" in s}


def overrides_from_config(config) -> dict[str, ModelPrice]:
    """Every ``prices:`` entry of a loaded config, by model name."""
    entries = config.get("prices") or {}
    origin = str(config.path) if config.path else "config"
    return {model: price_from_config(model, settings, origin) for model, settings in entries.items()}


def apply_config(config) -> None:
    """Install the config file's ``prices:`` as overrides (clearing earlier ones) and their tokenizers."""
    from promptaudit.money.pricing import set_overrides
    from promptaudit.tokens import tokenizers as tokens

    set_overrides({})
    set_overrides(overrides_from_config(config))
    tokens.declare_tokenizers(tokenizers_from_config(config))
