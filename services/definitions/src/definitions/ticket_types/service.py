"""Ticket types: the form a ticket is submitted with, who may submit it, and the workflow (and
optionally which version of it) that a submitted ticket starts."""

from datetime import UTC, datetime

from common.db import UnitOfWork
from common.errors import NotFound
from common.web import Page, PageParams
from contracts import definitions as events
from definitions.bundles.schemas import PublishedVersion, TicketTypeSpec
from definitions.bundles.validation import Findings
from definitions.models import TicketDefinition, TicketType
from definitions.ticket_types.repository import TicketTypeRepository
from definitions.ticket_types.schemas import (
    TicketTypeRead,
    TicketTypeSummary,
    TicketTypeVersionRead,
    TicketTypeVersionSummary,
)


def repository(uow: UnitOfWork) -> TicketTypeRepository:
    assert uow.company_id is not None
    return TicketTypeRepository(uow.session, uow.company_id)


def ticket_type_spec(definition: TicketDefinition) -> TicketTypeSpec:
    return TicketTypeSpec(
        key=definition.key,
        name=definition.name,
        description=definition.description,
        prefix=definition.prefix,
        fields=definition.fields,
        company_role_access=definition.company_role_access,
        workflow_version=definition.workflow_version,
        edit_layout=definition.edit_layout,
        display_layout=definition.display_layout,
    )


class PendingTicketType:
    """A ticket type about to be published, its head locked, its checks against the stored
    definitions done."""

    def __init__(
        self, head: TicketType, latest: TicketDefinition | None, spec: TicketTypeSpec, workflow_key: str
    ):
        self.head = head
        self.latest = latest
        self.spec = spec
        self.workflow_key = workflow_key

    @property
    def unchanged(self) -> bool:
        return (
            self.latest is not None
            and self.head.deleted_at is None
            and self.latest.workflow_key == self.workflow_key
            and ticket_type_spec(self.latest) == self.spec
        )


async def prepare(
    uow: UnitOfWork,
    spec: TicketTypeSpec,
    workflow_key: str,
    workflow_latest_version: int,
    loc: list[str | int],
    findings: Findings,
) -> PendingTicketType:
    """Lock the ticket type's head and check what only the stored definitions can tell: the
    pinned workflow version exists, and no other ticket type numbers with the same prefix."""
    repo = repository(uow)
    head = await repo.lock_head(spec.key, workflow_key, spec.prefix)
    latest = await repo.get_version(spec.key, head.latest_version) if head.latest_version else None
    if spec.workflow_version is not None and spec.workflow_version > workflow_latest_version:
        findings.error(
            [*loc, "workflow_version"],
            f"workflow {workflow_key!r} has no version {spec.workflow_version} "
            f"(latest: {workflow_latest_version})",
            "unknown_version",
        )
    holder = await repo.prefix_holder(spec.prefix, spec.key)
    if holder is not None:
        findings.error(
            [*loc, "prefix"],
            f"prefix {spec.prefix!r} is already used by ticket type {holder!r}",
            "prefix_taken",
        )
    return PendingTicketType(head, latest, spec, workflow_key)


async def publish(uow: UnitOfWork, pending: PendingTicketType) -> PublishedVersion:
    spec, head = pending.spec, pending.head
    if pending.unchanged:
        assert pending.latest is not None
        return PublishedVersion(key=spec.key, version=pending.latest.version, created=False)
    assert uow.company_id is not None
    version = head.latest_version + 1
    definition = TicketDefinition(
        company_id=uow.company_id,
        ticket_type_id=head.id,
        key=spec.key,
        version=version,
        name=spec.name,
        description=spec.description,
        prefix=spec.prefix,
        fields=spec.fields,
        company_role_access=spec.company_role_access,
        workflow_key=pending.workflow_key,
        workflow_version=spec.workflow_version,
        edit_layout=spec.edit_layout,
        display_layout=spec.display_layout,
        created_by=uow.actor.id,
    )
    await repository(uow).add_version(definition)
    head.latest_version = version
    head.workflow_key = pending.workflow_key
    head.prefix = spec.prefix
    head.deleted_at = None
    await uow.publish(
        events.TicketDefinitionPublished(
            ticket_definition_id=definition.id,
            key=spec.key,
            version=version,
            name=spec.name,
            description=spec.description,
            prefix=spec.prefix,
            fields=spec.fields,
            workflow_key=pending.workflow_key,
            workflow_version=spec.workflow_version,
            company_role_access=spec.company_role_access,
            edit_layout=spec.edit_layout,
            display_layout=spec.display_layout,
        )
    )
    return PublishedVersion(key=spec.key, version=version, created=True)


async def list_ticket_types(
    uow: UnitOfWork, query: str | None, workflow_key: str | None, archived: bool, page: PageParams
) -> Page[TicketTypeSummary]:
    rows, total = await repository(uow).search(query, workflow_key, archived, page.offset, page.page_size)
    return Page(
        items=[_summary(head, latest) for head, latest in rows],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


async def get_version(uow: UnitOfWork, key: str, version: int | None = None) -> TicketDefinition:
    repo = repository(uow)
    if version is None:
        head = await repo.get_head(key)
        if head is None or head.latest_version == 0:
            raise NotFound(f"No ticket type {key!r}.")
        version = head.latest_version
    definition = await repo.get_version(key, version)
    if definition is None:
        raise NotFound(f"No version {version} of ticket type {key!r}.")
    return definition


async def get_ticket_type(uow: UnitOfWork, key: str) -> TicketTypeRead:
    head = await repository(uow).get_head(key)
    if head is None or head.latest_version == 0:
        raise NotFound(f"No ticket type {key!r}.")
    latest = await get_version(uow, key, head.latest_version)
    versions = await repository(uow).list_versions(key)
    return TicketTypeRead(
        **_summary(head, latest).model_dump(),
        current=version_read(latest),
        versions=[_version_summary(v) for v in versions],
    )


async def list_versions(uow: UnitOfWork, key: str) -> list[TicketTypeVersionSummary]:
    versions = await repository(uow).list_versions(key)
    if not versions:
        raise NotFound(f"No ticket type {key!r}.")
    return [_version_summary(v) for v in versions]


async def archive(uow: UnitOfWork, key: str) -> TicketTypeSummary:
    """An archived ticket type accepts no new tickets; tickets already submitted carry on."""
    head = await repository(uow).get_head(key)
    if head is None or head.latest_version == 0:
        raise NotFound(f"No ticket type {key!r}.")
    if head.deleted_at is None:
        head.deleted_at = datetime.now(UTC)
        await uow.publish(events.TicketDefinitionArchived(key=key))
    latest = await get_version(uow, key, head.latest_version)
    return _summary(head, latest)


def version_read(definition: TicketDefinition) -> TicketTypeVersionRead:
    return TicketTypeVersionRead(
        **ticket_type_spec(definition).model_dump(),
        id=definition.id,
        version=definition.version,
        workflow_key=definition.workflow_key,
        created_at=definition.created_at,
        created_by=definition.created_by,
    )


def _version_summary(definition: TicketDefinition) -> TicketTypeVersionSummary:
    return TicketTypeVersionSummary(
        id=definition.id,
        version=definition.version,
        name=definition.name,
        workflow_key=definition.workflow_key,
        workflow_version=definition.workflow_version,
        created_at=definition.created_at,
        created_by=definition.created_by,
    )


def _summary(head: TicketType, latest: TicketDefinition) -> TicketTypeSummary:
    return TicketTypeSummary(
        id=head.id,
        key=head.key,
        name=latest.name,
        description=latest.description,
        prefix=latest.prefix,
        workflow_key=latest.workflow_key,
        workflow_version=latest.workflow_version,
        company_role_access=latest.company_role_access,
        latest_version=head.latest_version,
        archived=head.deleted_at is not None,
        archived_at=head.deleted_at,
        created_at=head.created_at,
        updated_at=head.updated_at,
    )
