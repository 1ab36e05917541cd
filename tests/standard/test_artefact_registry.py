"""One registry of generated artefacts (``vptr.paths.ARTEFACTS``): the pipeline writes every
registered file and nothing else, and the specification page links the listed ones with their
labels and media types, in the registry's order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vptr import paths
from vptr.paths import ARTEFACTS, Artefact
from vptr.standard_build import pipeline

from .conftest import COMMITTED_DIR, MODEL_FILE, SHAPES_DIR


def test_every_artefact_is_registered_with_labels_in_both_languages_and_a_media_type():
    assert set(ARTEFACTS) == set(Artefact)
    for artefact, info in ARTEFACTS.items():
        assert info.label_nl and info.label_en, artefact
        assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", info.media_type), artefact


def test_the_pipeline_builds_exactly_the_registered_artefacts(terms):
    from vptr.standard_build.model_loader import load_model

    built = pipeline.build_artefacts(load_model(MODEL_FILE), terms, SHAPES_DIR)
    assert list(built) == list(ARTEFACTS)


def test_generation_writes_every_registered_file_and_nothing_else(fresh_dir: Path):
    written = {p.name for p in fresh_dir.iterdir() if p.name != "__pycache__"}
    assert written == {a.value for a in ARTEFACTS}
    committed = {p.name for p in COMMITTED_DIR.iterdir() if p.name != "__pycache__"}
    assert committed == written


def test_a_file_the_registry_lacks_a_builder_for_stops_the_build(terms, monkeypatch):
    from vptr.standard_build.model_loader import load_model

    class Extra:
        value = "extra.ttl"

    extra = Extra()
    monkeypatch.setitem(ARTEFACTS, extra, paths.ArtefactInfo("Extra", "Extra", "text/turtle"))
    with pytest.raises(RuntimeError, match="no builder"):
        pipeline.build_artefacts(load_model(MODEL_FILE), terms, SHAPES_DIR)


def test_the_specification_page_links_the_listed_artefacts_in_registry_order():
    page = Artefact.HTML.path().read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#:]+)" type="([^"]+)"><code>', page)
    listed = [(a.value, i.media_type) for a, i in ARTEFACTS.items() if i.listed]
    assert links == listed
    for info in ARTEFACTS.values():
        if info.listed:
            assert f"{info.label_nl} <span class=\"en\" lang=\"en\">/ {info.label_en}" in page
