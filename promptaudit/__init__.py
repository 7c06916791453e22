"""promptaudit: what your LLM prompts cost, where the money goes, and what each lever saves."""

__version__ = "0.2.0"
"""The version; its release is the git tag ``v0.2.0`` that the action and pre-commit snippets name."""
