"""The operator's commands for the store (wired into ``vptr`` by :mod:`vptr.cli`):
``vptr demo credentials``, ``vptr db upgrade|current`` and ``vptr tenant create|seal-keys``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from vptr.cli.options import DatabaseUrl, settings_for

demo_app = typer.Typer(help="The demo municipality (Gent) and its fixed credentials.",
                       no_args_is_help=True)
db_app = typer.Typer(help="The store's schema: versioned migrations.", no_args_is_help=True)
tenant_app = typer.Typer(help="Tenants: the area managers that own data in the register.",
                         no_args_is_help=True)


@demo_app.command("credentials")
def demo_credentials(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")
                           ] = False,
) -> None:
    """Print the fixed API keys of the demo organisations (they work only on a demo store)."""
    from vptr.services.demo import CREDENTIALS

    if json_output:
        typer.echo(json.dumps([c.as_json() for c in CREDENTIALS], indent=2))
        return
    for c in CREDENTIALS:
        typer.echo(f"{c.role:17} {c.name:32} {c.key}\n{'':17} {c.organisation}\n{'':17} {c.can}")


@db_app.command("upgrade")
def db_upgrade(
    database_url: DatabaseUrl = None,
    revision: Annotated[str, typer.Option(help="The revision to reach (default: the newest).")
                        ] = "head",
) -> None:
    """Migrate the store's schema to the newest version (also done by `vptr serve` at start-up)."""
    from vptr.store import migrations
    from vptr.store.db import make_engine

    engine = make_engine(settings_for(database_url).database_url)
    try:
        before = migrations.current_revision(engine)
        after = migrations.upgrade(engine, revision)
    finally:
        engine.dispose()
    typer.echo(f"{before or '(empty)'} -> {after}")


@db_app.command("current")
def db_current(database_url: DatabaseUrl = None) -> None:
    """Print the store's schema revision and the newest this version of the register knows."""
    from vptr.store import migrations
    from vptr.store.db import make_engine

    engine = make_engine(settings_for(database_url).database_url)
    try:
        current = migrations.current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"current: {current or '(empty)'}\nnewest:  {migrations.head_revision()}")


@tenant_app.command("create")
def tenant_create(
    name: Annotated[str, typer.Argument(help="The area manager's name (Stad Gent).")],
    reference: Annotated[str | None, typer.Option(
        "--reference", help="The last segment of its IRI (default: minted).")] = None,
    nis_code: Annotated[str | None, typer.Option("--nis-code", help="The municipality's NIS code."
                                                 )] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a tenant (an area manager with its own plate key) and print its first API key,
    once: the register keeps only its hash."""
    from vptr.errors import RegisterError
    from vptr.services import tenants
    from vptr.services.runtime import Runtime
    from vptr.store.database import Store

    store = Store(settings_for(database_url))
    try:
        store.prepare()
        created = tenants.create(Runtime(store), name, reference, nis_code)
    except RegisterError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    typer.echo(json.dumps({"organisation": created.organisation, "apiKey": created.api_key},
                          indent=2))


@tenant_app.command("seal-keys")
def tenant_seal_keys(database_url: DatabaseUrl = None) -> None:
    """Seal every tenant's plate key still stored in clear with VPTR_PLATE_KEY_SECRET (a database
    dump without the secret then cannot name plates). Stored hashes stay valid; from then on every
    instance needs the same secret to start."""
    from vptr.store.database import Store
    from vptr.store.plate_keys import PlateKeyError, seal_keys

    try:
        store = Store(settings_for(database_url))
        try:
            store.prepare()
            with store.transaction() as connection:
                sealed = seal_keys(connection)
        finally:
            store.dispose()
    except PlateKeyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"sealed {sealed} plate key(s)")
