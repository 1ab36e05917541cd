"""Per-resource repositories: reading and writing the register's documents in the store."""
