"""Reading real API usage logs into money: measured spend, cache hit rates, output lengths, calibration.

The subpackages, lowest first (each imports only those before it; tests/test_architecture.py checks):

- ``records``: the log file, checked values, the normalised record, groups of integer counters;
- ``sources``: one reader per log format (provider responses, Bedrock, usage reports, gateways, OTLP, SSE,
  CSV/Parquet through a column mapping);
- ``stream``, ``duck``, ``clickhouse``: the three engines (standard library line by line, DuckDB, ClickHouse
  or chdb), all feeding the same counter;
- ``inputs`` (what an input is), ``engine`` (which engine reads it), ``scan`` (the counter), ``options``;
- ``results``: money per price class, summaries, comparisons, calibration.

Nothing in this package imports Rich; the ``usage`` report modules render what it computes.
"""
