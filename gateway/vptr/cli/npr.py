"""``vptr npr export DIR`` and ``vptr npr import DIR``: a tenant's configuration as the RDW's
open-data tables (CSV files, one per table), both ways (vptr.services.npr_open_data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vptr.cli.options import DatabaseUrl, settings_for

npr_app = typer.Typer(help="The NPR-style gateway: RDW open-data tables in and out.",
                      no_args_is_help=True)

Tenant = Annotated[str, typer.Option(
    "--tenant", help="The area manager's IRI (its organisation), whose configuration it is.")]


def _caller(store, tenant: str):
    from vptr.auth.principal import Principal
    from vptr.errors import NotFound
    from vptr.repositories import npr as codes
    from vptr.services.runtime import Caller

    with store.reading() as connection:
        organisation = codes.organisation(connection, tenant)
    if organisation is None:
        raise NotFound(f"no organisation {tenant}")
    return Caller(Principal(tenant, organisation.name, frozenset({"areaManager"})),
                  "cli:npr")


@npr_app.command("export")
def export(directory: Annotated[Path, typer.Argument(help="Where to write the CSV files.")],
           tenant: Tenant, database_url: DatabaseUrl = None) -> None:
    """Write the tenant's areas, regulations, time frames, fares, special days and geometries as
    GEBIEDSBEHEERDER.csv, GEBIED.csv, ... (the RDW's column names and date formats)."""
    from vptr.errors import RegisterError
    from vptr.npr.open_data import write_directory
    from vptr.services import npr_open_data
    from vptr.services.runtime import Runtime
    from vptr.store.database import Store

    store = Store(settings_for(database_url))
    try:
        store.prepare()
        tables = npr_open_data.export_tables(Runtime(store), _caller(store, tenant))
    except RegisterError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    for path in write_directory(tables, directory):
        typer.echo(f"wrote {path}")


@npr_app.command("import")
def import_(directory: Annotated[Path, typer.Argument(help="The folder of CSV files.")],
            tenant: Tenant, database_url: DatabaseUrl = None) -> None:
    """Import the tables into the tenant, all or nothing; every refused value is printed with
    its table, row and column."""
    from vptr.errors import RegisterError
    from vptr.npr.open_data import read_directory
    from vptr.services import npr_open_data
    from vptr.services.runtime import Runtime
    from vptr.store.database import Store

    store = Store(settings_for(database_url))
    try:
        store.prepare()
        runtime = Runtime(store)
        done = npr_open_data.import_tables(runtime, _caller(store, tenant),
                                           read_directory(directory))
        runtime.close()
    except RegisterError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        for problem in exc.errors:
            typer.echo(f"  {problem.field}: {problem.reason}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    typer.echo(json.dumps({"zones": done.zones, "regimes": done.regimes,
                           "versions": done.versions}))
