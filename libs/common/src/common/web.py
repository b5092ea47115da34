"""FastAPI dependencies for the unit of work, and pagination."""

import math
from collections.abc import AsyncIterator
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from common.auth import CurrentClaims
from common.db import Database, UnitOfWork
from contracts.envelope import Actor

T = TypeVar("T")

MAX_PAGE_SIZE = 100


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(get_db)]


async def tenant_uow(db: DatabaseDep, claims: CurrentClaims) -> AsyncIterator[UnitOfWork]:
    """One transaction per request, scoped to the caller's company; committed before the
    response is sent (scope="function"), rolled back on any error."""
    async with db.unit_of_work(claims.company_id, Actor.user(claims.user_id)) as uow:
        yield uow


async def public_uow(db: DatabaseDep) -> AsyncIterator[UnitOfWork]:
    """A transaction for a public endpoint (no caller yet); the service scopes it to a company
    with `uow.set_company` as soon as it knows which."""
    async with db.unit_of_work() as uow:
        yield uow


UoW = Annotated[UnitOfWork, Depends(tenant_uow, scope="function")]
PublicUoW = Annotated[UnitOfWork, Depends(public_uow, scope="function")]


class PageParams(BaseModel):
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def page_params(
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


def entity_tags(if_none_match: str | None) -> frozenset[str]:
    """The entity tags an `If-None-Match` header names (a weak one compares as its strong self,
    as RFC 9110 has If-None-Match compare)."""
    if not if_none_match:
        return frozenset()
    return frozenset(tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip())


def preferred_wait(prefer: str | None, longest: float) -> float:
    """The seconds a `Prefer: wait=N` header asks for (RFC 7240), at most `longest`; 0 when it
    asks for none. A preference is a hint: one that cannot be read is passed over, as the RFC
    has a server do with preferences it does not understand."""
    for preference in (prefer or "").split(","):
        name, _, value = preference.split(";")[0].partition("=")
        if name.strip().lower() == "wait":
            try:
                seconds = float(value.strip().strip('"'))
            except ValueError:
                return 0.0
            return 0.0 if math.isnan(seconds) else min(max(seconds, 0.0), longest)
    return 0.0
