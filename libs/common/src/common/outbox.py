"""The transactional outbox relay: publishes committed outbox rows to Kafka, then marks them.

Rows are chosen by state (`published_at IS NULL`), never by an id cursor: positions are handed
out before commit, so a cursor would skip a row that commits late. One relay per schema works
at a time (an advisory lock), which keeps every key's events in order when a service runs
several replicas. A batch is produced as a whole (every send in flight at once) and marked sent
in one statement. A crash between publishing and marking republishes the batch: delivery is
at-least-once and consumers dedupe by event id.

The relay works on a connection of its own, outside the pool, and the lock is that session's:
taken by the statement that reads a batch, let go by the message that marks it (`BEGIN;
UPDATE ...; COMMIT; SELECT pg_advisory_unlock(...)`, one round trip, the unlock after the
commit, so the next holder never sees the batch unsent). A batch costs two round trips, and
the marking's commit does not wait for the WAL flush: a mark that a crash of the server loses
only sends its batch again. If anything fails, the connection is closed, and the server ends
the session and its lock with it.

The rows a unit of work of this process commits are handed to the relay in memory as well
(`common.db.OutboxHandoff`), and the relay publishes them without reading them back: the
statement that takes the lock returns only which of them are still unsent (their positions),
and, in full, every unsent row of another writer ordered before them. Why that keeps every
promise:
- Per-key order. Two events of one key are written by transactions that one aggregate's row
  lock (or its single writer) orders, so the later one's row gets the higher position and
  commits after the earlier one's. When the relay holds the lock, every committed, unsent row
  with a lower position than a handed row is read with it and sent first, in position order;
  rows of another process (or of a statement that wrote the outbox itself, which this process
  cannot hand over) are never overtaken. A row that commits after that read has, by the same
  ordering, no later row of its key among the handed ones.
- One relay at a time. The handed rows are sent only under the lock, as read ones are. When
  another relay holds it, they stay in the table, and this relay reads the table shortly after.
- At-least-once. The handoff is a hint and only ever a copy: the table is the truth. A handed
  row the read does not find unsent (sent already, or a savepoint's row that never committed)
  is not sent; one missing from the handoff (it overflowed, the process died) is found by state
  on the next read. Marking happens only after the broker acknowledged, as for read rows.
- Crash safety. A SIGKILL at any point leaves the handed rows committed and unsent in the table
  (`relay.before_publish_handed`), or sent and unsent (`relay.after_publish`): the next relay
  to start reads and sends them.
A handed row goes out with the writer's JSON text; a row read back has the database's
rendering of the same JSON (consumers parse it, so a replay of either is the same event).

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
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from sqlalchemy import func, select, update

from common.crashpoints import crashpoint
from common.db import Database, OutboxRow
from common.embedded import BrokerKind, broker_kind
from common.kafka import ensure_topics
from contracts.ids import uuid7

log = logging.getLogger(__name__)

BROKER_EPOCH_TOPIC = "tf.broker.epoch"
# How soon a relay that found the lock taken tries again.
LOCK_BUSY_RETRY_SECONDS = 0.02


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
        self._conn: asyncpg.Connection | None = None
        self._lock_key = zlib.crc32(f"outbox:{db.schema}".encode())
        outbox = f'"{db.schema}".outbox'
        # The lock, and the rows when it was taken; one row with `locked` false when it was not,
        # one with no position when nothing is unsent.
        self._read_sql = (
            "WITH relay AS MATERIALIZED (SELECT pg_try_advisory_lock($1) AS locked) "  # noqa: S608
            "SELECT relay.locked, o.position, o.event_id, o.topic, o.key, o.payload, o.headers "
            "FROM relay LEFT JOIN LATERAL (SELECT position, event_id, topic, key, "
            f"payload::text AS payload, headers::text AS headers FROM {outbox} "
            "WHERE relay.locked AND published_at IS NULL ORDER BY position LIMIT $2) AS o ON true"
        )
        # The lock (the one row with `locked` set); the handed-over rows still unsent (position
        # and event id only); every other unsent row ordered before the last of those (in full).
        self._handed_sql = (
            "WITH relay AS MATERIALIZED (SELECT pg_try_advisory_lock($1) AS locked), "  # noqa: S608
            "handed AS MATERIALIZED (SELECT o.position, o.event_id FROM relay, "
            f"{outbox} AS o WHERE relay.locked AND o.event_id = ANY($2::uuid[]) "
            "AND o.published_at IS NULL), "
            "upto AS (SELECT max(position) AS last FROM handed) "
            "SELECT relay.locked, NULL::integer AS position, NULL::uuid AS event_id, "
            "NULL::text AS topic, NULL::text AS key, NULL::text AS payload, NULL::text AS headers "
            "FROM relay "
            "UNION ALL SELECT NULL, position, event_id, NULL, NULL, NULL, NULL FROM handed "
            "UNION ALL (SELECT NULL, o.position, o.event_id, o.topic, o.key, o.payload::text, "
            f"o.headers::text FROM upto, {outbox} AS o WHERE o.published_at IS NULL "
            "AND o.position < upto.last AND o.event_id <> ALL($2::uuid[]) "
            "ORDER BY o.position LIMIT $3)"
        )

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
        self.db.outbox_handoff.attached = True
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
        self.db.outbox_handoff.attached = False
        self.db.outbox_handoff.rows.clear()
        await self._drop_connection()
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
        handoff = self.db.outbox_handoff
        while True:
            # Cleared before reading, so a commit during the batch wakes the next round at once.
            self.db.outbox_written.clear()
            try:
                handed, scan = handoff.take(self.batch_size)
                read = not handed or scan
                sent = await (self._relay_read() if read else self._relay_handed(handed))
                if loop.time() - last_purge > 60:
                    await self.purge()
                    last_purge = loop.time()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay of %s failed; retrying", self.db.schema)
                # What was handed over is in the table: the next round reads it.
                handoff.scan = True
                await self._drop_connection()
                await asyncio.sleep(1.0)
                continue
            if sent is None:
                # Another relay holds the lock: it may have read the table before this
                # process's rows committed, so they are read again after a short while.
                handoff.scan = True
                await asyncio.sleep(min(self.poll_seconds, LOCK_BUSY_RETRY_SECONDS))
                continue
            # After a read batch the table may hold more; after a handed one only the handoff can.
            if (read and sent) or handoff.rows or handoff.scan:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.db.outbox_written.wait(), self.poll_seconds)

    async def relay_once(self) -> int:
        """Publish one batch of unsent rows read from the table and mark them sent. Returns how
        many (0 as well when another relay holds the lock)."""
        return await self._relay_read() or 0

    async def _connection(self) -> asyncpg.Connection:
        """The relay's own connection, outside the pool: the advisory lock it takes belongs to
        its session, so no other code may ever run on it."""
        if self._conn is None or self._conn.is_closed():
            assert self.db.engine is not None, "the relay needs a database it can connect to"
            url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._conn = await asyncpg.connect(
                url, server_settings={"application_name": f"{self.db.schema}-relay"}
            )
        return self._conn

    async def _drop_connection(self) -> None:
        """Close the connection: the server ends its session and any lock it holds."""
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), 2.0)
            except Exception:
                conn.terminate()

    async def _relay_read(self) -> int | None:
        """The lock and the oldest unsent rows in one round trip, the sends, then the marking,
        the commit and the unlock in one more. None when another relay holds the lock."""
        conn = await self._connection()
        rows = await conn.fetch(self._read_sql, self._lock_key, self.batch_size)
        if not rows[0]["locked"]:
            return None
        if rows[0]["position"] is None:
            await conn.execute(f"SELECT pg_advisory_unlock({self._lock_key})")
            return 0
        await self._publish([(r["topic"], r["key"], r["payload"], r["headers"]) for r in rows])
        crashpoint("relay.after_publish")
        await self._mark_and_unlock(conn, [r["position"] for r in rows])
        return len(rows)

    async def _relay_handed(self, handed: list[OutboxRow]) -> int | None:
        """Publish rows this process committed, as handed over in memory. One round trip takes
        the lock and finds which of them are still unsent (their positions only) and every
        unsent row of another writer ordered before them (in full); those are sent together in
        position order, then marked as `_relay_read` does."""
        conn = await self._connection()
        ids = [row[0] for row in handed]
        found = await conn.fetch(self._handed_sql, self._lock_key, ids, self.batch_size)
        locked = next(r["locked"] for r in found if r["locked"] is not None)
        if not locked:
            return None
        by_id = {row[0]: row for row in handed}
        batch: list[tuple[int, str, str, str, str]] = []
        others = 0
        for r in found:
            if r["position"] is None:
                continue
            if r["topic"] is None:
                _, topic, key, payload, headers = by_id[r["event_id"]]
                batch.append((r["position"], topic, key, payload, headers))
            else:
                others += 1
                batch.append((r["position"], r["topic"], r["key"], r["payload"], r["headers"]))
        batch.sort(key=lambda row: row[0])
        if others >= self.batch_size:
            # More rows of other writers wait than one batch takes: send up to the last of them
            # (every unsent row up to there is in hand) and read the rest from the table.
            last = max(r["position"] for r in found if r["topic"] is not None)
            batch = [row for row in batch if row[0] <= last]
            self.db.outbox_handoff.scan = True
        if not batch:
            # Every row handed over was sent already (by a relay that read the table).
            await conn.execute(f"SELECT pg_advisory_unlock({self._lock_key})")
            return 0
        crashpoint("relay.before_publish_handed")
        await self._publish([row[1:] for row in batch])
        crashpoint("relay.after_publish")
        await self._mark_and_unlock(conn, [row[0] for row in batch])
        return len(batch)

    async def _publish(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Every send in flight at once, then wait for the broker's acknowledgements."""
        assert self._producer is not None, "relay not started"
        pending = []
        for topic, key, payload, headers in rows:
            pending.append(
                await self._producer.send(
                    topic,
                    value=payload.encode(),
                    key=key.encode(),
                    headers=[(k, str(v).encode()) for k, v in json.loads(headers).items()],
                )
            )
        await asyncio.gather(*pending)

    async def _mark_and_unlock(self, conn: asyncpg.Connection, positions: list[int]) -> None:
        # One simple-protocol message, one round trip: the marking commits before the lock is
        # let go, so the next relay to take it never sees these rows unsent. Its commit does not
        # wait for the WAL flush (`synchronous_commit` off for this transaction only): a mark
        # lost in a crash of the server only sends the batch again, which at-least-once
        # delivery allows and the consumers' inboxes absorb. Positions are integers from the
        # table, the lock key a constant of this relay.
        listed = ",".join(str(int(p)) for p in positions)
        await conn.execute(
            "BEGIN; SET LOCAL synchronous_commit TO off; "  # noqa: S608
            f'UPDATE "{self.db.schema}".outbox SET published_at = clock_timestamp() '
            f"WHERE position = ANY('{{{listed}}}'::integer[]); COMMIT; "
            f"SELECT pg_advisory_unlock({self._lock_key})"
        )

    async def purge(self) -> None:
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            await session.execute(outbox.delete().where(outbox.c.published_at < func.now() - self.retention))
