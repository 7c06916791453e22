"""``promptaudit fix``: the edits of certain findings, mapped to the file, applied, verified, then written.

The data path is the audit's own: a file's bytes are read once, parsed into prompts (:mod:`promptaudit.reading`),
linted (:mod:`promptaudit.lint.linter`); the findings of ``FIXABLE`` rules that carry an
:class:`~promptaudit.lint.findings.Edit` become edits of the file's text (:mod:`.places`), unless a check of
:mod:`.certain` refuses them (template tags and control blocks, text split across parts). Edits are applied
in rounds until nothing is left to fix (a cut can make another finding visible); every round is parsed again
and checked by :mod:`.verify` (the same prompts with exactly the expected texts, a JSON/YAML document equal
but for the edited strings, a Python module with the same syntax tree but for its string literals, the same
template tags) and by a second audit that must report nothing new. :mod:`.engine` runs this for one file;
:mod:`.writing` writes the result (atomically, encoding, byte-order mark, line endings, mode and owner kept)
after the refusals a careful user expects.
"""
