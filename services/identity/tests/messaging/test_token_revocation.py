"""Losing a role or being deactivated stamps the user's `tokens_valid_after`; every user event
carries it (the gateway refuses older access tokens from it), and tokens issued afterwards are
dated at or after it, so a fresh sign-in is never caught by the cut."""

import math

import httpx
import jwt
from sqlalchemy import select

from common.db import Database
from contracts.envelope import Envelope
from contracts.identity import UserDeactivated, UserRolesChanged
from identity.models import User

from ..identity_testkit import STRONG_PASSWORD, Account, create_member, sign_up


async def published(db: Database) -> list[Envelope]:
    outbox = db.tables.outbox
    async with db.unit_of_work() as uow:
        rows = (await uow.session.execute(select(outbox.c.payload).order_by(outbox.c.position))).scalars()
        return [Envelope.model_validate(payload) for payload in rows]


def of_type(events: list[Envelope], event_type: str) -> list[tuple[None, Envelope]]:
    return [(None, envelope) for envelope in events if envelope.type == event_type]


async def valid_after(db: Database, account: Account) -> float | None:
    async with db.unit_of_work(account.company_id) as uow:
        value = await uow.session.scalar(select(User.tokens_valid_after).where(User.id == account.user_id))
    return None if value is None else value.timestamp()


async def login_iat(client: httpx.AsyncClient, account: Account) -> int:
    response = await client.post(
        "/api/identity/login", json={"email": account.email, "password": STRONG_PASSWORD, "cookie": False}
    )
    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    return int(claims["iat"])


async def test_removing_a_role_cuts_off_older_tokens(client: httpx.AsyncClient, db: Database) -> None:
    admin = await sign_up(client)
    member = await create_member(client, admin, roles=["task_worker"])
    assert await valid_after(db, member) is None
    response = await client.put(
        f"/api/identity/users/{member.user_id}/roles",
        json={"system_roles": ["user"], "company_roles": ["user"]},
        headers=admin.headers(),
    )
    assert response.status_code == 200
    stamp = await valid_after(db, member)
    assert stamp is not None
    [(_, event)] = of_type(await published(db), UserRolesChanged.event_type)
    carried = UserRolesChanged.model_validate(event.data).tokens_valid_after
    assert carried is not None
    assert carried.timestamp() == stamp
    assert await login_iat(client, member) >= math.ceil(stamp)


async def test_adding_a_role_leaves_tokens_alone(client: httpx.AsyncClient, db: Database) -> None:
    admin = await sign_up(client)
    member = await create_member(client, admin)
    await client.put(
        f"/api/identity/users/{member.user_id}/roles",
        json={"system_roles": ["user", "task_worker"], "company_roles": ["user"]},
        headers=admin.headers(),
    )
    assert await valid_after(db, member) is None
    [(_, event)] = of_type(await published(db), UserRolesChanged.event_type)
    assert UserRolesChanged.model_validate(event.data).tokens_valid_after is None


async def test_deactivation_cuts_off_older_tokens(client: httpx.AsyncClient, db: Database) -> None:
    admin = await sign_up(client)
    member = await create_member(client, admin)
    await client.post(f"/api/identity/users/{member.user_id}/deactivate", headers=admin.headers())
    stamp = await valid_after(db, member)
    assert stamp is not None
    [(_, event)] = of_type(await published(db), UserDeactivated.event_type)
    carried = UserDeactivated.model_validate(event.data).tokens_valid_after
    assert carried is not None
    assert carried.timestamp() == stamp
