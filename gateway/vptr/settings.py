"""Run-time configuration, from the environment (prefix ``VPTR_``) or the CLI's options."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VPTR_", extra="ignore")

    #: SQLAlchemy URL of the store; the default is an embedded SQLite file.
    database_url: str = "sqlite:///vptr.sqlite"
    #: The base of data IRIs minted by the register.
    data_base_iri: str = "https://data.parkeerregister.vlaanderen.be/id/"
    #: The largest request body accepted, in bytes (answered with 413 beyond).
    max_body_bytes: int = 1_000_000
    #: The largest page a list may return.
    max_page_size: int = 500
    default_page_size: int = 50
    #: Load the demo municipality at start-up.
    demo: bool = False
