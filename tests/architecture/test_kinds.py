"""The registry of resource kinds (vptr.kinds) names real things, and its consumers cannot fall
behind it."""

from __future__ import annotations

import pytest

from vptr import kinds
from vptr.accounting import audit
from vptr.accounting.audit import AUDITED_KINDS
from vptr.api.locations import COLLECTIONS
from vptr.repositories import change_stream
from vptr.repositories.export import RENDERERS
from vptr.store import tables
from vptr.validation.model_index import model_index


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_each_kind_names_a_table_with_tenant_and_id_and_a_class_of_the_model(kind):
    table = tables.metadata.tables[kind.table]
    assert {"id", "tenant_id"} <= set(table.c.keys())
    assert kind.model_class in model_index().classes


def test_every_kind_that_holds_plates_is_audited_and_nothing_else():
    # A whitelist names no vehicle itself: its entries do, and are audited one by one.
    assert frozenset(AUDITED_KINDS) == {"right", "permit", "whitelist-entry"}
    assert AUDITED_KINDS == kinds.AUDITED
    assert set(audit._BY_IDS) == kinds.AUDITED  # the audit can find each one's plates


@pytest.mark.parametrize("kind", [k for k in kinds.KINDS if k.holds_plates],
                         ids=lambda k: k.name)
def test_the_audit_reads_each_audited_kinds_plates_by_pseudonym(kind):
    columns = set(audit._BY_IDS[kind.name].selected_columns.keys())
    assert columns == {"id", "tenant_id", "plate_hash"}


def test_the_public_kinds_are_what_open_data_publishes_and_none_holds_plates():
    assert change_stream.PUBLIC_KINDS == ("organisation", "zone", "regime")
    assert {k: t.name for k, t in change_stream.PUBLIC_TABLES.items()} == {
        k.name: k.table for k in kinds.PUBLIC}
    assert not [k.name for k in kinds.PUBLIC if k.holds_plates]


def test_the_consumers_cover_exactly_the_registry():
    assert set(RENDERERS) == {k.name for k in kinds.EXPORTED}
    assert set(COLLECTIONS) == set(kinds.BY_NAME)
    assert [k.name for k in kinds.EXPORTED][-1] == "right"  # configuration first, then rights



def test_a_consumer_missing_a_kind_is_refused_naming_it():
    with pytest.raises(RuntimeError, match=r"missing \['zone'\], unknown \['zones'\]"):
        kinds.covered("a consumer", {"zones", "regime"}, {"zone", "regime"})
