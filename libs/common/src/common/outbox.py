"""The transactional outbox relay: publishes committed outbox rows to Kafka, then marks them.

Rows are chosen by state (`published_at IS NULL`), never by an id cursor: positions are handed
out before commit, so a cursor would skip a row that commits late. One relay per schema works
at a time (a transaction-scoped advisory lock), which keeps every key's events in order when a
service runs several replicas. A batch is produced as a whole (every send in flight at once)
and marked sent in one statement. A crash between publishing and marking republishes the batch:
delivery is at-least-once and consumers dedupe by event id.

The relay wakes as soon as a unit of work of this process commits outbox rows, and polls
slowly for rows written by other processes.

Published rows are kept for a retention window so that a lost topic can be replayed. The
embedded broker keeps nothing across its own restarts; at start the relay replays only what
that broker is missing: each broker life is marked by an epoch record on `BROKER_EPOCH_TOPIC`,
each relay notes in its outbox the epoch it publishes into, and when the broker's epoch is not
the one noted, the rows first written since the noted epoch began are sent again. Apache Kafka
keeps its data, so nothing is replayed at start there.
"""

import asyncio
import contextlib
import json
import logging
import time
import zlib
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from sqlalchemy import func, select, text, update

from common.crashpoints import crashpoint
from common.db import Database
from common.embedded import BrokerKind, broker_kind
from common.kafka import ensure_topics
from contracts.ids import uuid7

log = logging.getLogger(__name__)

BROKER_EPOCH_TOPIC = "tf.broker.epoch"


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        *,
        poll_seconds: float = 0.5,
        retention: timedelta = timedelta(hours=72),
        batch_size: int = 1000,
        broker: BrokerKind | None = None,
        idempotent: bool | None = None,
    ) -> None:
        """`broker` defaults to the one `TF_BROKER` names (services pass their setting)."""
        self.db = db
        self.bootstrap_servers = bootstrap_servers
        self.poll_seconds = poll_seconds
        self.retention = retention
        self.batch_size = batch_size
        self.broker = broker or broker_kind()
        # Tansu refuses the idempotent producer; Apache Kafka gets it (no duplicates or
        # reordering from the producer's own retries).
        self.idempotent = self.broker == "kafka" if idempotent is None else idempotent
        self._producer: AIOKafkaProducer | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock_key = zlib.crc32(f"outbox:{db.schema}".encode())

    async def start(self, *, replay: bool = False) -> int:
        """Start relaying. `replay` asks for what the broker is missing to be sent again (the
        embedded broker's restart); on Apache Kafka nothing is missing and nothing is replayed.
        Returns how many rows were queued again."""
        try:
            self._producer = await self._start_producer(self.idempotent)
        except KafkaError as exc:
            if not self.idempotent:
                raise
            # A broker named Apache Kafka that refuses the idempotent producer is Tansu after
            # all (TF_BROKER not set to match): relay with the plain producer rather than not.
            log.warning("the idempotent producer could not start (%s); trying the plain one", exc)
            self.idempotent = False
            self._producer = await self._start_producer(False)
        replayed = await self.replay_missing() if replay and self.broker == "embedded" else 0
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.db.schema}")
        return replayed

    async def _start_producer(self, idempotent: bool) -> AIOKafkaProducer:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers.split(","),
            acks="all",
            enable_idempotence=idempotent,
            # No lingering: a batch's sends are all queued before the sender runs, so they
            # travel together anyway, and a lone event goes out at once (a millisecond a hop).
            linger_ms=0,
            max_batch_size=256 * 1024,
        )
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        return producer

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._producer is not None:
            await self._producer.stop()

    async def replay(self, since: datetime | None = None) -> int:
        """Mark the rows published since `since` (default: the whole retention window) as
        unsent again: the recovery path when a topic was lost."""
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            result = await session.execute(
                update(outbox)
                .where(outbox.c.published_at > (since or func.now() - self.retention))
                .values(published_at=None)
            )
        count = int(result.rowcount)  # type: ignore[attr-defined]
        log.info("outbox replay: %d events of %s queued again", count, self.db.schema)
        return count

    async def replay_missing(self) -> int:
        """Replay what the broker lacks: nothing when it is the broker this outbox last published
        into; otherwise every row first written since that broker's life began."""
        epoch, began = await self._broker_epoch()
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            noted = (
                await session.execute(
                    select(outbox.c.payload)
                    .where(outbox.c.topic == BROKER_EPOCH_TOPIC)
                    .order_by(outbox.c.position.desc())
                    .limit(1)
                )
            ).scalar()
            if noted is not None and noted["epoch"] == epoch:
                log.info("outbox of %s: the broker holds everything; nothing replayed", self.db.schema)
                return 0
            count = 0
            if noted is not None:
                result = await session.execute(
                    update(outbox)
                    .where(
                        outbox.c.published_at.is_not(None),
                        outbox.c.created_at >= datetime.fromisoformat(noted["began"]),
                        outbox.c.topic != BROKER_EPOCH_TOPIC,
                    )
                    .values(published_at=None)
                )
                count = int(result.rowcount)  # type: ignore[attr-defined]
            else:
                # No epoch noted yet (an outbox older than epochs): the whole window, this once.
                result = await session.execute(
                    update(outbox)
                    .where(outbox.c.published_at > func.now() - self.retention)
                    .values(published_at=None)
                )
                count = int(result.rowcount)  # type: ignore[attr-defined]
            await session.execute(
                outbox.insert().values(
                    event_id=uuid7(),
                    topic=BROKER_EPOCH_TOPIC,
                    key=self.db.schema,
                    payload={"epoch": epoch, "began": began, "schema": self.db.schema},
                    headers={"event-type": "broker_epoch"},
                )
            )
        log.info("outbox replay: %d events of %s queued again for a new broker", count, self.db.schema)
        return count

    async def _broker_epoch(self) -> tuple[str, str]:
        """The epoch of this broker's life: the first record of the epoch topic, written by the
        first relay that found the topic empty."""
        await ensure_topics(self.bootstrap_servers, [BROKER_EPOCH_TOPIC], partitions=1)
        assert self._producer is not None
        first = await self._first_epoch_record()
        if first is None:
            began = datetime.now(UTC).isoformat()
            await self._producer.send_and_wait(
                BROKER_EPOCH_TOPIC, json.dumps({"epoch": str(uuid7()), "began": began}).encode(), key=b"epoch"
            )
            first = await self._first_epoch_record()
            assert first is not None, "the broker lost the epoch record just written"
        return first

    async def _first_epoch_record(self) -> tuple[str, str] | None:
        tp = TopicPartition(BROKER_EPOCH_TOPIC, 0)
        # Subscribed without a group: the reader learns the (maybe just created) topic's leader
        # from metadata and reads it from the beginning.
        reader = AIOKafkaConsumer(
            BROKER_EPOCH_TOPIC,
            bootstrap_servers=self.bootstrap_servers.split(","),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await reader.start()
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                for records in (await reader.getmany(timeout_ms=200, max_records=1)).values():
                    for record in records:
                        body = json.loads(record.value or b"{}")
                        return str(body["epoch"]), str(body["began"])
                if tp in reader.assignment() and (await reader.end_offsets([tp]))[tp] == 0:
                    return None
            raise TimeoutError("the broker epoch record could not be read")
        finally:
            await reader.stop()

    async def _run(self) -> None:
        last_purge = 0.0
        loop = asyncio.get_running_loop()
        while True:
            # Cleared before reading, so a commit during the batch wakes the next round at once.
            self.db.outbox_written.clear()
            try:
                sent = await self.relay_once()
                if loop.time() - last_purge > 60:
                    await self.purge()
                    last_purge = loop.time()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay of %s failed; retrying", self.db.schema)
                await asyncio.sleep(1.0)
                continue
            if sent:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.db.outbox_written.wait(), self.poll_seconds)

    async def relay_once(self) -> int:
        """Publish one batch of unsent rows and mark them sent. Returns how many."""
        assert self._producer is not None, "relay not started"
        schema = self.db.schema
        async with self.db.new_session() as session, session.begin():
            # The lock and the batch in one round trip: no rows when another relay holds it.
            rows = (
                await session.execute(
                    text(
                        "WITH relay AS (SELECT pg_try_advisory_xact_lock(:key) AS locked) "  # noqa: S608
                        "SELECT position, topic, key, payload::text AS payload, headers::text AS headers "
                        f'FROM relay, "{schema}".outbox WHERE relay.locked AND published_at IS NULL '
                        "ORDER BY position LIMIT :n"
                    ),
                    {"key": self._lock_key, "n": self.batch_size},
                )
            ).all()
            if not rows:
                return 0
            pending = []
            for row in rows:
                headers = [(k, str(v).encode()) for k, v in json.loads(row.headers).items()]
                pending.append(
                    await self._producer.send(
                        row.topic, value=row.payload.encode(), key=row.key.encode(), headers=headers
                    )
                )
            await asyncio.gather(*pending)
            crashpoint("relay.after_publish")
            await session.execute(
                text(
                    f'UPDATE "{schema}".outbox SET published_at = clock_timestamp() '  # noqa: S608
                    "WHERE position = ANY(CAST(:positions AS integer[]))"
                ),
                {"positions": [row.position for row in rows]},
            )
        return len(rows)

    async def purge(self) -> None:
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            await session.execute(outbox.delete().where(outbox.c.published_at < func.now() - self.retention))
