"""A service's logging: every line carries the service and the trace, and the HTTP client's own
line per request is not written (the callers record their calls themselves)."""

import logging
from collections.abc import Iterator

import pytest

from common.telemetry import setup_logging


@pytest.fixture
def logging_as_before() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    httpx_level = logging.getLogger("httpx").level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(httpx_level)


@pytest.mark.usefixtures("logging_as_before")
class TestServiceLogging:
    def test_the_http_clients_request_lines_are_not_written_but_its_warnings_are(self) -> None:
        setup_logging("actions", "INFO")
        client = logging.getLogger("httpx")
        assert not client.isEnabledFor(logging.INFO)
        assert client.isEnabledFor(logging.WARNING)
        assert logging.getLogger("actions.runner").isEnabledFor(logging.INFO)

    def test_a_quieter_service_level_holds_for_the_client_too(self) -> None:
        setup_logging("actions", "ERROR")
        assert not logging.getLogger("httpx").isEnabledFor(logging.WARNING)

    def test_a_line_names_the_service(self, capsys: pytest.CaptureFixture[str]) -> None:
        setup_logging("actions", "INFO")
        logging.getLogger("actions.runner").info("called")
        assert " INFO actions actions.runner trace=" in capsys.readouterr().err
