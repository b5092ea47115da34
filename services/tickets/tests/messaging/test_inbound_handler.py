"""The `tickets.inbound` handler, driven directly: which records become tickets, which are
refused, and what a refusal leaves behind."""

import itertools
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from common.consumer import Delivery
from common.db import Database
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.ingest.inbound import InboundTicketConsumer
from tickets.ingest.service import KeyPolicy
from tickets.ingest.signing import derive_secret, signature_header
from tickets.models import InboundRejection, Ticket

from ..tickets_test_support import VALID_LEAVE, create_ingest_key, inbound_body, publish_ticket_type

_offsets = itertools.count(1)


def delivery(body: bytes, key_id: Any = None, signature: str | None = None) -> Delivery:
    headers = {}
    if key_id is not None:
        headers["x-tf-key-id"] = str(key_id)
    if signature is not None:
        headers["x-tf-signature"] = signature
    return Delivery(
        topic="tickets.inbound", partition=0, offset=next(_offsets), key=None, body=body, headers=headers
    )


class Sender:
    def __init__(self, company_id: UUID, key_id: UUID, secret: str) -> None:
        self.company_id, self.key_id, self.secret = company_id, key_id, secret

    def signed(self, body: bytes) -> Delivery:
        return delivery(body, self.key_id, signature_header(self.secret, body))


@pytest.fixture
def consumer(db: Database, settings: TicketsSettings) -> InboundTicketConsumer:
    return InboundTicketConsumer(db, policy=KeyPolicy.from_settings(settings))


@pytest.fixture
async def sender(db: Database, settings: TicketsSettings) -> Sender:
    company_id = uuid7()
    await publish_ticket_type(db, company_id)
    key_id, secret = await create_ingest_key(db, company_id, settings.ingest_secret.get_secret_value())
    return Sender(company_id, key_id, secret)


async def tickets_of(db: Database, company_id: UUID) -> list[Ticket]:
    async with db.unit_of_work(company_id) as uow:
        return list(await uow.session.scalars(select(Ticket)))


async def rejections_of(db: Database, company_id: UUID) -> list[InboundRejection]:
    async with db.unit_of_work(company_id) as uow:
        return list(await uow.session.scalars(select(InboundRejection)))


async def dead_letters(db: Database, company_id: UUID | None) -> list[dict[str, Any]]:
    """Dead letters about one company (the outbox is shared by every test of the session)."""
    outbox = db.tables.outbox
    company = outbox.c.payload["company_id"].astext
    async with db.new_session() as session:
        rows = await session.scalars(
            select(outbox.c.payload).where(
                outbox.c.topic == "tickets.dlt",
                company.is_(None) if company_id is None else company == str(company_id),
            )
        )
        return list(rows)


class TestValidInboundTicket:
    async def test_becomes_a_ticket_like_an_api_submit(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(sender.signed(inbound_body(sender.company_id)))
        [ticket] = await tickets_of(db, sender.company_id)
        assert ticket.number == "HR-1"
        assert ticket.source == "inbound"
        assert ticket.submitted_by_email == "erp@example.com"
        assert ticket.ticket_data == VALID_LEAVE
        outbox = db.tables.outbox
        async with db.new_session() as session:
            types = list(
                await session.scalars(
                    select(outbox.c.payload["type"].astext).where(outbox.c.key == str(ticket.id))
                )
            )
        assert types == ["ticket.submitted"]

    async def test_the_same_sender_event_twice_is_one_ticket(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        body = inbound_body(sender.company_id, "erp-7")
        await consumer.handle(sender.signed(body))
        await consumer.handle(sender.signed(body))
        await consumer.handle(sender.signed(inbound_body(sender.company_id, "erp-7", title="changed")))
        assert len(await tickets_of(db, sender.company_id)) == 1
        assert await dead_letters(db, sender.company_id) == []

    async def test_the_previous_secret_works_during_the_rotation_grace(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database, settings: TicketsSettings
    ) -> None:
        from tickets.ingest import service as ingest
        from tickets.ingest.repository import IngestKeyRepository

        async with db.unit_of_work(sender.company_id) as uow:
            key = await IngestKeyRepository(uow.session, sender.company_id).get(sender.key_id)
            assert key is not None
            claims = _admin(sender.company_id)
            rotated = await ingest.rotate_key(uow, claims, KeyPolicy.from_settings(settings), key.id)
        await consumer.handle(sender.signed(inbound_body(sender.company_id, "old")))
        new = Sender(sender.company_id, sender.key_id, rotated.secret)
        await consumer.handle(new.signed(inbound_body(sender.company_id, "new")))
        assert len(await tickets_of(db, sender.company_id)) == 2


class TestRefusedInboundTicket:
    async def assert_refused(self, db: Database, company_id: UUID, reason: str) -> None:
        assert await tickets_of(db, company_id) == []
        [rejection] = await rejections_of(db, company_id)
        assert rejection.reason == reason
        [letter] = await dead_letters(db, company_id)
        assert letter["reason"] == reason
        assert letter["company_id"] == str(company_id)
        assert "x-tf-signature" not in letter["headers"]

    async def test_a_forged_signature(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        body = inbound_body(sender.company_id)
        forged = signature_header(derive_secret("guess", sender.company_id, sender.key_id, 1), body)
        await consumer.handle(delivery(body, sender.key_id, forged))
        await self.assert_refused(db, sender.company_id, "invalid_signature")

    async def test_a_body_changed_after_signing(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        signature = signature_header(sender.secret, inbound_body(sender.company_id))
        tampered = inbound_body(sender.company_id, title="Tampered")
        await consumer.handle(delivery(tampered, sender.key_id, signature))
        await self.assert_refused(db, sender.company_id, "invalid_signature")

    async def test_a_key_of_another_company(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        other_company = uuid7()
        await publish_ticket_type(db, other_company)
        await consumer.handle(sender.signed(inbound_body(other_company)))
        await self.assert_refused(db, other_company, "unknown_key")
        assert await tickets_of(db, sender.company_id) == []

    async def test_a_revoked_key(self, consumer: InboundTicketConsumer, sender: Sender, db: Database) -> None:
        from tickets.ingest import service as ingest

        async with db.unit_of_work(sender.company_id) as uow:
            await ingest.revoke_key(uow, _admin(sender.company_id), sender.key_id)
        await consumer.handle(sender.signed(inbound_body(sender.company_id)))
        await self.assert_refused(db, sender.company_id, "revoked_key")

    async def test_a_body_that_breaks_the_contract(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(sender.signed(inbound_body(sender.company_id, title="", ticket_data="nope")))
        await self.assert_refused(db, sender.company_id, "malformed_body")
        [rejection] = await rejections_of(db, sender.company_id)
        assert {tuple(e["loc"]) for e in rejection.errors or []} == {
            ("body", "title"),
            ("body", "ticket_data"),
        }

    async def test_an_unknown_ticket_type(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(sender.signed(inbound_body(sender.company_id, ticket_definition_key="nope")))
        await self.assert_refused(db, sender.company_id, "unknown_ticket_type")

    async def test_ticket_data_the_type_refuses(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(sender.signed(inbound_body(sender.company_id, ticket_data={"days": 0})))
        await self.assert_refused(db, sender.company_id, "invalid_ticket_data")
        [rejection] = await rejections_of(db, sender.company_id)
        assert len(rejection.errors or []) == 3

    async def test_a_missing_key_id(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(delivery(inbound_body(sender.company_id)))
        await self.assert_refused(db, sender.company_id, "missing_key")

    @pytest.mark.parametrize(
        "body",
        [b"[1, 2]", b'{"company_id": 5, "title": "x"}', b"\xffnot json"],
        ids=["not-an-object", "company-not-an-id", "not-json"],
    )
    async def test_a_body_naming_no_company_signed_with_a_live_key_is_listed_for_the_key_company(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database, body: bytes
    ) -> None:
        await consumer.handle(sender.signed(body))
        await self.assert_refused(db, sender.company_id, "malformed_body")

    async def test_a_body_naming_no_company_with_a_bad_signature_is_not_listed(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(delivery(b"[1, 2]", sender.key_id, "v1=00"))
        assert await rejections_of(db, sender.company_id) == []

    async def test_text_that_cannot_be_stored_is_malformed(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        await consumer.handle(sender.signed(inbound_body(sender.company_id, title="a\u0000b")))
        await self.assert_refused(db, sender.company_id, "malformed_body")
        [rejection] = await rejections_of(db, sender.company_id)
        assert [e["loc"] for e in rejection.errors or []] == [["body", "title"]]

    async def test_not_json_is_dead_lettered_without_a_company(
        self, consumer: InboundTicketConsumer, db: Database
    ) -> None:
        marker = f"not json {uuid7()}".encode()
        await consumer.handle(delivery(b"\xff" + marker, "k", "v1=00"))
        [letter] = [d for d in await dead_letters(db, None) if marker.decode() in d["message"]]
        assert letter["reason"] == "malformed_body"
        assert letter["company_id"] is None

    async def test_a_redelivered_refusal_is_recorded_once(
        self, consumer: InboundTicketConsumer, sender: Sender, db: Database
    ) -> None:
        record = delivery(inbound_body(sender.company_id), sender.key_id, "v1=00")
        await consumer.handle(record)
        await consumer.handle(record)
        await self.assert_refused(db, sender.company_id, "invalid_signature")


def _admin(company_id: UUID) -> Any:
    import time

    from common.auth import Claims

    return Claims(
        company_id=company_id, user_id=uuid7(), roles=["admin"], company_roles=[], iat=int(time.time())
    )
