"""Keeping plates out of the server's access log: uvicorn logs every request's path with its
query, and ``GET /check?plate=``, ``GET /rights?plate=`` and APDS's
``GET /apds/rights/assigned?credential_id=`` carry a plate. One mask for every channel reads the
query as the server does (names percent-decoded, any case), on every route: a second mask with a
pattern of its own is one that ``cred%65ntial_id=`` walks around. While the server runs,
:class:`AccessLogWriter` masks and writes the lines off the requests' path."""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from logging.handlers import QueueHandler
from typing import Any
from urllib.parse import unquote_plus

#: A query in a logged line: from ``?`` to the first blank (uvicorn logs the path as received).
_QUERY = re.compile(r"\?([^\s\"]*)")
#: The query parameters that carry a plate, in any channel: the native API's ``plate`` and
#: APDS's ``credential_id`` (vptr.apds.routes.holdings).
MASKED = ("plate", "credential_id")


def redact_plate(text: str) -> str:
    """The same text with the value of every query parameter of :data:`MASKED` masked. Names are
    compared as the server reads them, decoded: ``pl%61te=``, ``PLATE=`` and
    ``cred%65ntial_id=`` are masked too."""
    if "?" not in text:
        return text
    return _QUERY.sub(lambda m: "?" + _masked_query(m.group(1)), text)


def _masked_query(query: str) -> str:
    pairs = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        decoded = unquote_plus(name, errors="replace")
        if decoded.strip().lower() in MASKED:
            pairs.append(f"{name}{sep}***" if sep else pair)
        else:
            pairs.append(pair)
    return "&".join(pairs)


class PlateRedactingFilter(logging.Filter):
    """Masks the parameters carrying plates (``plate=``, ``credential_id=``) in access-log records
    (uvicorn logs the full path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_plate(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = redact_plate(record.msg)
        return True


def install_plate_redaction(logger_names: tuple[str, ...] = ("uvicorn.access",)) -> None:
    """Attach the filter once to the access loggers (idempotent: create_app may run many times)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PlateRedactingFilter) for f in logger.filters):
            logger.addFilter(PlateRedactingFilter())


class _Enqueue(QueueHandler):
    """Puts the record on the queue as it is: nothing is formatted on the request's path (the
    arguments uvicorn logs are strings and numbers, which nothing changes later)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


_STOP = object()


class AccessLogWriter:
    """Writes an access logger's lines from a thread of its own, in batches.

    Why: uvicorn logs every request on the request's path: the plate mask, the formatting and one
    write and flush per line cost a check about a tenth of its CPU (``bench/README.md``). Started
    (:meth:`start`, once the server configured its logging), the logger keeps a single handler
    that only queues the record; this writer's thread takes what has gathered at most every
    ``delay_seconds``, masks plates (each moved handler carries :class:`PlateRedactingFilter`,
    so nothing reaches a file or stream unmasked) and formats, writes and flushes each batch at
    once. :meth:`stop` writes what is queued and puts the logger back as it was."""

    def __init__(self, logger_name: str = "uvicorn.access", delay_seconds: float = 0.05) -> None:
        self.logger = logging.getLogger(logger_name)
        self.delay_seconds = delay_seconds
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._handlers: list[logging.Handler] = []
        self._filters: list[logging.Filter] = []
        self._added: list[tuple[logging.Handler, logging.Filter]] = []
        self._enqueue: _Enqueue | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Move the logger's handlers behind the queue (nothing to do if it has none). A logger
        that passes its lines on to its parents' handlers (``propagate``, which uvicorn's own
        configuration turns off) is left as it is: those handlers would get the lines from the
        queue's handler unmasked, as the masks move off the logger."""
        if self._thread is not None or not self.logger.handlers or self.logger.propagate:
            return
        global _active
        self._handlers = list(self.logger.handlers)
        # Every filter of the logger (the plate mask, any other a deployment added) moves
        # onto each handler: it runs in the writer's thread, before anything is written.
        self._filters = list(self.logger.filters)
        if not any(isinstance(f, PlateRedactingFilter) for f in self._filters):
            self._filters.append(PlateRedactingFilter())
        for handler in self._handlers:
            for mask in self._filters:
                if mask not in handler.filters:
                    handler.addFilter(mask)
                    self._added.append((handler, mask))
            self.logger.removeHandler(handler)
        for mask in list(self.logger.filters):
            self.logger.removeFilter(mask)
        self._enqueue = _Enqueue(self._queue)
        self.logger.addHandler(self._enqueue)
        self._thread = threading.Thread(target=self._run, name="vptr-access-log", daemon=True)
        self._thread.start()
        _active = self

    def submit(self, message: str, args: tuple[Any, ...]) -> None:
        """Queue one line as a message and its arguments: the record is made by the writer."""
        self._queue.put((message, args, time.time()))

    def stop(self) -> None:
        """Write what is queued and give the logger its handlers and mask back."""
        global _active
        thread = self._thread
        if thread is None:
            return
        if _active is self:
            _active = None
        assert self._enqueue is not None
        self.logger.removeHandler(self._enqueue)
        self._queue.put(_STOP)
        thread.join(timeout=10)
        self._thread = None
        for mask in self._filters:
            if not isinstance(mask, PlateRedactingFilter) or not any(
                    isinstance(f, PlateRedactingFilter) for f in self.logger.filters):
                self.logger.addFilter(mask)
        for handler in self._handlers:
            self.logger.addHandler(handler)
        for handler, mask in self._added:
            handler.removeFilter(mask)
        self._added.clear()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0] is not _STOP:
                time.sleep(self.delay_seconds)  # let lines gather: one write for many
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            records = [self._record(r) for r in batch if r is not _STOP]
            for handler in self._handlers:
                try:
                    _write(handler, records)
                except Exception:  # a broken log must not stop the writer
                    handler.handleError(records[0] if records else None)  # type: ignore[arg-type]
            if len(records) < len(batch):
                return


    def _record(self, item: Any) -> logging.LogRecord:
        if isinstance(item, logging.LogRecord):
            return item
        message, args, created = item
        record = self.logger.makeRecord(self.logger.name, logging.INFO, __file__, 0, message,
                                        args, None)
        record.created = created
        record.msecs = (created - int(created)) * 1000
        return record


_active: AccessLogWriter | None = None


def log_request(message: str, args: tuple[Any, ...]) -> None:
    """One access-log line from the server's HTTP protocol (vptr.cli.http_protocol): queued for
    the running writer, which makes the record, masks and writes it; logged at once (and
    masked by the logger's filter) when no writer runs."""
    writer = _active
    if writer is not None:
        writer.submit(message, args)
    else:
        logging.getLogger("uvicorn.access").info(message, *args)


def _write(handler: logging.Handler, records: list[logging.LogRecord]) -> None:
    """The records through one handler: a plain stream handler gets the batch in one write and
    one flush; any other handler handles them one by one, as the logger would."""
    if type(handler).emit is not logging.StreamHandler.emit:
        for record in records:
            if record.levelno >= handler.level:
                handler.handle(record)
        return
    assert isinstance(handler, logging.StreamHandler)
    lines = [handler.format(record) + handler.terminator for record in records
             if record.levelno >= handler.level and handler.filter(record)]
    if lines:
        with handler.lock:  # type: ignore[union-attr]
            handler.stream.write("".join(lines))
            handler.flush()
