"""The `actions` consumer group: every runner process consumes `actions.requests` in it."""

from collections.abc import Sequence

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from actions.config import ActionsSettings
from actions.runner.service import ActionRunner
from common.consumer import Delivery, EventConsumer
from common.db import Database
from contracts.engine import ActionRequested
from contracts.topics import ACTIONS_REQUESTS

GROUP = "actions"
TOPICS = (ACTIONS_REQUESTS,)


class RunnerConsumer(EventConsumer):
    """The shared idempotent consumer, subscribed as several members of the group in one
    process. Each member owns whole partitions and handles them one message at a time, so an
    offset is still committed only after its message's transaction, in order; a process adds
    `workers` requests in flight. The poll interval is raised above the request budget so a
    long retry never makes a member leave the group mid-request."""

    def __init__(self, db: Database, settings: ActionsSettings) -> None:
        super().__init__(db, GROUP, max_attempts=settings.consumer_max_attempts)
        self.workers = max(1, settings.consumer_workers)
        self.max_poll_interval_ms = settings.max_poll_interval_ms

    def subscribe(self, broker: KafkaBroker, *topics: str) -> None:
        consumer = self

        @broker.subscriber(
            *topics,
            group_id=self.group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            max_workers=self.workers,
            max_poll_interval_ms=self.max_poll_interval_ms,
        )
        async def _deliver(msg: KafkaMessage) -> None:
            raw = msg.raw_message
            assert not isinstance(raw, tuple)
            await consumer.handle(
                Delivery(
                    topic=raw.topic,
                    partition=raw.partition,
                    offset=raw.offset,
                    key=raw.key.decode() if raw.key else None,
                    body=raw.value or b"",
                    headers={k: v.decode(errors="replace") for k, v in raw.headers},
                )
            )


def build_consumer(db: Database, settings: ActionsSettings, runner: ActionRunner) -> RunnerConsumer:
    consumer = RunnerConsumer(db, settings)
    consumer.on(ActionRequested)(runner.handle)
    return consumer


def build_consumers(
    db: Database, settings: ActionsSettings, runner: ActionRunner
) -> Sequence[tuple[EventConsumer, Sequence[str]]]:
    return [(build_consumer(db, settings, runner), TOPICS)]
