"""Distributed batch mode: the same analysis on a Dask cluster, written as partitioned Parquet,
then bulk-loaded into SQLite or queried in place with DuckDB."""
