"""The operator's commands for the register itself (wired into ``vptr`` by :mod:`vptr.cli`):
``vptr serve``, ``vptr demo credentials``, ``vptr db upgrade|current`` and ``vptr tenant create``.

Heavy imports (the web server, the app) happen inside the commands, so ``vptr --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated

import typer

from vptr.settings import Settings

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="The store's URL: sqlite:///FILE or postgresql://USER@HOST"
                                        "/DB (default: VPTR_DATABASE_URL or sqlite:///vptr.sqlite)."),
]

demo_app = typer.Typer(help="The demo municipality (Gent) and its fixed credentials.",
                       no_args_is_help=True)
db_app = typer.Typer(help="The store's schema: versioned migrations.", no_args_is_help=True)
tenant_app = typer.Typer(help="Tenants: the area managers that own data in the register.",
                         no_args_is_help=True)


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (demo keys are public knowledge)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _settings(database_url: str | None, db_path: Path | None = None, demo: bool = False
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


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    database_url: DatabaseUrl = None,
    db_path: Annotated[Path | None, typer.Option(
        "--db-path", help="The embedded store's file (SQLite), instead of --database-url.")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Load the demo municipality Gent with its fixed API keys "
                       "(see `vptr demo credentials`).")] = False,
    force_public: Annotated[bool, typer.Option(
        "--force-public", help="Allow --demo on a non-loopback address (its keys are public).")
    ] = False,
    workers: Annotated[int, typer.Option(
        help="Worker processes (they share nothing but the database).", min=1)] = 1,
) -> None:
    """Run the gateway: migrate the store to the newest schema, then serve the API
    (interactive documentation at /docs)."""
    if demo and not is_loopback(host) and not force_public:
        typer.echo(f"error: --demo uses publicly documented API keys; refusing to listen on {host}"
                   " (use 127.0.0.1, or add --force-public if you really mean it)", err=True)
        raise typer.Exit(code=2)
    import uvicorn

    from vptr.app import create_app
    from vptr.store.database import Store
    from vptr.store.plate_keys import PlateKeyError

    settings = _settings(database_url, db_path, demo)
    try:
        store = Store(settings)
        store.prepare()
    except PlateKeyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"store: {store.url}")
    if demo:
        typer.echo("demo: Gent is loaded; API keys: `vptr demo credentials`")
    typer.echo(f"API documentation: http://{host}:{port}/docs")
    if workers > 1:
        store.dispose()
        _serve_workers(settings, host, port, workers)
        return
    app = create_app(settings, store)
    _settle()
    uvicorn.run(app, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips="*" if not is_loopback(host) else None)


def _settle() -> None:
    """Readies the process to answer in its first second as in its thousandth: the application
    profile compiled (a quarter second the first registration would otherwise add to its answer,
    and to every request queued behind it) and what start-up built exempted from the garbage
    collector (the profile, the models, the app: some 150,000 objects that every full collection
    would otherwise walk again, stopping every request for 50 to 100 ms)."""
    import gc

    from vptr.repositories.documents import prepare_validation

    prepare_validation()
    gc.collect()
    gc.freeze()


def _serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """Several processes need an import string; the settings travel through the environment."""
    import os

    import uvicorn

    os.environ["VPTR_DATABASE_URL"] = settings.database_url
    os.environ["VPTR_DEMO"] = "false"  # the parent loaded it already
    uvicorn.run("vptr.cli.store_commands:worker_app", factory=True, host=host, port=port,
                workers=workers, proxy_headers=True,
                forwarded_allow_ips="*" if not is_loopback(host) else None)


def worker_app():
    """The app of one worker process of `vptr serve --workers N`, settled like a single one."""
    from vptr.app import create_app

    app = create_app()
    _settle()
    return app


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

    engine = make_engine(_settings(database_url).database_url)
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

    engine = make_engine(_settings(database_url).database_url)
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
    from vptr.auth.api_keys import issue_key
    from vptr.repositories import organisations
    from vptr.store.database import Store

    store = Store(_settings(database_url))
    store.prepare()
    document: dict[str, object] = {"name": name, "roles": ["areaManager"]}
    if reference:
        document["id"] = store.iris.of("organisation", reference)
    if nis_code:
        document["identifiers"] = [{"notation": nis_code, "identifierScheme": "nisCode"}]
    from vptr.errors import RegisterError

    try:
        with store.transaction() as connection:
            created = organisations.create_tenant(connection, store.iris, document)
            issued = issue_key(connection, created["id"], "first key")
    except RegisterError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    typer.echo(json.dumps({"organisation": created["id"], "apiKey": issued.key}, indent=2))


@tenant_app.command("seal-keys")
def tenant_seal_keys(database_url: DatabaseUrl = None) -> None:
    """Seal every tenant's plate key still stored in clear with VPTR_PLATE_KEY_SECRET (a database
    dump without the secret then cannot name plates). Stored hashes stay valid; from then on every
    instance needs the same secret to start."""
    from vptr.store.database import Store
    from vptr.store.plate_keys import PlateKeyError, seal_keys

    try:
        store = Store(_settings(database_url))
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
