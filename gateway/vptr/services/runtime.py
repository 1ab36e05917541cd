"""The running register as the use cases see it, and who is asking.

Every use case in ``vptr.services`` takes a :class:`Runtime` (the store and what the use cases
share across requests: the read-audit buffer, the instance's short memory of credentials and
grants) and a :class:`Caller` (the principal, and through which operation and from which address
it asks), never a channel's request object. A channel builds the caller from its own request and
hands over plain typed arguments, so the native API, APDS, NPR and the web app share every rule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Connection

from vptr.accounting.audit import Access, Actor, ReadAuditBuffer, record, rows_for
from vptr.accounting.metering import MeteringCounter
from vptr.accounting.retention import RetentionJob
from vptr.auth.cache import TtlCache
from vptr.auth.jwt import TokenVerifier
from vptr.auth.oidc import verifier_from_settings
from vptr.auth.principal import Principal
from vptr.settings import Settings
from vptr.store.database import Store
from vptr.store.sqlite_writes import WriteBusy

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks, through which operation (its OpenAPI id, or the channel's message name) and from
    which address: what a use case needs to authorise and to audit.

    ``served`` is told the tenant whose data a use case touched: a provider's call is billed to
    the municipality it served (vptr.accounting.metering)."""

    principal: Principal
    operation: str | None = None
    client_address: str | None = None
    served: Callable[[str], None] | None = None
    #: The person acting for the organisation (a staff member logged in to the web app), recorded
    #: in the audit log beside the organisation; None when the organisation acts as itself (API).
    person: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.organisation, self.operation, self.client_address,
                     self.person)

    def note_tenant(self, accesses: Sequence[Access]) -> None:
        """Tell metering the tenant served, when the accesses name exactly one."""
        if accesses:
            tenants = {access.tenant for access in accesses}
            if len(tenants) == 1:
                self.serve(next(iter(tenants)))

    def serve(self, tenant: str) -> None:
        """Tell metering the one tenant whose data a use case served (a provider's trial price in
        a municipality's zone is billed to that municipality)."""
        if self.served is not None:
            self.served(tenant)


class Runtime:
    """The store and what the use cases share while the register runs (one per instance)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        settings = store.settings
        #: Read entries of the audit log wait here and are written together
        #: (vptr.accounting.audit.ReadAuditBuffer).
        self.audit_buffer = ReadAuditBuffer(
            store.engine, flush_seconds=settings.audit_flush_seconds,
            before_write=store.ensure_ready)
        #: Requests counted per tenant, day, organisation and operation, for the per-call bill
        #: (vptr.accounting.metering); every channel counts into it.
        self.metering = MeteringCounter(store.engine, flush_seconds=settings.metering_flush_seconds,
                                        before_write=store.ensure_ready)
        self._retention: RetentionJob | None = None
        #: Who a credential is and what an organisation may read, remembered for at most
        #: ``auth_cache_seconds`` (vptr.auth.cache).
        self.principals = TtlCache(settings.auth_cache_seconds)
        self.read_grants = TtlCache(settings.auth_cache_seconds)
        #: A tenant's NPR codes (AreaManagerId, AreaIds, UsageIds, ...; vptr.services.npr),
        #: remembered for the same bound: a changed code counts everywhere within it.
        self.npr_codes = TtlCache(settings.auth_cache_seconds)
        self._verifier_lock = threading.Lock()
        self._token_verifier: TokenVerifier | bool | None = False
        #: The webhook dispatcher (vptr.services.webhooks), started with the server or on the
        #: first event; tests set ``webhook_transport`` (an httpx transport), ``webhook_delays``
        #: and ``webhook_poll`` before that. ``webhook_renderer`` is the channel's rendering of
        #: an event as a webhook body (installed by the APDS channel; None: nothing is queued).
        self.webhooks: Any = None
        self.webhook_transport: Any = None
        self.webhook_delays: tuple[float, ...] | None = None
        self.webhook_poll: float | None = None
        self.webhook_renderer: Callable[..., Any] | None = None
        #: What a channel starts with the server (the APDS channel: its webhook dispatcher, to
        #: deliver what was queued before a restart).
        self.starters: list[Callable[[], None]] = []

    @property
    def token_verifier(self) -> TokenVerifier | None:
        """The verifier of OAuth2 client-credentials JWTs (None: OIDC is not configured), made on
        first use and shared by every request: it holds the identity provider's keys."""
        if self._token_verifier is False:
            with self._verifier_lock:
                if self._token_verifier is False:
                    self._token_verifier = verifier_from_settings(self.settings)
        return self._token_verifier  # type: ignore[return-value]

    @property
    def settings(self) -> Settings:
        return self.store.settings

    def start(self) -> None:
        """Start the background jobs: what the channels asked for (``starters``: the delivery
        of webhook events queued in the store, some perhaps before a restart) and the periodic
        retention run the settings ask for."""
        for start in self.starters:
            start()
        settings = self.settings
        if settings.retention_interval_hours > 0 and self._retention is None:
            self._retention = RetentionJob(self.store.engine, days=settings.retention_days,
                                           interval_hours=settings.retention_interval_hours,
                                           before_run=self.store.ensure_ready)
            self._retention.start()

    def close(self) -> None:
        """Stop the jobs and write what is still buffered (at shutdown)."""
        if self._retention is not None:
            self._retention.stop()
            self._retention = None
        if self.webhooks is not None:
            self.webhooks.close()
            self.webhooks = None
        self.metering.close()
        self.audit_buffer.close()

    # --- the audit log ------------------------------------------------------------------------

    def audit_change(self, connection: Connection, caller: Caller, accesses: Sequence[Access]
                     ) -> int:
        """Audit what a change touched, in the change's transaction (they commit or roll back
        together)."""
        caller.note_tenant(accesses)
        return record(connection, caller.actor, accesses)

    def audit_reads(self, caller: Caller, accesses: Sequence[Access]) -> int:
        """Audit what a read revealed, once the answer is known: written by the buffer within
        ``audit_flush_seconds`` (a read costs no transaction of its own)."""
        if not accesses:
            return 0
        caller.note_tenant(accesses)
        self.audit_buffer.add(rows_for(caller.actor, accesses))
        return len(accesses)

    def flush_audit(self) -> None:
        """Write this instance's pending read entries now (before the log is read back)."""
        self.audit_buffer.flush()

    # --- where work runs ----------------------------------------------------------------------

    async def ready(self) -> None:
        """Makes the store ready to serve (a test's fresh store is migrated on first use), in a
        worker thread so migrating blocks no other request; nothing at all once it is ready."""
        if not self.store.ready:
            await anyio.to_thread.run_sync(self.store.ensure_ready)

    async def run_read(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Runs a short read-only use case (the check, the trial price) where it is cheapest:
        inline on the embedded store, in a worker thread on PostgreSQL
        (:attr:`vptr.store.database.Store.works_inline`)."""
        if self.store.works_inline:
            return work(*args, **kwargs)
        return await anyio.to_thread.run_sync(partial(work, *args, **kwargs))

    async def run_write(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Runs a short write (registering, ending a right) where it is cheapest: inline on the
        embedded store when the write lock is free, else (another writer holds it, or the store
        is PostgreSQL) in a worker thread, where waiting blocks no other request
        (:meth:`vptr.store.database.Store.write_now`). ``work`` must not change anything before
        its first write transaction: after WriteBusy it runs again from the start."""
        if self.store.works_inline:
            try:
                return self.store.write_now(work, *args, **kwargs)
            except WriteBusy:
                pass
        return await anyio.to_thread.run_sync(partial(work, *args, **kwargs))
