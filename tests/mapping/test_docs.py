"""docs/mappings.md lists every mapped message field as the loaded registry maps it, and a stale
page fails here (regenerate with ``python -m vptr.mapping.docs``)."""

from __future__ import annotations

from pathlib import Path

from vptr.mapping import load_registry, registry
from vptr.mapping.docs import BEGIN, END, main, page_path, render, updated

from .test_registry import VALID, write


def test_the_committed_page_is_current() -> None:
    page = page_path().read_text(encoding="utf-8")
    assert BEGIN in page and END in page
    assert updated(page, render()) == page, "docs/mappings.md is stale: python -m vptr.mapping.docs"
    assert main(["--check"]) == 0


def test_every_field_of_every_mapping_is_on_the_page() -> None:
    generated = render()
    for t in registry().values():
        assert f"`{t.message}` → `{t.native_class}`" in generated
        for rule in t.rules:
            if rule.message is not None:
                assert f"| `{rule.message_path}` |" in generated, rule.label()
            if rule.native is not None:
                assert f"`{t.native_class}.{rule.native_path}`" in generated, rule.label()
        for entry in t.not_mapped:
            assert f"| `{entry.message}` | — ({entry.kind}) |" in generated
            assert entry.reason in generated


def test_a_changed_mapping_makes_the_page_stale(tmp_path: Path) -> None:
    page = page_path().read_text(encoding="utf-8")
    write(tmp_path, VALID)
    other = render(load_registry(tmp_path))
    assert updated(page, other) != page
    # the hand-written part survives regeneration, and regenerating twice changes nothing
    once = updated(page, other)
    assert once.split(BEGIN)[0] == page.split(BEGIN)[0]
    assert updated(once, other) == once
