"""POST /apds/quotes: a quote for a place and a period, answered by the trial price, in the
published QuoteResponse schema."""

from __future__ import annotations

from tests.apds.conftest import conforms, status

REQUEST = {"hierarchyElement": {"id": "gent-rood", "version": 1},
           "periodStart": "2026-03-02T09:00:00Z", "periodEnd": "2026-03-02T10:30:00Z"}


def test_a_quote_for_a_place_and_period_is_the_trial_price(client_as):
    response = client_as("provider").post("/apds/quotes", json=REQUEST)

    assert response.status_code == 200, response.text
    quote = conforms("QuoteResponse", response.json())
    [option] = quote["options"]
    assert option["rightSpecification"] == {"id": "gent-rood-betalend", "version": 2}
    # Monday 10:00-11:30 local: 60 minutes at 0.50 per 15 and 30 at 1.00 per 15.
    assert option["financialQuote"] == {"taxIncluded": True, "value": {
        "currencyType": "EUR", "currencyValue": 4.0}}
    native = client_as("provider").get("/price", params={
        "zone": "gent-rood", "start": "2026-03-02T10:00:00+01:00",
        "end": "2026-03-02T11:30:00+01:00"}).json()
    assert native["price"]["value"] == "4.00"


def test_a_named_right_specification_version_is_priced(client_as):
    body = {**REQUEST, "periodStart": "2025-03-03T09:00:00Z",
            "periodEnd": "2025-03-03T10:00:00Z",
            "referencedRightSpecifications": [{"id": "gent-rood-betalend", "version": 1}]}
    quote = conforms("QuoteResponse", client_as("enforcement").post("/apds/quotes",
                                                                    json=body).json())

    assert quote["options"][0]["rightSpecification"]["version"] == 1
    assert quote["options"][0]["financialQuote"]["value"]["currencyValue"] == 1.6


def test_bad_quote_requests_name_the_field(client_as):
    client = client_as("provider")

    assert "periodEnd" in status(client.post("/apds/quotes", json={
        **REQUEST, "periodEnd": "2026-03-02T08:00:00Z"}), 400)["message"]
    assert "hierarchyElement" in status(client.post("/apds/quotes", json={
        k: v for k, v in REQUEST.items() if k != "hierarchyElement"}), 400)["message"]
    status(client.post("/apds/quotes", json={**REQUEST, "hierarchyElement": {
        "id": "nowhere", "version": 1}}), 404)


def test_the_published_schemas_are_served(client_as):
    body = client_as("anonymous").get("/apds/schemas").json()

    assert {"QuoteRightRequest", "QuoteResponse", "WebhookEvent"} <= set(
        body["components"]["schemas"])


def test_a_quote_is_booked_by_assigning_a_right_that_names_its_option(client_as):
    from tests.apds.conftest import instant, plate_credential

    provider = client_as("provider")
    quote = provider.post("/apds/quotes", json={
        "hierarchyElement": {"id": "gent-rood", "version": 1},
        "periodStart": instant(-1), "periodEnd": instant(59)}).json()
    option = quote["options"][0]
    booking = {"id": "booked-1", "version": 1,
               "rightSpecification": option["rightSpecification"],
               "rightHolder": {"credentials": [plate_credential("1BKD001")]},
               "quoteResponseId": quote["id"], "optionId": option["optionId"]}

    status(provider.post("/apds/rights/assigned", json=booking), 201)

    booked = conforms("AssignedRight", provider.get("/apds/rights/assigned/booked-1").json())
    assert booked["plannedUses"] == [{"startTime": option["periodStart"],
                                      "endTime": option["periodEnd"]}]
    assert booked["monetaryValue"]["value"] == option["financialQuote"]["value"]
    # Another organisation cannot book it; an unknown option is named.
    other = {**booking, "id": "booked-2"}
    assert "optionId" in status(provider.post("/apds/rights/assigned", json={
        **other, "optionId": "9"}), 400)["message"]
    assert "quoteResponseId" in status(client_as("area-manager").post(
        "/apds/rights/assigned", json=other), 400)["message"]
