"""Specifications of the store: the engine, schema and migrations, the catalogue of zones and
regimes in memory, the reads a check makes, and writers under load."""
