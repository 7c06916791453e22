"""The audit report as data (``common``) and its renderers, one module per ``--format``: text, json, markdown,
sarif."""
