"""A finished workflow's outcome on its ticket, and people's names from identity's events:
through the `tickets` consumer, read back through the API as the requester and the team."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select

from common.consumer import Delivery
from common.db import Database
from contracts.engine import TaskAssigned, WorkflowCompleted, WorkflowOutcome, WorkflowStarted
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for
from contracts.identity import UserCreated, UserUpdated
from contracts.ids import uuid7
from tickets.consumers import event_consumer
from tickets.models import Person

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def delivery(payload: EventPayload, company_id: UUID, at: datetime, topic: str = "engine.events") -> Delivery:
    built: Envelope = envelope_for(payload, company_id=company_id, actor=Actor.system("test"))
    built = built.model_copy(update={"occurred_at": at})
    return Delivery(topic, 0, 0, None, built.model_dump_json().encode(), {})


def user_created(user_id: UUID, first: str, last: str, email: str = "x@example.com") -> UserCreated:
    return UserCreated(
        user_id=user_id,
        email=email,
        first_name=first,
        last_name=last,
        is_active=True,
        system_roles=["user"],
        company_roles=["user"],
    )


async def tell_identity(db: Database, company_id: UUID, *users: tuple[UUID, str, str]) -> None:
    consumer = event_consumer(db)
    for n, (user_id, first, last) in enumerate(users):
        await consumer.handle(
            delivery(
                user_created(user_id, first, last), company_id, T0 + timedelta(seconds=n), "identity.events"
            )
        )


async def submit(client: httpx.AsyncClient, caller: Caller, title: str = "Leave") -> dict[str, Any]:
    response = await client.post(
        "/api/tickets/tickets",
        json={"ticket_type_key": "leave", "title": title, "ticket_data": VALID_LEAVE},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def finish(
    db: Database, company_id: UUID, ticket_id: str, outcome: WorkflowOutcome | None, minute: int = 0
) -> None:
    consumer = event_consumer(db)
    instance = uuid7()
    at = T0 + timedelta(minutes=minute)
    common: dict[str, Any] = {"workflow_instance_id": instance, "ticket_id": UUID(ticket_id)}
    await consumer.handle(delivery(WorkflowStarted(**common, workflow_status="RUNNING"), company_id, at))
    await consumer.handle(
        delivery(
            WorkflowCompleted(**common, workflow_status="COMPLETED", outcome=outcome),
            company_id,
            at + timedelta(seconds=30),
        )
    )


REJECTED = WorkflowOutcome(key="rejected", label="Rejected", message="Rejected by the reviewer: no budget")
APPROVED = WorkflowOutcome(key="approved", label="Approved", message=None)


class TestPeople:
    async def test_identity_events_keep_the_latest_name_and_an_older_replay_changes_nothing(
        self, db: Database, company: UUID
    ) -> None:
        consumer = event_consumer(db)
        user_id = uuid7()
        renamed = UserUpdated(
            **{**user_created(user_id, "Ada", "Byron").model_dump(), "last_name": "Lovelace"}
        )
        await consumer.handle(delivery(user_created(user_id, "Ada", "Byron"), company, T0, "identity.events"))
        await consumer.handle(delivery(renamed, company, T0 + timedelta(hours=1), "identity.events"))
        replayed_old = UserUpdated(**{**renamed.model_dump(), "last_name": "Old"})
        await consumer.handle(delivery(replayed_old, company, T0 + timedelta(minutes=5), "identity.events"))

        async with db.unit_of_work(company) as uow:
            people = list(await uow.session.scalars(select(Person)))
        assert [(p.user_id, p.display_name) for p in people] == [(user_id, "Ada Lovelace")]

    async def test_a_user_without_a_name_is_shown_by_email(self, db: Database, company: UUID) -> None:
        user_id = uuid7()
        await event_consumer(db).handle(
            delivery(user_created(user_id, "", "", email="ops@example.com"), company, T0, "identity.events")
        )
        async with db.unit_of_work(company) as uow:
            person = await uow.session.scalar(select(Person))
        assert person is not None
        assert person.display_name == "ops@example.com"

    async def test_the_submitter_and_the_assignee_are_named_on_the_ticket(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        requester = make_caller()
        worker_id = uuid7()
        await tell_identity(
            db, company, (requester.user_id, "Rita", "Requester"), (worker_id, "Walt", "Worker")
        )

        submitted = await submit(client, requester)
        await event_consumer(db).handle(
            delivery(
                TaskAssigned(
                    workflow_instance_id=uuid7(),
                    ticket_id=UUID(submitted["id"]),
                    workflow_status="RUNNING",
                    task_key="review",
                    task_name="Review",
                    task_status="ASSIGNED",
                    assignee_id=worker_id,
                ),
                company,
                T0,
            )
        )
        detail = (
            await client.get(f"/api/tickets/tickets/{submitted['id']}", headers=requester.headers)
        ).json()
        mine = (await client.get("/api/tickets/tickets/mine", headers=requester.headers)).json()

        assert submitted["submitted_by_name"] == "Rita Requester"
        assert detail["submitted_by_name"] == "Rita Requester"
        assert [i["submitted_by_name"] for i in mine["items"]] == ["Rita Requester"]
        assert [(e["assignee_id"], e["assignee_name"]) for e in detail["timeline"]] == [
            (str(worker_id), "Walt Worker")
        ]

    async def test_another_companys_user_events_name_nobody_here(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        requester = make_caller()
        await tell_identity(db, uuid7(), (requester.user_id, "Mallory", "Elsewhere"))

        submitted = await submit(client, requester)

        assert submitted["submitted_by"] == str(requester.user_id)
        assert submitted["submitted_by_name"] is None


class TestOutcomes:
    async def test_the_requester_sees_the_outcome_and_its_message(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        requester = make_caller()
        ticket = await submit(client, requester)

        await finish(db, company, ticket["id"], REJECTED)
        detail = (await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=requester.headers)).json()
        mine = (await client.get("/api/tickets/tickets/mine", headers=requester.headers)).json()

        assert detail["status"] == "COMPLETED"
        expected = {"key": "rejected", "label": "Rejected", "message": "Rejected by the reviewer: no budget"}
        assert detail["outcome"] == expected
        assert [i["outcome"] for i in mine["items"]] == [expected]

    async def test_a_workflow_ending_without_an_outcome_leaves_none(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        requester = make_caller()
        ticket = await submit(client, requester)

        await finish(db, company, ticket["id"], None)
        detail = (await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=requester.headers)).json()

        assert (detail["status"], detail["outcome"]) == ("COMPLETED", None)

    async def test_lists_filter_by_outcome_and_the_outcomes_are_listed_per_caller(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        requester, other = make_caller(), make_caller()
        team = make_caller(roles=["user", "ticket_admin"])
        rejected = await submit(client, requester, "Rejected one")
        approved = await submit(client, requester, "Approved one")
        open_one = await submit(client, requester, "Still open")
        others = await submit(client, other, "Someone else's")
        await finish(db, company, rejected["id"], REJECTED, 1)
        await finish(db, company, approved["id"], APPROVED, 2)
        await finish(db, company, others["id"], REJECTED, 3)

        async def titles(path: str, caller: Caller, **params: Any) -> list[str]:
            response = await client.get(path, params=params, headers=caller.headers)
            assert response.status_code == 200, response.text
            return sorted(item["title"] for item in response.json()["items"])

        assert await titles("/api/tickets/tickets/mine", requester, outcome="rejected") == ["Rejected one"]
        assert await titles("/api/tickets/tickets/mine", requester, outcome=["rejected", "approved"]) == [
            "Approved one",
            "Rejected one",
        ]
        assert await titles("/api/tickets/tickets", team, outcome="rejected") == [
            "Rejected one",
            "Someone else's",
        ]
        assert await titles("/api/tickets/tickets", team, outcome="approved", view="archive") == [
            "Approved one"
        ]
        assert open_one["title"] not in await titles("/api/tickets/tickets", team, outcome="approved")

        mine = (await client.get("/api/tickets/tickets/outcomes", headers=requester.headers)).json()
        everyone = (await client.get("/api/tickets/tickets/outcomes", headers=team.headers)).json()
        assert mine == [
            {"key": "approved", "label": "Approved", "tickets": 1},
            {"key": "rejected", "label": "Rejected", "tickets": 1},
        ]
        assert everyone == [
            {"key": "rejected", "label": "Rejected", "tickets": 2},
            {"key": "approved", "label": "Approved", "tickets": 1},
        ]

    async def test_another_company_sees_none_of_the_outcomes(
        self,
        db: Database,
        client: httpx.AsyncClient,
        company: UUID,
        publish_type: PublishType,
        make_caller: Callable[..., Caller],
    ) -> None:
        await publish_type(company)
        ticket = await submit(client, make_caller())
        await finish(db, company, ticket["id"], REJECTED)
        stranger = make_caller(roles=["user", "ticket_admin"], company_id=uuid7())

        listed = await client.get("/api/tickets/tickets/outcomes", headers=stranger.headers)
        filtered = await client.get(
            "/api/tickets/tickets", params={"outcome": "rejected"}, headers=stranger.headers
        )

        assert listed.json() == []
        assert filtered.json()["items"] == []

    async def test_an_outcome_filter_too_long_is_a_problem(
        self, client: httpx.AsyncClient, make_caller: Callable[..., Caller]
    ) -> None:
        response = await client.get(
            "/api/tickets/tickets/mine", params={"outcome": "x" * 101}, headers=make_caller().headers
        )

        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
