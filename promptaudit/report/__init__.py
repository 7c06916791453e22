"""Renderers: they turn result objects into text, JSON, CSV, Markdown or SARIF. Nothing else prints reports."""
