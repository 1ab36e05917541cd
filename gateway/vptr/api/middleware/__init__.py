"""ASGI middleware wrapped around the whole API: request size limits and metering."""
