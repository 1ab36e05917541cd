"""The operator's commands for credentials, metering and retention (wired into ``vptr`` by
:mod:`vptr.cli`).

They work on the store directly, as the platform operator: whoever can run them can read the
database anyway. Each brings the schema up to date first, like the server does at start-up.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from vptr.settings import Settings

if TYPE_CHECKING:
    from vptr.store.database import Store

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="The store's SQLAlchemy URL (default: VPTR_DATABASE_URL or sqlite:///vptr.sqlite).",
    ),
]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]

keys_app = typer.Typer(
    help="Manage organisations' API keys (hashed at rest; a key is shown once, when made).",
    no_args_is_help=True,
)
oidc_app = typer.Typer(
    help="Link OAuth2 clients of the identity provider to register organisations.",
    no_args_is_help=True,
)
retention_app = typer.Typer(
    help="GDPR retention: pseudonymise plates of rights that ended long ago.",
    no_args_is_help=True,
)


def _store(database_url: str | None) -> Store:
    from vptr.store.database import Store  # imported here to keep `vptr --help` fast

    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    store = Store(settings)
    store.ensure_ready()
    return store


@keys_app.command("rotate")
def keys_rotate(
    organisation: Annotated[str, typer.Option(help="The organisation's IRI.")],
    grace_hours: Annotated[
        float,
        typer.Option(help="Hours the old keys keep working, so the new one can be rolled out "
                          "(0: revoked at once)."),
    ] = 0.0,
    label: Annotated[str | None, typer.Option(help="A note to recognise the key by.")] = None,
    database_url: DatabaseUrl = None,
    json_output: JsonOutput = False,
) -> None:
    """Issue a new API key for an organisation and revoke its old keys (after the grace window).

    The new key is printed once and never stored in clear: keep it now.
    """
    from vptr.auth.key_rotation import UnknownOrganisationError, rotate_key
    from vptr.times import format_instant, now

    if grace_hours < 0:
        raise typer.BadParameter("cannot be negative", param_hint="--grace-hours")
    store = _store(database_url)
    moment = now()
    try:
        with store.transaction() as connection:
            issued = rotate_key(connection, organisation, grace=timedelta(hours=grace_hours),
                                label=label, now=moment)
    except UnknownOrganisationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    old_until = format_instant(moment + timedelta(hours=grace_hours))
    if json_output:
        typer.echo(json.dumps({"organisation": organisation, "prefix": issued.prefix,
                               "key": issued.key, "oldKeysRevokedAt": old_until}))
        return
    typer.echo(issued.key)
    typer.echo(f"new key {issued.prefix} for {organisation}; shown once, store it now. "
               f"Older keys stop working at {old_until}.", err=True)


@keys_app.command("list")
def keys_list(
    organisation: Annotated[
        str | None, typer.Option(help="Only this organisation's keys (IRI).")
    ] = None,
    database_url: DatabaseUrl = None,
    json_output: JsonOutput = False,
) -> None:
    """List API keys by their public prefix and when they were made and revoked (never a key)."""
    from vptr.auth.key_rotation import list_keys
    from vptr.times import now

    store = _store(database_url)
    try:
        with store.reading() as connection:
            keys = list_keys(connection, organisation)
    finally:
        store.dispose()
    at = now()
    if json_output:
        typer.echo(json.dumps([key.as_json(at) for key in keys], indent=2))
        return
    for key in keys:
        info = key.as_json(at)
        typer.echo(f"{info['prefix']:<14} {info['state']:<9} created {info['created']}  "
                   f"revoked {info['revoked'] or '-':<20}  {info['organisation']}  "
                   f"{info['label'] or ''}".rstrip())


@oidc_app.command("link")
def oidc_link(
    client_id: Annotated[str, typer.Option(help="The OAuth2 client id at the identity provider.")],
    organisation: Annotated[str, typer.Option(help="The register organisation's IRI.")],
    issuer: Annotated[
        str | None, typer.Option(help="The identity provider (default: VPTR_OIDC_ISSUER).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Let tokens of an OAuth2 client act for a register organisation."""
    from vptr.auth.oidc import link_client

    issuer = issuer or Settings().oidc_issuer
    if not issuer:
        raise typer.BadParameter("give --issuer or set VPTR_OIDC_ISSUER", param_hint="--issuer")
    store = _store(database_url)
    try:
        with store.transaction() as connection:
            link_client(connection, issuer, client_id, organisation)
    except LookupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.dispose()
    typer.echo(f"client {client_id!r} of {issuer} now acts for {organisation}")


def metering(
    tenant: Annotated[
        list[str] | None,
        typer.Option(help="The tenant (area manager IRI); repeat for several; all if absent."),
    ] = None,
    from_day: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: 1st of month).")
    ] = None,
    to_day: Annotated[
        str | None, typer.Option("--to", help="Last day, inclusive, YYYY-MM-DD (default: today).")
    ] = None,
    database_url: DatabaseUrl = None,
    json_output: JsonOutput = False,
) -> None:
    """Report the requests counted per tenant, day, organisation and operation (the bill)."""
    from vptr.accounting.metering import billing_day, report

    today = billing_day()
    first = _day(from_day, "--from") if from_day else today.replace(day=1)
    last = _day(to_day, "--to") if to_day else today
    if last < first:
        raise typer.BadParameter("must not be before --from", param_hint="--to")
    store = _store(database_url)
    try:
        rows = report(store.engine, first_day=first, last_day=last, tenants=tenant)
    finally:
        store.dispose()
    if json_output:
        typer.echo(json.dumps({
            "from": first.isoformat(), "to": last.isoformat(),
            "total": sum(r.count for r in rows), "rows": [r.as_json() for r in rows],
        }, indent=2))
        return
    for r in rows:
        typer.echo(f"{r.day}  {r.tenant or '(none)'}  {r.organisation or '(anonymous)'}  "
                   f"{r.operation}  {r.count}")
    typer.echo(f"total {sum(r.count for r in rows)} requests from {first} to {last}")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date YYYY-MM-DD: {value!r}", param_hint=option) from exc


@retention_app.command("run")
def retention_run(
    days: Annotated[
        int | None,
        typer.Option(help="Pseudonymise plates of what ended more than this many days ago "
                          "(default: VPTR_RETENTION_DAYS, 91).", min=0),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would be pseudonymised.")
    ] = False,
    database_url: DatabaseUrl = None,
    json_output: JsonOutput = False,
) -> None:
    """Blank the clear plates of rights, permits and whitelist entries that ended long ago,
    keeping their pseudonyms so checks and reports over that history still work."""
    from vptr.accounting.retention import run_retention

    store = _store(database_url)
    try:
        result = run_retention(
            store.engine, days=store.settings.retention_days if days is None else days,
            dry_run=dry_run,
        )
    finally:
        store.dispose()
    if json_output:
        typer.echo(json.dumps(result.as_json()))
        return
    verb = "would pseudonymise" if dry_run else "pseudonymised"
    typer.echo(f"{verb} {result.rights} rights, {result.permit_vehicles} permit vehicles and "
               f"{result.whitelist_entries} whitelist entries that ended before "
               f"{result.cutoff.isoformat(timespec='seconds')}")
