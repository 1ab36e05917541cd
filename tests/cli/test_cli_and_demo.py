"""The operator's commands and the demo municipality a newcomer starts with."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from vptr.app import create_app
from vptr.cli import app as cli
from vptr.cli.options import is_loopback
from vptr.services import demo
from vptr.services.demo import CREDENTIALS, credential, load_demo
from vptr.store import migrations
from vptr.validation import validate_document

runner = CliRunner()


def test_demo_credentials_are_printed_as_json_for_scripts():
    result = runner.invoke(cli, ["demo", "credentials", "--json"])

    assert result.exit_code == 0
    printed = json.loads(result.output)
    assert [c["role"] for c in printed] == ["area-manager", "provider", "provider-limited",
                                            "enforcement"]
    assert [c["key"] for c in printed] == [c.key for c in CREDENTIALS]


def test_each_demo_credential_acts_as_its_organisation_with_its_roles(app):
    expected = {"area-manager": {"areaManager", "provider"}, "provider": {"provider"},
                "provider-limited": {"provider"}, "enforcement": {"enforcement"}}
    for item in CREDENTIALS:
        client = TestClient(app, headers={"Authorization": f"Bearer {item.key}"})
        me = client.get(f"/organisations/{item.organisation.rsplit('/', 1)[1]}")
        assert me.status_code == 200
        assert set(me.json()["roles"]) == expected[item.role], item.role


def test_the_demo_refuses_to_listen_beyond_this_machine_unless_forced():
    for host in ("0.0.0.0", "192.168.1.20", "example.org"):
        result = runner.invoke(cli, ["serve", "--demo", "--host", host])
        assert result.exit_code == 2, host
        assert "--force-public" in result.output
    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1"))


def test_every_serve_option_has_help():
    """Read from the Click command itself: an option's name shows in the usage whether or not it
    has a help text, so the output of --help alone cannot tell."""
    serve = typer.main.get_command(cli).commands["serve"]
    options = [p for p in serve.params if p.param_type_name == "option"]
    without_help = [o.opts[0] for o in options if not (o.help or "").strip()]
    result = runner.invoke(cli, ["serve", "--help"])

    assert without_help == []
    assert {"--host", "--port", "--database-url", "--db-path", "--demo", "--force-public"} <= {
        name for o in options for name in o.opts}
    assert result.exit_code == 0, result.output
    for option in ("--host", "--port", "--database-url", "--db-path", "--demo", "--force-public"):
        assert option in result.output


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_db_upgrade_brings_an_empty_store_to_the_newest_schema(backend, empty_store_url):
    url = empty_store_url(backend)
    upgraded = runner.invoke(cli, ["db", "upgrade", "--database-url", url])
    current = runner.invoke(cli, ["db", "current", "--database-url", url])

    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.output.strip() == f"(empty) -> {migrations.head_revision()}"
    assert f"current: {migrations.head_revision()}" in current.output


def test_a_tenant_created_by_the_operator_gets_a_working_key(empty_store_url):
    url = empty_store_url("sqlite")
    result = runner.invoke(cli, ["tenant", "create", "Stad Brugge", "--reference", "stad-brugge",
                                 "--nis-code", "31005", "--database-url", url])
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)

    from vptr.settings import Settings

    client = TestClient(create_app(Settings(database_url=url)),
                        headers={"Authorization": f"Bearer {created['apiKey']}"})
    zone = client.post("/zones", json={"name": "Markt", "zoneKind": "blueZone", "geometry": {
        "asWKT": "POLYGON ((3.22 51.20, 3.23 51.20, 3.23 51.21, 3.22 51.20))"}})
    assert created["organisation"].endswith("/organisation/stad-brugge")
    assert zone.status_code == 201, zone.text
    assert zone.json()["areaManager"] == created["organisation"]
    again = runner.invoke(cli, ["tenant", "create", "Stad Brugge", "--reference", "stad-brugge",
                                "--database-url", url])
    assert again.exit_code == 1 and "exists" in again.output


@pytest.mark.parametrize("documents", [
    demo.organisation_documents, demo.zone_documents, demo.regime_documents,
    demo.authorisation_documents, demo.permit_documents,
    lambda: [demo.whitelist_document(), demo.regime_rood_2026()],
], ids=["organisations", "zones", "regimes", "authorisations", "permits", "whitelist+regime"])
def test_every_demo_document_conforms_to_the_application_profile(documents):
    for document in documents():
        kind = document["id"].split("/id/")[1].split("/")[0]
        type_name = {"organisation": "Organisation", "zone": "Zone", "regime": "Regime",
                     "authorisation": "Authorisation", "permit": "Permit",
                     "whitelist": "Whitelist"}[kind]
        full = {"areaManager": demo.GENT, **document} if type_name in (
            "Zone", "Regime", "Permit") else dict(document)
        if type_name == "Regime":
            full.update(version=1, isVersionOf=document["id"], id=document["id"] + "/1")
        if type_name == "Authorisation":
            full["grantor"] = demo.GENT
        if type_name == "Whitelist":
            full["areaManager"] = demo.GENT
        report = validate_document(full, default_type=type_name)
        assert report.conforms, (document["id"], report.as_json()["violations"])


def test_the_demo_is_loaded_once_and_its_rights_run_now(store, client_as, count_rows):
    before = count_rows("rights")
    assert load_demo(store) is False
    assert count_rows("rights") == before

    running = client_as("enforcement").get("/rights", params={"status": "active"}).json()
    now = datetime.now(UTC)
    for right in running["@graph"]:
        period = right["validityPeriod"]
        assert datetime.fromisoformat(period["startTime"]) <= now
        assert datetime.fromisoformat(period["endTime"]) > now
    assert running["total"] == 2
    assert credential("provider").organisation == demo.PARKPLUS


def test_the_readme_lists_the_demo_credentials_as_they_are():
    from vptr import paths

    readme = (paths.repository_root() / "README.md").read_text(encoding="utf-8")
    for item in CREDENTIALS:
        assert f"| `{item.role}` | {item.name} | `{item.key}` |" in readme


@pytest.mark.parametrize(("env", "expected"), [
    (None, {"proxy_headers": False}),
    ('["10.0.0.5", "10.1.0.0/24"]', {"proxy_headers": True,
                                     "forwarded_allow_ips": "10.0.0.5,10.1.0.0/24"}),
])
def test_serve_trusts_forwarded_headers_only_from_the_proxies_named(
        monkeypatch, tmp_path, env, expected):
    """On any address, X-Forwarded-For is believed only from VPTR_FORWARDED_ALLOW_IPS (none by
    default): a client rotating the header neither escapes its rate limit nor writes a spoofed
    address into the audit log (issue 18, item 5)."""
    import uvicorn

    import vptr.cli.serve as serve_module

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.setattr(serve_module, "_settle", lambda: None)
    if env is None:
        monkeypatch.delenv("VPTR_FORWARDED_ALLOW_IPS", raising=False)
    else:
        monkeypatch.setenv("VPTR_FORWARDED_ALLOW_IPS", env)
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--db-path",
                                 str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0, result.output
    assert {k: v for k, v in seen.items() if k in ("proxy_headers", "forwarded_allow_ips")} \
        == expected


def test_serve_says_when_it_creates_a_new_store_so_a_mistyped_path_shows(monkeypatch, tmp_path):
    import uvicorn

    import vptr.cli.serve as serve_module

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setattr(serve_module, "_settle", lambda: None)
    path = str(tmp_path / "register.sqlite")

    first = runner.invoke(cli, ["serve", "--db-path", path])
    again = runner.invoke(cli, ["serve", "--db-path", path])

    assert first.exit_code == 0 and "(new: there was no file at this path" in first.output
    assert again.exit_code == 0 and "(new:" not in again.output
