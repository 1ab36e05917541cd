"""`vptr generate` without options writes into the checkout you are in, not into the one the package
is installed from: several worktrees share one environment, and a regeneration in one must not
overwrite another's generated/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vptr.cli import app

from .conftest import COMMITTED_DIR, MODEL_DIR, REPO, SHAPES_DIR


def test_generate_without_options_writes_into_the_current_checkout(tmp_path, monkeypatch):
    checkout = tmp_path / "other-worktree"
    (checkout / "docs").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", checkout / "pyproject.toml")
    shutil.copytree(MODEL_DIR, checkout / "model")
    shutil.copytree(SHAPES_DIR, checkout / "shapes")
    installed = {p.name: p.read_bytes() for p in COMMITTED_DIR.iterdir() if p.is_file()}

    monkeypatch.chdir(checkout / "docs")  # anywhere inside the checkout
    result = CliRunner().invoke(app, ["generate"])

    assert result.exit_code == 0, result.output
    written = checkout / "generated" / "vptr" / "standard"
    assert (written / "vocabulary.ttl").is_file() and (written / "index_en.html").is_file()
    assert str(written) in result.output
    assert {p.name: p.read_bytes() for p in COMMITTED_DIR.iterdir() if p.is_file()} == installed


def test_generate_outside_any_checkout_asks_for_the_paths(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["generate"])
    assert result.exit_code == 2
    assert "not inside a checkout" in result.output


@pytest.mark.parametrize("start", ["model", "generated/vptr"])
def test_the_checkout_is_found_from_any_folder_inside_it(start):
    from vptr.paths import checkout_of

    assert checkout_of(REPO / start) == REPO
