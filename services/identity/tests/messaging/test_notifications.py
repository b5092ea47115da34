"""Notifications from events: who hears of what, the preferences per kind, the email, the bell's
ETag polling, and that a notification is its user's alone."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from common.consumer import Delivery, EventConsumer
from common.db import Database
from contracts.engine import (
    TaskAssigned,
    TaskDueSoon,
    TaskOverdue,
    WorkflowCompleted,
    WorkflowEvent,
    WorkflowHeld,
    WorkflowIncident,
)
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from identity.config import IdentitySettings
from identity.consumers import build_event_consumer
from identity.notifications.fanout import Notifier, TicketNotKnownYet
from identity.runtime import IdentityRuntime

from ..identity_testkit import Account, create_member, read_mailbox, sign_up


class Feeder:
    """Delivers contract events to the identity consumer, as the broker would."""

    def __init__(self, consumer: EventConsumer) -> None:
        self.consumer = consumer
        self.offset = 0

    async def deliver(self, envelope: Envelope) -> None:
        self.offset += 1
        await self.consumer.handle(
            Delivery(
                topic="engine.events",
                partition=0,
                offset=self.offset,
                key=None,
                body=envelope.model_dump_json().encode(),
                headers={},
            )
        )

    async def feed(self, payload: EventPayload, company_id: UUID, **envelope: Any) -> Envelope:
        sent = envelope_for(payload, company_id=company_id, actor=Actor.system("test"))
        if envelope:
            sent = sent.model_copy(update=envelope)
        await self.deliver(sent)
        return sent


@pytest.fixture
def feeder(app: FastAPI, db: Database, settings: IdentitySettings) -> Feeder:
    runtime: IdentityRuntime = app.state.identity
    return Feeder(build_event_consumer(db, settings, Notifier(runtime.postman, settings.public_url)))


def task_event(
    model: type[WorkflowEvent], ticket_id: UUID, assignee: UUID | None, **extra: Any
) -> WorkflowEvent:
    return model(
        workflow_instance_id=uuid7(),
        ticket_id=ticket_id,
        workflow_status="RUNNING",
        task_instance_id=extra.pop("task_instance_id", uuid7()),
        task_key="review",
        task_name="Review request",
        task_status="ASSIGNED",
        assignee_id=assignee,
        **extra,
    )


async def submitted(feeder: Feeder, company_id: UUID, requester: UUID | None, number: str = "IT-7") -> UUID:
    ticket_id = uuid7()
    await feeder.feed(
        TicketSubmitted(
            ticket_id=ticket_id,
            number=number,
            title="Laptop for Ana",
            ticket_definition_key="it",
            ticket_definition_version=1,
            workflow_key="it",
            workflow_version=1,
            ticket_data={},
            submitted_by=requester,
        ),
        company_id,
    )
    return ticket_id


async def inbox(client: httpx.AsyncClient, account: Account, **params: Any) -> list[dict[str, Any]]:
    answer = await client.get("/api/identity/notifications", params=params, headers=account.headers())
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


Team = tuple[Account, Account, Account, Account]


@pytest.fixture
def team_of(client: httpx.AsyncClient) -> Callable[[], Any]:
    async def make() -> Team:
        admin = await sign_up(client, company=f"Acme {uuid7().hex[:6]}")
        worker = await create_member(client, admin, ["user", "task_worker"], first_name="Wendy")
        lead = await create_member(client, admin, ["user", "ticket_admin"], first_name="Tom")
        requester = await create_member(client, admin, ["user"], first_name="Rita")
        return admin, worker, lead, requester

    return make


class TestFanOut:
    async def test_a_task_assigned_to_me_reaches_me_alone(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, lead, requester = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        due = datetime(2031, 1, 2, 9, 30, tzinfo=UTC)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id, due_at=due), worker.company_id)

        mine = await inbox(client, worker)
        assert [(n["kind"], n["title"]) for n in mine] == [("task_assigned", "New task: Review request")]
        assert "IT-7 · Laptop for Ana" in mine[0]["body"]
        assert "2031-01-02 09:30 UTC" in mine[0]["body"]
        assert mine[0]["link"].startswith("/tasks/")
        assert mine[0]["read_at"] is None
        for other in (admin, lead, requester):
            assert await inbox(client, other) == []

    async def test_a_task_given_to_the_requester_says_the_ticket_needs_their_input(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, _ = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, worker.user_id)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        assert [n["kind"] for n in await inbox(client, worker)] == ["ticket_needs_input"]

    async def test_my_ticket_held_and_finished_reach_the_requester(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, requester = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        instance = uuid7()
        for model, status in ((WorkflowHeld, "ON_HOLD"), (WorkflowCompleted, "COMPLETED")):
            await feeder.feed(
                model(workflow_instance_id=instance, ticket_id=ticket_id, workflow_status=status),
                worker.company_id,
            )
        titles = [(n["kind"], n["title"]) for n in await inbox(client, requester)]
        assert titles == [
            ("ticket_finished", "IT-7 · Laptop for Ana is completed"),
            ("ticket_status", "IT-7 · Laptop for Ana is on hold"),
        ]
        assert await inbox(client, worker) == []

    async def test_due_soon_reaches_the_assignee(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        _, worker, lead, _ = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(task_event(TaskDueSoon, ticket_id, worker.user_id), worker.company_id)
        assert [n["kind"] for n in await inbox(client, worker)] == ["task_due_soon"]
        assert await inbox(client, lead) == []

    async def test_an_overdue_task_reaches_its_assignees_and_the_ticket_team(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, lead, requester = await team_of()
        new_worker = await create_member(client, admin, ["user", "task_worker"], first_name="Nina")
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        await feeder.feed(
            task_event(
                TaskOverdue,
                ticket_id,
                new_worker.user_id,
                previous_assignee_id=worker.user_id,
                detail="Task 'Review request' is overdue; assigned again",
            ),
            worker.company_id,
        )
        for account in (admin, worker, lead, new_worker):
            assert [n["kind"] for n in await inbox(client, account)] == ["task_overdue"], account.email
        assert "someone else" in (await inbox(client, worker))[0]["body"]
        assert await inbox(client, requester) == []

    async def test_an_escalation_that_does_not_notify_tells_nobody(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, lead, _ = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(
            task_event(TaskOverdue, ticket_id, worker.user_id, escalation_notify=False), worker.company_id
        )
        for account in (admin, worker, lead):
            assert await inbox(client, account) == []

    async def test_an_incident_reaches_the_admins_of_the_company(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, lead, requester = await team_of()
        elsewhere = await sign_up(client, company="Elsewhere")
        ticket_id = await submitted(feeder, worker.company_id, requester.user_id)
        instance = uuid7()
        await feeder.feed(
            WorkflowIncident(
                workflow_instance_id=instance,
                ticket_id=ticket_id,
                workflow_status="INCIDENT",
                detail="Task 'Create account' failed: HTTP 500",
            ),
            worker.company_id,
        )
        notes = await inbox(client, admin)
        assert [(n["kind"], n["link"]) for n in notes] == [("incident", f"/instances/{instance}")]
        for account in (worker, lead, requester, elsewhere):
            assert await inbox(client, account) == []

    async def test_a_redelivered_event_notifies_once(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, _ = await team_of()
        ticket_id = await submitted(feeder, worker.company_id, None)
        sent = await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        await feeder.deliver(sent)
        assert len(await inbox(client, worker)) == 1

    async def test_an_event_overtaking_its_ticket_is_retried_and_an_old_one_goes_without_the_ticket(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any], db: Database
    ) -> None:
        _, worker, _, _ = await team_of()
        unknown = uuid7()
        # A fresh event is handed back to the consumer, which retries it with backoff.
        with pytest.raises(TicketNotKnownYet):
            await feeder.feed(task_event(TaskAssigned, unknown, worker.user_id), worker.company_id)
        assert await inbox(client, worker) == []

        old = datetime.now(UTC) - timedelta(hours=1)
        await feeder.feed(
            task_event(TaskAssigned, unknown, worker.user_id), worker.company_id, occurred_at=old
        )
        assert [n["body"] for n in await inbox(client, worker)] == ["For a ticket."]

    async def test_a_deactivated_user_hears_nothing(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, _, _ = await team_of()
        answer = await client.post(
            f"/api/identity/users/{worker.user_id}/deactivate", headers=admin.headers()
        )
        assert answer.status_code == 200, answer.text
        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        listed = await client.get("/api/identity/notifications", headers=worker.headers())
        assert listed.json()["items"] == []


class TestPreferences:
    async def test_defaults_are_in_the_app_and_no_email(
        self, client: httpx.AsyncClient, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, _ = await team_of()
        answer = await client.get("/api/identity/notifications/preferences", headers=worker.headers())
        assert answer.status_code == 200
        kinds = {p["kind"]: (p["in_app"], p["email"]) for p in answer.json()}
        assert set(kinds) == {
            "task_assigned",
            "task_due_soon",
            "task_overdue",
            "ticket_status",
            "ticket_finished",
            "ticket_needs_input",
            "incident",
        }
        assert set(kinds.values()) == {(True, False)}

    async def test_email_goes_out_for_the_kinds_opted_into_and_in_app_can_be_turned_off(
        self,
        client: httpx.AsyncClient,
        feeder: Feeder,
        team_of: Callable[[], Any],
        app: FastAPI,
        mailbox_dir: Path,
    ) -> None:
        _, worker, _, _ = await team_of()
        chosen = await client.put(
            "/api/identity/notifications/preferences",
            json={
                "preferences": [
                    {"kind": "task_assigned", "in_app": False, "email": True},
                    {"kind": "task_due_soon", "in_app": False, "email": False},
                ]
            },
            headers=worker.headers(),
        )
        assert chosen.status_code == 200, chosen.text
        assert {p["kind"]: p["email"] for p in chosen.json()}["task_assigned"] is True
        before = {m["id"] for m in await read_mailbox(app, mailbox_dir)}
        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        await feeder.feed(task_event(TaskDueSoon, ticket_id, worker.user_id), worker.company_id)
        await feeder.feed(task_event(TaskOverdue, ticket_id, worker.user_id), worker.company_id)

        assert [n["kind"] for n in await inbox(client, worker)] == ["task_overdue"]
        mails = [m for m in await read_mailbox(app, mailbox_dir) if m["id"] not in before]
        assert [(m["to"].lower(), m["subject"]) for m in mails] == [
            (worker.email.lower(), "New task: Review request")
        ]
        assert "/tasks/" in mails[0]["text"]

    async def test_an_unknown_kind_or_field_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, _ = await team_of()
        for body in (
            {"preferences": [{"kind": "gossip", "in_app": True, "email": True}]},
            {"preferences": [{"kind": "incident", "in_app": True, "email": True, "sms": True}]},
            {"preferences": [{"kind": "incident", "in_app": "maybe", "email": True}]},
        ):
            answer = await client.put(
                "/api/identity/notifications/preferences", json=body, headers=worker.headers()
            )
            assert answer.status_code == 422
            assert answer.headers["content-type"].startswith("application/problem+json")
        listed = await client.get("/api/identity/notifications/preferences", headers=worker.headers())
        assert {(p["in_app"], p["email"]) for p in listed.json()} == {(True, False)}


class TestReadingAndPolling:
    async def test_the_summary_etag_answers_304_until_something_changes(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        _, worker, _, _ = await team_of()
        url = "/api/identity/notifications/summary"
        empty = await client.get(url, headers=worker.headers())
        assert empty.json() == {"unread": 0, "latest_id": None}
        etag = empty.headers["etag"]
        assert (await client.get(url, headers={**worker.headers(), "If-None-Match": etag})).status_code == 304

        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        await feeder.feed(task_event(TaskDueSoon, ticket_id, worker.user_id), worker.company_id)
        changed = await client.get(url, headers={**worker.headers(), "If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.json()["unread"] == 2
        newest = (await inbox(client, worker))[0]
        assert changed.json()["latest_id"] == newest["id"]

        read = await client.post(f"/api/identity/notifications/{newest['id']}/read", headers=worker.headers())
        assert read.status_code == 200
        assert read.json()["read_at"] is not None
        after_read = await client.get(
            url, headers={**worker.headers(), "If-None-Match": changed.headers["etag"]}
        )
        assert after_read.status_code == 200
        assert after_read.json()["unread"] == 1
        assert [n["kind"] for n in await inbox(client, worker, unread="true")] == ["task_assigned"]

        marked = await client.post("/api/identity/notifications/read-all", headers=worker.headers())
        assert marked.json() == {"marked": 1}
        assert (await client.get(url, headers=worker.headers())).json()["unread"] == 0


class TestIsolation:
    async def test_another_user_and_another_company_read_and_change_nothing(
        self, client: httpx.AsyncClient, feeder: Feeder, team_of: Callable[[], Any]
    ) -> None:
        admin, worker, lead, _ = await team_of()
        stranger = await sign_up(client, company="Stranger Inc")
        ticket_id = await submitted(feeder, worker.company_id, None)
        await feeder.feed(task_event(TaskAssigned, ticket_id, worker.user_id), worker.company_id)
        mine = (await inbox(client, worker))[0]

        for other in (admin, lead, stranger):
            assert await inbox(client, other) == []
            summary = await client.get("/api/identity/notifications/summary", headers=other.headers())
            assert summary.json() == {"unread": 0, "latest_id": None}
            answer = await client.post(
                f"/api/identity/notifications/{mine['id']}/read", headers=other.headers()
            )
            assert answer.status_code == 404
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert (
                await client.post("/api/identity/notifications/read-all", headers=other.headers())
            ).json() == {"marked": 0}
        assert (await inbox(client, worker))[0]["read_at"] is None
        # The same event delivered in another company's name reaches nobody there or here.
        await feeder.feed(
            task_event(TaskAssigned, ticket_id, worker.user_id),
            stranger.company_id,
            occurred_at=datetime.now(UTC) - timedelta(hours=1),
        )
        assert len(await inbox(client, worker)) == 1
        assert await inbox(client, stranger) == []
