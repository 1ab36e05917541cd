"""What the operator's commands share: the store's URL option and the settings it makes."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from vptr.settings import Settings

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="The store's URL: sqlite:///FILE or postgresql://USER@HOST"
                                        "/DB (default: VPTR_DATABASE_URL or sqlite:///vptr.sqlite)."),
]

def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (demo keys are public knowledge)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def settings_for(database_url: str | None, db_path: Path | None = None, demo: bool = False
              ) -> Settings:
    from vptr.store.db import sqlite_url

    if database_url and db_path:
        raise typer.BadParameter("give --database-url or --db-path, not both")
    update: dict[str, object] = {"demo": demo} if demo else {}
    if database_url:
        update["database_url"] = database_url
    elif db_path:
        update["database_url"] = sqlite_url(db_path)
    return Settings().model_copy(update=update)
