"""The register's HTTP API (FastAPI)."""
