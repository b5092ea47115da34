"""What every versioned definition (workflows, ticket types) shares, written once.

A definition is a mutable head (`key`, `latest_version`, archived as a soft delete) and its
immutable versions. Reading versions, the version history, archiving and listing with a search
are the same for every kind; each kind adds only what is its own (the head's extra columns,
how a version is published, what archiving must check first).
"""

from collections.abc import Awaitable, Callable, Sequence
from types import GenericAlias
from typing import Any, ClassVar, Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, inspect, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql.base import ExecutableOption

from common.db import UnitOfWork
from common.errors import NotFound
from common.repository import CompanyRepository, Deleted
from common.web import Page, PageParams, UoW
from contracts.envelope import EventPayload
from contracts.ids import uuid7
from definitions.access import DesignerClaims
from definitions.models import DefinitionHead
from definitions.search import like_pattern

HeadT = TypeVar("HeadT", bound=DefinitionHead)
VersionT = TypeVar("VersionT")
SummaryT = TypeVar("SummaryT", bound="DefinitionSummary")


class VersionedRepository(CompanyRepository[HeadT], Generic[HeadT, VersionT]):
    """SQL of one kind of definition: `model` is the head, `version_model` its versions, joined
    on `head_id` (the version's column naming its head)."""

    version_model: type[VersionT]
    head_id: ClassVar[str]

    def _version(self, name: str) -> Any:
        return inspect(self.version_model).columns[name]

    def version_options(self) -> Sequence[ExecutableOption]:
        """Loader options for reading one full version (its parts, for a kind that has them)."""
        return ()

    def latest_of_head(self) -> ColumnElement[bool]:
        """Joins a head to its latest version."""
        condition: ColumnElement[bool] = (
            (self._version("company_id") == self.model.company_id)
            & (self._version(self.head_id) == self.model.id)
            & (self._version("version") == self.model.latest_version)
        )
        return condition

    async def get_head(self, key: str, *, for_update: bool = False) -> HeadT | None:
        """The head of `key`, archived or not."""
        return await self.find(self.model.key == key, for_update=for_update, deleted=Deleted.INCLUDE)

    async def lock_head(self, key: str, **values: Any) -> HeadT:
        """The head of `key`, created (with `values`) if new, locked until the transaction ends
        so two publishes of the same key number their versions one after the other."""
        await self.session.execute(
            insert(self.model)
            .values(company_id=self.company_id, id=uuid7(), key=key, latest_version=0, **values)
            .on_conflict_do_nothing(index_elements=[self.model.company_id, self.model.key])
        )
        stmt = (
            self.select(self.model.key == key, deleted=Deleted.INCLUDE)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one()

    async def get_version(self, key: str, version: int) -> VersionT | None:
        stmt = (
            self.select_versions(key)
            .where(self._version("version") == version)
            .options(*self.version_options())
        )
        return (await self.session.scalars(stmt)).one_or_none()

    def select_versions(self, key: str) -> Select[VersionT]:
        return select(self.version_model).where(self.owned(self.version_model), self._version("key") == key)

    async def list_versions(self, key: str) -> list[VersionT]:
        stmt = self.select_versions(key).order_by(self._version("version").desc())
        return list(await self.session.scalars(stmt))

    async def add_version(self, head: HeadT, definition: VersionT, version: int) -> None:
        """Store `definition` as version `version` of `head`, which becomes its latest (and
        live again, if it was archived)."""
        self.session.add(definition)
        await self.session.flush()
        head.latest_version = version
        head.deleted_at = None

    async def search(
        self,
        query: str | None,
        archived: bool,
        conditions: Sequence[ColumnElement[bool]],
        offset: int,
        limit: int,
    ) -> tuple[list[tuple[HeadT, VersionT]], int]:
        """Heads (archived ones, or the others) with their latest version, by name and key; `query`
        matches part of either."""
        where = [self.owned(deleted=Deleted.ONLY if archived else Deleted.EXCLUDE), *conditions]
        if query:
            pattern = like_pattern(query)
            where.append(
                or_(
                    self.model.key.ilike(pattern, escape="\\"),
                    self._version("name").ilike(pattern, escape="\\"),
                )
            )
        stmt = (
            select(self.model, self.version_model)
            .join(self.version_model, self.latest_of_head())
            .where(*where)
            .order_by(self._version("name"), self.model.key)
        )
        return await self.paged_rows(stmt, offset=offset, limit=limit)


class DefinitionSummary(BaseModel):
    """A head with what its latest version says; `of` fills the fields of a subclass from the
    two rows (the head's own fields from the head, the rest from the latest version)."""

    model_config = ConfigDict(from_attributes=True)

    head_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "key", "latest_version", "created_at", "updated_at"}
    )

    @classmethod
    def of(cls: type[SummaryT], head: DefinitionHead, latest: object) -> SummaryT:
        values: dict[str, Any] = {"archived": head.deleted_at is not None, "archived_at": head.deleted_at}
        for name in cls.model_fields.keys() - values.keys():
            source = head if name in cls.head_fields else latest
            if hasattr(source, name):
                values[name] = getattr(source, name)
        return cls.model_validate(values)


ReadT = TypeVar("ReadT", bound=BaseModel)
VersionSummaryT = TypeVar("VersionSummaryT", bound=BaseModel)
VersionReadT = TypeVar("VersionReadT", bound=BaseModel)


class VersionedDefinitions(Generic[HeadT, VersionT, SummaryT, ReadT, VersionSummaryT, VersionReadT]):
    """The reads, history and archiving of one kind of definition."""

    def __init__(
        self,
        *,
        kind: str,
        repository: type[VersionedRepository[HeadT, VersionT]],
        summary: type[SummaryT],
        read: type[ReadT],
        version_summary: type[VersionSummaryT],
        version_read: type[VersionReadT],
        archived_event: Callable[[str], EventPayload],
        before_archive: Callable[[UnitOfWork, HeadT], Awaitable[None]] | None = None,
    ) -> None:
        self.kind = kind
        self.repository = repository
        self.summary = summary
        self.read = read
        self.version_summary = version_summary
        self.version_read_model = version_read
        self.archived_event = archived_event
        self.before_archive = before_archive

    def repo(self, uow: UnitOfWork) -> VersionedRepository[HeadT, VersionT]:
        return self.repository.of(uow)

    def _missing(self, key: str) -> NotFound:
        return NotFound(f"No {self.kind} {key!r}.")

    async def published_head(self, uow: UnitOfWork, key: str, *, for_update: bool = False) -> HeadT:
        head = await self.repo(uow).get_head(key, for_update=for_update)
        if head is None or head.latest_version == 0:
            raise self._missing(key)
        return head

    async def get_version(self, uow: UnitOfWork, key: str, version: int | None = None) -> VersionT:
        """One version of `key` (the latest when `version` is None)."""
        if version is None:
            version = (await self.published_head(uow, key)).latest_version
        definition = await self.repo(uow).get_version(key, version)
        if definition is None:
            raise NotFound(f"No version {version} of {self.kind} {key!r}.")
        return definition

    async def get(self, uow: UnitOfWork, key: str) -> ReadT:
        """The latest version with the head's summary and the version history."""
        head = await self.published_head(uow, key)
        latest = await self.get_version(uow, key, head.latest_version)
        versions = await self.repo(uow).list_versions(key)
        return self.read.model_validate(
            {
                **self.summary.of(head, latest).model_dump(),
                "current": self.version_read(latest),
                "versions": [self.version_summary.model_validate(v, from_attributes=True) for v in versions],
            }
        )

    async def list_versions(self, uow: UnitOfWork, key: str) -> list[VersionSummaryT]:
        versions = await self.repo(uow).list_versions(key)
        if not versions:
            raise self._missing(key)
        return [self.version_summary.model_validate(v, from_attributes=True) for v in versions]

    def version_read(self, definition: VersionT) -> VersionReadT:
        return self.version_read_model.model_validate(definition, from_attributes=True)

    async def list_page(
        self,
        uow: UnitOfWork,
        query: str | None,
        archived: bool,
        page: PageParams,
        conditions: Sequence[ColumnElement[bool]] = (),
    ) -> Page[SummaryT]:
        rows, total = await self.repo(uow).search(query, archived, conditions, page.offset, page.page_size)
        return Page(
            items=[self.summary.of(head, latest) for head, latest in rows],
            total=total,
            page=page.page,
            page_size=page.page_size,
        )

    async def archive(self, uow: UnitOfWork, key: str) -> SummaryT:
        """Archive `key` (a soft delete; once: archiving again changes nothing).
        `before_archive` runs first and may refuse."""
        head = await self.published_head(uow, key, for_update=True)
        if head.deleted_at is None:
            if self.before_archive is not None:
                await self.before_archive(uow, head)
            await self.repo(uow).soft_delete(head)
            await uow.publish(self.archived_event(key))
        latest = await self.get_version(uow, key, head.latest_version)
        return self.summary.of(head, latest)


def add_read_routes(
    router: APIRouter,
    path: str,
    definitions: "VersionedDefinitions[Any, Any, Any, Any, Any, Any]",
    *,
    name: str,
    noun: str,
    archive_doc: str,
) -> None:
    """The routes every kind of definition has: the latest version with its history, the
    history, one version, and archiving. `name` makes the operation names (`get_<name>`, ...),
    `noun` the descriptions."""

    async def get_latest(key: str, uow: UoW) -> Any:
        return await definitions.get(uow, key)

    async def list_history(key: str, uow: UoW) -> Any:
        return await definitions.list_versions(uow, key)

    async def get_one_version(key: str, version: int, uow: UoW) -> Any:
        return definitions.version_read(await definitions.get_version(uow, key, version))

    async def archive(key: str, uow: UoW, _: DesignerClaims) -> Any:
        return await definitions.archive(uow, key)

    routes: list[tuple[str, Callable[..., Awaitable[Any]], str, Any, str, str]] = [
        (
            "",
            get_latest,
            "GET",
            definitions.read,
            f"get_{name}",
            f"The latest version of a {noun}, with its version history.",
        ),
        (
            "/versions",
            list_history,
            "GET",
            GenericAlias(list, (definitions.version_summary,)),
            f"list_{name}_versions",
            f"Every published version of a {noun}, newest first.",
        ),
        (
            "/versions/{version}",
            get_one_version,
            "GET",
            definitions.version_read_model,
            f"get_{name}_version",
            f"One version of a {noun}, exactly as it was published.",
        ),
        ("/archive", archive, "POST", definitions.summary, f"archive_{name}", archive_doc),
    ]
    for suffix, endpoint, method, response_model, operation, description in routes:
        router.add_api_route(
            f"{path}/{{key}}{suffix}",
            endpoint,
            methods=[method],
            response_model=response_model,
            name=operation,
            description=description,
        )
