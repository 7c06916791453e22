"""promptaudit: what your LLM prompts cost, where the money goes, and what each lever saves."""

__version__ = "0.1.0"
