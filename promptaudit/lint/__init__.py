"""Lint: the rule engine, findings and one module per rule."""
