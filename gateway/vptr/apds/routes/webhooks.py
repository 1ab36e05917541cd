"""``/apds/webhooks``: an organisation subscribes an endpoint to event topics (apds4.yaml
EventSubscription); events about rights it may read are POSTed there in the background, retried
with backoff (:mod:`vptr.services.webhooks`). Listing, unsubscribing and the delivery log of a
subscription are the register's additions (apds4.yaml only has the POST)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vptr.apds import translate
from vptr.apds.http import ApdsRoute, Reader, RuntimeDep, body_of, response_status
from vptr.services import webhooks

router = APIRouter(prefix="/apds", tags=["APDS: webhooks"], route_class=ApdsRoute)


@router.post("/webhooks", operation_id="apdsPostWebhooks",
             summary="Subscribe an endpoint to event topics (APDS EventSubscription)")
async def post_webhooks(request: Request, runtime: RuntimeDep, caller: Reader) -> JSONResponse:
    message = await body_of(request, "EventSubscription")
    subscription = await runtime.run_write(webhooks.subscribe, runtime, caller,
                                           message.get("endpoint", ""),
                                           message.get("topics", []))
    return JSONResponse({"status": "ok", "code": 200, "id": subscription.id,
                         "message": f"Subscribed to {', '.join(subscription.topics)}."})


@router.get("/webhooks", operation_id="apdsGetWebhooks",
            summary="The caller's webhook subscriptions")
async def get_webhooks(runtime: RuntimeDep, caller: Reader) -> JSONResponse:
    found = await runtime.run_read(webhooks.subscriptions, runtime, caller)
    return JSONResponse({"data": [{"id": s.id, "endpoint": s.endpoint, "topics": s.topics}
                                  for s in found]})


@router.delete("/webhooks/{id}", operation_id="apdsDeleteWebhook",
               summary="Unsubscribe")
async def delete_webhook(id: str, runtime: RuntimeDep, caller: Reader) -> JSONResponse:
    await runtime.run_write(webhooks.unsubscribe, runtime, caller, id)
    return response_status(200, f"Subscription {id} deleted successfully.")


@router.get("/webhooks/{id}/deliveries", operation_id="apdsGetWebhookDeliveries",
            summary="The latest delivery attempts of a subscription (never their bodies)")
async def get_deliveries(id: str, runtime: RuntimeDep, caller: Reader) -> JSONResponse:
    found = await runtime.run_read(webhooks.deliveries, runtime, caller, id)
    return JSONResponse({"data": [{"eventId": d.event_id, "topic": d.topic,
                                   "attempt": d.attempt, "at": translate.utc(d.at),
                                   "statusCode": d.status_code, "error": d.error,
                                   "delivered": d.delivered} for d in found]})
