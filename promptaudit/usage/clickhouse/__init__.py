"""The ClickHouse engine: the grouping query runs on a ClickHouse server (clickhouse-connect) or in-process
(chdb) over a known table schema or a column mapping; only grouped rows come back."""
