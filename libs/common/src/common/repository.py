"""The one shape of a repository: SQL of one company (`CompanyRepository`), or of a table that
belongs to none (`SystemRepository`).

A repository is bound to a company when it is made, and every statement it builds names that
company, so isolation holds in the query layer; row-level security stays the backstop for a
statement that forgets. Rows that users delete are soft-deleted where history must outlive them
(`SoftDeletable`): they keep their row, and every statement built here leaves them out unless
it asks for them.

Paging: a list that shows "page N of M" needs a total, but a page that is not full tells it
already (everything before it plus what it holds), so `CompanyRepository.total` counts only
when the page cannot tell. A list that only needs "is there more?" takes `slice_after`: keyset
pagination over a unique ordering, one row more than asked for, no count at all.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, DateTime, Select, func, inspect, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column

from common.db import UnitOfWork
from common.errors import NotFound

ModelT = TypeVar("ModelT")
RowT = TypeVar("RowT")


class SoftDeletable:
    """`deleted_at` for a model whose rows outlive their deletion (a definition that running
    instances still use, a role that history names). Deleted rows are left out of what a
    repository selects unless a statement asks for them."""

    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Deleted(StrEnum):
    """Which rows of a soft-deletable model a statement reads."""

    EXCLUDE = "exclude"
    INCLUDE = "include"
    ONLY = "only"


@dataclass(frozen=True)
class Slice(Generic[RowT]):
    """Rows of a keyset page, and whether more follow them."""

    rows: list[RowT]
    has_more: bool


class SystemRepository:
    """SQL of a table that belongs to no company (signing keys, the login-attempt ledger, the
    directories that say which company an email or a key id belongs to)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session


class CompanyRepository(Generic[ModelT]):
    """SQL of one company over one main model (`model`); other models of the same service are
    reached through `owned`, which scopes them to the same company."""

    model: type[ModelT]

    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        self.session = session
        self.company_id = company_id

    @classmethod
    def of(cls, uow: UnitOfWork) -> Self:
        """The repository of the company the unit of work is scoped to."""
        if uow.company_id is None:
            raise RuntimeError(f"{cls.__name__} needs a unit of work scoped to a company")
        return cls(uow.session, uow.company_id)

    def owned(
        self, model: type[Any] | None = None, *, deleted: Deleted = Deleted.EXCLUDE
    ) -> ColumnElement[bool]:
        """The condition that keeps a model's rows to this company (and, for a soft-deletable
        model, to the rows `deleted` asks for)."""
        columns = inspect(model if model is not None else self.model).columns
        condition: ColumnElement[bool] = columns["company_id"] == self.company_id
        if "deleted_at" in columns and deleted is not Deleted.INCLUDE:
            marker = columns["deleted_at"]
            condition = condition & (marker.is_(None) if deleted is Deleted.EXCLUDE else marker.is_not(None))
        return condition

    def select(self, *criteria: ColumnElement[bool], deleted: Deleted = Deleted.EXCLUDE) -> Select[ModelT]:
        """`SELECT model` of this company, narrowed by `criteria`."""
        return select(self.model).where(self.owned(deleted=deleted), *criteria)

    async def find(
        self, *criteria: ColumnElement[bool], for_update: bool = False, deleted: Deleted = Deleted.EXCLUDE
    ) -> ModelT | None:
        """The one row matching `criteria`, or None."""
        stmt = self.select(*criteria, deleted=deleted)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()

    async def get_or_404(
        self,
        *criteria: ColumnElement[bool],
        detail: str,
        for_update: bool = False,
        deleted: Deleted = Deleted.EXCLUDE,
    ) -> ModelT:
        """The one row matching `criteria`; otherwise the not-found problem, which is also what
        another company's row answers."""
        row = await self.find(*criteria, for_update=for_update, deleted=deleted)
        if row is None:
            raise NotFound(detail)
        return row

    async def soft_delete(self, row: SoftDeletable) -> bool:
        """Mark a row deleted (once: a second delete keeps the first time). True when it was
        live."""
        if row.deleted_at is not None:
            return False
        row.deleted_at = datetime.now(UTC)
        return True

    async def total(self, stmt: Select[*tuple[Any, ...]], *, offset: int, limit: int, fetched: int) -> int:
        """How many rows `stmt` (unpaged) has, given that the page at `offset` held `fetched`
        of at most `limit`: a page that is not full tells it without a count."""
        if fetched < limit and (fetched > 0 or offset == 0):
            return offset + fetched
        counted = await self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        return int(counted or 0)

    async def paged(self, stmt: Select[RowT], *, offset: int, limit: int) -> tuple[list[RowT], int]:
        """One page of a single-entity statement (already ordered), with the total."""
        rows = list(await self.session.scalars(stmt.offset(offset).limit(limit)))
        return rows, await self.total(stmt, offset=offset, limit=limit, fetched=len(rows))

    async def paged_rows(
        self, stmt: Select[*tuple[Any, ...]], *, offset: int, limit: int
    ) -> tuple[list[Any], int]:
        """One page of a statement selecting several entities, as tuples, with the total."""
        rows = [tuple(row) for row in (await self.session.execute(stmt.offset(offset).limit(limit))).all()]
        return rows, await self.total(stmt, offset=offset, limit=limit, fetched=len(rows))

    async def slice_after(
        self,
        stmt: Select[RowT],
        order: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
        after: Sequence[Any] | None,
        *,
        limit: int,
    ) -> Slice[RowT]:
        """Keyset paging: the first `limit` rows of `stmt` ordered (ascending) by `order`, a
        unique key, that come after the key values `after` (None: from the start)."""
        if after is not None:
            stmt = stmt.where(tuple_(*order) > tuple_(*after))
        rows = list(await self.session.scalars(stmt.order_by(*order).limit(limit + 1)))
        return Slice(rows=rows[:limit], has_more=len(rows) > limit)
