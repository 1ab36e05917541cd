"""The composition root: the one place where the store, the use cases' runtime and the channels
meet. It builds the FastAPI application and mounts every channel's routers, in one list."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from vptr import apds, api, mapping, npr, opendata, web
from vptr.services import demo
from vptr.services.runtime import Runtime
from vptr.settings import Settings
from vptr.store.database import Store

#: Where the shared static files are served.
SHARED_VENDOR = "/static/vendor"


def runtime_lifespan(runtime: Runtime) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the runtime's jobs with the server and write what it buffers when it stops."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The first check would otherwise parse every zone outline on the event loop (the
        # embedded store runs checks inline): do it before the first request arrives.
        await run_in_threadpool(runtime.store.warm_up)
        runtime.start()
        # The server configured its logging before this runs: its access log is now written (and
        # its plates masked) by a thread of its own, off every request's path.
        access_log = api.AccessLogWriter()
        access_log.start()
        try:
            yield
        finally:
            access_log.stop()
            runtime.close()

    return lifespan


def open_store(settings: Settings) -> Store:
    """The store the settings name, seeded with the demo when they ask for it."""
    return Store(settings, seed=demo.seed if settings.demo else None)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app over ``store`` (tests share one), or over a new store the settings name; a new
    store migrates itself on first use."""
    settings = settings or (store.settings if store is not None else Settings())
    # The APDS and NPR gateways translate through the mapping files: load and check them all now,
    # so a mapping naming an unknown slot stops start-up (naming the file and the slot) instead of
    # failing the first request that needs it.
    mapping.registry()
    runtime = Runtime(store or open_store(settings))
    app = FastAPI(
        lifespan=runtime_lifespan(runtime),
        title="Vlaams Parkeer- en Toegangsregister",
        description="The register's native API (OSLO JSON-LD), validation and open data.",
        version="0.1.0",
        generate_unique_id_function=api.operation_id,
        telemetry={signal: settings.opentelemetry for signal in ("tracing", "metrics", "logs")},
    )
    app.state.settings = settings
    app.state.store = runtime.store
    app.state.runtime = runtime
    # What each channel needs around its routers, before any router is added (the native API's
    # rate limit becomes a dependency of every route).
    api.install(app)
    apds.install(app)
    web.install(app, settings)
    # Files more than one channel's pages use (the vendored Leaflet), served once, here.
    app.mount(SHARED_VENDOR, StaticFiles(directory=web.VENDOR_DIR), name="shared-vendor")
    site = opendata.install(app, settings, vendor_url=SHARED_VENDOR)
    # Routes are matched in the order they are added: the hot ones (the benchmarks' trivial
    # endpoint, the check, the trial price) come first, so they do not pay for testing every
    # other path. The native API, then NPR (/npr), APDS v4 (/apds), the web app (/beheer) and
    # open data (/id, /ns, /doc, /catalog, /dumps, /ldes).
    for router in [*api.ROUTERS, *npr.ROUTERS, *apds.ROUTERS, *web.ROUTERS,
                   *opendata.routers(site)]:
        app.include_router(router)
    return app
