"""The transactional outbox relay: publishes committed outbox rows to Kafka, then marks them.

Rows are chosen by state (`published_at IS NULL`), never by an id cursor: positions are handed
out before commit, so a cursor would skip a row that commits late. One relay per schema works
at a time (a transaction-scoped advisory lock), which keeps every key's events in order when a
service runs several replicas. A crash between publishing and marking republishes the batch:
delivery is at-least-once and consumers dedupe by event id.

Published rows are kept for a retention window so that a lost topic (the embedded broker keeps
nothing across restarts) can be replayed.
"""

import asyncio
import contextlib
import json
import logging
import zlib
from datetime import timedelta

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text, update

from common.crashpoints import crashpoint
from common.db import Database

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        *,
        poll_seconds: float = 0.5,
        retention: timedelta = timedelta(hours=72),
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self.bootstrap_servers = bootstrap_servers
        self.poll_seconds = poll_seconds
        self.retention = retention
        self.batch_size = batch_size
        self._producer: AIOKafkaProducer | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock_key = zlib.crc32(f"outbox:{db.schema}".encode())

    async def start(self, *, replay: bool = False) -> None:
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers.split(","),
            acks="all",
            enable_idempotence=False,
            linger_ms=2,
        )
        await self._producer.start()
        if replay:
            await self.replay()
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.db.schema}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._producer is not None:
            await self._producer.stop()

    async def replay(self) -> int:
        """Mark every row published within the retention window as unsent again."""
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            result = await session.execute(
                update(outbox)
                .where(outbox.c.published_at > func.now() - self.retention)
                .values(published_at=None)
            )
        count = int(result.rowcount)  # type: ignore[attr-defined]
        log.info("outbox replay: %d events of %s queued again", count, self.db.schema)
        return count

    async def _run(self) -> None:
        last_purge = 0.0
        loop = asyncio.get_running_loop()
        while True:
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
            if sent >= self.batch_size:
                continue
            self.db.outbox_written.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.db.outbox_written.wait(), self.poll_seconds)

    async def relay_once(self) -> int:
        """Publish one batch of unsent rows and mark them sent. Returns how many."""
        assert self._producer is not None, "relay not started"
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            locked = await session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": self._lock_key}
            )
            if not locked:
                return 0
            rows = (
                await session.execute(
                    select(
                        outbox.c.position, outbox.c.topic, outbox.c.key, outbox.c.payload, outbox.c.headers
                    )
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.position)
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                return 0
            pending = []
            for row in rows:
                headers = [(k, str(v).encode()) for k, v in (row.headers or {}).items()]
                pending.append(
                    await self._producer.send(
                        row.topic,
                        value=json.dumps(row.payload, separators=(",", ":")).encode(),
                        key=row.key.encode(),
                        headers=headers,
                    )
                )
            await asyncio.gather(*pending)
            crashpoint("relay.after_publish")
            await session.execute(
                update(outbox)
                .where(outbox.c.position.in_([row.position for row in rows]))
                .values(published_at=func.now())
            )
        return len(rows)

    async def purge(self) -> None:
        outbox = self.db.tables.outbox
        async with self.db.new_session() as session, session.begin():
            await session.execute(outbox.delete().where(outbox.c.published_at < func.now() - self.retention))
