"""``POST /validate`` and the ``/validate`` page on the gateway.

The body is read by its Content-Type; the report comes back in the format ``Accept`` asks for (a
concise JSON summary by default, a SHACL report in JSON-LD or Turtle, or HTML). Unreadable input
is a 400 problem document naming the field and the reason; a body over the limit is 413."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import RDF, SH

from vptr.app import create_app
from vptr.settings import Settings
from vptr.validation.loading import json_to_graph, prepare_json

from .corpus import SHAPE_EXAMPLES

INVALID = SHAPE_EXAMPLES / "invalid" / "PeriodStartsBeforeEnd-right-ends-before-it-starts.json"
VALID = SHAPE_EXAMPLES / "valid" / "PeriodStartsBeforeEnd-right-of-two-hours.json"
JSON_TYPE = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("validate")
    settings = Settings(database_url=f"sqlite:///{folder / 'register.sqlite'}",
                        max_body_bytes=200_000)
    yield TestClient(create_app(settings))


def post(client: TestClient, body: bytes | str, headers: dict[str, str] | None = None,
         path: str = "/validate"):
    return client.post(path, content=body, headers={**JSON_TYPE, **(headers or {})})


def test_the_default_answer_is_a_concise_json_summary(client: TestClient) -> None:
    response = post(client, INVALID.read_bytes())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["conforms"] is False and body["checkedObjects"] == 5
    (violation,) = body["violations"]
    assert violation["field"] == "validityPeriod.startTime"
    assert violation["pointer"] == "/validityPeriod/startTime"
    assert violation["message"].startswith("The period does not start before it ends")
    assert post(client, VALID.read_bytes()).json() == {"conforms": True, "checkedObjects": 5,
                                                       "violations": []}


def test_messages_follow_the_language_asked_for(client: TestClient) -> None:
    by_query = post(client, INVALID.read_bytes(), path="/validate?lang=nl").json()
    by_header = post(client, INVALID.read_bytes(), {"accept-language": "nl-BE,nl;q=0.9"}).json()
    assert by_query == by_header
    assert by_query["violations"][0]["message"].startswith("De periode begint niet")


@pytest.mark.parametrize(("accept", "parser"), [("application/ld+json", "json-ld"),
                                                ("text/turtle", "turtle")])
def test_a_shacl_validation_report_by_content_negotiation(client: TestClient, accept: str,
                                                          parser: str) -> None:
    response = post(client, INVALID.read_bytes(), {"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=parser)
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(list(graph.objects(report, SH.result))) == 1


def test_turtle_payloads_and_the_type_parameter(client: TestClient) -> None:
    document = json.loads(INVALID.read_text(encoding="utf-8"))
    turtle = json_to_graph(prepare_json(document)).serialize(format="turtle")
    response = post(client, turtle, {"content-type": "text/turtle"})
    assert response.json()["violations"][0]["field"] == "validityPeriod.startTime"
    del document["type"]
    assert post(client, json.dumps(document)).status_code == 400
    typed = post(client, json.dumps(document), path="/validate?type=Right")
    assert typed.status_code == 200 and typed.json()["conforms"] is False


def test_unreadable_input_is_a_problem_document_naming_field_and_reason(
        client: TestClient) -> None:
    response = post(client, json.dumps({"type": "Right", "naam": "Kouter"}))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and problem["title"]
    assert problem["errors"] == [{"field": "naam",
                                  "reason": "unknown term 'naam': not a property of the model"}]
    not_json = post(client, b"{not json")
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["detail"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    response = post(client, b"[" * 50_000_000)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"


def test_other_media_types_are_refused(client: TestClient) -> None:
    assert post(client, b"<x/>", {"content-type": "application/xml"}).status_code == 415
    assert post(client, VALID.read_bytes(), {"accept": "image/png"}).status_code == 406


def test_the_page_offers_a_form_in_both_languages(client: TestClient) -> None:
    dutch = client.get("/validate?lang=nl")
    english = client.get("/validate", headers={"accept-language": "en"})
    assert dutch.status_code == english.status_code == 200
    assert dutch.headers["content-type"].startswith("text/html")
    assert "Valideer een bericht" in dutch.text and "Validate a payload" in english.text
    for page in (dutch.text, english.text):
        assert '<form method="post"' in page and 'type="file"' in page
        assert "<script" not in page and "http://" not in page.replace("http://www.w3", "")
        assert 'rel="stylesheet"' not in page


def test_the_page_shows_the_report_of_an_uploaded_file_as_a_table(client: TestClient) -> None:
    response = client.post("/validate?lang=nl",
                           files={"file": ("right.json", INVALID.read_bytes())},
                           data={"payload": "", "type": ""}, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "<table>" in response.text
    assert "Periode in validityPeriod" in response.text
    assert "starttijd (startTime)" in response.text


def test_the_page_shows_a_pasted_payload_and_escapes_it(client: TestClient) -> None:
    payload = json.dumps({"type": "Right", "clientReference": "<script>alert(1)</script>"})
    response = client.post("/validate", data={"payload": payload, "type": "Right"},
                           headers={"accept": "text/html"})
    assert "<script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert response.status_code == 200 and "<table>" in response.text


def test_the_page_explains_an_unreadable_payload(client: TestClient) -> None:
    response = client.post("/validate?lang=en", data={"payload": '{"naam": 1}'},
                           headers={"accept": "text/html"})
    assert response.status_code == 400
    assert "The payload cannot be read (naam): unknown term" in response.text
