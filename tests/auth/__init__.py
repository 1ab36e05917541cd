"""Specifications of authentication: API keys and their rotation, client-credentials JWTs, the
per-organisation rate limit, and sealed plate keys."""
