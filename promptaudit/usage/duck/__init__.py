"""The DuckDB engine (an optional extra): JSON Lines, CSV and Parquet aggregated in SQL, counted by the
streaming reader's counter."""
