from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from common.consumer import Delivery, EventConsumer
from common.db import Database
from common.testing.infra import claims_headers, migrated_settings, rolled_back_database
from contracts.actions import ActionSucceeded
from contracts.definitions import TaskDefinitionSpec, TransitionSpec, WorkflowDefinitionPublished
from contracts.envelope import Actor, Envelope, EventPayload, envelope_for
from contracts.identity import UserCreated, UserUpdated
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from engine.config import MIGRATIONS_DIR, EngineSettings
from engine.consumers import build_engine_consumer
from engine.main import create_app
from engine.models import TaskInstance, WorkflowInstance


@pytest.fixture(scope="session")
def settings(pg_admin_url: str, kafka_bootstrap: str) -> EngineSettings:
    migrated: EngineSettings = migrated_settings(
        EngineSettings, pg_admin_url, kafka_bootstrap, MIGRATIONS_DIR
    )
    return migrated


@pytest.fixture
async def db(settings: EngineSettings) -> AsyncIterator[Database]:
    async with rolled_back_database(settings) as database:
        yield database


def form(key: str, output_schema: dict[str, Any] | None = None) -> TaskDefinitionSpec:
    return TaskDefinitionSpec(
        key=key,
        name=key.replace("_", " ").title(),
        task_type="FORM",
        input_schema={"type": "object"},
        output_schema=output_schema or {"type": "object"},
    )


def action(key: str, task_type: str = "SYNC_ACTION", max_retries: int | None = 1) -> TaskDefinitionSpec:
    return TaskDefinitionSpec(
        key=key,
        name=key.replace("_", " ").title(),
        task_type=task_type,
        action_url="http://127.0.0.1:9/hook",
        timeout_seconds=5,
        max_retries=max_retries,
        output_schema={"type": "object"},
    )


def transition(a: str, b: str, condition: str | None = None, priority: int = 0) -> TransitionSpec:
    return TransitionSpec(from_task=a, to_task=b, condition=condition, priority=priority)


APPROVAL_SCHEMA = {
    "type": "object",
    "required": ["approved", "comment"],
    "properties": {"approved": {"type": "boolean"}, "comment": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}


class EngineHarness:
    """Feeds contract events to the engine's consumer and calls its API, in one company."""

    def __init__(self, db: Database, settings: EngineSettings) -> None:
        self.db = db
        self.settings = settings
        self.company_id = uuid7()
        self.consumer: EventConsumer = build_engine_consumer(db, settings)
        self.app = create_app(settings)
        self.app.state.db = db
        self._offset = 0

    async def feed(self, payload: EventPayload, *, company_id: UUID | None = None) -> Envelope:
        envelope = envelope_for(payload, company_id=company_id or self.company_id, actor=Actor.system("test"))
        await self.deliver(envelope)
        return envelope

    async def deliver(self, envelope: Envelope) -> None:
        self._offset += 1
        await self.consumer.handle(
            Delivery(
                topic="test",
                partition=0,
                offset=self._offset,
                key=None,
                body=envelope.model_dump_json().encode(),
                headers={},
            )
        )

    async def publish_workflow(
        self,
        tasks: list[TaskDefinitionSpec],
        transitions: list[TransitionSpec],
        *,
        key: str = "wf",
        version: int = 1,
        company_id: UUID | None = None,
    ) -> None:
        await self.feed(
            WorkflowDefinitionPublished(
                workflow_definition_id=uuid7(),
                key=key,
                version=version,
                name=key,
                start_task=tasks[0].key,
                tasks=tasks,
                transitions=transitions,
            ),
            company_id=company_id,
        )

    async def add_worker(
        self, name: str = "Wendy", *, company_id: UUID | None = None, active: bool = True
    ) -> UUID:
        user_id = uuid7()
        await self.feed(
            UserCreated(
                user_id=user_id,
                email=f"{name.lower()}-{user_id.hex[:6]}@example.com",
                first_name=name,
                last_name="Worker",
                is_active=active,
                system_roles=["user", "task_worker"],
                company_roles=["user"],
            ),
            company_id=company_id,
        )
        return user_id

    async def change_worker(self, user_id: UUID, *, active: bool, roles: list[str]) -> None:
        await self.feed(
            UserUpdated(
                user_id=user_id,
                email=f"{user_id.hex[:6]}@example.com",
                first_name="Changed",
                last_name="Worker",
                is_active=active,
                system_roles=roles,
                company_roles=["user"],
            )
        )

    async def submit(
        self,
        data: dict[str, Any],
        *,
        key: str = "wf",
        company_id: UUID | None = None,
        ticket_id: UUID | None = None,
    ) -> UUID:
        ticket_id = ticket_id or uuid7()
        await self.feed(
            TicketSubmitted(
                ticket_id=ticket_id,
                number=f"T-{ticket_id.hex[-4:]}",
                title="A ticket",
                ticket_definition_key="tt",
                ticket_definition_version=1,
                workflow_key=key,
                workflow_version=None,
                ticket_data=data,
                submitted_by=None,
            ),
            company_id=company_id,
        )
        return ticket_id

    async def instance_of(self, ticket_id: UUID, company_id: UUID | None = None) -> WorkflowInstance:
        async with self.db.unit_of_work(company_id or self.company_id) as uow:
            found = await uow.session.scalar(
                select(WorkflowInstance).where(WorkflowInstance.ticket_id == ticket_id)
            )
        assert found is not None, "no workflow instance for the ticket"
        return found

    async def tasks_of(self, instance_id: UUID) -> list[TaskInstance]:
        async with self.db.unit_of_work(self.company_id) as uow:
            rows = await uow.session.scalars(
                select(TaskInstance)
                .where(TaskInstance.workflow_instance_id == instance_id)
                .order_by(TaskInstance.sequence)
            )
            return list(rows.all())

    async def current_task(self, ticket_id: UUID) -> TaskInstance:
        instance = await self.instance_of(ticket_id)
        return (await self.tasks_of(instance.id))[-1]

    async def succeed(self, task: TaskInstance, output: dict[str, Any]) -> Envelope:
        assert task.request_id is not None
        return await self.feed(
            ActionSucceeded(
                request_id=task.request_id,
                workflow_instance_id=task.workflow_instance_id,
                task_instance_id=task.id,
                attempt=task.attempt,
                output=output,
            )
        )

    async def outbox_types(self) -> list[str]:
        async with self.db.new_session() as session:
            rows = await session.execute(
                select(self.db.tables.outbox.c.payload).order_by(self.db.tables.outbox.c.position)
            )
            return [r.payload["type"] for r in rows if r.payload.get("company_id") == str(self.company_id)]

    def client(self, user_id: UUID | None = None, roles: list[str] | None = None) -> httpx.AsyncClient:
        headers = claims_headers(self.company_id, user_id or uuid7(), roles=roles or ["user"])
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://test", headers=headers
        )

    def admin(self) -> httpx.AsyncClient:
        return self.client(roles=["user", "admin"])

    def worker(self, user_id: UUID) -> httpx.AsyncClient:
        return self.client(user_id, roles=["user", "task_worker"])


@pytest.fixture
def engine(db: Database, settings: EngineSettings) -> EngineHarness:
    return EngineHarness(db, settings)
