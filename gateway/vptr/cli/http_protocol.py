"""uvicorn's HTTP protocol (httptools) with two costs taken off every request's path.

Why: of what the server spends on a check over HTTP beyond the check itself, the largest single
parts were uvicorn's (``bench/README.md``, "HTTP overhead"): it writes the status line and headers
to the socket in one system call and the body in a second, and it logs the request through
``logging`` (a record made, filters run) before the first write. This protocol

- *corks* the connection: what a response writes within one turn of the event loop (headers and
  body) leaves in one write, at the end of that turn (:class:`CorkedTransport`); a response
  written in several turns (streamed) still leaves turn by turn;
- hands the access-log line to :func:`vptr.api.access_log.log_request`, which queues it for the
  writer thread (masking plates and formatting there) when that runs, and logs it as uvicorn
  would otherwise.

Everything else is uvicorn's own, so the HTTP it speaks does not change.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from vptr.api.access_log import log_request


class CorkedTransport:
    """A transport whose writes within one turn of the event loop leave as one."""

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self._pending is None:
            self._pending = [data]
            self._loop.call_soon(self.flush)
        else:
            self._pending.append(data)

    def flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending and not self._transport.is_closing():
            self._transport.write(b"".join(pending))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending = None
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        waiting = sum(len(part) for part in self._pending) if self._pending else 0
        return self._transport.get_write_buffer_size() + waiting

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _AccessLog:
    """What the protocol calls its access logger: the line goes to the writer thread's queue."""

    @staticmethod
    def info(message: str, *args: Any) -> None:
        log_request(message, args)


class LeanHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, corked and with its access log off the request's path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_logger = _AccessLog()  # type: ignore[assignment]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CorkedTransport(transport, self.loop)  # type: ignore[assignment]
