"""Pytest fixtures every test suite of the project can use."""

from collections.abc import Iterator

import pytest

from common.testing.infra import kafka_bootstrap_servers, postgres_admin_url, private_kafka


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """Admin URL of the test Postgres server (see `common.testing.infra`)."""
    return postgres_admin_url()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    """Bootstrap servers of the test Kafka-protocol broker."""
    return kafka_bootstrap_servers()


@pytest.fixture
def private_kafka_bootstrap() -> Iterator[str]:
    """An empty broker for this test alone (see `common.testing.infra.private_kafka`)."""
    with private_kafka() as bootstrap:
        yield bootstrap
