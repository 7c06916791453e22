"""Replay a hook run whose inputs have not changed (``answers``), record a run's output and dependencies
(``recording``), and observe files and folders without reading more than needed (``snapshot``).

A whole-CLI mechanism: the console entry point consults it before Typer is imported.
"""
