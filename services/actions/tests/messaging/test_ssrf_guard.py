"""The SSRF guard in the runner: private targets are refused before any byte is sent, unless
the company's allowlist permits them; redirects are never followed."""

from uuid import UUID

import pytest

from actions.allowlist.schemas import AllowlistEntryCreate
from actions.allowlist.service import add_entry
from common.db import Database
from contracts.ids import uuid7

from ..conftest import Receiver, RequestFactory, ResolverFactory, ResultsReader, RunnerFactory


async def _allow(db: Database, company: UUID, entry: str) -> None:
    async with db.unit_of_work(company) as uow:
        await add_entry(uow.session, company, AllowlistEntryCreate(entry=entry))


class TestRefusedTargets:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:{port}/echo",
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:127.0.0.1]:{port}/echo",
            "http://[::1]:{port}/echo",
            "http://0.0.0.0:{port}/echo",
        ],
    )
    async def test_a_private_address_is_refused(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        url: str,
    ) -> None:
        harness = await make_runner()
        before = len(receiver.received)
        request, delivery = new_request(uuid7(), url.format(port=receiver.port))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert "refused" in result["data"]["error"]
        assert len(receiver.received) == before

    async def test_a_host_name_resolving_to_loopback_is_refused(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        resolver_for: ResolverFactory,
    ) -> None:
        harness = await make_runner(resolver=resolver_for({"innocent.example.com": "127.0.0.1"}))
        before = len(receiver.received)
        request, delivery = new_request(uuid7(), receiver.url("/echo", host="innocent.example.com"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert "127.0.0.1" in result["data"]["error"]
        assert len(receiver.received) == before

    @pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
    async def test_only_http_and_https_are_called(
        self,
        db: Database,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        url: str,
    ) -> None:
        harness = await make_runner(allow_private_targets=True)
        request, delivery = new_request(uuid7(), url)

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert "only http and https" in result["data"]["error"]

    async def test_a_redirect_to_a_private_address_is_not_followed(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        company = uuid7()
        await _allow(db, company, "127.0.0.1/32")
        harness = await make_runner()
        request, delivery = new_request(company, receiver.url("/redirect"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
        assert result["data"]["status_code"] == 302
        assert "redirects are not followed" in result["data"]["error"]
        assert len(receiver.calls_to("/latest/meta-data/")) == 0


class TestAllowlist:
    async def test_an_allowlisted_cidr_lets_the_call_through(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        company = uuid7()
        await _allow(db, company, "127.0.0.0/8")
        harness = await make_runner()
        request, delivery = new_request(company, receiver.url("/echo"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.succeeded"

    async def test_an_allowlisted_host_connects_to_the_address_that_was_checked(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
        resolver_for: ResolverFactory,
    ) -> None:
        company = uuid7()
        await _allow(db, company, "erp.internal")
        harness = await make_runner(resolver=resolver_for({"erp.internal": "127.0.0.1"}))
        request, delivery = new_request(company, receiver.url("/echo", host="erp.internal"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.succeeded"
        [call] = [
            c
            for c in receiver.calls_to("/echo")
            if c.headers["idempotency-key"] == str(request.task_instance_id)
        ]
        assert call.headers["host"] == f"erp.internal:{receiver.port}"

    async def test_another_companys_allowlist_does_not_count(
        self,
        db: Database,
        receiver: Receiver,
        make_runner: RunnerFactory,
        new_request: RequestFactory,
        results: ResultsReader,
    ) -> None:
        await _allow(db, uuid7(), "127.0.0.0/8")
        harness = await make_runner()
        request, delivery = new_request(uuid7(), receiver.url("/echo"))

        await harness.handle(delivery)

        [result] = await results(db, request.request_id)
        assert result["type"] == "action.failed"
