"""Where the project's data folders are, in a checkout and in an installed wheel.

The model, the hand-written shapes and the mappings are data the standards working group edits. In a
checkout (and an editable install) they are read from the repository itself so an edit is seen at
once;
an installed wheel carries a copy under ``vptr/_data``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

_GATEWAY_DIR = Path(__file__).resolve().parent.parent


@cache
def repository_root() -> Path | None:
    """The checkout this code runs from, or None for an installed wheel."""
    root = _GATEWAY_DIR.parent
    if (root / "model").is_dir() and (root / "pyproject.toml").is_file():
        return root
    return None


def data_dir(name: str) -> Path:
    """A top-level data folder (``model``, ``shapes``, ``mappings``) of the project."""
    root = repository_root()
    if root is not None:
        return root / name
    return Path(str(resources.files("vptr") / "_data" / name))


def model_dir() -> Path:
    return data_dir("model")


def shapes_dir() -> Path:
    return data_dir("shapes")


def mappings_dir() -> Path:
    return data_dir("mappings")


def generated_dir() -> Path:
    """The folder ``vptr generate`` writes into (``generated/vptr/standard``)."""
    return Path(str(resources.files("vptr.standard")))


MAIN_SCHEMA = "vptr.yaml"


class Artefact(StrEnum):
    """Every file ``vptr generate`` writes, by a stable name; the value is its file name."""

    VOCABULARY_TTL = "vocabulary.ttl"
    VOCABULARY_JSONLD = "vocabulary.jsonld"
    SHACL_GENERATED = "shacl-generated.ttl"
    APPLICATION_PROFILE = "application-profile.ttl"
    CONTEXT = "context.jsonld"
    JSON_SCHEMA = "schema.json"
    PYDANTIC = "datamodel.py"
    HTML = "index.html"
    MODEL_INDEX = "model-index.json"
    CODELISTS = "codelists.ttl"

    def path(self, base: Path | None = None) -> Path:
        return (base or generated_dir()) / self.value
