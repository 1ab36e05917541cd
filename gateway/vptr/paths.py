"""Where the project's data folders are, in a checkout and in an installed wheel.

The model, the hand-written shapes and the mappings are data the standards working group edits. In a
checkout (and an editable install) they are read from the repository itself so an edit is seen at
once;
an installed wheel carries a copy under ``vptr/_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """Every file ``vptr generate`` writes, by a stable name; the value is its file name.

    What else is known about each (labels, media type, whether the specification page links it)
    is in :data:`ARTEFACTS`, the one registry the pipeline and the HTML page both read."""

    PACKAGE_INIT = "__init__.py"
    VOCABULARY_TTL = "vocabulary.ttl"
    VOCABULARY_JSONLD = "vocabulary.jsonld"
    CODELISTS = "codelists.ttl"
    APPLICATION_PROFILE = "application-profile.ttl"
    SHACL_GENERATED = "shacl-generated.ttl"
    CONTEXT = "context.jsonld"
    JSON_SCHEMA = "schema.json"
    PYDANTIC = "datamodel.py"
    MODEL_INDEX = "model-index.json"
    HTML = "index.html"

    def path(self, base: Path | None = None) -> Path:
        return (base or generated_dir()) / self.value

    @property
    def info(self) -> ArtefactInfo:
        return ARTEFACTS[self]


@dataclass(frozen=True)
class ArtefactInfo:
    """What the specification page and a web server need to know about one generated file."""

    label_nl: str
    label_en: str
    media_type: str
    #: Listed on the specification page (index.html itself and the package marker are not).
    listed: bool = True


#: The registry of generated artefacts, in the order the specification page lists them. A file
#: not registered here is never written; `tests/standard/test_artefact_registry.py` holds both
#: ways.
ARTEFACTS: dict[Artefact, ArtefactInfo] = {
    Artefact.VOCABULARY_TTL: ArtefactInfo(
        "Vocabularium (Turtle)", "Vocabulary (Turtle)", "text/turtle"),
    Artefact.VOCABULARY_JSONLD: ArtefactInfo(
        "Vocabularium (JSON-LD)", "Vocabulary (JSON-LD)", "application/ld+json"),
    Artefact.CODELISTS: ArtefactInfo("Codelijsten (SKOS)", "Code lists (SKOS)", "text/turtle"),
    Artefact.APPLICATION_PROFILE: ArtefactInfo(
        "Applicatieprofiel (SHACL)", "Application profile (SHACL)", "text/turtle"),
    Artefact.SHACL_GENERATED: ArtefactInfo(
        "Gegenereerde SHACL-vormen", "Generated SHACL shapes", "text/turtle"),
    Artefact.CONTEXT: ArtefactInfo("JSON-LD-context", "JSON-LD context", "application/ld+json"),
    Artefact.JSON_SCHEMA: ArtefactInfo("JSON Schema", "JSON Schema", "application/schema+json"),
    Artefact.PYDANTIC: ArtefactInfo("Pydantic-datamodel", "Pydantic data model", "text/x-python"),
    Artefact.MODEL_INDEX: ArtefactInfo("Modelindex", "Model index", "application/json"),
    Artefact.HTML: ArtefactInfo("Specificatie", "Specification", "text/html", listed=False),
    Artefact.PACKAGE_INIT: ArtefactInfo(
        "Python-pakket", "Python package marker", "text/x-python", listed=False),
}
