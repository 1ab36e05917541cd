"""Fixtures for the tests of the standard: the model, copies of it to break or change, and one fresh
generation of every artefact shared by the staleness and soundness tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vptr import paths
from vptr.standard_build.model_loader import LoadedModel, load_model
from vptr.standard_build.terms import Terms, collect_terms

REPO = paths.repository_root()
if REPO is None:  # pragma: no cover - the tests run from a checkout
    raise RuntimeError("the standard's tests need a checkout of the repository")
MODEL_DIR = REPO / "model"
MODEL_FILE = MODEL_DIR / paths.MAIN_SCHEMA
SHAPES_DIR = REPO / "shapes"
COMMITTED_DIR = REPO / "generated" / "vptr" / "standard"

#: A function that edits one parsed YAML module of a model copy in place.
Edit = Callable[[dict[str, Any]], None]


def _start_generation(out: Path, hash_seed: int) -> subprocess.Popen:
    """Starts `vptr generate` in a fresh interpreter with a fixed hash seed: any output that depends
    on set or hash order then shows up as a difference between two seeds."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    command = [
        sys.executable,
        "-c",
        "from vptr.cli import app; app()",
        "generate",
        "--model",
        str(MODEL_FILE),
        "--shapes",
        str(SHAPES_DIR),
        "--out",
        str(out),
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(process: subprocess.Popen) -> None:
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, f"vptr generate failed:\n{stdout}\n{stderr}"


def artefact_files(folder: Path) -> dict[str, bytes]:
    """The files of a generated folder by name (caches of Python excluded)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.fixture(scope="session")
def model() -> LoadedModel:
    return load_model(MODEL_FILE)


@pytest.fixture(scope="session")
def terms(model: LoadedModel) -> Terms:
    return collect_terms(model)


@pytest.fixture(scope="session")
def fresh_generations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every artefact, generated now from model/ and shapes/, twice, side by side (in parallel) with
    two different hash seeds."""
    base = tmp_path_factory.mktemp("fresh")
    outs = (base / "seed-0" / "standard", base / "seed-4321" / "standard")
    processes = [_start_generation(out, seed) for out, seed in zip(outs, (0, 4321), strict=True)]
    for process in processes:
        _finish(process)
    return outs


@pytest.fixture(scope="session")
def fresh_dir(fresh_generations: tuple[Path, Path]) -> Path:
    """Every artefact, generated now from the model in model/ and the shapes in shapes/."""
    return fresh_generations[0]


@pytest.fixture(scope="session")
def model_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """model/ as it was when the session started: tests that compare the model with an edited copy
    of it then see one version, even while someone edits model/ during the run."""
    folder = tmp_path_factory.mktemp("snapshot") / "model"
    shutil.copytree(MODEL_DIR, folder)
    return folder


@pytest.fixture
def model_copy(tmp_path: Path, model_snapshot: Path) -> Callable[..., Path]:
    """Copies model/ (its snapshot) into tmp_path and applies edits:
    ``model_copy({"zone.yaml": edit, ...})``.

    Returns the copy's folder. Each edit receives the parsed YAML module and changes it in place;
    the module is written back as plain YAML (comments and flow style are lost, meaning is kept).
    """

    def make(edits: dict[str, Edit] | None = None, name: str = "model") -> Path:
        folder = tmp_path / name
        shutil.copytree(model_snapshot, folder)
        for file_name, edit in (edits or {}).items():
            path = folder / file_name
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            edit(document)
            path.write_text(
                yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
        return folder

    return make


def _labelled(**fields: Any) -> dict[str, Any]:
    element = {
        "description": "A thing added by a test.",
        "annotations": {
            "label_en": "test thing",
            "label_nl": "testding",
            "definition_nl": "Een ding dat een test toevoegde.",
        },
    }
    element.update(fields)
    return element


@pytest.fixture
def labelled() -> Callable[..., dict[str, Any]]:
    """``labelled(slot_uri=...)``: a model element with the description and annotations every
    element needs, plus the given fields."""
    return _labelled


@pytest.fixture(scope="session")
def read_artefacts() -> Callable[[Path], dict[str, bytes]]:
    """``read_artefacts(folder)``: the generated files of a folder by relative name."""
    return artefact_files


@pytest.fixture(scope="session")
def committed_dir() -> Path:
    return COMMITTED_DIR


@pytest.fixture(scope="session")
def model_file() -> Path:
    return MODEL_FILE


@pytest.fixture(scope="session")
def shapes_dir() -> Path:
    return SHAPES_DIR
