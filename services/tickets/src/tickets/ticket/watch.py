"""Word that a ticket changed, for the reads that wait for it (`GET .../tickets/{id}` with
`Prefer: wait`).

A unit of work that changed a ticket has `TicketWatch.changed` called once it has committed
(`tell_on_commit`): the waiters of this process wake at once, and the ticket's id goes out on
Postgres' NOTIFY channel `tickets_changed` for every other process of the service. Each
process that has waited once listens on that channel, on the watch's own connection. The word is only a hint to read again:
a waiter reads the ticket itself after every wake and when its own wait ends, so a word that
is lost (a listener's connection dropped, a change made by no unit of work of this service)
delays an answer until then and never falsifies one.

The NOTIFY goes out on the watch's own connection, after the change's commit and outside its
transaction: a transaction that notifies holds a lock on the notification queue through its
commit, which would order the projection's commits one after another. That connection does
not wait for the WAL flush: a word lost in a crash of the server costs nothing.
"""

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from uuid import UUID

import asyncpg

from common.db import Database, UnitOfWork

log = logging.getLogger(__name__)

CHANNEL = "tickets_changed"


class TicketWatch:
    """The tickets this process's reads wait on, and the word that one of them changed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._waiters: dict[UUID, set[asyncio.Event]] = {}
        self._waiting: Counter[UUID] = Counter()
        # Words this process sent come back to its own listener: they carry its name, and are
        # passed over there (its waiters were woken when the word was sent).
        self._name = uuid.uuid4().hex[:12]
        self._conn: asyncpg.Connection | None = None
        # Whether `_conn` listens: only once a read of this process has waited, so a process
        # that only tells does not hear its own words come back.
        self._listens = False
        self._connecting = asyncio.Lock()
        self._outgoing: set[UUID] = set()
        self._sender: asyncio.Task[None] | None = None
        self._closed = False

    def changed(self, ticket_ids: Iterable[UUID]) -> None:
        """Tickets changed (their change committed): wake who waits on them here, and tell the
        service's other processes."""
        for ticket_id in ticket_ids:
            self._wake(ticket_id)
            if not self._closed:
                self._outgoing.add(ticket_id)
        if self._outgoing and (self._sender is None or self._sender.done()):
            self._sender = asyncio.get_running_loop().create_task(self._send())

    @contextlib.asynccontextmanager
    async def place(self, company_id: UUID, *, per_company: int, in_all: int) -> AsyncIterator[bool]:
        """A place among this process's waiting reads: True when there is one (at most
        `per_company` for the company and `in_all` in all), else False and the read answers
        without waiting. The listener is started on first use."""
        if self._waiting[company_id] >= per_company or self._waiting.total() >= in_all:
            yield False
            return
        self._waiting[company_id] += 1
        try:
            await self._listening()
            yield True
        finally:
            self._waiting[company_id] -= 1
            if not self._waiting[company_id]:
                del self._waiting[company_id]

    @contextlib.contextmanager
    def subscribed(self, ticket_id: UUID) -> Iterator[asyncio.Event]:
        """An event set when the ticket changes, from now on, while the block runs."""
        woken = asyncio.Event()
        waiters = self._waiters.setdefault(ticket_id, set())
        waiters.add(woken)
        try:
            yield woken
        finally:
            waiters.discard(woken)
            if not waiters and self._waiters.get(ticket_id) is waiters:
                del self._waiters[ticket_id]

    async def close(self) -> None:
        """Stop listening and telling (the process is stopping); waiters still wake here."""
        self._closed = True
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sender
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 2.0)

    def _wake(self, ticket_id: UUID) -> None:
        for woken in self._waiters.get(ticket_id, ()):
            woken.set()

    def _heard(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        sender, _, ticket_id = payload.partition(":")
        if sender == self._name:
            return
        with contextlib.suppress(ValueError):
            self._wake(UUID(ticket_id))

    def _lost(self, _conn: object) -> None:
        # The next wait (or word sent) connects again; waits under way end on their own time.
        self._conn = None
        self._listens = False

    async def _connection(self) -> asyncpg.Connection | None:
        """The watch's connection; None for a database bound to a test's one connection, where
        the watch is this process's alone."""
        if self.db.engine is None:
            return None
        async with self._connecting:
            if self._conn is None or self._conn.is_closed():
                url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
                conn = await asyncpg.connect(
                    url,
                    server_settings={
                        "application_name": f"{self.db.schema}-watch",
                        "synchronous_commit": "off",
                    },
                )
                conn.add_termination_listener(self._lost)
                self._conn, self._listens = conn, False
            return self._conn

    async def _listening(self) -> None:
        if self._closed:
            return
        try:
            conn = await self._connection()
            if conn is None:
                return
            async with self._connecting:
                if not self._listens and not conn.is_closed():
                    await conn.add_listener(CHANNEL, self._heard)
                    self._listens = True
        except (OSError, asyncpg.PostgresError) as exc:
            # The wait still ends on its own time and reads again then.
            log.warning("the ticket watch cannot listen: %s", exc)

    async def _send(self) -> None:
        while self._outgoing:
            ids, self._outgoing = self._outgoing, set()
            try:
                conn = await self._connection()
                if conn is None:
                    return
                await conn.execute(
                    "SELECT pg_notify($1, $2 || ':' || id) FROM unnest($3::text[]) AS id",
                    CHANNEL,
                    self._name,
                    [str(ticket_id) for ticket_id in ids],
                )
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("the ticket watch could not tell the other processes: %s", exc)
                return


def tell_on_commit(uow: UnitOfWork, ticket_id: UUID) -> None:
    """Tell of the ticket's change once `uow` has committed it."""
    watch = watch_of(uow.db)
    uow.after_commit(lambda: watch.changed((ticket_id,)))


_WATCHES: "weakref.WeakKeyDictionary[Database, TicketWatch]" = weakref.WeakKeyDictionary()


def watch_of(db: Database) -> TicketWatch:
    """The process's watch over `db`'s tickets (one per database)."""
    watch = _WATCHES.get(db)
    if watch is None:
        watch = _WATCHES[db] = TicketWatch(db)
    return watch
