"""The `vptr` command: one entry point for the working group, validators and operators.

Each command lives with the code it drives; this module only wires them together, and imports
heavy dependencies (LinkML, the web server) inside the commands so `vptr --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import paths

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
    model: Annotated[Path | None, typer.Option(help="The model's main file.")] = None,
    shapes: Annotated[Path | None, typer.Option(help="The folder of hand-written shapes.")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write (default: generated/vptr/standard).")] = None,
) -> None:
    """Generate the vocabulary, application profile, context, JSON Schema, Pydantic module and HTML
    specification from the model, offline and deterministically. A broken model writes nothing."""
    from .standard_build.errors import ModelError
    from .standard_build.pipeline import generate as run

    model = model or paths.model_dir() / paths.MAIN_SCHEMA
    shapes = shapes or paths.shapes_dir()
    out = out or paths.generated_dir()
    try:
        written = run(model, shapes, out)
    except ModelError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(code=1) from exc
    for path in written:
        typer.echo(f"wrote {path}")


def main() -> None:  # pragma: no cover - console entry point
    app()
