"""The access log is written off the requests' path (vptr.api.access_log.AccessLogWriter): the
logger only queues, a thread masks plates and credentials, formats and writes in batches, and
stopping writes everything and puts the logger back as it was."""

from __future__ import annotations

import io
import logging

import pytest

from vptr.api.access_log import AccessLogWriter, PlateRedactingFilter, log_request

LINE = '%s - "%s %s HTTP/%s" %d'


@pytest.fixture
def logger_with_stream():
    logger = logging.getLogger("vptr-test.access")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.addFilter(PlateRedactingFilter())
    yield logger, handler, stream
    logger.removeHandler(handler)
    for mask in list(logger.filters):
        logger.removeFilter(mask)


def test_lines_are_written_masked_by_the_writer_thread_and_nothing_is_lost(logger_with_stream):
    logger, handler, stream = logger_with_stream
    writer = AccessLogWriter(logger.name, delay_seconds=0.01)
    writer.start()
    assert writer.running
    assert logger.filters == [] and handler not in logger.handlers  # off the request's path
    for n in range(50):
        logger.info(LINE, "127.0.0.1:1", "GET", f"/check?zone=z&plate=1ABC{n:03d}", "1.1", 200)
    writer.submit(LINE, ("127.0.0.1:1", "GET", "/rights?PL%41TE=2XYZ999", "1.1", 200))
    writer.stop()

    lines = stream.getvalue().splitlines()
    assert len(lines) == 51
    assert "1ABC" not in stream.getvalue() and "2XYZ999" not in stream.getvalue()
    assert lines[0].endswith('"GET /check?zone=z&plate=*** HTTP/1.1" 200')
    # The logger has its handler and mask back.
    assert handler in logger.handlers
    assert any(isinstance(f, PlateRedactingFilter) for f in logger.filters)
    assert not any(isinstance(f, PlateRedactingFilter) for f in handler.filters)


def test_every_filter_of_the_logger_runs_before_a_line_is_written(logger_with_stream):
    logger, _handler, stream = logger_with_stream

    class NoSecrets(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.args = tuple(a.replace("s3cret", "[hidden]") if isinstance(a, str) else a
                                for a in record.args)
            return True

    secrets = NoSecrets()
    logger.addFilter(secrets)
    writer = AccessLogWriter(logger.name, delay_seconds=0.01)
    writer.start()
    logger.info(LINE, "127.0.0.1:1", "GET", "/apds?token=s3cret&plate=1ABC123", "1.1", 200)
    writer.stop()

    written = stream.getvalue()
    assert "token=[hidden]" in written  # the line was written, by way of the filter
    assert "s3cret" not in written and "1ABC123" not in written
    assert secrets in logger.filters


def test_the_servers_lines_go_to_the_running_writer():
    logger = logging.getLogger("uvicorn.access")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # as uvicorn configures it
    writer = AccessLogWriter(delay_seconds=0.01)
    try:
        writer.start()
        assert writer.running
        log_request(LINE, ("127.0.0.1:1", "GET", "/check?plate=1ABC123", "1.1", 200))
    finally:
        writer.stop()
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    assert stream.getvalue() == '127.0.0.1:1 - "GET /check?plate=*** HTTP/1.1" 200\n'


def test_a_logger_without_handlers_is_left_alone():
    writer = AccessLogWriter("vptr-test.silent")
    writer.start()
    assert not writer.running
    writer.stop()


def test_a_logger_that_propagates_keeps_its_mask_on_the_request_path(logger_with_stream):
    """Its parents' handlers would otherwise get the lines unmasked from the queue's handler."""
    logger, handler, _stream = logger_with_stream
    logger.propagate = True
    writer = AccessLogWriter(logger.name)
    writer.start()
    assert not writer.running
    assert handler in logger.handlers
    assert any(isinstance(f, PlateRedactingFilter) for f in logger.filters)
