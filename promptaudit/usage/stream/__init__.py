"""The standard-library engine: JSON Lines decoded and counted line by line, in one pass."""
