"""SYNC_ACTION requests through the runner's consumer against a real HTTP server."""

from uuid import UUID

from actions.signing.webhooks import verify
from common.db import Database
from contracts.ids import uuid7

from ..conftest import Receiver, RequestFactory, ResultsReader, RunnerFactory


async def _secret(db: Database, company_id: UUID) -> str:
    from actions.signing.service import signing_secrets

    async with db.unit_of_work(company_id) as uow:
        return (await signing_secrets(uow.session, company_id))[0]


class TestSyncSuccess:
    async def test_transforms_are_applied_and_the_call_is_signed(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        company = uuid7()
        request, delivery = new_request(
            company,
            receiver.url("/echo"),
            input_transform='{"who": customer.name, "total": amount * 2}',
            output_transform='{"confirmation": status, "echoed_total": received.total}',
        )

        await harness.handle(delivery)

        [call] = [
            c
            for c in receiver.calls_to("/echo")
            if c.headers["idempotency-key"] == str(request.task_instance_id)
        ]
        assert call.json() == {"who": "Ada", "total": 84}
        assert call.headers["webhook-id"] == str(request.task_instance_id)
        assert call.headers["traceparent"].startswith("00-")
        assert verify(await _secret(db, company), call.headers, call.body)
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.succeeded"
        assert result["company_id"] == str(company)
        assert result["data"]["output"] == {"confirmation": "done", "echoed_total": 84}

    async def test_without_transforms_the_workflow_data_goes_out_and_the_body_comes_back(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/echo"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["data"]["output"]["received"] == request.workflow_data

    async def test_a_redelivered_request_is_not_called_or_answered_twice(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        company = uuid7()
        request, delivery = new_request(company, receiver.url("/echo"))
        await harness.handle(delivery)
        # The same request again under a new event id (the engine sent it twice): the inbox
        # alone would not stop it, the record of handled requests does.
        _, republished = new_request(
            company,
            receiver.url("/echo"),
            request_id=request.request_id,
            workflow_instance_id=request.workflow_instance_id,
            task_instance_id=request.task_instance_id,
        )

        await harness.handle(delivery)
        await harness.handle(republished)

        calls = [
            c
            for c in receiver.calls_to("/echo")
            if c.headers["idempotency-key"] == str(request.task_instance_id)
        ]
        assert len(calls) == 1
        assert len(await results(db, request.request_id)) == 1


class TestRetries:
    async def test_a_timeout_is_retried_with_the_same_idempotency_key(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        path = f"/flaky/{uuid7()}"
        request, delivery = new_request(uuid7(), receiver.url(path), timeout_seconds=1, max_retries=2)

        await harness.handle(delivery)

        calls = receiver.calls_to(path)
        assert len(calls) == 2
        assert {c.headers["idempotency-key"] for c in calls} == {str(request.task_instance_id)}
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.succeeded"
        assert result["data"]["output"] == {"ok": True, "tries": "several"}

    async def test_500s_until_retries_are_spent_fail_with_status_and_excerpt(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/status/500"), max_retries=2)
        before = len(receiver.calls_to("/status/500"))

        await harness.handle(delivery)

        assert len(receiver.calls_to("/status/500")) - before == 3
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert result["data"]["status_code"] == 500
        assert result["data"]["body_excerpt"].startswith('{"error": "boom"}')
        assert len(result["data"]["body_excerpt"]) == 500
        assert "3 calls" in result["data"]["error"]

    async def test_the_settings_default_applies_when_the_task_names_no_maximum(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True, default_max_retries=1)
        request, delivery = new_request(uuid7(), receiver.url("/status/503"))
        before = len(receiver.calls_to("/status/503"))

        await harness.handle(delivery)

        assert len(receiver.calls_to("/status/503")) - before == 2
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"

    async def test_a_4xx_fails_at_once(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/status/400"), max_retries=3)
        before = len(receiver.calls_to("/status/400"))

        await harness.handle(delivery)

        assert len(receiver.calls_to("/status/400")) - before == 1
        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert result["data"]["status_code"] == 400

    async def test_a_429_is_retried(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/status/429"), max_retries=1)
        before = len(receiver.calls_to("/status/429"))

        await harness.handle(delivery)

        assert len(receiver.calls_to("/status/429")) - before == 2
        [result] = await results(db, request.request_id)
        assert result["data"]["status_code"] == 429


class TestResponseLimits:
    async def test_an_oversized_response_fails(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True, max_response_bytes=10_000)
        request, delivery = new_request(uuid7(), receiver.url("/big"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert "larger than 10000 bytes" in result["data"]["error"]

    async def test_a_broken_output_transform_fails_without_retrying(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), receiver.url("/echo"), output_transform="{ broken")

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert "output_transform" in result["data"]["error"]
