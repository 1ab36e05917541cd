"""A ceiling on request bodies, so one large request cannot degrade the register for everyone.

The current register's known defect is exactly this: one client posting a huge batch slows every
other client down. Bodies larger than ``max_bytes`` are answered 413 before any route sees them.
A declared ``Content-Length`` over the limit is refused without reading a byte; a body sent
without one (chunked) is read only up to the limit and refused as soon as it passes it, so memory
per request stays bounded either way.

The body is read here in full (at most ``max_bytes``) and handed on to the app in one piece. The
answer is a problem document like every other error (``vptr.api.problems``), written here because
this runs outside the app's exception handlers.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vptr.api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

#: Methods whose requests are passed on unread when they announce no body.
_WITHOUT_BODY = frozenset({"GET", "HEAD"})


class BodyTooLargeError(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _body_headers(scope)
        if declared is None and not chunked and scope.get("method") in _WITHOUT_BODY:
            # A GET or HEAD that announces no body has none to bound (over HTTP/1.1 it cannot
            # have one, RFC 9112 6.3) and no route of these methods reads one: nothing is read
            # ahead (the check's GET, the open data).
            await self.app(scope, receive, send)
            return
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send, f"the body declares {declared} bytes")
            return
        try:
            body = await self._read(receive)
        except BodyTooLargeError:
            await self._refuse(scope, send, "the body is longer")
            return

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _refuse(self, scope: Scope, send: Send, what: str) -> None:
        scope.setdefault("state", {})["metering_operation"] = "refused:payload-too-large"
        problem = {
            "type": PROBLEM_BASE + "payload-too-large",
            "title": "Payload too large",
            "status": 413,
            "detail": f"{what}; the register accepts at most {self.max_bytes} bytes per request "
                      "(split the batch into smaller requests)",
            "instance": scope.get("path"),
            "errors": [{"field": "body", "reason": f"larger than {self.max_bytes} bytes"}],
        }
        body = json.dumps(problem).encode()
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        })
        await send({"type": "http.response.body", "body": body})


def _body_headers(scope: Scope) -> tuple[int | None, bool]:
    """The declared Content-Length (None when absent or unreadable) and whether the body comes
    chunked (Transfer-Encoding)."""
    declared: int | None = None
    chunked = False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = None
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked
