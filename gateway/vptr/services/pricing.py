"""The trial price of a right before anything is booked (F1.4, NPR CalculatePrice, APDS Quote).

Who may ask: whoever may read the zone (``GET /zones/{ref}``): the zone's area manager and the
organisations it authorised. Another tenant's zone is not found, exactly like a zone that does not
exist (docs/security.md, "What another tenant sees"). Zones, regimes and tariffs are public as
open data (vptr.opendata, at their IRIs, without a key); the native API's zones, regimes and
prices keep this one rule together (``vptr.auth.access.visible_tenants``).
The calculation is :func:`vptr.domain.pricing.trial_price`; its module docstring states how paid
time, steps, day maxima and versions count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vptr.auth.access import visible_tenants
from vptr.domain.errors import DomainError
from vptr.domain.pricing import AmbiguousRegimeError, NoTariffError, TrialPrice, trial_price
from vptr.errors import Conflict, FieldError, Invalid, NotFound
from vptr.services.runtime import Caller, Runtime
from vptr.store.check_sources import StoreCheckSources
from vptr.times import now


@dataclass(frozen=True, slots=True)
class Question:
    """A zone (IRI or reference), a start, and either a duration or an end."""

    zone: str
    start: datetime
    duration: timedelta | None = None
    end: datetime | None = None
    regime: str | None = None  # the regime (or version) IRI, when several tariffs apply


@dataclass(frozen=True, slots=True)
class Quote:
    price: TrialPrice
    time_zone: str | None  # the zone's, for showing instants in local time


def quote(runtime: Runtime, caller: Caller, question: Question) -> Quote:
    """The price with its breakdown per day and tariff step, day maxima and free periods."""
    if (question.duration is None) == (question.end is None):
        raise Invalid.field("duration", "give either duration or end")
    zone_iri = runtime.store.iris.resolve("zone", question.zone)
    with runtime.store.reading() as connection:
        sources = StoreCheckSources(connection)
        found = sources.zones_by_ids([zone_iri])
        if not found or found[0].area_manager not in visible_tenants(
                connection, caller.principal, now()):
            raise NotFound(f"no zone {question.zone}", [FieldError("zone", "no such zone")])
        zone = found[0]
        versions = sources.regime_history(zone_iri)
    caller.serve(zone.area_manager)
    try:
        price = trial_price(versions, zone_iri, question.start, end=question.end,
                            duration=question.duration, time_zone_name=zone.time_zone,
                            regime_ref=question.regime)
    except AmbiguousRegimeError as exc:
        raise Conflict(str(exc), [FieldError("regime", f"one of {', '.join(exc.candidates)}")]
                       ) from exc
    except NoTariffError as exc:
        raise NotFound(str(exc), [FieldError(exc.field, str(exc))]) from exc
    except DomainError as exc:
        raise Invalid.field(exc.field, str(exc)) from exc
    except ArithmeticError as exc:  # a tariff stored before amounts were bounded
        raise Invalid.field("zone", "the tariff in force cannot be priced: an amount is out of "
                                    "range") from exc
    return Quote(price, zone.time_zone)
