"""One module per command; each exposes a Typer-decorated function registered in ``promptaudit.cli``."""
