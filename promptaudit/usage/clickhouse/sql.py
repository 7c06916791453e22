"""ClickHouse SQL pieces shared by the table schemas: literals, token counts, tags and the row shape.

Every schema turns one table row into one *row* of the shape duck.sql.query gives (format, model, service
tier, web searches, the five counts, capped, batch, time, tag, route, ``clean``, ``no_usage``) plus ``note``
(the index of the warning the row carries, 0 for none), so that clickhouse.query groups them all alike. A row is
*clean* when the SQL read every value exactly as the streaming reader would; any other row is a leftover,
read in Python by the streaming reader's own functions (see clickhouse/read.py). SQL text is built from constants,
quoted names and quoted literals only.
"""

from __future__ import annotations

from promptaudit.usage.records.values import CAP_REASONS, MAX_MODEL_CHARS, MAX_REQUEST_TOKENS
from promptaudit.usage.sources.tabular import TRUE_WORDS

ROW_COLUMNS = ("fmt", "model", "service_tier", "n_searches", "n_input", "n_read", "n_write_5m", "n_write_1h",
               "n_output", "capped", "batch", "moment", "tag", "route", "clean", "no_usage", "note")  # fmt: skip


def literal(text: str) -> str:
    """A string literal for ClickHouse SQL."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def literals(values) -> str:
    """A tuple of string literals, for ``IN``."""
    return "(" + ", ".join(literal(v) for v in sorted(values)) + ")"


CAPS = literals(CAP_REASONS)
TRUE = literals(TRUE_WORDS)


def text_tokens(expr: str, limit: int = MAX_REQUEST_TOKENS) -> str:
    """A count from text (values.tokens): NULL or absent is 0, canonical digits within the bound are the count
    (the text is the number's own decimal form: no sign, space or leading zero), anything else is NULL (not
    clean: the row is a leftover, judged by Python)."""
    number = f"toUInt64OrZero({expr})"
    return (
        f"multiIf(({expr}) IS NULL, toUInt64(0), toString({number}) = {expr} AND {number} <= {limit}, {number}, NULL)"
    )


def model_clean(expr: str) -> str:
    """A model name the streaming reader takes as it is (values.model_name)."""
    return f"(({expr}) IS NULL OR lengthUTF8({expr}) <= {MAX_MODEL_CHARS})"


def text_tag_clean(expr: str) -> str:
    """A tag the streaming reader keeps as the text it is (normal.pick decodes text that starts with ``[``)."""
    return f"(({expr}) IS NULL OR NOT startsWith({expr}, '['))"


SIMPLE_ARRAY = r"'^\\[(\"[A-Za-z0-9_.-]*\"(,\"[A-Za-z0-9_.-]*\")*)?\\]$'"  # ["stop"], as exporters write it


def finish_capped(text: str) -> str:
    """Whether finish-reason text (one reason, or a JSON array of them) says the reply hit its cap
    (normal.capped_from over normal.decoded); NULL when it says nothing. An array is read here only in its
    simple form (plain reasons, no spaces or escapes: ``finish_clean``), where a quoted reason appears in the
    text exactly when it is an element."""
    quoted = "[" + ", ".join(literal(f'"{r}"') for r in sorted(CAP_REASONS)) + "]"
    return (
        f"multiIf(({text}) IS NULL OR {text} = '', NULL, startsWith({text}, '['), "
        f"if({text} = '[]', NULL, multiSearchAny({text}, {quoted})), {text} IN {CAPS})"
    )


def finish_clean(text: str) -> str:
    """Finish-reason text SQL reads as Python does: one reason, or a simple JSON array of them."""
    return f"(({text}) IS NULL OR NOT (startsWith({text}, '[') OR startsWith({text}, '{{')) OR match({text}, {SIMPLE_ARRAY}))"


def row_select(values: dict[str, str]) -> str:
    """The SELECT list of one schema's rows, in ROW_COLUMNS order (missing ones are constants)."""
    defaults = {"service_tier": "CAST(NULL AS Nullable(String))", "n_searches": "toUInt64(0)", "n_write_1h":
                "toUInt64(0)", "batch": "false", "no_usage": "false", "note": "toUInt8(0)",
                "tag": "CAST(NULL AS Nullable(String))", "route": "CAST(NULL AS Nullable(String))"}  # fmt: skip
    return ",\n  ".join(f"{values.get(name, defaults.get(name))} AS {name}" for name in ROW_COLUMNS)


def joined(checks: list[str]) -> str:
    """Conditions joined with AND."""
    return " AND ".join(f"({check})" for check in checks) or "true"
