"""One reader per log format: provider responses, Bedrock, usage reports, gateways, OpenTelemetry,
server-sent events and tables (CSV, Parquet) through a column mapping; ``extract`` tells them apart."""
