"""A company a platform operator suspended: identity's status events reach the `tickets`
consumer, and from then on the company's ingest keys are refused (inbound records dead-lettered
and listed, no new or rotated key through the API) until it is reactivated."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from common.consumer import Delivery
from common.db import Database
from contracts.envelope import Actor, Envelope, envelope_for
from contracts.identity import CompanyReactivated, CompanyStatusChanged, CompanySuspended
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.consumers import event_consumer
from tickets.ingest.inbound import InboundTicketConsumer
from tickets.ingest.service import KeyPolicy
from tickets.ingest.signing import signature_header
from tickets.models import InboundRejection, IngestKey, Ticket

from ..tickets_test_support import Caller, create_ingest_key, inbound_body, publish_ticket_type

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


def status_event(change: CompanyStatusChanged, at: datetime) -> Delivery:
    built: Envelope = envelope_for(change, company_id=change.company_id, actor=Actor.system("operator"))
    built = built.model_copy(update={"occurred_at": at})
    return Delivery("identity.events", 0, 0, str(change.company_id), built.model_dump_json().encode(), {})


async def suspend(db: Database, company_id: UUID, at: datetime = T0) -> None:
    await event_consumer(db).handle(
        status_event(CompanySuspended(company_id=company_id, status="suspended", tokens_valid_after=at), at)
    )


async def reactivate(db: Database, company_id: UUID, at: datetime) -> None:
    await event_consumer(db).handle(
        status_event(CompanyReactivated(company_id=company_id, status="active", tokens_valid_after=T0), at)
    )


class Sender:
    def __init__(self, company_id: UUID, key_id: UUID, secret: str) -> None:
        self.company_id, self.key_id, self.secret = company_id, key_id, secret
        self.offset = 0

    def signed(self, body: bytes, secret: str | None = None) -> Delivery:
        self.offset += 1
        headers = {
            "x-tf-key-id": str(self.key_id),
            "x-tf-signature": signature_header(secret or self.secret, body),
        }
        return Delivery("tickets.inbound", 3, self.offset, None, body, headers)


@pytest.fixture
def consumer(db: Database, settings: TicketsSettings) -> InboundTicketConsumer:
    return InboundTicketConsumer(db, policy=KeyPolicy.from_settings(settings))


@pytest.fixture
async def sender(db: Database, settings: TicketsSettings) -> Sender:
    company_id = uuid7()
    await publish_ticket_type(db, company_id)
    key_id, secret = await create_ingest_key(db, company_id, settings.ingest_secret.get_secret_value())
    return Sender(company_id, key_id, secret)


async def rows(db: Database, company_id: UUID, model: type[Any]) -> list[Any]:
    async with db.unit_of_work(company_id) as uow:
        return list(await uow.session.scalars(select(model)))


async def dead_letter_reasons(db: Database, company_id: UUID) -> list[str]:
    outbox = db.tables.outbox
    async with db.new_session() as session:
        found = await session.scalars(
            select(outbox.c.payload["reason"].astext).where(
                outbox.c.topic == "tickets.dlt", outbox.c.payload["company_id"].astext == str(company_id)
            )
        )
        return [str(reason) for reason in found]


class TestInboundOfASuspendedCompany:
    async def test_is_refused_dead_lettered_and_listed_writing_no_ticket(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await suspend(db, sender.company_id)
        await consumer.handle(sender.signed(inbound_body(sender.company_id, "erp-1")))
        assert await rows(db, sender.company_id, Ticket) == []
        [rejection] = await rows(db, sender.company_id, InboundRejection)
        assert rejection.reason == "company_suspended"
        assert rejection.sender_event_id == "erp-1"
        assert "suspended" in rejection.detail
        assert await dead_letter_reasons(db, sender.company_id) == ["company_suspended"]
        [key] = await rows(db, sender.company_id, IngestKey)
        assert key.last_used_at is None

    async def test_works_again_once_the_company_is_reactivated(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await suspend(db, sender.company_id)
        await consumer.handle(sender.signed(inbound_body(sender.company_id, "during")))
        await reactivate(db, sender.company_id, T0 + timedelta(hours=1))
        await consumer.handle(sender.signed(inbound_body(sender.company_id, "after")))
        [ticket] = await rows(db, sender.company_id, Ticket)
        assert ticket.inbound_event_id == "after"
        assert [r.sender_event_id for r in await rows(db, sender.company_id, InboundRejection)] == ["during"]

    async def test_an_older_suspension_arriving_late_does_not_undo_a_reactivation(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await reactivate(db, sender.company_id, T0 + timedelta(hours=1))
        await suspend(db, sender.company_id, T0)
        await consumer.handle(sender.signed(inbound_body(sender.company_id)))
        assert len(await rows(db, sender.company_id, Ticket)) == 1

    async def test_a_bad_signature_is_told_as_such_not_as_the_suspension(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await suspend(db, sender.company_id)
        await consumer.handle(sender.signed(inbound_body(sender.company_id), secret="tfik_guess"))
        [rejection] = await rows(db, sender.company_id, InboundRejection)
        assert rejection.reason == "invalid_signature"

    async def test_another_companys_suspension_changes_nothing(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await suspend(db, uuid7())
        await consumer.handle(sender.signed(inbound_body(sender.company_id)))
        assert len(await rows(db, sender.company_id, Ticket)) == 1


class TestIngestKeysOfASuspendedCompany:
    async def test_no_new_key_is_made(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller], db: Database
    ) -> None:
        admin = make_caller(roles=["admin"])
        await suspend(db, admin.company_id)
        response = await client.post("/api/tickets/ingest-keys", json={"name": "ERP"}, headers=admin.headers)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"].endswith("/company-suspended")
        assert "suspended" in problem["detail"]
        assert await rows(db, admin.company_id, IngestKey) == []

    async def test_no_key_is_rotated_and_revoking_still_works(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller], db: Database
    ) -> None:
        admin = make_caller(roles=["admin"])
        created = (
            await client.post("/api/tickets/ingest-keys", json={"name": "ERP"}, headers=admin.headers)
        ).json()
        await suspend(db, admin.company_id)
        rotated = await client.post(f"/api/tickets/ingest-keys/{created['id']}/rotate", headers=admin.headers)
        assert rotated.status_code == 403
        assert rotated.json()["type"].endswith("/company-suspended")
        [key] = await rows(db, admin.company_id, IngestKey)
        assert key.generation == 1
        revoked = await client.post(f"/api/tickets/ingest-keys/{created['id']}/revoke", headers=admin.headers)
        assert revoked.status_code == 200

    async def test_keys_are_made_again_after_reactivation(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller], db: Database
    ) -> None:
        admin = make_caller(roles=["admin"])
        await suspend(db, admin.company_id)
        await reactivate(db, admin.company_id, T0 + timedelta(minutes=5))
        response = await client.post("/api/tickets/ingest-keys", json={"name": "ERP"}, headers=admin.headers)
        assert response.status_code == 201
