"""Linked regimes (F1.6): "granting right A may also give right B; conversely right A may exclude
obtaining right B (mutually exclusive)".

A regime names the regimes it links to by their IRI across versions (``.../regime/{ref}``), so a
link never goes stale when either side gets a new version; a version IRI (``.../regime/{ref}/{n}``)
stands for its regime. What the links mean for the register, stated once here:

- **grants.** Regime A ``grants`` B: a right of the plate under A (a right in a zone of A that
  names A or no regime) also counts in every zone where B is in force, for the same window and
  grace as a right there (the grace of B's zone). The check answers it as a ``right`` grant with
  reason ``linkedRegime`` and the granting regime's IRI as name. Only links within one tenant
  count: a right is only ever read under its own tenant's plate key.
- **excludes.** A ``excludes`` B (or B excludes A: exclusion is mutual): a plate holding a right
  under A cannot get a right under B for an overlapping time. Registration refuses it (409); the
  check needs nothing more, since such a right is never stored.
- **The price.** A link changes no tariff: a trial price names the regimes its right would also
  count in (``grants``) and those it excludes, so the buyer knows before paying.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vptr.standard.datamodel import Regime

LINKED = "linkedRegime"
_VERSION = re.compile(r"^(.+/regime/[A-Za-z0-9._~-]{1,120})/[0-9]{1,7}$")


def series_of(iri: str) -> str:
    """The regime across its versions that an IRI names (a version IRI, or the regime's own)."""
    found = _VERSION.match(iri)
    return found.group(1) if found else iri


def regime_series(regime: Regime) -> str:
    return regime.isVersionOf or series_of(regime.id)


def granted(regime: Regime) -> frozenset[str]:
    """The regimes a right under ``regime`` also counts in."""
    return frozenset(series_of(str(g)) for g in regime.grants or ())


def excluded(regime: Regime) -> frozenset[str]:
    return frozenset(series_of(str(e)) for e in regime.excludes or ())


def granting(regimes: Iterable[Regime], targets: set[str], tenant: str) -> list[Regime]:
    """The regimes (of ``tenant``) that grant any of the ``targets`` (regime series IRIs)."""
    return [r for r in regimes
            if str(r.areaManager) == tenant and granted(r) & targets
            and regime_series(r) not in targets]


def exclusive(regimes: Iterable[Regime], new: list[Regime], tenant: str) -> list[Regime]:
    """The regimes (of ``tenant``) a right under any of ``new`` cannot be held together with:
    those that exclude one of them and those one of them excludes."""
    new_series = {regime_series(r) for r in new}
    excluded_by_new = set().union(*(excluded(r) for r in new)) if new else set()
    return [r for r in regimes
            if str(r.areaManager) == tenant and regime_series(r) not in new_series
            and (excluded(r) & new_series or regime_series(r) in excluded_by_new)]


def under(right_regime: str | None, regime: Regime) -> bool:
    """Whether a right (naming ``right_regime``, or none) in a zone of ``regime`` is under it."""
    return right_regime is None or series_of(right_regime) == regime_series(regime)
