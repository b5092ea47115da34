"""Factories the tickets tests share (conftest puts this directory on sys.path)."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from common.db import Database
from common.testing.infra import claims_headers
from contracts.definitions import TicketDefinitionPublished
from contracts.ids import uuid7
from tickets.ticket_type import service as ticket_type_service

LEAVE_FIELDS: dict[str, Any] = {
    "type": "object",
    "required": ["start_date", "days", "reason"],
    "properties": {
        "start_date": {"type": "string", "format": "date"},
        "days": {"type": "integer", "minimum": 1, "maximum": 30},
        "reason": {"type": "string", "minLength": 3},
        "contacts": {"type": "array", "items": {"type": "string", "format": "email"}},
    },
    "additionalProperties": False,
}

VALID_LEAVE = {"start_date": "2026-03-02", "days": 3, "reason": "family wedding in Lisbon"}

PublishType = Callable[..., Awaitable[TicketDefinitionPublished]]


def ticket_definition(
    key: str = "leave", *, version: int = 1, prefix: str = "HR", roles: list[str] | None = None, **extra: Any
) -> TicketDefinitionPublished:
    return TicketDefinitionPublished(
        ticket_definition_id=uuid7(),
        key=key,
        version=version,
        name=extra.pop("name", f"{key.title()} request"),
        prefix=prefix,
        fields=extra.pop("fields", LEAVE_FIELDS),
        workflow_key=f"{key}-flow",
        company_role_access=roles if roles is not None else ["user"],
        **extra,
    )


async def publish_ticket_type(db: Database, company_id: UUID, **kwargs: Any) -> TicketDefinitionPublished:
    """What the definitions consumer does with a `ticket_definition.published` event."""
    definition = ticket_definition(**kwargs)
    async with db.unit_of_work(company_id) as uow:
        await ticket_type_service.record_published(uow, definition)
    return definition


class Caller:
    """A user of a company as the gateway presents them."""

    def __init__(self, company_id: UUID, roles: list[str], company_roles: list[str]) -> None:
        self.company_id = company_id
        self.user_id = uuid7()
        self.roles = roles
        self.company_roles = company_roles

    @property
    def headers(self) -> dict[str, str]:
        return claims_headers(
            self.company_id, self.user_id, roles=self.roles, company_roles=self.company_roles
        )


def inbound_body(company_id: UUID, event_id: str = "erp-1", **overrides: Any) -> bytes:
    import json

    document = {
        "event_id": event_id,
        "company_id": str(company_id),
        "ticket_definition_key": "leave",
        "title": "Leave from the ERP",
        "ticket_data": VALID_LEAVE,
        "submitted_by_email": "erp@example.com",
        **overrides,
    }
    return json.dumps(document).encode()


async def create_ingest_key(db: Database, company_id: UUID, server_secret: str) -> tuple[UUID, str]:
    """An admin's ingest key, committed; returns its id and secret."""
    import time
    from datetime import timedelta

    from common.auth import Claims
    from tickets.ingest import service as ingest

    claims = Claims(
        company_id=company_id, user_id=uuid7(), roles=["admin"], company_roles=["user"], iat=int(time.time())
    )
    policy = ingest.KeyPolicy(server_secret=server_secret, rotation_grace=timedelta(hours=1))
    async with db.unit_of_work(company_id) as uow:
        created = await ingest.create_key(uow, claims, policy, "ERP")
    return created.id, created.secret
