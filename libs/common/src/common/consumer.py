"""Idempotent event consumers that work in batches.

A member fetches many records at once. Each partition's share of the fetch is applied in one
transaction: one multi-row inbox claim (event ids already handled are left out, so a
redelivered event changes nothing), the handlers in offset order, and the outbox rows the
handlers raised, written in one statement before the commit. The partitions of a fetch are
applied concurrently, each in its own order; the offsets are committed once, after every one
of those transactions, and the member fetches and applies the next batch while that commit is
on its way (commits stay in order, each awaited before the next one starts). A crash anywhere before the offset commit redelivers the batch and the
inbox turns the redelivery into a no-op.

A handler that raises is isolated: its partition's transaction is run again without it (and
without the later events of the same key, which must wait behind it), so the rest of the batch
is still applied. Its attempt is counted in that transaction; the partition is rewound to it
and paused for a backoff while the other partitions go on. Past the attempt limit the event
goes to the group's dead-letter topic, with its error, through the outbox, and the partition
moves on. An event that cannot be parsed is dead-lettered at once.

A handler may apply the later events of its key in the partition's share together with its
own, in one statement (`partition_batch()`); their own handlers then find them taken.
"""

import asyncio
import base64
import bisect
import contextlib
import contextvars
import functools
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from cachetools import FIFOCache
from opentelemetry import trace
from opentelemetry.propagate import extract
from pydantic import ValidationError
from sqlalchemy import text

from common.crashpoints import crashpoint
from common.db import Database, UnitOfWork, driver_fetch
from common.embedded import BrokerKind, broker_kind
from common.settings import ServiceSettings
from contracts.envelope import Actor, Envelope, EventPayload
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
    # False for an event the handler would do nothing with: it is passed over like an event of
    # no handler, with no transaction and no inbox claim.
    when: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Delivery:
    topic: str
    partition: int
    offset: int
    key: str | None
    body: bytes
    headers: dict[str, str]

    @classmethod
    def of(cls, record: ConsumerRecord[bytes, bytes]) -> Self:
        return cls(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode(errors="replace") if record.key else None,
            body=record.value or b"",
            headers={k.lower(): v.decode(errors="replace") for k, v in record.headers},
        )


@dataclass(frozen=True)
class Rewind:
    """A partition must be read again from `offset` (an event to retry) after `delay` seconds."""

    offset: int
    delay: float
    error: BaseException


@dataclass
class _Item:
    delivery: Delivery
    envelope: Envelope | None = None
    route: _Route | None = None
    payload: EventPayload | None = None
    poison: str | None = None

    @property
    def event_id(self) -> uuid.UUID:
        if self.envelope is not None:
            return self.envelope.event_id
        # An unparseable message has no event id: name it by its position, so a redelivery of
        # the same message is recognised and not dead-lettered twice.
        d = self.delivery
        return uuid.uuid5(uuid.NAMESPACE_URL, f"kafka:{d.topic}/{d.partition}/{d.offset}")


class PartitionBatch:
    """The partition's share being applied, as its handlers see it (`partition_batch()`): a
    handler may take the batch's later events of its key (`later`) and apply them with its own,
    marking them taken (`take`) so that their own handlers, later in the same transaction, find
    them done (`taken`).

    The runtime runs a key's events in order and holds back every later event of a key whose
    event fails, so an event taken along runs in the transaction of the one that took it, or
    not at all. An event whose handler failed before is neither given later events nor taken
    along: from then on it is applied alone, so one bad event never takes the good ones before
    it to the dead-letter topic."""

    def __init__(self, items: Sequence["_Item"], failed_before: Callable[[uuid.UUID], bool]) -> None:
        self._items = items
        self._failed_before = failed_before
        self._taken: weakref.WeakKeyDictionary[UnitOfWork, set[uuid.UUID]] = weakref.WeakKeyDictionary()

    @functools.cached_property
    def _places(self) -> tuple[dict[uuid.UUID, int], dict[str | None, list[int]]]:
        """Where each event first is, and each key's places in order: built at the first `later`,
        so a handler that asks for every event of the share costs one pass, not one each."""
        first: dict[uuid.UUID, int] = {}
        of_key: dict[str | None, list[int]] = {}
        for place, item in enumerate(self._items):
            if item.envelope is not None:
                first.setdefault(item.envelope.event_id, place)
            of_key.setdefault(item.delivery.key, []).append(place)
        return first, of_key

    def later(self, envelope: Envelope) -> list[tuple[EventPayload, Envelope]]:
        """The batch's events after `envelope`'s with its key that have a handler, in order,
        without repeats; none when `envelope`'s event failed before."""
        if self._failed_before(envelope.event_id):
            return []
        first, of_key = self._places
        place = first.get(envelope.event_id)
        if place is None:
            return []
        places = of_key[self._items[place].delivery.key]
        found: list[tuple[EventPayload, Envelope]] = []
        seen = {envelope.event_id}
        for item in (self._items[p] for p in places[bisect.bisect_right(places, place) :]):
            other = item.envelope
            if (
                other is None
                or item.route is None
                or item.payload is None
                or other.event_id in seen
                or self._failed_before(other.event_id)
            ):
                continue
            seen.add(other.event_id)
            found.append((item.payload, other))
        return found

    def take(self, uow: UnitOfWork, event_ids: Sequence[uuid.UUID]) -> None:
        """Note that these events are applied in `uow`'s transaction by the caller."""
        self._taken.setdefault(uow, set()).update(event_ids)

    def taken(self, uow: UnitOfWork, event_id: uuid.UUID) -> bool:
        """Whether an earlier handler of `uow`'s transaction applied this event already."""
        return event_id in self._taken.get(uow, ())


_BATCH: contextvars.ContextVar[PartitionBatch | None] = contextvars.ContextVar(
    "consumer_partition_batch", default=None
)


def partition_batch() -> PartitionBatch | None:
    """The partition's share the running handler is part of (None outside a consumer)."""
    return _BATCH.get()


# How many events whose handler failed a consumer remembers (oldest forgotten first).
MAX_REMEMBERED_FAILURES = 10_000


class _HandlerFailed(Exception):
    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


class EventConsumer:
    """The handlers of one consumer group, by event type, and the members that feed them."""

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
        max_batch: int = 500,
        broker: BrokerKind | None = None,
    ) -> None:
        broker = broker or broker_kind()
        self.db = db
        self.group = group
        self._claim_statement = text(
            f'INSERT INTO "{db.schema}".inbox (consumer_group, event_id, outcome) '  # noqa: S608
            "SELECT :group, unnest(CAST(:ids AS uuid[])), 'handled' "
            "FROM (SELECT set_config('app.company_id', :company, true) AS company) AS scope "
            "WHERE scope.company IS NOT NULL "
            "ON CONFLICT DO NOTHING RETURNING event_id"
        )
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        # Group members in this process. Tansu rebalances in a loop with two members of one
        # group in one process, so the embedded broker gets one; its partitions still run
        # concurrently inside that member.
        self.workers = max(1, workers) if broker == "kafka" else 1
        self.max_poll_interval_ms = max_poll_interval_ms
        # How long an idle fetch waits for data. Apache Kafka answers as soon as data arrives,
        # so a long wait costs no latency there; Tansu answers only when the wait ends, so on
        # the embedded broker this is the latency added to every hop (traded against idle CPU).
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self.max_batch = max_batch
        self._routes: dict[str, _Route] = {}
        self._members: list[asyncio.Task[None]] = []
        # Failures so far of records `handle_each` is retrying, for their backoff.
        self._failed_records: dict[tuple[str, int, int], int] = {}
        # Events whose handler failed, so that a batch applies them alone from then on (the
        # oldest forgotten first past the bound).
        self._failed_events: FIFOCache[uuid.UUID, bool] = FIFOCache(maxsize=MAX_REMEMBERED_FAILURES)
        self._tracer = trace.get_tracer("consumer")

    @classmethod
    def for_service(
        cls, db: Database, settings: ServiceSettings, group: str | None = None, **overrides: Any
    ) -> Self:
        """A consumer configured from the service's settings (group = the service name)."""
        options: dict[str, Any] = {
            "max_attempts": settings.consumer_max_attempts,
            "workers": settings.consumer_workers,
            "fetch_max_wait_ms": settings.fetch_wait_ms,
            "max_batch": settings.consumer_max_batch,
            "broker": settings.broker,
        }
        options.update(overrides)
        return cls(db, group or settings.group, **options)

    def on(
        self, model: type[P], *, when: Callable[[P], bool] | None = None
    ) -> Callable[[Handler[P]], Handler[P]]:
        """Register the handler of `model`; `when`, a check of the payload alone, passes over
        the events the handler would have nothing to do with."""

        def register(handler: Handler[P]) -> Handler[P]:
            self._routes[model.event_type] = _Route(model, handler, when)
            return handler

        return register

    # -- the members --------------------------------------------------------------------------

    async def start(self, bootstrap_servers: str, topics: Sequence[str]) -> None:
        """Join the group with this process's members and start consuming `topics`."""
        for n in range(self.workers):
            member = AIOKafkaConsumer(
                *topics,
                bootstrap_servers=bootstrap_servers.split(","),
                group_id=self.group,
                client_id=f"{self.group}-{n}",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                # The broker answers a fetch as soon as one byte is there (Apache Kafka does;
                # Tansu waits out `fetch_max_wait_ms` whatever this says).
                fetch_min_bytes=1,
                fetch_max_wait_ms=self.fetch_max_wait_ms,
                max_poll_interval_ms=self.max_poll_interval_ms,
            )
            await member.start()
            self._members.append(
                asyncio.create_task(self._consume(member), name=f"consumer-{self.group}-{n}")
            )

    async def stop(self) -> None:
        for task in self._members:
            task.cancel()
        for task in self._members:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._members.clear()

    async def _consume(self, member: AIOKafkaConsumer) -> None:
        loop = asyncio.get_running_loop()
        # The offset commit of the last batch, still in flight: the next fetch is dispatched
        # without waiting for the coordinator's answer (a round trip a batch otherwise).
        committing: asyncio.Task[None] | None = None
        try:
            while True:
                try:
                    batch = await member.getmany(timeout_ms=1000, max_records=self.max_batch)
                    if not batch:
                        continue
                    offsets = await self._apply_fetch(member, batch, loop)
                    if committing is not None:
                        # Commits stay in order: one at a time, each after the one before.
                        previous, committing = committing, None
                        await previous
                    if offsets:
                        committing = asyncio.create_task(self._commit(member, offsets))
                except asyncio.CancelledError:
                    raise
                except KafkaError as exc:
                    log.warning("%s: broker error, fetching again: %s", self.group, exc)
                    await asyncio.sleep(1.0)
                except Exception:
                    # Every transaction of the batch has ended by now (each partition catches
                    # its own failures), so at worst an offset commit was lost: redelivery, which
                    # the inbox absorbs. The member must not die of it.
                    log.exception("%s: fetch loop failed; going on", self.group)
                    await asyncio.sleep(1.0)
        finally:
            if committing is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await committing
            await member.stop()

    async def _apply_fetch(
        self,
        member: AIOKafkaConsumer,
        batch: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]],
        loop: asyncio.AbstractEventLoop,
    ) -> dict[TopicPartition, int]:
        """Apply a fetch, partitions concurrently; returns the offsets to commit."""
        partitions = list(batch)
        outcomes = await asyncio.gather(
            *(self._partition(tp, [Delivery.of(r) for r in batch[tp]]) for tp in partitions)
        )
        crashpoint(f"consumer.{self.group}.before_offset_commit")
        offsets: dict[TopicPartition, int] = {}
        for tp, outcome in zip(partitions, outcomes, strict=True):
            records = batch[tp]
            if outcome is None:
                offsets[tp] = records[-1].offset + 1
                continue
            if outcome.offset > records[0].offset:
                offsets[tp] = outcome.offset
            # The partition waits out its backoff; the member keeps fetching the others. A
            # rebalance may have taken it away meanwhile: its new owner reads it from the offset.
            with contextlib.suppress(IllegalStateError):
                member.pause(tp)
                member.seek(tp, outcome.offset)
                loop.call_later(outcome.delay, _resume, member, tp)
        return offsets

    async def _commit(self, member: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        try:
            await member.commit(offsets)
        except (CommitFailedError, IllegalStateError) as exc:
            # The group rebalanced while the batch ran: the new owner reads from the last
            # committed offset and the inbox skips what this member already applied.
            log.info("%s: offsets not committed after a rebalance: %s", self.group, exc)
        except KafkaError as exc:
            # Lost: the batch is delivered again and the inbox makes that a no-op.
            log.warning("%s: offsets not committed: %s", self.group, exc)

    async def _partition(self, tp: TopicPartition, deliveries: list[Delivery]) -> Rewind | None:
        try:
            return await self.handle_partition(deliveries)
        except Exception as exc:
            # The transaction itself failed (the database is away, say): read it all again.
            log.warning(
                "%s: %s[%d] batch failed, retrying: %s", self.group, tp.topic, tp.partition, _describe(exc)
            )
            return Rewind(deliveries[0].offset, min(self.retry_delay * 8, 5.0), exc)

    # -- applying a partition's share --------------------------------------------------------

    async def handle(self, delivery: Delivery) -> None:
        """Apply one delivery as a batch of one; raise its handler's error when it is to be
        retried (what a direct caller, such as a test, sees)."""
        outcome = await self.handle_partition([delivery])
        if outcome is not None:
            raise outcome.error

    async def handle_partition(self, deliveries: Sequence[Delivery]) -> Rewind | None:
        """Apply one partition's records (in offset order) in one transaction, isolating the
        events whose handler fails. Returns where to read again, if an event is to be retried."""
        items = [self._parse(d) for d in deliveries]
        failed: dict[int, Exception] = {}
        token = _BATCH.set(PartitionBatch(items, self._failed_events.__contains__))
        try:
            while True:
                try:
                    return await self._apply(items, failed)
                except _HandlerFailed as failure:
                    failed[failure.index] = failure.error
                    self._failed_events[items[failure.index].event_id] = True
        finally:
            _BATCH.reset(token)

    async def handle_each(
        self, deliveries: Sequence[Delivery], handle: Callable[[Delivery], Awaitable[None]]
    ) -> Rewind | None:
        """For records that are not envelopes: one transaction per record, in order; a record
        whose `handle` raises is read again after a backoff."""
        for delivery in deliveries:
            position = (delivery.topic, delivery.partition, delivery.offset)
            try:
                await handle(delivery)
            except Exception as exc:
                failures = self._failed_records[position] = self._failed_records.get(position, 0) + 1
                return Rewind(delivery.offset, min(self.retry_delay * 2 ** (failures - 1), 5.0), exc)
            self._failed_records.pop(position, None)
        return None

    def _parse(self, delivery: Delivery) -> _Item:
        item = _Item(delivery)
        named = delivery.headers.get("event-type")
        if named is not None and named not in self._routes:
            # The producer names the type in a header (`envelope_headers`): an event no handler
            # takes is passed over without decoding its body, as it would be after decoding.
            return item
        try:
            item.envelope = Envelope.model_validate_json(delivery.body)
        except ValidationError as exc:
            item.poison = f"not an event envelope: {exc}"
            return item
        item.route = self._routes.get(item.envelope.type)
        if item.route is None:
            return item
        try:
            item.payload = item.route.model.model_validate(item.envelope.data)
        except ValidationError as exc:
            item.poison = f"{item.envelope.type} v{item.envelope.version} payload invalid: {exc}"
            return item
        if item.route.when is not None and not item.route.when(item.payload):
            item.route = None
        return item

    async def _apply(self, items: list[_Item], failed: dict[int, Exception]) -> Rewind | None:
        if not failed and all(item.route is None and item.poison is None for item in items):
            # Nothing to run, retry or dead-letter: no transaction at all.
            return None
        applied: list[_Item] = []
        rewind: Rewind | None = None
        async with self.db.unit_of_work() as uow:
            attempts = await self._count_failures(
                uow, {items[i].event_id: e for i, e in failed.items() if not isinstance(e, PoisonMessage)}
            )
            # Which events this transaction runs: a retried event holds back the later events of
            # its key, so every key keeps its order.
            held_keys: set[str | None] = set()
            runnable: list[int] = []
            dead: list[tuple[_Item, str, int]] = []
            for i, item in enumerate(items):
                key = item.delivery.key
                if key in held_keys:
                    continue
                if i in failed:
                    error = failed[i]
                    count = 1 if isinstance(error, PoisonMessage) else attempts[item.event_id]
                    if isinstance(error, PoisonMessage) or count >= self.max_attempts:
                        if count >= self.max_attempts:
                            log.error(
                                "%s: %s failed %d times; dead-lettered", self.group, item.event_id, count
                            )
                        dead.append(
                            (
                                item,
                                str(error) if isinstance(error, PoisonMessage) else _describe(error),
                                count,
                            )
                        )
                        continue
                    log.warning(
                        "%s: %s failed (attempt %d): %s", self.group, item.event_id, count, _describe(error)
                    )
                    held_keys.add(key)
                    if rewind is None:
                        rewind = Rewind(
                            item.delivery.offset, min(self.retry_delay * 2 ** (count - 1), 5.0), error
                        )
                    continue
                if item.poison is not None:
                    dead.append((item, item.poison, 1))
                elif item.route is not None:
                    runnable.append(i)
            first = items[runnable[0]].envelope if runnable else None
            claimed = await self._claim_all(
                uow, [items[i].event_id for i in runnable], first.company_id if first else None
            )
            crashpoint(f"consumer.{self.group}.after_claim")
            for n, i in enumerate(runnable):
                item = items[i]
                if item.event_id not in claimed:
                    continue
                # The same event twice in one batch (a replay beside the original) runs once.
                claimed.discard(item.event_id)
                await self._run_handler(uow, i, item)
                applied.append(item)
                crashpoint(f"consumer.{self.group}.before_commit")
                if n < len(runnable) - 1:
                    crashpoint(f"consumer.{self.group}.mid_batch")
            for item, reason, count in dead:
                await self._dead_letter(uow, item, reason, attempts=count)
        for _ in applied:
            crashpoint(f"consumer.{self.group}.after_commit")
        return rewind

    async def _run_handler(self, uow: UnitOfWork, index: int, item: _Item) -> None:
        assert item.envelope is not None
        assert item.route is not None
        envelope = item.envelope
        await uow.set_company(envelope.company_id)
        uow.actor = envelope.actor or Actor.system(self.db.schema)
        try:
            if "traceparent" in item.delivery.headers:
                with self._tracer.start_as_current_span(
                    f"{item.delivery.topic} process",
                    context=extract(item.delivery.headers),
                    kind=trace.SpanKind.CONSUMER,
                ):
                    await item.route.handler(item.payload, envelope, uow)
            else:
                await item.route.handler(item.payload, envelope, uow)
        except Exception as exc:
            raise _HandlerFailed(index, exc) from exc

    async def _claim_all(
        self, uow: UnitOfWork, event_ids: list[uuid.UUID], company_id: uuid.UUID | None
    ) -> set[uuid.UUID]:
        """Record the events as handled in one statement; returns those not handled before. The
        same statement scopes the transaction to `company_id` (the first event's), which saves
        that event's handler a round trip: the inbox has no row-level security, so it does not
        matter that the setting takes effect only as the statement runs."""
        if not event_ids:
            return set()
        rows = await driver_fetch(
            uow.session,
            self._claim_statement,
            {"group": self.group, "ids": event_ids, "company": uow.scope_of(company_id)},
        )
        uow.scoped(company_id)
        return {row[0] for row in rows}

    async def _claim(self, uow: UnitOfWork, event_id: uuid.UUID, outcome: str) -> bool:
        """Record one event with its outcome; False when it already was (a redelivery)."""
        claimed = await uow.session.scalar(
            text(
                f'INSERT INTO "{self.db.schema}".inbox (consumer_group, event_id, outcome) '  # noqa: S608
                "VALUES (:group, :id, :outcome) ON CONFLICT DO NOTHING RETURNING event_id"
            ),
            {"group": self.group, "id": event_id, "outcome": outcome},
        )
        return claimed is not None

    async def _count_failures(
        self, uow: UnitOfWork, errors: dict[uuid.UUID, Exception]
    ) -> dict[uuid.UUID, int]:
        if not errors:
            return {}
        rows = await uow.session.execute(
            text(
                f'INSERT INTO "{self.db.schema}".consumer_failures AS f '  # noqa: S608
                "(consumer_group, event_id, attempts, last_error) "
                "SELECT :group, e, 1, m FROM unnest(CAST(:ids AS uuid[]), CAST(:errors AS text[])) AS r(e, m) "
                "ON CONFLICT (consumer_group, event_id) DO UPDATE "
                "SET attempts = f.attempts + 1, last_error = excluded.last_error, updated_at = now() "
                "RETURNING event_id, attempts"
            ),
            {"group": self.group, "ids": list(errors), "errors": [_describe(e) for e in errors.values()]},
        )
        return {row[0]: int(row[1]) for row in rows}

    async def _dead_letter(self, uow: UnitOfWork, item: _Item, error: str, *, attempts: int) -> None:
        delivery, envelope = item.delivery, item.envelope
        event_id = item.event_id
        try:
            body: Any = envelope.model_dump(mode="json") if envelope else delivery.body.decode()
        except UnicodeDecodeError:
            body = base64.b64encode(delivery.body).decode()
        if await self._claim(uow, event_id, "dead_lettered"):
            await uow.publish_record(
                dead_letter_topic(self.group),
                delivery.key or str(event_id),
                uuid.uuid5(uuid.NAMESPACE_URL, f"dlt:{self.group}:{event_id}"),
                {
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
                },
                {"event-type": "dead_letter"},
            )


def _resume(member: AIOKafkaConsumer, tp: TopicPartition) -> None:
    # A rebalance may have taken the partition away meanwhile; its new owner is not paused.
    with contextlib.suppress(IllegalStateError):
        if tp in member.assignment():
            member.resume(tp)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
