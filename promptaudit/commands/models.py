"""``promptaudit models``: the model catalog with prices per million tokens, cache minimums and tokenizers."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from promptaudit.commands._common import ConfigOption, load_settings, user_errors


class ModelsFormat(str, Enum):
    """Output formats of ``models``."""

    table = "table"
    json = "json"


def listed_models(provider: str | None, config) -> list[str]:
    """The catalog in providers.yaml plus config-priced models, optionally for one provider."""
    from promptaudit.errors import UsageError
    from promptaudit.money import pricing, providers

    overridden = [name for name in (config.get("prices") or {}) if name.lower() not in providers.catalog()]
    names = providers.catalog() + overridden
    if provider is None:
        return names
    chosen = [name for name in names if pricing.price_for(name).provider == provider.lower()]
    if not chosen:
        known = sorted({pricing.price_for(name).provider for name in names})
        raise UsageError(f"no models for provider {provider!r} (known: {', '.join(known)})")
    return chosen


@user_errors
def models_command(
    provider: Annotated[
        str | None, typer.Option("--provider", "-p", help="Only this provider (openai, anthropic, google).")
    ] = None,
    output_format: Annotated[ModelsFormat, typer.Option("--format", "-f", help="table or json.")] = ModelsFormat.table,
    config_file: ConfigOption = None,
) -> None:
    """List models with input, cached input, cache write, output and batch prices, cache minimum and tokenizer."""
    from promptaudit.money import pricing
    from promptaudit.money.catalog import model_rows
    from promptaudit.report import models as report

    config = load_settings(config_file)
    rows = model_rows(listed_models(provider, config))
    report.render(rows, pricing.price_source(), output_format.value)
