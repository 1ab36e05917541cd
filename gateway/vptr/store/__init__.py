"""The store: engine, tables, migrations, the check's in-memory catalogue and hot reads."""
