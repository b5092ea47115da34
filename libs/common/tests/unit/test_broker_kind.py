"""`TF_BROKER` names the broker, and what is shaped around the embedded broker's limits follows
it: the idempotent producer, group members per process, and the idle fetch wait."""

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from common.consumer import EventConsumer
from common.db import Database
from common.outbox import OutboxRelay
from common.settings import EMBEDDED_FETCH_WAIT_MS, KAFKA_FETCH_WAIT_MS

from .test_settings import ExampleSettings


def database() -> Database:
    return Database(None, "example", session_factory=async_sessionmaker())


class TestApacheKafka:
    @pytest.fixture
    def settings(self, monkeypatch: pytest.MonkeyPatch) -> ExampleSettings:
        monkeypatch.setenv("TF_BROKER", "kafka")
        monkeypatch.setenv("EXAMPLE_CONSUMER_WORKERS", "3")
        return ExampleSettings()

    def test_the_relay_uses_the_idempotent_producer(self, settings: ExampleSettings) -> None:
        assert OutboxRelay(database(), "k:9092", broker=settings.broker).idempotent is True

    def test_a_process_may_join_with_several_members(self, settings: ExampleSettings) -> None:
        assert EventConsumer.for_service(database(), settings).workers == 3
        assert OutboxRelay(database(), "k:9092").idempotent is True

    def test_an_idle_fetch_waits_long_as_kafka_answers_when_data_arrives(
        self, settings: ExampleSettings
    ) -> None:
        assert settings.fetch_wait_ms == KAFKA_FETCH_WAIT_MS
        assert EventConsumer.for_service(database(), settings).fetch_max_wait_ms == KAFKA_FETCH_WAIT_MS


class TestEmbeddedBroker:
    @pytest.fixture
    def settings(self, monkeypatch: pytest.MonkeyPatch) -> ExampleSettings:
        monkeypatch.setenv("TF_BROKER", "embedded")
        monkeypatch.setenv("EXAMPLE_CONSUMER_WORKERS", "3")
        return ExampleSettings()

    def test_the_relay_uses_the_plain_producer_tansu_accepts(self, settings: ExampleSettings) -> None:
        assert settings.broker == "embedded"
        assert OutboxRelay(database(), "k:9092", broker=settings.broker).idempotent is False
        # Built without settings (the demo services, the benchmark): `TF_BROKER` decides too.
        assert OutboxRelay(database(), "k:9092").idempotent is False

    def test_a_process_joins_with_one_member(self, settings: ExampleSettings) -> None:
        assert EventConsumer.for_service(database(), settings).workers == 1

    def test_the_fetch_wait_is_short_and_can_be_set(
        self, settings: ExampleSettings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert settings.fetch_wait_ms == EMBEDDED_FETCH_WAIT_MS
        monkeypatch.setenv("EXAMPLE_CONSUMER_FETCH_MAX_WAIT_MS", "60")
        assert ExampleSettings().fetch_wait_ms == 60
