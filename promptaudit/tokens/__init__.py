"""Tokens: tokenizers, vocabularies, count caches and every start-up speed-up, behind one interface."""
