"""Database access: one async engine per service, and a unit of work per request or message.

A unit of work is one transaction. It sets the caller's company for that transaction only
(`set_config('app.company_id', ..., true)`; a session-level SET would leak through the pool),
collects the events the change raises into the outbox in the same transaction, and commits or
rolls back. Services never commit: the entrypoint that opened the unit of work does.

Outbox rows are collected in memory and written in one statement just before the commit, so a
transaction that raises many events (a consumer batch) pays one round trip for all of them.
Once the commit has succeeded, the rows go to this process's relay in memory (`OutboxHandoff`)
as well, so it can publish them without reading them back; the table stays the truth (see
`common.outbox`).
"""

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Self, cast
from uuid import UUID

import asyncpg
from cachetools import LRUCache
from sqlalchemy import DateTime, MetaData, TextClause, func, text
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, mapped_column

from common import jsontext
from common.messaging_tables import MessagingTables
from common.telemetry import current_traceparent
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for

log = logging.getLogger(__name__)

# Stands for "no company" in `app.company_id` once a transaction has named one: no company has
# it (ids are UUIDv7), so row-level security matches no row, as when the setting is unset.
NO_COMPANY = UUID(int=0)

PREPARED_STATEMENTS_PER_CONNECTION = 1000

# Outbox rows column by column: event ids, topics, keys, payloads and headers (JSON text).
OutboxRows = tuple[list[UUID], list[str], list[str], list[str], list[str]]

# One outbox row as the writer has it: event id, topic, key, payload and headers (JSON text).
OutboxRow = tuple[UUID, str, str, str, str]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Timestamped:
    """`created_at` / `updated_at` for a service's models. Server-side defaults are fetched
    with RETURNING: an expired attribute would need a lazy load, which async sessions cannot do."""

    __mapper_args__: dict[str, Any] = {"eager_defaults": True}

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )


def service_metadata(schema: str) -> MetaData:
    """The one MetaData of a service: its schema and the naming convention Alembic relies on."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


@dataclass
class OutboxHandoff:
    """The outbox rows this process's units of work committed, for its relay to publish without
    reading them back. Only a hint: a row missing here (another process's, one of a handoff
    that overflowed, one of a process that died) is found in the table by state, so anything here may
    be dropped at any time; `scan` then tells the relay to read the table."""

    limit: int = 10_000
    rows: list[OutboxRow] = field(default_factory=list)
    scan: bool = False
    # Set by the relay that takes the rows; while it is False nothing is kept.
    attached: bool = False

    def add(self, rows: list[OutboxRow]) -> None:
        if not self.attached:
            return
        if len(self.rows) + len(rows) > self.limit:
            self.rows.clear()
            self.scan = True
            return
        self.rows.extend(rows)

    def take(self, n: int) -> tuple[list[OutboxRow], bool]:
        """Up to `n` rows, oldest first, and whether the table must be read as well."""
        rows, self.rows = self.rows[:n], self.rows[n:]
        scan, self.scan = self.scan, False
        return rows, scan


class Database:
    """A service's engine, session factory and outbox tables."""

    def __init__(
        self,
        engine: AsyncEngine | None,
        schema: str,
        *,
        session_factory: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.engine = engine
        self.schema = schema
        self.tables = MessagingTables.for_schema(schema)
        self.outbox_statement = text(outbox_insert(schema))
        self.outbox_written = asyncio.Event()
        self.outbox_handoff = OutboxHandoff()
        if session_factory is None:
            assert engine is not None
            session_factory = async_sessionmaker(engine, expire_on_commit=False)
        self._session_factory = session_factory

    @classmethod
    def connect(cls, url: str, schema: str, *, pool_size: int = 10) -> Self:
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=300,
            connect_args={
                "server_settings": {"application_name": schema},
                # A service sends a few hundred distinct statements (every query shape, every
                # length of an IN list); past the cache they are parsed and planned again each
                # time, a round trip and server work per statement.
                "prepared_statement_cache_size": PREPARED_STATEMENTS_PER_CONNECTION,
            },
        )
        return cls(engine, schema)

    @classmethod
    def bound_to(cls, connection: AsyncConnection, schema: str) -> Self:
        """A Database whose units of work are savepoints inside an outer transaction that a
        test rolls back at its end."""
        factory = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        return cls(None, schema, session_factory=factory)

    def unit_of_work(self, company_id: UUID | None = None, actor: Actor | None = None) -> "UnitOfWork":
        return UnitOfWork(self, company_id, actor or Actor.system(self.schema))

    def new_session(self) -> AsyncSession:
        return self._session_factory()

    async def ping(self) -> None:
        async with self.new_session() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()


# Built once: every unit of work of a company runs it.
_SET_COMPANY = text("SELECT set_config('app.company_id', :company_id, true)")


# Told of every statement sent on a driver connection (`driver_connection`), as SQLAlchemy's
# `before_cursor_execute` listeners are of its own: for tests that count what code sends.
driver_statement_listeners: list[Callable[[str], None]] = []


async def driver_connection(session: AsyncSession, statement: str) -> asyncpg.Connection:
    """The asyncpg connection under `session`, inside the session's transaction, to send
    `statement` on: for the few statements nearly every transaction sends (the company scope,
    the inbox claim, the outbox rows, a step's or a projection's one statement), whose handling
    in SQLAlchemy cost about three times the driver's own work. Their errors are asyncpg's
    (`common.errors` knows both).

    SQLAlchemy's asyncpg adapter begins the database transaction only with its first statement;
    when none has run yet, it is begun here, as that statement would have begun it. (In a
    session joined to an outer transaction, the savepoint is made when the connection is.)
    Pending ORM changes are flushed first, as the session does before any statement it sends:
    they are written under the company scope they were made in."""
    pending = session.sync_session
    if pending.autoflush and (pending.new or pending.dirty or pending.deleted):
        await session.flush()
    connection = await session.connection()
    adapted = cast(Any, (await connection.get_raw_connection()).dbapi_connection)
    if adapted._transaction is None:
        async with adapted._execute_mutex:
            if adapted._transaction is None:
                await adapted._start_transaction()
    for listener in driver_statement_listeners:
        listener(statement)
    return cast(asyncpg.Connection, adapted.driver_connection)


# Text statements as the driver takes them: their SQL with numbered parameters, and the names
# in number order. A service sends a few hundred distinct ones at most.
_DIALECT = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]  # (its constructor is untyped)
_NUMBERED: LRUCache[str, tuple[str, tuple[str, ...]]] = LRUCache(maxsize=1024)


async def driver_fetch(
    session: AsyncSession, statement: TextClause, params: Mapping[str, Any]
) -> list[asyncpg.Record]:
    """A text statement with named parameters, sent on the driver connection
    (`driver_connection`): for the statements a hot path sends every time. Rows are asyncpg's
    records (by name or position). Parameters go to the driver as given: only for statements
    whose parameters SQLAlchemy would not have converted either (no typed bind parameters)."""
    numbered = _NUMBERED.get(statement.text)
    if numbered is None:
        compiled = statement.compile(dialect=_DIALECT)
        numbered = (str(compiled), tuple(compiled.positiontup or ()))
        _NUMBERED[statement.text] = numbered
    sql, names = numbered
    connection = await driver_connection(session, sql)
    return cast(list[asyncpg.Record], await connection.fetch(sql, *(params[name] for name in names)))


class UnitOfWork:
    """One transaction, scoped to one company, with the events it raises."""

    def __init__(self, db: Database, company_id: UUID | None, actor: Actor) -> None:
        self.db = db
        self.company_id = company_id
        self.actor = actor
        self._session: AsyncSession | None = None
        self.published = 0
        self._outbox_rows: list[OutboxRow] = []
        # The rows written so far (collected ones, flushed, taken or named), for the relay after
        # commit.
        self._written: list[OutboxRow] = []
        self._scoped_to: UUID | None = None
        self._after_commit: list[Callable[[], Any]] = []
        self._after_rollback: list[Callable[[], Any]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `async with` block")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self.db.new_session()
        self._written = []
        await self._session.begin()
        if self.company_id is not None:
            await self.set_company(self.company_id)
        return self

    async def set_company(self, company_id: UUID | None) -> None:
        """Scope the rest of this transaction to a company (row-level security reads it); None
        scopes it to no company. A consumer batch calls this per event; an unchanged company
        costs no round trip."""
        self.company_id = company_id
        scope = company_id if company_id is not None else NO_COMPANY
        if scope == self._scoped_to:
            return
        if company_id is None and self._scoped_to is None:
            return
        await driver_fetch(self.session, _SET_COMPANY, {"company_id": str(scope)})
        self._scoped_to = scope

    @staticmethod
    def scope_of(company_id: UUID | None) -> str:
        """The value `app.company_id` takes for a company (None: no company)."""
        return str(company_id if company_id is not None else NO_COMPANY)

    def scoped(self, company_id: UUID | None) -> None:
        """Note that a statement of the caller's own set `app.company_id` to `scope_of(company_id)`
        in this transaction, so `set_company` to the same company costs nothing."""
        self.company_id = company_id
        self._scoped_to = company_id if company_id is not None else NO_COMPANY

    async def flush_outbox(self) -> None:
        """Write the collected outbox rows, all in one statement (done before every commit).
        Their `created_at` is the moment of writing, just before the commit, not the start of
        the transaction, so written → published measures the relay, not the writer's step."""
        rows = self.take_outbox_rows()
        if rows is None:
            return
        event_ids, topics, keys, payloads, headers = rows
        await driver_fetch(
            self.session,
            self.db.outbox_statement,
            {
                "event_ids": event_ids,
                "topics": topics,
                "keys": keys,
                "payloads": payloads,
                "headers": headers,
            },
        )

    def take_outbox_rows(self) -> OutboxRows | None:
        """The collected outbox rows, column by column (event ids, topics, keys, payloads and
        headers as JSON text), and forgotten here: for a caller that writes them in a statement
        of its own with its other writes, one round trip for both."""
        if not self._outbox_rows:
            return None
        event_ids, topics, keys, payloads, headers = (
            list(column) for column in zip(*self._outbox_rows, strict=True)
        )
        self.published += len(self._outbox_rows)
        self._written.extend(self._outbox_rows)
        self._outbox_rows.clear()
        return event_ids, topics, keys, payloads, headers

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        committed = False
        try:
            if exc_type is None:
                await self.flush_outbox()
                await session.commit()
                committed = True
            else:
                await session.rollback()
        finally:
            await session.close()
            self._session = None
            if not committed:
                for callback in self._after_rollback:
                    callback()
        if exc_type is None:
            if self.published:
                self.db.outbox_handoff.add(self._written)
                self.db.outbox_written.set()
            for callback in self._after_commit:
                callback()

    def after_commit(self, callback: Callable[[], Any]) -> None:
        self._after_commit.append(callback)

    def after_rollback(self, callback: Callable[[], Any]) -> None:
        """Run `callback` when the transaction ends without a commit (rolled back, or the commit
        failed): for what a handler holds in memory on the transaction's behalf."""
        self._after_rollback.append(callback)

    async def publish(
        self,
        payload: EventPayload,
        *,
        company_id: UUID | None = None,
        actor: Actor | None = None,
    ) -> Envelope:
        """Record an event in the outbox, in this transaction. The relay sends it after commit."""
        envelope = envelope_for(
            payload,
            company_id=company_id if company_id is not None else self.company_id,
            actor=actor or self.actor,
        )
        await self.publish_envelope(payload.topic, payload.aggregate_key(), envelope)
        return envelope

    async def publish_envelope(self, topic: str, key: str, envelope: Envelope) -> None:
        self._collect(topic, key, envelope.event_id, envelope.model_dump_json(), envelope_headers(envelope))

    async def publish_record(
        self, topic: str, key: str, record_id: UUID, body: dict[str, Any], headers: dict[str, str]
    ) -> None:
        """Record any message (an envelope, or a dead letter) in the outbox."""
        self._collect(topic, key, record_id, jsontext.dumps(body), headers)

    def _collect(self, topic: str, key: str, record_id: UUID, body: str, headers: dict[str, str]) -> None:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `async with` block")
        self._outbox_rows.append((record_id, topic, key, body, outbox_headers(headers)))

    def wrote_outbox_rows(self, rows: list[OutboxRow]) -> None:
        """Rows a repository statement wrote to the outbox itself, given as written: counted
        like collected ones and handed to the relay after commit, so it need not read them."""
        self.published += len(rows)
        self._written.extend(rows)


def envelope_headers(envelope: Envelope) -> dict[str, str]:
    """The headers an event's outbox row carries."""
    return {"event-type": envelope.type}


def outbox_insert(schema: str, prefix: str = "") -> str:
    """The statement that writes outbox rows from column arrays (`OutboxRows`), bound as
    `:<prefix>event_ids`, `:<prefix>topics`, `:<prefix>keys`, `:<prefix>payloads` and
    `:<prefix>headers`; usable on its own or as the last part of a caller's own statement.
    `created_at` is the moment of writing."""
    return (
        f'INSERT INTO "{schema}".outbox (event_id, topic, key, payload, headers, created_at) '  # noqa: S608
        "SELECT e, t, k, p::jsonb, h::jsonb, clock_timestamp() FROM unnest("
        f"CAST(:{prefix}event_ids AS uuid[]), CAST(:{prefix}topics AS text[]), CAST(:{prefix}keys AS text[]), "
        f"CAST(:{prefix}payloads AS text[]), CAST(:{prefix}headers AS text[])) AS r(e, t, k, p, h)"
    )


def outbox_headers(headers: dict[str, str]) -> str:
    """An outbox row's headers as stored: the given ones and the current trace context."""
    traceparent = current_traceparent()
    if traceparent:
        headers = {**headers, "traceparent": traceparent}
    return jsontext.dumps(headers)
