"""Publishing writes its events to the outbox in the same transaction, carrying the full
definitions the engine and the tickets service keep copies of."""

import copy
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select

from common.db import Database
from common.testing.infra import claims_headers
from contracts.definitions import (
    TicketDefinitionArchived,
    TicketDefinitionPublished,
    WorkflowDefinitionPublished,
)
from contracts.envelope import Envelope


async def outbox(db: Database) -> list[Envelope]:
    table = db.tables.outbox
    async with db.unit_of_work() as uow:
        rows = (await uow.session.execute(select(table.c.payload).order_by(table.c.position))).scalars().all()
    return [Envelope.model_validate(row) for row in rows]


async def upload(client: httpx.AsyncClient, company: UUID, bundle: dict[str, Any]) -> httpx.Response:
    headers = claims_headers(company, roles=["workflow_creator"])
    return await client.post("/api/definitions/bundles", json=bundle, headers=headers)


class TestPublishedEvents:
    async def test_bundle_publishes_full_workflow_and_ticket_definition(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)

        envelopes = await outbox(db)

        assert [e.type for e in envelopes] == [
            WorkflowDefinitionPublished.event_type,
            TicketDefinitionPublished.event_type,
        ]
        assert all(e.company_id == company_a for e in envelopes)
        workflow = WorkflowDefinitionPublished.model_validate(envelopes[0].data)
        assert workflow.version == 1
        assert workflow.start_task == "review_request"
        assert [t.key for t in workflow.tasks] == [t["key"] for t in sample_bundle["workflow"]["tasks"]]
        laptop = next(t for t in workflow.tasks if t.key == "order_laptop")
        assert laptop.task_type == "ASYNC_ACTION"
        assert laptop.action_url == "http://127.0.0.1:9900/laptops"
        assert laptop.output_transform == '{"laptop_order_id": order_id, "laptop_serial": serial}'
        assert [(t.from_task, t.to_task, t.condition, t.priority, t.position) for t in workflow.transitions][
            :2
        ] == [
            ("review_request", "create_account", "approved = true", 10, 0),
            ("review_request", "notify_rejection", None, 0, 1),
        ]
        ticket = TicketDefinitionPublished.model_validate(envelopes[1].data)
        assert ticket.prefix == "IT"
        assert ticket.workflow_key == "it_onboarding"
        assert ticket.workflow_version is None
        assert ticket.company_role_access == ["user"]
        assert ticket.fields == sample_bundle["ticket_types"][0]["fields"]

    async def test_edit_publishes_only_what_changed(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        edited = copy.deepcopy(sample_bundle)
        edited["workflow"]["tasks"][1]["timeout_seconds"] = 20

        await upload(client, company_a, edited)

        envelopes = await outbox(db)
        assert [e.type for e in envelopes] == [
            WorkflowDefinitionPublished.event_type,
            TicketDefinitionPublished.event_type,
            WorkflowDefinitionPublished.event_type,
        ]
        assert envelopes[2].data["version"] == 2

    async def test_refused_bundle_publishes_nothing(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        sample_bundle["workflow"]["start_task"] = "missing"

        response = await upload(client, company_a, sample_bundle)

        assert response.status_code == 422
        assert await outbox(db) == []

    async def test_archive_publishes_the_archived_event(
        self, client: httpx.AsyncClient, db: Database, company_a: UUID, sample_bundle: dict[str, Any]
    ) -> None:
        await upload(client, company_a, sample_bundle)
        headers = claims_headers(company_a, roles=["workflow_creator"])

        await client.post("/api/definitions/ticket-types/it_onboarding/archive", headers=headers)
        await client.post("/api/definitions/ticket-types/it_onboarding/archive", headers=headers)

        archived = [e for e in await outbox(db) if e.type == TicketDefinitionArchived.event_type]
        assert len(archived) == 1
        assert archived[0].data == {"key": "it_onboarding"}
