"""The `tickets.inbound` subscriber: external systems' ticket submissions.

These records are not envelopes, so they get their own subscriber (group `tickets`, offsets
committed only after the database transaction, as every consumer here). A record becomes a
ticket through the same `submit` as the API when it names a company, carries a known, live key
of that company (`x-tf-key-id`), an HMAC of its exact bytes under that key (`x-tf-signature`),
a body that fits `InboundTicket`, a company that is not suspended (an operator's suspension
stops its keys until it is reactivated), and a ticket type and data the company accepts. The
sender's `event_id` makes it idempotent per company (the inbox holds the claim). Anything else
is refused: dead-lettered to `tickets.dlt` with the reason and, when the record names a company,
listed for that company's admin.

The key is looked up within the company the record names (row-level security applies), so no
table is read across companies: a record signed with company A's key that names company B is
refused as an unknown key of B.
"""

import json
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert

from common.consumer import Delivery, EventConsumer, Rewind
from common.db import Database
from common.errors import Conflict, ProblemError
from common.text_guard import json_problems
from contracts.envelope import Actor
from contracts.tickets import INBOUND_KEY_ID_HEADER, INBOUND_SIGNATURE_HEADER, InboundTicket
from contracts.topics import dead_letter_topic
from tickets.companies import service as companies
from tickets.ingest import service as ingest
from tickets.ingest.repository import InboundRejectionRepository
from tickets.ingest.schemas import RejectionReason
from tickets.ingest.signing import signature_matches
from tickets.ticket import service as tickets

log = logging.getLogger(__name__)

BODY_EXCERPT_CHARS = 4000
GROUP = "tickets"


class InboundRejected(Exception):
    def __init__(
        self,
        reason: RejectionReason,
        detail: str,
        *,
        company_id: UUID | None,
        sender_event_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.company_id = company_id
        self.sender_event_id = sender_event_id
        self.errors = errors


def position_of(delivery: Delivery) -> str:
    return f"{delivery.topic}/{delivery.partition}/{delivery.offset}"


def inbound_claim_id(company_id: UUID, sender_event_id: str) -> UUID:
    """The inbox id of a sender's event: one ticket per company and sender event id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tickets.inbound:{company_id}:{sender_event_id}")


def _company_named(document: Any) -> UUID | None:
    if isinstance(document, dict):
        try:
            return UUID(str(document.get("company_id")))
        except ValueError:
            return None
    return None


def _sender_event_id(document: Any) -> str | None:
    if isinstance(document, dict) and isinstance(document.get("event_id"), str):
        return str(document["event_id"])[:200]
    return None


def _validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", *(str(p) for p in err["loc"])], "msg": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]


class InboundTicketConsumer(EventConsumer):
    """Reuses the event consumer's inbox claims; replaces how records are read and handled."""

    def __init__(self, db: Database, group: str = GROUP, *, policy: ingest.KeyPolicy, **options: Any) -> None:
        super().__init__(db, group, **options)
        self.policy = policy

    async def handle(self, delivery: Delivery) -> None:
        try:
            await self.accept(delivery)
        except InboundRejected as rejected:
            log.info("inbound %s refused: %s", position_of(delivery), rejected)
            await self.reject(delivery, rejected)
        except Exception as exc:
            attempts = await self._count_attempt(delivery, exc)
            if attempts >= self.max_attempts:
                log.error("inbound %s failed %d times; dead-lettered", position_of(delivery), attempts)
                document = _loads(delivery.body)
                await self.reject(
                    delivery,
                    InboundRejected(
                        RejectionReason.PROCESSING_FAILED,
                        f"{type(exc).__name__}: {exc}",
                        company_id=_company_named(document),
                        sender_event_id=_sender_event_id(document),
                    ),
                )
                return
            raise

    async def handle_partition(self, deliveries: Sequence[Delivery]) -> Rewind | None:
        # The partition is paused for the backoff before the failed record is read again.
        return await self.handle_each(deliveries, self.handle)

    async def accept(self, delivery: Delivery) -> None:
        document = _loads(delivery.body)
        company_id = _company_named(document)
        sender_event_id = _sender_event_id(document)
        if company_id is None:
            raise InboundRejected(
                RejectionReason.MALFORMED_BODY,
                "The body is not a JSON object naming a company_id.",
                company_id=await self._signer_company(delivery),
                sender_event_id=sender_event_id,
            )

        def refuse(
            reason: RejectionReason, detail: str, errors: list[dict[str, Any]] | None = None
        ) -> InboundRejected:
            return InboundRejected(
                reason, detail, company_id=company_id, sender_event_id=sender_event_id, errors=errors
            )

        raw_key_id = delivery.headers.get(INBOUND_KEY_ID_HEADER)
        if not raw_key_id:
            raise refuse(RejectionReason.MISSING_KEY, f"The {INBOUND_KEY_ID_HEADER} header is missing.")
        try:
            key_id = UUID(raw_key_id)
        except ValueError as exc:
            raise refuse(RejectionReason.UNKNOWN_KEY, "The key id is not a key of this company.") from exc

        actor = Actor(kind="external", id=f"ingest-key:{key_id}")
        try:
            async with self.db.unit_of_work(company_id, actor) as uow:
                key = await ingest.signing_key(uow, company_id, key_id)
                if key is None:
                    raise refuse(RejectionReason.UNKNOWN_KEY, "The key id is not a key of this company.")
                if key.revoked_at is not None:
                    raise refuse(RejectionReason.REVOKED_KEY, "The key was revoked.")
                secrets = ingest.accepted_secrets(key, self.policy, datetime.now(UTC))
                if not signature_matches(
                    secrets, delivery.body, delivery.headers.get(INBOUND_SIGNATURE_HEADER)
                ):
                    raise refuse(RejectionReason.INVALID_SIGNATURE, "The signature does not match the body.")
                # Only after the signature: nobody without the key learns that the company is
                # suspended.
                if await companies.is_suspended(uow, company_id):
                    raise refuse(RejectionReason.COMPANY_SUSPENDED, companies.SUSPENDED_DETAIL)
                try:
                    message = InboundTicket.model_validate(document)
                except ValidationError as exc:
                    raise refuse(
                        RejectionReason.MALFORMED_BODY,
                        "The body does not follow the InboundTicket schema.",
                        _validation_errors(exc),
                    ) from exc
                unstorable = json_problems(document, ["body"])
                if unstorable:
                    raise refuse(
                        RejectionReason.MALFORMED_BODY,
                        "The body holds text that cannot be stored.",
                        unstorable,
                    )
                if not await self._claim(uow, inbound_claim_id(company_id, message.event_id), "handled"):
                    return
                try:
                    await tickets.submit(
                        uow,
                        company_id,
                        tickets.Submitter(
                            user_id=None,
                            company_roles=None,
                            source="inbound",
                            email=message.submitted_by_email,
                            inbound_event_id=message.event_id,
                        ),
                        ticket_type_key=message.ticket_definition_key,
                        title=message.title,
                        ticket_data=message.ticket_data,
                    )
                except Conflict:
                    raise
                except ProblemError as exc:
                    unknown_type = any(e.get("type") == "unknown_ticket_type" for e in exc.errors or [])
                    raise refuse(
                        RejectionReason.UNKNOWN_TICKET_TYPE
                        if unknown_type
                        else RejectionReason.INVALID_TICKET_DATA,
                        exc.detail,
                        exc.errors,
                    ) from exc
                await ingest.mark_used(uow, key)
        except Conflict:
            # Already a ticket of this sender event: the redelivery has nothing left to do.
            return

    async def _signer_company(self, delivery: Delivery) -> UUID | None:
        """The company whose live key signed these exact bytes, for a body that does not name
        one; None when the key or the signature does not hold up (nobody can have junk listed
        for a company without its key)."""
        try:
            key_id = UUID(delivery.headers.get(INBOUND_KEY_ID_HEADER, ""))
        except ValueError:
            return None
        async with self.db.unit_of_work() as uow:
            company_id = await ingest.company_of_key(uow, key_id)
        if company_id is None:
            return None
        async with self.db.unit_of_work(company_id) as uow:
            key = await ingest.signing_key(uow, company_id, key_id)
            if key is None or key.revoked_at is not None:
                return None
            secrets = ingest.accepted_secrets(key, self.policy, datetime.now(UTC))
        if not signature_matches(secrets, delivery.body, delivery.headers.get(INBOUND_SIGNATURE_HEADER)):
            return None
        return company_id

    async def reject(self, delivery: Delivery, rejected: InboundRejected) -> None:
        """Dead-letter the record (through the outbox) and list it for the company, in one
        transaction claimed by the record's position, so a redelivery does neither twice."""
        position = position_of(delivery)
        claim_id = uuid.uuid5(uuid.NAMESPACE_URL, f"kafka:{position}")
        try:
            body_text = delivery.body.decode()
        except UnicodeDecodeError:
            body_text = delivery.body.decode(errors="replace")
        async with self.db.unit_of_work(rejected.company_id) as uow:
            if not await self._claim(uow, claim_id, "dead_lettered"):
                return
            if rejected.company_id is not None:
                await InboundRejectionRepository(uow.session, rejected.company_id).add(
                    {
                        "company_id": rejected.company_id,
                        "id": uuid.uuid4(),
                        "source_position": position,
                        "sender_event_id": rejected.sender_event_id,
                        "key_id": delivery.headers.get(INBOUND_KEY_ID_HEADER, "")[:100] or None,
                        "reason": rejected.reason.value,
                        "detail": rejected.detail[:4000],
                        "errors": rejected.errors,
                        "body_excerpt": body_text[:BODY_EXCERPT_CHARS],
                    }
                )
            await uow.publish_record(
                dead_letter_topic(self.group),
                delivery.key or str(claim_id),
                uuid.uuid5(uuid.NAMESPACE_URL, f"dlt:{self.group}:{claim_id}"),
                {
                    "consumer_group": self.group,
                    "event_id": str(claim_id),
                    "company_id": str(rejected.company_id) if rejected.company_id else None,
                    "sender_event_id": rejected.sender_event_id,
                    "source_topic": delivery.topic,
                    "partition": delivery.partition,
                    "offset": delivery.offset,
                    "attempts": 1,
                    "reason": rejected.reason.value,
                    "error": rejected.detail[:4000],
                    "errors": rejected.errors,
                    "message": body_text,
                    "headers": {k: v for k, v in delivery.headers.items() if k != INBOUND_SIGNATURE_HEADER},
                },
                {"event-type": "dead_letter"},
            )

    async def _count_attempt(self, delivery: Delivery, exc: Exception) -> int:
        failures = self.db.tables.consumer_failures
        claim_id = uuid.uuid5(uuid.NAMESPACE_URL, f"kafka:{position_of(delivery)}")
        async with self.db.unit_of_work() as uow:
            stmt = insert(failures).values(
                consumer_group=self.group,
                event_id=claim_id,
                attempts=1,
                last_error=f"{type(exc).__name__}: {exc}",
            )
            attempts = await uow.session.scalar(
                stmt.on_conflict_do_update(
                    index_elements=[failures.c.consumer_group, failures.c.event_id],
                    set_={"attempts": failures.c.attempts + 1, "last_error": stmt.excluded.last_error},
                ).returning(failures.c.attempts)
            )
        return int(attempts or 0)


def _loads(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
