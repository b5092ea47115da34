"""ASYNC_ACTION: the call carries a signed, single-use, expiring callback URL; the receiving
system posts the result to it through the public callback endpoint."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from actions.callbacks import tokens
from actions.config import ActionsSettings
from actions.main import create_app
from actions.runner.service import CallOutcome, Prepared
from common.db import Database
from contracts.engine import ActionRequested
from contracts.ids import uuid7

from ..conftest import Receiver, RequestFactory, ResultsReader, RunnerFactory


@pytest.fixture
async def public_client(db: Database, settings: ActionsSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    app.state.db = db
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def _start_async(
    db: Database,
    receiver: Receiver,
    make_runner: RunnerFactory,
    new_request: RequestFactory,
    **overrides: Any,
) -> tuple[ActionRequested, str]:
    harness = await make_runner(allow_private_targets=True)
    request, delivery = new_request(
        uuid7(),
        receiver.url("/accept"),
        task_type="ASYNC_ACTION",
        output_transform='{"approved": decision = "yes", "by": approver}',
        **overrides,
    )
    await harness.handle(delivery)
    [call] = [
        c
        for c in receiver.calls_to("/accept")
        if c.headers["idempotency-key"] == str(request.task_instance_id)
    ]
    return request, call.json()["callback_url"]


def _path(url: str) -> str:
    return httpx.URL(url).path


class TestAsyncCall:
    async def test_an_accepted_call_waits_for_the_callback(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        request, callback_url = await _start_async(
            db, receiver, make_runner, new_request, timeout_seconds=600
        )

        assert callback_url.startswith("http://127.0.0.1:8000/api/callbacks/")
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.awaiting_callback"
        expires = datetime.fromisoformat(result["data"]["expires_at"])
        assert timedelta(seconds=590) < expires - datetime.now(UTC) <= timedelta(seconds=600)


class TestPostCallback:
    async def test_a_valid_callback_succeeds_through_the_output_transform(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
    ) -> None:
        request, callback_url = await _start_async(db, receiver, make_runner, new_request)

        response = await public_client.post(_path(callback_url), json={"decision": "yes", "approver": "Bo"})

        assert response.status_code == 200, response.text
        assert response.json()["outcome"] == "succeeded"
        awaiting, succeeded = await results(db, request.request_id)
        assert awaiting["type"] == "action.awaiting_callback"
        assert succeeded["type"] == "action.succeeded"
        assert succeeded["data"]["output"] == {"approved": True, "by": "Bo"}

    async def test_a_replayed_callback_is_refused_and_changes_nothing(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
    ) -> None:
        request, callback_url = await _start_async(db, receiver, make_runner, new_request)
        await public_client.post(_path(callback_url), json={"decision": "yes", "approver": "Bo"})

        replay = await public_client.post(_path(callback_url), json={"decision": "no", "approver": "Eve"})

        assert replay.status_code == 409
        assert replay.headers["content-type"] == "application/problem+json"
        assert [r["type"] for r in await results(db, request.request_id)] == [
            "action.awaiting_callback",
            "action.succeeded",
        ]

    async def test_a_forged_token_is_refused(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
        settings: ActionsSettings,
    ) -> None:
        request, callback_url = await _start_async(db, receiver, make_runner, new_request)
        claim = tokens.verify(
            settings.callback_secret.get_secret_value(), _path(callback_url).rsplit("/", 1)[1]
        )
        forged = tokens.issue("not-our-secret-but-32-bytes-long!", claim)
        tampered = _path(callback_url)[:-3] + "AAA"

        for path in (f"/api/callbacks/{forged}", tampered, "/api/callbacks/garbage"):
            response = await public_client.post(path, json={"decision": "yes"})
            assert response.status_code == 403, path

        assert [r["type"] for r in await results(db, request.request_id)] == ["action.awaiting_callback"]

    async def test_an_expired_callback_is_refused(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
        settings: ActionsSettings,
    ) -> None:
        request, callback_url = await _start_async(db, receiver, make_runner, new_request)
        claim = tokens.verify(
            settings.callback_secret.get_secret_value(), _path(callback_url).rsplit("/", 1)[1]
        )
        expired = tokens.issue(
            settings.callback_secret.get_secret_value(),
            tokens.CallbackClaim(
                claim.company_id, claim.callback_id, datetime.now(UTC) - timedelta(seconds=1)
            ),
        )

        response = await public_client.post(f"/api/callbacks/{expired}", json={"decision": "yes"})

        assert response.status_code == 410
        assert [r["type"] for r in await results(db, request.request_id)] == ["action.awaiting_callback"]

    async def test_a_body_that_is_not_json_is_refused_and_the_url_stays_usable(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
    ) -> None:
        _, callback_url = await _start_async(db, receiver, make_runner, new_request)

        bad = await public_client.post(
            _path(callback_url), content=b"{nope", headers={"content-type": "application/json"}
        )
        good = await public_client.post(_path(callback_url), json={"decision": "yes", "approver": "Bo"})

        assert bad.status_code == 422
        assert bad.json()["errors"][0]["loc"] == ["body"]
        assert good.status_code == 200

    async def test_an_oversized_body_is_refused(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        public_client: httpx.AsyncClient,
    ) -> None:
        _, callback_url = await _start_async(db, receiver, make_runner, new_request)

        response = await public_client.post(_path(callback_url), content=b"[" + b"1," * 600_000 + b"1]")

        assert response.status_code == 413

    async def test_a_callback_that_arrives_before_the_call_returns_wins(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        public_client: httpx.AsyncClient,
        settings: ActionsSettings,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/accept"), task_type="ASYNC_ACTION")
        original_call = harness.runner.call

        async def run_and_get_called_back(prepared: Prepared) -> CallOutcome:
            outcome = await original_call(prepared)
            url = receiver.calls_to("/accept")[-1].json()["callback_url"]
            early = await public_client.post(_path(url), json={"done": True})
            assert early.status_code == 200
            return outcome

        monkeypatch.setattr(harness.runner, "call", run_and_get_called_back)
        await harness.handle(delivery)

        assert [r["type"] for r in await results(db, request.request_id)] == ["action.succeeded"]
