"""Identity's notifications consumer waits longer per fetch on the embedded broker than the
workflow hops do; on Apache Kafka, and when set, it waits as every consumer does."""

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from common.consumer import EventConsumer
from common.db import Database
from common.settings import EMBEDDED_FETCH_WAIT_MS, KAFKA_FETCH_WAIT_MS
from identity.config import NOTIFICATIONS_EMBEDDED_FETCH_WAIT_MS, IdentitySettings


def fetch_wait_of(settings: IdentitySettings) -> int:
    consumer = EventConsumer.for_service(
        Database(None, settings.db_schema, session_factory=async_sessionmaker()), settings
    )
    return consumer.fetch_max_wait_ms


class TestTheFetchWait:
    def test_is_longer_than_the_hops_on_the_embedded_broker(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TF_BROKER", "embedded")
        assert NOTIFICATIONS_EMBEDDED_FETCH_WAIT_MS > EMBEDDED_FETCH_WAIT_MS
        assert fetch_wait_of(IdentitySettings()) == NOTIFICATIONS_EMBEDDED_FETCH_WAIT_MS

    def test_is_kafkas_on_apache_kafka(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TF_BROKER", "kafka")
        assert fetch_wait_of(IdentitySettings()) == KAFKA_FETCH_WAIT_MS

    def test_can_be_set(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TF_BROKER", "embedded")
        monkeypatch.setenv("IDENTITY_CONSUMER_FETCH_MAX_WAIT_MS", "30")
        assert fetch_wait_of(IdentitySettings()) == 30
