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
answer in that statement itself (`create_answered`), so nothing runs between it and the commit.
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
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert

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
        # Built once: a create with a key runs it, and building it anew each time (with its
        # cache key) costs more than its round trip.
        k = self.keys.c
        claim = insert(self.keys).values(
            company_id=bindparam("company_id"),
            user_id=bindparam("user_id"),
            key=bindparam("key"),
            request_hash=bindparam("request_hash"),
        )
        self.claim = claim.on_conflict_do_update(
            constraint="pk_idempotency_keys",
            set_={
                "request_hash": claim.excluded.request_hash,
                "status_code": None,
                "response": None,
                "created_at": func.now(),
            },
            where=k.created_at < func.now() - RETENTION,
        ).returning(k.key)

    @classmethod
    @cache
    def for_schema(cls, schema: str) -> Self:
        return cls(schema)


@dataclass(frozen=True)
class PendingAnswer:
    """A claimed key whose answer the create writes itself: the row of `table` named by
    `company_id`, `user_id` and `key` gets `status_code` and the answer's JSON."""

    table: Table
    company_id: UUID
    user_id: UUID
    key: str
    status_code: int


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
    canonical = json.dumps(jsonable_encoder(body), sort_keys=True, separators=(",", ":"))
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
        self.method = request.method
        self.path = request.url.path
        self.key = key
        self.keys = IdempotencyTables.for_schema(uow.db.schema).keys

    async def create(
        self, body: Any, status_code: int | Callable[[T], int], create: Callable[[], Awaitable[T]]
    ) -> T | JSONResponse:
        """Run `create` once per key: the first time its answer (with `status_code`, or the
        status it gives for the answer) is stored with the key; a repeat with the same body
        gets that answer back; a repeat with another body is 422."""
        if self.key is None:
            return await create()
        fingerprint = request_fingerprint(self.method, self.path, body)
        stored = await self._claim(fingerprint)
        if stored is not None:
            return stored
        result = await create()
        await self.uow.session.execute(
            update(self.keys)
            .where(*self._this_key())
            .values(
                status_code=status_code if isinstance(status_code, int) else status_code(result),
                response=result.model_dump(mode="json"),
            )
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
        fingerprint = request_fingerprint(self.method, self.path, body)
        stored = await self._claim(fingerprint)
        if stored is not None:
            return stored
        return await create(
            PendingAnswer(self.keys, self.claims.company_id, self.claims.user_id, self.key, status_code)
        )

    def _this_key(self) -> tuple[Any, ...]:
        k = self.keys.c
        return (k.company_id == self.claims.company_id, k.user_id == self.claims.user_id, k.key == self.key)

    async def _claim(self, fingerprint: str) -> JSONResponse | None:
        """Take the key for this request (None), or the stored answer of the request that
        took it. A key past its 24 hours is taken anew."""
        k = self.keys.c
        claimed = await self.uow.session.scalar(
            IdempotencyTables.for_schema(self.uow.db.schema).claim,
            {
                "company_id": self.claims.company_id,
                "user_id": self.claims.user_id,
                "key": self.key,
                "request_hash": fingerprint,
            },
        )
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


async def idempotency(
    uow: UoW,
    claims: CurrentClaims,
    request: Request,
    key: Annotated[str | None, Header(alias=KEY_HEADER)] = None,
) -> Idempotency:
    if key is not None and not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise _key_problem(f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters")
    return Idempotency(uow, claims, request, key)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
