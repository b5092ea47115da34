"""POST /api/identity/password-reset/request and /confirm"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from common.db import Database
from identity.config import IdentitySettings
from identity.mail.adapters import FileMailbox
from identity.main import create_app
from identity.models import PasswordResetToken

from ..identity_testkit import STRONG_PASSWORD, create_member, read_mailbox, sign_up, unique_email

NEW_PASSWORD = "Fresh-Start-Password-1"


def token_from(mail: dict[str, str]) -> str:
    match = re.search(r"token=(\S+)", mail["text"])
    assert match, mail["text"]
    return unquote(match.group(1))


async def request_reset(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/identity/password-reset/request", json={"email": email})


async def confirm(client: httpx.AsyncClient, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await client.post(
        "/api/identity/password-reset/confirm", json={"token": token, "new_password": password}
    )


class TestRequestReset:
    async def test_mails_a_link_to_an_existing_account(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        account = await sign_up(client)
        response = await request_reset(client, account.email.upper())
        assert response.status_code == 202
        [mail] = await read_mailbox(app, mailbox_dir)
        assert mail["to"].lower() == account.email.lower()
        assert "reset-password?token=" in mail["text"]
        assert mail["id"]

    async def test_the_link_points_at_the_public_url(
        self, settings: IdentitySettings, db: Database, mailbox_dir: Path
    ) -> None:
        public = settings.model_copy(update={"public_url": "https://tickets.example.com:8443/"})
        app = create_app(public, mailer=FileMailbox(mailbox_dir, public.mail_from))
        app.state.db = db
        transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            account = await sign_up(client)
            await request_reset(client, account.email)
        [mail] = await read_mailbox(app, mailbox_dir)
        assert "https://tickets.example.com:8443/reset-password?token=" in mail["text"]

    async def test_unknown_address_gets_the_same_answer_and_no_mail(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        account = await sign_up(client)
        known = await request_reset(client, account.email)
        unknown = await request_reset(client, unique_email("nobody"))
        assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
        assert len(await read_mailbox(app, mailbox_dir)) == 1

    async def test_requests_for_one_address_are_rate_limited(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        statuses = [(await request_reset(client, account.email)).status_code for _ in range(6)]
        assert statuses == [202] * 5 + [429]


class TestConfirmReset:
    async def test_sets_the_password_once_and_ends_every_session(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        account = await sign_up(client)
        await request_reset(client, account.email)
        token = token_from((await read_mailbox(app, mailbox_dir))[0])
        assert (await confirm(client, token)).status_code == 204
        assert (await confirm(client, token, "Yet-Another-Pass-2")).status_code == 400
        login = "/api/identity/login"
        assert (
            await client.post(login, json={"email": account.email, "password": NEW_PASSWORD})
        ).status_code == 200
        assert (
            await client.post(login, json={"email": account.email, "password": STRONG_PASSWORD})
        ).status_code == 401
        stale = await client.post(
            "/api/identity/refresh", json={"refresh_token": account.session["refresh_token"]}
        )
        assert stale.status_code == 401

    async def test_an_expired_link_is_refused(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path, db: Database
    ) -> None:
        account = await sign_up(client)
        await request_reset(client, account.email)
        token = token_from((await read_mailbox(app, mailbox_dir))[0])
        async with db.unit_of_work(account.company_id) as uow:
            await uow.session.execute(
                update(PasswordResetToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        response = await confirm(client, token)
        assert response.status_code == 400
        assert "expired" in response.json()["detail"]

    async def test_a_newer_link_does_not_revive_after_use(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        account = await sign_up(client)
        await request_reset(client, account.email)
        await request_reset(client, account.email)
        first, second = (token_from(m) for m in await read_mailbox(app, mailbox_dir))
        assert (await confirm(client, second)).status_code == 204
        assert (await confirm(client, first)).status_code == 400

    async def test_forged_token_and_weak_password_are_refused(self, client: httpx.AsyncClient) -> None:
        account = await sign_up(client)
        assert (await confirm(client, f"{account.company_id.hex}.forged")).status_code == 400
        assert (await confirm(client, "garbage")).status_code == 400
        weak = await confirm(client, "anything", "weak")
        assert weak.status_code == 422
        assert [e["loc"] for e in weak.json()["errors"]] == [["body", "new_password"]]

    async def test_an_invited_user_sets_a_first_password(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        admin = await sign_up(client)
        email = unique_email("invited")
        created = await client.post(
            "/api/identity/users",
            json={"email": email, "first_name": "Ivy", "last_name": "Invited"},
            headers=admin.headers(),
        )
        assert created.status_code == 201
        login = {"email": email, "password": NEW_PASSWORD}
        assert (await client.post("/api/identity/login", json=login)).status_code == 401
        [mail] = await read_mailbox(app, mailbox_dir)
        assert mail["subject"] == "Your TicketFlower account"
        assert (await confirm(client, token_from(mail))).status_code == 204
        assert (await client.post("/api/identity/login", json=login)).status_code == 200

    async def test_deactivated_users_link_is_refused(
        self, app: FastAPI, client: httpx.AsyncClient, mailbox_dir: Path
    ) -> None:
        admin = await sign_up(client)
        member = await create_member(client, admin)
        await request_reset(client, member.email)
        token = token_from((await read_mailbox(app, mailbox_dir))[0])
        await client.post(f"/api/identity/users/{member.user_id}/deactivate", headers=admin.headers())
        assert (await confirm(client, token)).status_code == 400
