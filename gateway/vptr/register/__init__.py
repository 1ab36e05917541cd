"""The register's store: zones, regimes, rights, permits, whitelists, organisations and
authorisations, kept as validated JSON-LD documents with indexed columns for the questions asked of
them, on embedded SQLite or on PostgreSQL."""
