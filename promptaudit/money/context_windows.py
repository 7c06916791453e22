"""A model's context window when its own price entry has none: the same model under another provider.

genai-prices keeps one entry per provider. For some models the provider's own entry carries no
``context_window`` while an aggregator's entry for the same model does (in genai-prices 0.2.5, Google's
``gemini-2.5-pro`` has none and OpenRouter's ``google/gemini-2.5-pro`` says 1,048,576). The window is a fact of
the model, not of who sells it, so the first entry of the snapshot whose id is the model's id, or ends with
``/`` plus it, supplies it. It is used by ``models``, by the context-window check and by the routing what-if.
"""

from __future__ import annotations


def context_window(snapshot, model_id: str) -> int | None:
    """The context window another provider's entry gives for ``model_id``, else None."""
    suffix = "/" + model_id
    for provider in snapshot.providers:
        for info in provider.models:
            if info.context_window and (info.id == model_id or info.id.endswith(suffix)):
                return int(info.context_window)
    return None
