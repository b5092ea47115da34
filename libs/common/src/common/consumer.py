"""Idempotent event consumers.

Each handled event id is recorded in the inbox in the same transaction as the handler's effect,
so a redelivered event changes nothing. The Kafka offset is committed only after that
transaction (FastStream `AckPolicy.NACK_ON_ERROR` with auto-commit off): a crash in between
redelivers the event and the inbox makes the redelivery a no-op. A handler that fails is
retried (the partition rewinds to the event) and its attempts are counted; past the limit the
event goes to the group's dead-letter topic, with its error, through the outbox, and the
partition moves on. An event that cannot be parsed is dead-lettered at once.
"""

import asyncio
import base64
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self, TypeVar

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert

from common.crashpoints import crashpoint
from common.db import Database, UnitOfWork
from common.settings import ServiceSettings
from contracts.envelope import Envelope, EventPayload
from contracts.topics import dead_letter_topic

log = logging.getLogger(__name__)

P = TypeVar("P", bound=EventPayload)
Handler = Callable[[P, Envelope, UnitOfWork], Awaitable[None]]


class PoisonMessage(Exception):
    """A message that will never be handled, however often it is retried."""


@dataclass(frozen=True)
class _Route:
    model: type[EventPayload]
    handler: Callable[[Any, Envelope, UnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    topic: str
    partition: int
    offset: int
    key: str | None
    body: bytes
    headers: dict[str, str]


class EventConsumer:
    """The handlers of one consumer group, by event type."""

    def __init__(
        self,
        db: Database,
        group: str,
        *,
        max_attempts: int = 5,
        retry_delay: float = 0.2,
        workers: int = 1,
        max_poll_interval_ms: int = 300_000,
        fetch_max_wait_ms: int = 100,
    ) -> None:
        self.db = db
        self.group = group
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        # With several workers the process joins the group as several members; each owns whole
        # partitions and handles them one message at a time, so every offset is still committed
        # after its own message's transaction and each key keeps its order.
        self.workers = max(1, workers)
        self.max_poll_interval_ms = max_poll_interval_ms
        # How long an idle fetch waits for data. Brokers that do not answer a long poll early
        # when data arrives (the embedded one) add up to this much latency to every hop.
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self._routes: dict[str, _Route] = {}

    @classmethod
    def for_service(
        cls, db: Database, settings: ServiceSettings, group: str | None = None, **overrides: Any
    ) -> Self:
        """A consumer configured from the service's settings (group = the service name)."""
        options: dict[str, Any] = {
            "max_attempts": settings.consumer_max_attempts,
            "workers": settings.consumer_workers,
            "fetch_max_wait_ms": settings.consumer_fetch_max_wait_ms,
        }
        options.update(overrides)
        return cls(db, group or settings.group, **options)

    def on(self, model: type[P]) -> Callable[[Handler[P]], Handler[P]]:
        def register(handler: Handler[P]) -> Handler[P]:
            self._routes[model.event_type] = _Route(model, handler)
            return handler

        return register

    def subscribe(self, broker: KafkaBroker, *topics: str) -> None:
        if self.workers == 1:
            self._subscribe(broker, topics, None)
        else:
            # FastStream's concurrent members take one topic each.
            for topic in topics:
                self._subscribe(broker, (topic,), self.workers)

    def _subscribe(self, broker: KafkaBroker, topics: Sequence[str], workers: int | None) -> None:
        consumer = self

        @broker.subscriber(
            *topics,
            group_id=self.group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            max_workers=workers,
            max_poll_interval_ms=self.max_poll_interval_ms,
            fetch_max_wait_ms=self.fetch_max_wait_ms,
        )
        async def _deliver(msg: KafkaMessage) -> None:
            raw = msg.raw_message
            assert not isinstance(raw, tuple)
            await consumer.handle(
                Delivery(
                    topic=raw.topic,
                    partition=raw.partition,
                    offset=raw.offset,
                    key=raw.key.decode(errors="replace") if raw.key else None,
                    body=raw.value or b"",
                    headers={k.lower(): v.decode(errors="replace") for k, v in raw.headers},
                )
            )

    async def handle(self, delivery: Delivery) -> None:
        try:
            envelope = Envelope.model_validate_json(delivery.body)
        except ValidationError as exc:
            await self._dead_letter(delivery, None, f"not an event envelope: {exc}", attempts=1)
            return
        route = self._routes.get(envelope.type)
        if route is None:
            return
        try:
            await self._apply(route, envelope)
        except PoisonMessage as exc:
            await self._dead_letter(delivery, envelope, str(exc), attempts=1)
            return
        except Exception as exc:
            attempts = await self._count_failure(envelope, exc)
            if attempts >= self.max_attempts:
                log.error("%s: %s failed %d times; dead-lettered", self.group, envelope.event_id, attempts)
                await self._dead_letter(delivery, envelope, _describe(exc), attempts=attempts)
                return
            log.warning(
                "%s: %s failed (attempt %d): %s", self.group, envelope.event_id, attempts, _describe(exc)
            )
            await asyncio.sleep(min(self.retry_delay * 2 ** (attempts - 1), 5.0))
            raise
        crashpoint(f"consumer.{self.group}.after_commit")

    async def _apply(self, route: _Route, envelope: Envelope) -> None:
        try:
            payload = route.model.model_validate(envelope.data)
        except ValidationError as exc:
            raise PoisonMessage(f"{envelope.type} v{envelope.version} payload invalid: {exc}") from exc
        async with self.db.unit_of_work(envelope.company_id, envelope.actor) as uow:
            if not await self._claim(uow, envelope.event_id, "handled"):
                return
            await route.handler(payload, envelope, uow)
            crashpoint(f"consumer.{self.group}.before_commit")

    async def _claim(self, uow: UnitOfWork, event_id: uuid.UUID, outcome: str) -> bool:
        """Record the event as handled; False when it already was (a redelivery)."""
        inbox = self.db.tables.inbox
        claimed = await uow.session.scalar(
            insert(inbox)
            .values(consumer_group=self.group, event_id=event_id, outcome=outcome)
            .on_conflict_do_nothing()
            .returning(inbox.c.event_id)
        )
        return claimed is not None

    async def _count_failure(self, envelope: Envelope, exc: Exception) -> int:
        failures = self.db.tables.consumer_failures
        async with self.db.unit_of_work() as uow:
            stmt = insert(failures).values(
                consumer_group=self.group,
                event_id=envelope.event_id,
                attempts=1,
                last_error=_describe(exc),
            )
            attempts = await uow.session.scalar(
                stmt.on_conflict_do_update(
                    index_elements=[failures.c.consumer_group, failures.c.event_id],
                    set_={"attempts": failures.c.attempts + 1, "last_error": stmt.excluded.last_error},
                ).returning(failures.c.attempts)
            )
        return int(attempts or 0)

    async def _dead_letter(
        self, delivery: Delivery, envelope: Envelope | None, error: str, *, attempts: int
    ) -> None:
        # An unparseable message has no event id: name it by its position, so a redelivery of
        # the same message is recognised and not dead-lettered twice.
        event_id = (
            envelope.event_id
            if envelope is not None
            else uuid.uuid5(
                uuid.NAMESPACE_URL, f"kafka:{delivery.topic}/{delivery.partition}/{delivery.offset}"
            )
        )
        try:
            body: Any = envelope.model_dump(mode="json") if envelope else delivery.body.decode()
        except UnicodeDecodeError:
            body = base64.b64encode(delivery.body).decode()
        record = {
            "consumer_group": self.group,
            "event_id": str(event_id),
            "company_id": str(envelope.company_id) if envelope and envelope.company_id else None,
            "source_topic": delivery.topic,
            "partition": delivery.partition,
            "offset": delivery.offset,
            "attempts": attempts,
            "error": error[:4000],
            "message": body,
            "headers": delivery.headers,
        }
        async with self.db.unit_of_work() as uow:
            if await self._claim(uow, event_id, "dead_lettered"):
                await uow.publish_record(
                    dead_letter_topic(self.group),
                    delivery.key or str(event_id),
                    uuid.uuid5(uuid.NAMESPACE_URL, f"dlt:{self.group}:{event_id}"),
                    record,
                    {"event-type": "dead_letter"},
                )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
