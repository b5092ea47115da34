"""Idempotent creates: a client that sends an `Idempotency-Key` header with a create may send
it again (after a dropped connection, a timeout, a crash of either side) and gets the first
answer back instead of a second record.

Keys are per company and user, kept 24 hours. The key is claimed in the create's own
transaction, before the create, and the answer is stored in that transaction after it: so a
create that fails leaves no key behind, and a second request with the same key waits on the
first one's row lock and then replays its answer. The same key with a different request is a
client error (422), never silently the other request's answer.

A service keeps the table in its own schema (`create_idempotency_table` in a migration,
`IdempotencyTables.for_schema` at run time) and a create endpoint takes an `IdempotencyDep`.
A create whose last statement holds a lock until commit (a gapless number) can store the
answer in that statement itself (`create_answered`, with `store_answer` as a part of it), so
nothing runs between it and the commit.

The claim also scopes the transaction to the caller's company, so an endpoint whose unit of
work leaves the scope to its first statement (one round trip less) may claim first.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID

from alembic import op
from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from common import jsontext
from common.auth import CurrentClaims
from common.db import UnitOfWork
from common.errors import ValidationProblem
from common.migrations import enable_tenant_rls
from common.web import UoW

KEY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
RETENTION = timedelta(hours=24)

T = TypeVar("T", bound=BaseModel)


class IdempotencyTables:
    def __init__(self, schema: str) -> None:
        self.metadata = MetaData(schema=schema)
        self.keys = Table(
            "idempotency_keys",
            self.metadata,
            Column("company_id", Uuid, nullable=False),
            Column("user_id", Uuid, nullable=False),
            Column("key", String(MAX_KEY_LENGTH), nullable=False),
            Column("request_hash", String(64), nullable=False),
            Column("status_code", Integer, nullable=True),
            Column("response", JSONB, nullable=True),
            Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
            PrimaryKeyConstraint("company_id", "user_id", "key", name="pk_idempotency_keys"),
        )
        # Built once: a create with a key runs it. It scopes the transaction to the caller's
        # company as it runs (`set_config` in its FROM, evaluated before any row is checked
        # against row-level security), so it may be the transaction's first statement.
        self.claim = text(
            f'INSERT INTO "{schema}".idempotency_keys AS k (company_id, user_id, key, request_hash) '  # noqa: S608
            "SELECT CAST(:company_id AS uuid), CAST(:user_id AS uuid), CAST(:key AS text), "
            "CAST(:request_hash AS text) "
            "FROM (SELECT set_config('app.company_id', CAST(:scope AS text), true) AS company) AS scope "
            "WHERE scope.company IS NOT NULL "
            "ON CONFLICT ON CONSTRAINT pk_idempotency_keys DO UPDATE "
            "SET request_hash = excluded.request_hash, status_code = NULL, response = NULL, created_at = now() "
            f"WHERE k.created_at < now() - make_interval(secs => {RETENTION.total_seconds():.0f}) "
            "RETURNING k.key"
        )
        self.store = text(store_answer(schema))

    @classmethod
    @cache
    def for_schema(cls, schema: str) -> Self:
        return cls(schema)


@dataclass(frozen=True)
class PendingAnswer:
    """A claimed key whose answer the create writes itself (`store_answer`): the key's row,
    named by `company_id`, `user_id` and `key`, gets `status_code` and the answer's JSON."""

    company_id: UUID
    user_id: UUID
    key: str
    status_code: int


def store_answer(schema: str, *, merged: str | None = None, source: str | None = None) -> str:
    """The statement that stores a claimed key's answer, bound by `answer_params`: on its own,
    or as a part (a CTE) of a create's own statement. There `source`, a FROM item of that
    statement, must yield a row for the answer to be stored (the created record, say), and
    `merged`, a jsonb expression over it, is added to the answer: what only that statement
    knows (a number it took). Without a key (`answer_params(None)`) it matches no row."""
    return (
        f'UPDATE "{schema}".idempotency_keys AS k '  # noqa: S608
        "SET status_code = CAST(:answer_status AS integer), "
        "response = CAST(CAST(:answer AS text) AS jsonb)"
        + (f" || {merged}" if merged else "")
        + (f" FROM {source}" if source else "")
        + " WHERE k.company_id = CAST(:answer_company_id AS uuid)"
        " AND k.user_id = CAST(:answer_user_id AS uuid) AND k.key = CAST(:answer_key AS text)"
    )


def answer_params(answer: PendingAnswer | None, body: Any = None) -> dict[str, Any]:
    """The binds of `store_answer` for a claimed key and its answer's JSON value `body` (none
    without a key)."""
    if answer is None:
        return dict.fromkeys(("answer_company_id", "answer_user_id", "answer_key", "answer_status", "answer"))
    return {
        "answer_company_id": answer.company_id,
        "answer_user_id": answer.user_id,
        "answer_key": answer.key,
        "answer_status": answer.status_code,
        "answer": jsontext.dumps(body),
    }


def create_idempotency_table(schema: str) -> None:
    """For use inside a service's Alembic migration: the table, under row-level security like
    every company table."""
    IdempotencyTables.for_schema(schema).metadata.create_all(op.get_bind())
    enable_tenant_rls(schema, "idempotency_keys")


def drop_idempotency_table(schema: str) -> None:
    IdempotencyTables.for_schema(schema).metadata.drop_all(op.get_bind())


def request_fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests the same: the endpoint and the body's JSON value (so key order
    and whitespace do not matter)."""
    # A model's own JSON dump is what the encoder would make of it, without its second walk.
    value = (
        body.model_dump(mode="json", by_alias=True) if isinstance(body, BaseModel) else jsonable_encoder(body)
    )
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def _key_problem(msg: str) -> ValidationProblem:
    return ValidationProblem(
        f"The {KEY_HEADER} header {msg}.",
        errors=[{"loc": ["header", KEY_HEADER], "msg": msg, "type": "idempotency_key"}],
    )


class Idempotency:
    """One create request's key (or none), bound to its unit of work and caller."""

    def __init__(self, uow: UnitOfWork, claims: CurrentClaims, request: Request, key: str | None) -> None:
        self.uow = uow
        self.claims = claims
        self.request = request
        self.key = key
        self.tables = IdempotencyTables.for_schema(uow.db.schema)
        self.keys = self.tables.keys

    async def create(
        self, body: Any, status_code: int | Callable[[T], int], create: Callable[[], Awaitable[T]]
    ) -> T | JSONResponse:
        """Run `create` once per key: the first time its answer (with `status_code`, or the
        status it gives for the answer) is stored with the key; a repeat with the same body
        gets that answer back; a repeat with another body is 422."""
        if self.key is None:
            return await create()
        fingerprint = self._fingerprint(body)
        stored = await self._claim(fingerprint)
        if stored is not None:
            return stored
        result = await create()
        answer = self._pending(status_code if isinstance(status_code, int) else status_code(result))
        await self.uow.session.execute(
            self.tables.store, answer_params(answer, result.model_dump(mode="json"))
        )
        return result

    async def create_answered(
        self, body: Any, status_code: int, create: Callable[[PendingAnswer | None], Awaitable[T]]
    ) -> T | JSONResponse:
        """As `create`, for a create that stores its answer itself, in the statement that
        creates: `create` gets the claimed key (None without a key header) and must write the
        answer it returns into that key's row before the transaction ends."""
        if self.key is None:
            return await create(None)
        fingerprint = self._fingerprint(body)
        stored = await self._claim(fingerprint)
        if stored is not None:
            return stored
        return await create(self._pending(status_code))

    def _pending(self, status_code: int) -> PendingAnswer:
        assert self.key is not None
        return PendingAnswer(self.claims.company_id, self.claims.user_id, self.key, status_code)

    def _fingerprint(self, body: Any) -> str:
        # The URL is built only for a request that has a key: building it costs.
        return request_fingerprint(self.request.method, self.request.url.path, body)

    def _this_key(self) -> tuple[Any, ...]:
        k = self.keys.c
        return (k.company_id == self.claims.company_id, k.user_id == self.claims.user_id, k.key == self.key)

    async def _claim(self, fingerprint: str) -> JSONResponse | None:
        """Take the key for this request (None), or the stored answer of the request that
        took it. A key past its 24 hours is taken anew."""
        k = self.keys.c
        company_id = self.claims.company_id
        claimed = await self.uow.session.scalar(
            self.tables.claim,
            {
                "company_id": company_id,
                "user_id": self.claims.user_id,
                "key": self.key,
                "request_hash": fingerprint,
                "scope": self.uow.scope_of(company_id),
            },
        )
        self.uow.scoped(company_id)
        if claimed is not None:
            return None
        # The key is held and live: its row was committed with the first request's answer.
        row = (
            await self.uow.session.execute(
                select(k.request_hash, k.status_code, k.response).where(*self._this_key())
            )
        ).one()
        if row.request_hash != fingerprint:
            raise _key_problem("was already used with a different request")
        return JSONResponse(
            row.response, status_code=row.status_code, headers={"Idempotent-Replayed": "true"}
        )


async def idempotency_key(key: Annotated[str | None, Header(alias=KEY_HEADER)] = None) -> str | None:
    """The request's key, checked (422 for one that cannot be a key)."""
    if key is not None and not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise _key_problem(f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters")
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


async def idempotency(uow: UoW, claims: CurrentClaims, request: Request, key: IdempotencyKey) -> Idempotency:
    return Idempotency(uow, claims, request, key)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
