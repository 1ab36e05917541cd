"""The registry of resource kinds (vptr.kinds) names real things, and its consumers cannot fall
behind it."""

from __future__ import annotations

import pytest

from vptr import kinds
from vptr.accounting.audit import AUDITED_KINDS
from vptr.api.locations import COLLECTIONS
from vptr.repositories.export import RENDERERS
from vptr.store import tables
from vptr.validation.model_index import model_index


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_each_kind_names_a_table_with_tenant_and_id_and_a_class_of_the_model(kind):
    table = tables.metadata.tables[kind.table]
    assert {"id", "tenant_id"} <= set(table.c.keys())
    assert kind.model_class in model_index().classes


def test_every_kind_that_holds_plates_is_audited_and_nothing_else():
    assert frozenset(AUDITED_KINDS) == {"right", "permit", "whitelist", "whitelist-entry"}
    assert AUDITED_KINDS == kinds.AUDITED


def test_the_consumers_cover_exactly_the_registry():
    assert set(RENDERERS) == {k.name for k in kinds.EXPORTED}
    assert set(COLLECTIONS) == set(kinds.BY_NAME)
    assert [k.name for k in kinds.EXPORTED][-1] == "right"  # configuration first, then rights


def test_a_consumer_missing_a_kind_is_refused_naming_it():
    with pytest.raises(RuntimeError, match=r"missing \['zone'\], unknown \['zones'\]"):
        kinds.covered("a consumer", {"zones", "regime"}, {"zone", "regime"})
