"""The server's resources as JSON documents: the prices in use, the rule catalogue and the config in effect.

The rule catalogue comes from the rule registry (:data:`promptaudit.lint.rules.RULE_MODULES`), so a new rule
appears here with nothing else to change; the prices come from the ``models`` command's own JSON.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from promptaudit.mcpserver.workspace import Workspace

PRICES_URI = "promptaudit://prices"
RULES_URI = "promptaudit://rules"
CONFIG_URI = "promptaudit://config"


def dumps(document: object) -> str:
    """JSON text for a resource (config values may hold dates: they are written as text)."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def price_facts(models_document: dict) -> dict:
    """The price source and its date, from ``promptaudit models --format json``."""
    return {"prices": models_document["prices"], "facts_as_of": models_document.get("facts_as_of")}


def rule_catalogue() -> dict:
    """Every rule in the registry: ID, name, category, default severity, options and its documentation."""
    from promptaudit.lint.rules import RULE_MODULES

    return {"rules": [_rule(module) for module in RULE_MODULES]}


def _rule(module) -> dict:
    doc = inspect.cleandoc(module.__doc__ or "")
    return {
        "id": module.ID,
        "name": module.NAME,
        "category": module.CATEGORY,
        "severity": module.SEVERITY,
        "options": dict(getattr(module, "OPTIONS", {}) or {}),
        "summary": doc.split("\n\n", 1)[0].replace("\n", " "),
        "documentation": doc,
    }


def config_in_effect(workspace: Workspace, path: Path | None) -> dict:
    """The config file the tools use (None: bundled defaults), its settings, and the workspace roots."""
    from promptaudit.config import load_config

    values = load_config(path).values if path else {}
    return {
        "file": str(path) if path else None,
        "values": values,
        "workspace": workspace.describe(),
        "note": "the config is looked for in the first workspace root only, never in the folders above it",
    }
