"""Uploading and downloading attachments through the API."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from pydantic import SecretStr

from common.consumer import Delivery
from common.db import Database
from contracts.engine import TaskCreated
from contracts.envelope import Actor, envelope_for
from contracts.ids import uuid7
from tickets.config import TicketsSettings
from tickets.consumers import event_consumer
from tickets.main import create_app
from tickets.storage.local import LocalFileStorage
from tickets.storage.s3 import S3Storage

from ..tickets_test_support import VALID_LEAVE, Caller, PublishType, S3Store


@pytest.fixture(params=["local", "s3"])
async def client(
    request: pytest.FixtureRequest, settings: TicketsSettings, db: Database, tmp_path: Path, s3_store: S3Store
) -> AsyncIterator[httpx.AsyncClient]:
    """The service as deployed with either storage backend (the S3 one built from settings)."""
    if request.param == "s3":
        keys = s3_store.credentials
        settings = settings.model_copy(
            update={
                "storage_backend": "s3",
                "s3_endpoint_url": s3_store.endpoint_url,
                "s3_region": s3_store.region,
                "s3_bucket": s3_store.bucket,
                "s3_access_key_id": keys.access_key_id,
                "s3_secret_access_key": SecretStr(keys.secret_access_key),
                "s3_session_token": SecretStr(keys.session_token or ""),
            }
        )
    else:
        settings = settings.model_copy(update={"storage_dir": tmp_path / "attachments"})
    app = create_app(settings)
    app.state.db = db
    assert isinstance(app.state.storage, S3Storage if request.param == "s3" else LocalFileStorage)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            yield http
    finally:
        await app.state.storage.close()


@pytest.fixture
async def ticket(
    client: httpx.AsyncClient, publish_type: PublishType, make_caller: Callable[..., Caller]
) -> Any:
    owner = make_caller()
    await publish_type(owner.company_id)
    response = await client.post(
        "/api/tickets/tickets",
        json={"ticket_type_key": "leave", "title": "With files", "ticket_data": VALID_LEAVE},
        headers=owner.headers,
    )
    return {"owner": owner, **response.json()}


def upload(
    client: httpx.AsyncClient,
    caller: Caller,
    ticket_id: str,
    content: bytes = b"%PDF-1.7 hello",
    *,
    filename: str = "note.pdf",
    content_type: str = "application/pdf",
) -> Any:
    return client.post(
        f"/api/tickets/tickets/{ticket_id}/attachments",
        files={"file": (filename, content, content_type)},
        headers=caller.headers,
    )


class TestUploadAttachment:
    async def test_the_submitter_uploads_and_sees_it_on_the_ticket(
        self, client: httpx.AsyncClient, ticket: Any
    ) -> None:
        response = await upload(client, ticket["owner"], ticket["id"])
        assert response.status_code == 201, response.text
        attachment = response.json()
        assert attachment["filename"] == "note.pdf"
        assert attachment["version"] == 1
        assert attachment["size_bytes"] == len(b"%PDF-1.7 hello")
        detail = (
            await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=ticket["owner"].headers)
        ).json()
        assert [a["id"] for a in detail["attachments"]] == [attachment["id"]]

    async def test_the_same_name_again_is_a_new_version(self, client: httpx.AsyncClient, ticket: Any) -> None:
        await upload(client, ticket["owner"], ticket["id"], b"one")
        second = (await upload(client, ticket["owner"], ticket["id"], b"two")).json()
        other = (await upload(client, ticket["owner"], ticket["id"], b"x", filename="other.pdf")).json()
        assert second["version"] == 2
        assert other["version"] == 1

    async def test_too_large_is_413_and_stores_nothing(
        self, client: httpx.AsyncClient, ticket: Any, settings: Any
    ) -> None:
        too_big = b"x" * (settings.max_attachment_bytes + 1)
        response = await upload(client, ticket["owner"], ticket["id"], too_big)
        assert response.status_code == 413
        detail = (
            await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=ticket["owner"].headers)
        ).json()
        assert detail["attachments"] == []

    async def test_a_type_outside_the_allowlist_is_415(self, client: httpx.AsyncClient, ticket: Any) -> None:
        response = await upload(
            client,
            ticket["owner"],
            ticket["id"],
            b"MZ",
            filename="run.exe",
            content_type="application/x-msdownload",
        )
        assert response.status_code == 415
        assert "application/pdf" in response.json()["allowed_types"]

    async def test_a_request_without_a_file_is_422(self, client: httpx.AsyncClient, ticket: Any) -> None:
        response = await client.post(
            f"/api/tickets/tickets/{ticket['id']}/attachments",
            data={"note": "no file"},
            files={"other": ("a.txt", b"a", "text/plain")},
            headers=ticket["owner"].headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "file"]

    async def test_a_path_in_the_filename_is_dropped(self, client: httpx.AsyncClient, ticket: Any) -> None:
        response = await upload(
            client, ticket["owner"], ticket["id"], filename="../../etc/passwd.txt", content_type="text/plain"
        )
        assert response.json()["filename"] == "passwd.txt"

    async def test_another_company_gets_404(
        self, client: httpx.AsyncClient, ticket: Any, make_caller: Callable[..., Caller]
    ) -> None:
        outsider = make_caller(roles=["admin"], company_id=uuid7())
        assert (await upload(client, outsider, ticket["id"])).status_code == 404


class TestDownloadAttachment:
    async def test_streams_the_bytes_back(
        self, client: httpx.AsyncClient, ticket: Any, make_caller: Callable[..., Caller]
    ) -> None:
        attachment = (
            await upload(client, ticket["owner"], ticket["id"], b"%PDF contents", filename="résumé.pdf")
        ).json()
        url = f"/api/tickets/tickets/{ticket['id']}/attachments/{attachment['id']}"
        response = await client.get(url, headers=ticket["owner"].headers)
        assert response.status_code == 200
        assert response.content == b"%PDF contents"
        assert response.headers["content-type"] == "application/pdf"
        assert "filename*=UTF-8''r%C3%A9sum%C3%A9.pdf" in response.headers["content-disposition"]
        admin = make_caller(roles=["ticket_admin"])
        assert (await client.get(url, headers=admin.headers)).content == b"%PDF contents"

    async def test_each_version_keeps_its_bytes(self, client: httpx.AsyncClient, ticket: Any) -> None:
        first = (await upload(client, ticket["owner"], ticket["id"], b"one")).json()
        await upload(client, ticket["owner"], ticket["id"], b"two")
        url = f"/api/tickets/tickets/{ticket['id']}/attachments/{first['id']}"
        assert (await client.get(url, headers=ticket["owner"].headers)).content == b"one"

    async def test_another_company_gets_404(
        self, client: httpx.AsyncClient, ticket: Any, make_caller: Callable[..., Caller]
    ) -> None:
        attachment = (await upload(client, ticket["owner"], ticket["id"])).json()
        outsider = make_caller(roles=["admin"], company_id=uuid7())
        url = f"/api/tickets/tickets/{ticket['id']}/attachments/{attachment['id']}"
        assert (await client.get(url, headers=outsider.headers)).status_code == 404

    async def test_a_colleague_who_cannot_see_the_ticket_gets_404(
        self, client: httpx.AsyncClient, ticket: Any, make_caller: Callable[..., Caller]
    ) -> None:
        attachment = (await upload(client, ticket["owner"], ticket["id"])).json()
        colleague = make_caller()
        url = f"/api/tickets/tickets/{ticket['id']}/attachments/{attachment['id']}"
        assert (await client.get(url, headers=colleague.headers)).status_code == 404


class TestAttachmentTask:
    """An attachment may name one of its ticket's tasks, as the engine's events told tickets."""

    async def _task_of(self, db: Any, ticket: Any) -> Any:
        """A task the engine created for `ticket`, as its event reaches the tickets consumer."""
        task_id = uuid7()
        company_id = ticket["owner"].company_id
        payload = TaskCreated(
            workflow_instance_id=uuid7(),
            ticket_id=UUID(ticket["id"]),
            workflow_status="RUNNING",
            task_instance_id=task_id,
            task_key="review",
            task_name="Review",
            task_status="PENDING",
        )
        built = envelope_for(payload, company_id=company_id, actor=Actor.system("engine"))
        await event_consumer(db).handle(
            Delivery("engine.events", 0, 0, None, built.model_dump_json().encode(), {})
        )
        return task_id

    def _upload_for_task(
        self, client: httpx.AsyncClient, ticket: Any, task_id: Any, caller: Any = None
    ) -> Any:
        return client.post(
            f"/api/tickets/tickets/{ticket['id']}/attachments",
            files={"file": ("note.pdf", b"%PDF-1.7 task", "application/pdf")},
            data={"task_instance_id": str(task_id)},
            headers=(caller or ticket["owner"]).headers,
        )

    async def test_a_task_of_the_ticket_is_accepted(
        self, client: httpx.AsyncClient, db: Any, ticket: Any
    ) -> None:
        task_id = await self._task_of(db, ticket)
        response = await self._upload_for_task(client, ticket, task_id)
        assert response.status_code == 201, response.text
        assert response.json()["task_instance_id"] == str(task_id)

    async def test_a_random_task_id_is_refused_and_nothing_is_stored(
        self, client: httpx.AsyncClient, ticket: Any
    ) -> None:
        response = await self._upload_for_task(client, ticket, uuid7())
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "task_instance_id"]]
        detail = (
            await client.get(f"/api/tickets/tickets/{ticket['id']}", headers=ticket["owner"].headers)
        ).json()
        assert detail["attachments"] == []

    async def test_another_tickets_task_is_refused(
        self,
        client: httpx.AsyncClient,
        db: Any,
        ticket: Any,
        make_caller: Callable[..., Caller],
    ) -> None:
        other = (
            await client.post(
                "/api/tickets/tickets",
                json={"ticket_type_key": "leave", "title": "Other", "ticket_data": VALID_LEAVE},
                headers=ticket["owner"].headers,
            )
        ).json()
        other_task = await self._task_of(db, {"owner": ticket["owner"], **other})
        response = await self._upload_for_task(client, ticket, other_task)
        assert response.status_code == 422
