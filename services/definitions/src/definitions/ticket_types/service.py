"""Ticket types: the form a ticket is submitted with, who may submit it, and the workflow (and
optionally which version of it) that a submitted ticket starts."""

from common.db import UnitOfWork
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
from definitions.versioning import VersionedDefinitions

definitions = VersionedDefinitions(
    kind="ticket type",
    repository=TicketTypeRepository,
    summary=TicketTypeSummary,
    read=TicketTypeRead,
    version_summary=TicketTypeVersionSummary,
    version_read=TicketTypeVersionRead,
    archived_event=lambda key: events.TicketDefinitionArchived(key=key),
)


def ticket_type_spec(definition: TicketDefinition) -> TicketTypeSpec:
    return TicketTypeSpec.model_validate(definition, from_attributes=True)


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
    repo = TicketTypeRepository.of(uow)
    head = await repo.lock_head(spec.key, workflow_key=workflow_key, prefix=spec.prefix)
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
    published = spec.model_dump()
    definition = TicketDefinition(
        company_id=uow.company_id,
        ticket_type_id=head.id,
        version=version,
        workflow_key=pending.workflow_key,
        created_by=uow.actor.id,
        **published,
    )
    await TicketTypeRepository.of(uow).add_version(head, definition, version)
    head.workflow_key = pending.workflow_key
    head.prefix = spec.prefix
    await uow.publish(
        events.TicketDefinitionPublished(
            ticket_definition_id=definition.id,
            version=version,
            workflow_key=pending.workflow_key,
            **published,
        )
    )
    return PublishedVersion(key=spec.key, version=version, created=True)


async def list_ticket_types(
    uow: UnitOfWork, query: str | None, workflow_key: str | None, archived: bool, page: PageParams
) -> Page[TicketTypeSummary]:
    conditions = [TicketType.workflow_key == workflow_key] if workflow_key else []
    return await definitions.list_page(uow, query, archived, page, conditions)
