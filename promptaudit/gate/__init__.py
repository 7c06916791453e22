"""Gate: budgets, baselines and git, for pre-commit and CI."""
