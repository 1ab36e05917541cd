"""Run-time configuration, from the environment (prefix ``VPTR_``) or the CLI's options."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VPTR_", extra="ignore")

    #: SQLAlchemy URL of the store; the default is an embedded SQLite file.
    database_url: str = "sqlite:///vptr.sqlite"
    #: The base of data IRIs minted by the register.
    data_base_iri: str = "https://data.parkeerregister.vlaanderen.be/id/"
    #: The largest request body accepted, in bytes (answered with 413 beyond).
    max_body_bytes: int = 1_000_000
    #: The largest page a list may return.
    max_page_size: int = 500
    default_page_size: int = 50
    #: Load the demo municipality at start-up.
    demo: bool = False
    #: Seals the tenants' plate keys in the store (vptr.store.plate_keys, docs/security.md): kept
    #: outside the database (a vault), the same on every instance, never changed once keys are
    #: sealed with it. Unset: keys are stored in clear.
    plate_key_secret: SecretStr | None = None

    # Security (docs/security.md). OIDC is off until issuer, audience and JWKS URL are all set.
    #: The identity provider whose client-credentials JWTs are accepted (its ``iss``).
    oidc_issuer: str | None = None
    #: The audience tokens must name: this register.
    oidc_audience: str | None = None
    #: Where the identity provider publishes its signing keys (JWKS).
    oidc_jwks_url: str | None = None
    #: The claims naming the OAuth2 client, tried in order (Keycloak: ``azp``).
    oidc_client_id_claims: list[str] = ["azp", "client_id", "clientId"]
    #: The claim holding the token's scopes (space-separated or a list).
    oidc_scope_claim: str = "scope"
    #: Accepted signature algorithms: asymmetric only (HS* and none are always refused).
    oidc_algorithms: list[str] = ["RS256", "ES256"]
    #: How long fetched signing keys are trusted before the JWKS is fetched again.
    oidc_jwks_ttl_seconds: float = 300.0
    #: Clock skew tolerated on exp and nbf, in seconds.
    oidc_leeway_seconds: float = 30.0
    #: Per-organisation rate limit of each instance, in requests a second and burst (0: no limit).
    rate_limit_per_second: float = 100.0
    rate_limit_burst: int = 200
    #: The longest request counts wait in memory before they are added to the database (seconds).
    metering_flush_seconds: float = 1.0
    #: How long an instance remembers an API key's principal and an organisation's read
    #: authorisations (seconds; 0: read them on every request). Revocation takes this long at most.
    auth_cache_seconds: float = 2.0
    #: The longest audit rows of reads (checks, reads, lists) wait in memory before they are
    #: written, in one transaction (seconds; 0: one transaction per read). Changes are audited in
    #: their own transaction regardless.
    audit_flush_seconds: float = 1.0
    #: FastAPI's own OpenTelemetry (spans, metrics and logs per request) for a deployment that
    #: configures an OpenTelemetry SDK; off by default, when it would only ask on every request
    #: whether a provider is there (about 3 % of a check's server CPU, bench/README.md).
    opentelemetry: bool = False
    #: The proxies (addresses or networks, such as ``10.0.0.5`` or ``10.0.0.0/24``) whose
    #: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` the server believes; none by default, so a
    #: client cannot choose the address its rate limit and audit entries are kept under
    #: (docs/deployment.md).
    forwarded_allow_ips: list[str] = []
    #: Organisations (IRIs) operating the platform: they read every tenant's metering and audit.
    platform_operators: list[str] = []
    #: Days after a right (permit, whitelist entry) ended before its plate is pseudonymised.
    retention_days: int = 91
    #: Run retention inside the server every so many hours (0: off; use `vptr retention run`).
    retention_interval_hours: float = 0.0

    # Open data (vptr.opendata, docs/open-data.md): served at the paths of these IRIs.
    #: The base of the standard's IRIs (vocabulary /ns/..., profile and context /doc/...,
    #: shapes /shacl/..., code lists /id/concept/...).
    standard_base_iri: str = "https://data.vlaanderen.be/"
    #: Anonymous open-data reads per client address and instance: a second, and burst.
    open_data_rate_limit_per_second: float = 20.0
    open_data_rate_limit_burst: int = 100
    #: How long a cache may keep a resource before revalidating it (seconds).
    open_data_max_age_seconds: int = 300
    #: Members per page of the change stream (/ldes); fixed once published (pages are cached).
    ldes_page_size: int = 100
    #: The licence of the open data.
    open_data_licence: str = (
        "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0")

    # The management web app at /beheer (vptr.web, docs/web.md).
    #: The map's background tiles (the only thing the web app loads from elsewhere).
    web_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    web_tile_attribution: str = "© OpenStreetMap contributors"
    #: A staff session ends after this many minutes without a request.
    web_session_idle_minutes: float = 30.0
    #: ... and at the latest this many hours after login, however busy (kept in the store, so
    #: every instance serves every session; the retention run deletes the dead ones).
    web_session_max_hours: float = 12.0
    #: Staff log in through the identity provider of ``oidc_issuer`` (its keys at
    #: ``oidc_jwks_url``) with the authorisation code flow and PKCE, as this client; off until the
    #: endpoints and the client id are set (docs/web.md).
    web_oidc_authorization_url: str | None = None
    web_oidc_token_url: str | None = None
    web_oidc_client_id: str | None = None
    web_oidc_client_secret: SecretStr | None = None
    #: The ID token's claim naming the organisation (IRI or reference) the person works for.
    web_oidc_organisation_claim: str = "vptr_organisation"
    web_oidc_scope: str = "openid profile"
