"""The events identity publishes, as written to its outbox in the same transaction as the change
(the relay sends them to `identity.events`, keyed by the aggregate id)."""

from typing import Any

import httpx
from sqlalchemy import select

from common.db import Database
from contracts.envelope import Envelope
from contracts.identity import CompanyCreated, UserCreated, UserDeactivated, UserRolesChanged, UserUpdated
from contracts.topics import IDENTITY_EVENTS

from ..identity_testkit import create_member, sign_up


async def published(db: Database) -> list[tuple[str, str, Envelope]]:
    outbox = db.tables.outbox
    async with db.unit_of_work() as uow:
        rows = (
            await uow.session.execute(
                select(outbox.c.topic, outbox.c.key, outbox.c.payload).order_by(outbox.c.position)
            )
        ).all()
    return [(topic, key, Envelope.model_validate(payload)) for topic, key, payload in rows]


def of_type(events: list[tuple[str, str, Envelope]], event_type: str) -> list[tuple[str, Envelope]]:
    return [(key, envelope) for _, key, envelope in events if envelope.type == event_type]


class TestSignUpEvents:
    async def test_company_created_and_admin_user_created(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        account = await sign_up(client, "Evented")
        events = await published(db)
        assert {topic for topic, _, _ in events} == {IDENTITY_EVENTS}
        [(company_key, company)] = of_type(events, CompanyCreated.event_type)
        assert company_key == str(account.company_id)
        assert company.company_id == account.company_id
        assert CompanyCreated.model_validate(company.data).name == "Evented"
        [(user_key, created)] = of_type(events, UserCreated.event_type)
        assert user_key == str(account.user_id)
        state = UserCreated.model_validate(created.data)
        assert state.user_id == account.user_id
        assert set(state.system_roles) == {"admin", "user"}
        assert state.company_roles == ["user"]
        assert state.is_active


class TestUserEvents:
    async def test_every_change_carries_the_full_state(self, client: httpx.AsyncClient, db: Database) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        base = f"/api/identity/users/{member.user_id}"
        await client.patch(base, json={"first_name": "Renamed"}, headers=admin.headers())
        await client.put(
            f"{base}/roles",
            json={"system_roles": ["task_worker"], "company_roles": ["user"]},
            headers=admin.headers(),
        )
        await client.post(f"{base}/deactivate", headers=admin.headers())
        events = await published(db)

        def states(model: Any) -> list[Any]:
            return [
                model.model_validate(e.data)
                for k, e in of_type(events, model.event_type)
                if k == str(member.user_id)
            ]

        [updated] = states(UserUpdated)
        assert updated.first_name == "Renamed"
        [roles] = states(UserRolesChanged)
        assert roles.system_roles == ["user", "task_worker"]
        assert roles.first_name == "Renamed"
        [deactivated] = states(UserDeactivated)
        assert deactivated.is_active is False
        assert deactivated.system_roles == ["user", "task_worker"]
        assert all(e.actor.id == str(admin.user_id) for _, e in of_type(events, UserDeactivated.event_type))

    async def test_no_event_when_nothing_changed(self, client: httpx.AsyncClient, db: Database) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        await client.put(
            f"/api/identity/users/{member.user_id}/roles",
            json={"system_roles": ["user"], "company_roles": ["user"]},
            headers=admin.headers(),
        )
        assert of_type(await published(db), UserRolesChanged.event_type) == []

    async def test_deleting_a_company_role_republishes_its_holders(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        admin = await sign_up(client)
        role = (
            await client.post(
                "/api/identity/company-roles", json={"name": "Finance"}, headers=admin.headers()
            )
        ).json()
        member = await create_member(client, admin, company_roles=["user", "Finance"])
        await client.delete(f"/api/identity/company-roles/{role['id']}", headers=admin.headers())
        changes = of_type(await published(db), UserRolesChanged.event_type)
        assert [(k, UserRolesChanged.model_validate(e.data).company_roles) for k, e in changes] == [
            (str(member.user_id), ["user"])
        ]

    async def test_a_refused_change_publishes_nothing(self, client: httpx.AsyncClient, db: Database) -> None:
        admin = await sign_up(client)
        before = len(await published(db))
        response = await client.post(
            "/api/identity/users",
            json={"email": admin.email, "first_name": "Dup", "last_name": "Licate"},
            headers=admin.headers(),
        )
        assert response.status_code == 409
        assert len(await published(db)) == before
