"""The `vptr` command: one entry point for the working group, validators and operators.

Each command lives with the code it drives; this module only wires them together, and imports
heavy dependencies (LinkML, the web server) inside the commands so `vptr --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from vptr import paths
from vptr.cli import conformance, npr, security, serve, store

app = typer.Typer(
    name="vptr",
    help="The Flemish Parking and Access Register: its OSLO standard, validator and gateway.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """The Flemish Parking and Access Register: its OSLO standard, validator and gateway."""


@app.command()
def generate(
    model: Annotated[Path | None, typer.Option(
        help="The model's main file (default: model/vptr.yaml of the current checkout).",
    )] = None,
    shapes: Annotated[Path | None, typer.Option(
        help="The folder of hand-written shapes (default: shapes/ of that checkout).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write (default: generated/vptr/standard of that checkout).")] = None,
) -> None:
    """Generate the vocabulary, application profile, context, JSON Schema, Pydantic module and HTML
    specification from the model, offline and deterministically. A broken model writes nothing.

    Without options it works on the checkout that holds the current directory, not on the one the
    package happens to be installed from (several worktrees can share one environment)."""
    from vptr.standard_build.errors import ModelError
    from vptr.standard_build.pipeline import generate as run

    root = paths.checkout_of(Path.cwd())
    if root is None and (model is None or out is None):
        typer.echo("error: not inside a checkout of the project (no pyproject.toml with model/ "
                   "above the current directory); give --model, --shapes and --out", err=True)
        raise typer.Exit(code=2)
    model = model or root / "model" / paths.MAIN_SCHEMA  # type: ignore[operator]
    shapes = shapes or (root / "shapes" if root is not None else paths.shapes_dir())
    out = out or paths.generated_dir_of(root)  # type: ignore[arg-type]
    try:
        written = run(model, shapes, out)
    except ModelError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(code=1) from exc
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(
        metavar="OLD",
        help="The old version: its main schema file (model/vptr.yaml) or the folder holding it.",
    )],
    new: Annotated[Path, typer.Argument(
        metavar="NEW",
        help="The new version: its main schema file or the folder holding vptr.yaml.",
    )],
    json_output: Annotated[bool, typer.Option(
        "--json",
        help="Print the changes as JSON (old, new, breaking, refused, counts, changes) instead "
             "of text.",
    )] = False,
    old_shapes: Annotated[Path | None, typer.Option(
        help="The old version's hand-written shapes (default: shapes/ beside its model/).",
    )] = None,
    new_shapes: Annotated[Path | None, typer.Option(
        help="The new version's hand-written shapes (default: shapes/ beside its model/).",
    )] = None,
) -> None:
    """Compare two versions of the model and of their hand-written shapes, flag the breaking
    changes, and refuse breaking changes that come without a new major version.

    Lists added, removed and changed classes, class properties, slots, enumerations, values and
    shapes (IRIs, ranges, cardinalities, patterns, minimum and maximum, rules, labels and
    definitions).

    Exit code 0: nothing breaks, or the breaking changes come with a new major version (0.x: a new
    minor version). 1: refused: breaking changes (a removed term or value, a changed IRI, a
    narrowed range or tightened constraint, a property made required, a new or stricter shape)
    without such a version, or a version that goes down. 2: a version could not be loaded.
    """
    from vptr.standard_build.diff import diff_paths
    from vptr.standard_build.errors import ModelError

    try:
        result = diff_paths(old, new, old_shapes, new_shapes)
    except ModelError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(result.to_json() if json_output else result.to_text(), nl=False)
    if result.refusal():
        raise typer.Exit(code=1)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...",
        help="Payloads to check: JSON-LD, plain JSON (the context is applied), Turtle or "
             "N-Triples; '-' reads standard input.",
    )],
    lang: Annotated[Literal["nl", "en"], typer.Option(
        help="Language of the report's messages and labels.")] = "en",
    output_format: Annotated[Literal["text", "json", "turtle", "jsonld"], typer.Option(
        "--format",
        help="text: for people; json: a concise summary; turtle or jsonld: a SHACL "
             "sh:ValidationReport.",
    )] = "text",
    type_name: Annotated[str | None, typer.Option(
        "--type", help="The class of outermost objects that carry no 'type' (e.g. Right).",
    )] = None,
    engine: Annotated[Literal["fast", "pyshacl"], typer.Option(
        help="fast: the compiled profile (default); pyshacl: the reference validator.",
    )] = "fast",
    supporting: Annotated[list[Path] | None, typer.Option(
        "--supporting",
        help="A file of entities the payloads refer to (zones, authorisations, regimes), for the "
             "rules across entities; not validated itself. Repeatable.",
    )] = None,
    max_bytes: Annotated[int, typer.Option(
        help="The largest file accepted, in bytes.")] = 5 * 1024 * 1024,
) -> None:
    """Check payloads against the application profile and report every violation: which
    object, which property, what is wrong.

    Exit code 0: every file conforms. 1: some file has violations. 2: some file cannot be read
    (not JSON or Turtle, an unknown term or type, too large).
    """
    from vptr.validation import PayloadError
    from vptr.validation.command import (
        Lang,
        OutputFormat,
        exit_code,
        load_supporting,
        render_outcomes,
        validate_files,
    )

    try:
        context = load_supporting(supporting or [], max_bytes)
    except PayloadError as exc:
        typer.echo(f"error: --supporting: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    outcomes = validate_files(files, type_name, engine, context, max_bytes)
    out, err = render_outcomes(outcomes, OutputFormat(output_format), Lang(lang))
    if out:
        typer.echo(out, nl=False)
    if err:
        typer.echo(err, nl=False, err=True)
    raise typer.Exit(code=exit_code(outcomes))


# Security (docs/security.md): API keys, OIDC clients, metering and retention.
app.add_typer(security.keys_app, name="keys")
app.add_typer(security.oidc_app, name="oidc")
app.add_typer(security.retention_app, name="retention")
app.command()(security.metering)


# The register (docs/deployment.md): the server, the demo, schema migrations and tenants.
app.command()(serve.serve)
app.add_typer(store.demo_app, name="demo")
app.add_typer(store.db_app, name="db")
app.add_typer(store.tenant_app, name="tenant")
app.add_typer(npr.npr_app, name="npr")


# Conformance kits (docs/apds-integration.md): any endpoint against a standard.
app.add_typer(conformance.conformance_app, name="conformance")


def main() -> None:  # pragma: no cover - console entry point
    app()
