"""``vptr serve``: the gateway over its store, on uvicorn, with one or several worker processes.

Heavy imports (the web server, the app) happen inside the command, so ``vptr --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vptr.cli.options import DatabaseUrl, is_loopback, settings_for
from vptr.settings import Settings


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

    from vptr.app import create_app, open_store
    from vptr.store.plate_keys import PlateKeyError

    settings = settings_for(database_url, db_path, demo)
    try:
        store = open_store(settings)
        new = not store.present()
        store.prepare()
    except PlateKeyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"store: {store.url}" + (" (new: there was no file at this path; if you meant an "
                                        "existing store, check the path)" if new else ""))
    if demo:
        typer.echo("demo: Gent is loaded; API keys: `vptr demo credentials`")
    typer.echo(f"API documentation: http://{host}:{port}/docs")
    if workers > 1:
        store.dispose()
        _serve_workers(settings, host, port, workers)
        return
    app = create_app(settings, store)
    _settle()
    uvicorn.run(app, host=host, port=port, **server_options(settings))


def proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn's trust in forwarded headers: only the proxies the settings name
    (``VPTR_FORWARDED_ALLOW_IPS``); with none, the connection's peer is the client, whatever
    headers it sends."""
    trusted = [ip.strip() for ip in settings.forwarded_allow_ips if ip.strip()]
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(trusted)}


def server_options(settings: Settings) -> dict[str, object]:
    """What uvicorn is told besides the address: the trust in forwarded headers, and the HTTP
    protocol, uvicorn's own with its writes corked and its access log off the request's path
    (vptr.cli.http_protocol)."""
    from vptr.cli.http_protocol import LeanHttpToolsProtocol

    return {**proxy_options(settings), "http": LeanHttpToolsProtocol}


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
    uvicorn.run("vptr.cli.serve:worker_app", factory=True, host=host, port=port,
                workers=workers, **server_options(settings))


def worker_app():
    """The app of one worker process of `vptr serve --workers N`, settled like a single one."""
    from vptr.app import create_app

    app = create_app()
    _settle()
    return app
