"""``vptr conformance apds URL``: the APDS conformance kit (vptr.apds.conformance) against any
APDS v4 endpoint, reporting per path and message against apds4.yaml and the register's profile."""

from __future__ import annotations

import json
from typing import Annotated

import typer

conformance_app = typer.Typer(help="Conformance kits: check an endpoint against a standard.",
                              no_args_is_help=True)


@conformance_app.command("apds")
def apds(
    url: Annotated[str, typer.Argument(help="The APDS root, e.g. https://host/apds.")],
    token: Annotated[str | None, typer.Option(help="A bearer token or API key.")] = None,
    write: Annotated[bool, typer.Option(
        "--write", help="Also run the pay-on-arrival flow (creates and deletes a session).")
    ] = False,
    plate: Annotated[str, typer.Option(help="The plate the write flow parks.")] = "9CONF001",
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Exercise the read paths (and with --write the pay-on-arrival flow) of an APDS endpoint;
    exit 1 when anything does not conform."""
    from vptr.apds.conformance import run

    report = run(url, token, write=write, plate=plate)
    typer.echo(json.dumps(report.as_json(), indent=2) if as_json else report.text())
    raise typer.Exit(0 if report.ok else 1)
