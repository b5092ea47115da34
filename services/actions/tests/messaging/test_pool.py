"""The runners' pool on a database of its own (committed, not rolled back, so many jobs run at
once) against the real HTTP receiver: fairness between companies, in-flight caps, scheduled
retries, and the one idempotency key of a task instance."""

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, select, text, update

from actions.config import ActionsSettings
from actions.consumers import build_consumer
from actions.models import ActionJob, QueuedJob
from actions.runner.pool import ActionPool
from actions.runner.repository import ActionQueueRepository
from actions.runner.service import ActionRunner, CallOutcome, Prepared
from common.consumer import Delivery, EventConsumer
from common.db import Database, driver_statement_listeners
from contracts.engine import ActionRequested
from contracts.envelope import Envelope
from contracts.ids import uuid7

from ..conftest import Receiver, action_request, results_in, tuned_settings

NewRequest = Callable[..., tuple[ActionRequested, Delivery]]


@pytest.fixture
async def committed_db(settings: ActionsSettings) -> AsyncIterator[Database]:
    database = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=20)
    yield database
    # Whatever a test left queued must not be taken by the next test's pool.
    async with database.unit_of_work() as uow:
        await uow.session.execute(text("DELETE FROM actions.action_queue"))
    await database.dispose()


class Pool:
    def __init__(self, db: Database, settings: ActionsSettings, **overrides: Any) -> None:
        self.db = db
        self.settings = tuned_settings(settings, allow_private_targets=True, **overrides)
        self.runner = ActionRunner(self.settings)
        self.consumer: EventConsumer = build_consumer(db, self.settings, self.runner)
        self.pool = ActionPool(db, self.runner)
        self._loop: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop = asyncio.create_task(self.pool.run())

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        await self.runner.aclose()

    async def feed(self, company: UUID, url: str, **overrides: Any) -> ActionRequested:
        request, delivery = action_request(company, url, **overrides)
        await self.consumer.handle(delivery)
        return request

    async def results(self, requests: list[ActionRequested]) -> list[dict[str, Any]]:
        found = []
        for request in requests:
            found += await results_in(self.db, request.request_id)
        return [r for r in found if r["type"] != "action.started"]

    async def wait_for(self, requests: list[ActionRequested], within: float = 60.0) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        async def all_answered() -> bool:
            nonlocal found
            found = await self.results(requests)
            return len(found) == len(requests)

        await until(all_answered, within)
        return found


async def until(condition: Callable[[], Awaitable[bool]], within: float = 60.0) -> None:
    """Poll a condition that no event announces (rows in another connection, a server's log)."""
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if await condition():
                return
            await asyncio.sleep(0.02)


@pytest.fixture
async def make_pool(committed_db: Database, settings: ActionsSettings) -> AsyncIterator[Callable[..., Pool]]:
    made: list[Pool] = []

    def make(**overrides: Any) -> Pool:
        made.append(Pool(committed_db, settings, **overrides))
        return made[-1]

    yield make
    for pool in made:
        await pool.close()


class TestFairness:
    async def test_a_slow_company_does_not_delay_another(
        self, make_pool: Callable[..., Pool], receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=8, company_max_in_flight=4)
        runners.start()
        slow, quick = uuid7(), uuid7()
        slow_path = f"/gauge/{uuid7().hex}/3000"
        stuck = [await runners.feed(slow, receiver.url(slow_path)) for _ in range(12)]
        answered = [await runners.feed(quick, receiver.url("/echo")) for _ in range(3)]

        done = await runners.wait_for(answered)

        # Every one of the quick company's actions was answered while the slow company's
        # first calls were still under way, and the slow company never held more than its cap.
        assert [r["type"] for r in done] == ["action.succeeded"] * 3
        assert await runners.results(stuck) == []
        assert receiver.peak[slow_path.split("/")[2]] == 4
        await runners.wait_for(stuck)


class TestInFlight:
    async def test_a_company_never_has_more_calls_in_flight_than_its_cap(
        self, make_pool: Callable[..., Pool], receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=8, company_max_in_flight=3)
        runners.start()
        tag = uuid7().hex
        company = uuid7()
        requests = [await runners.feed(company, receiver.url(f"/gauge/{tag}/300")) for _ in range(10)]

        done = await runners.wait_for(requests)

        assert [r["type"] for r in done] == ["action.succeeded"] * 10
        assert receiver.peak[tag] == 3

    async def test_many_calls_are_in_flight_at_once_up_to_the_process_limit(
        self, make_pool: Callable[..., Pool], receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=6, company_max_in_flight=4)
        tag = uuid7().hex
        requests = [
            await runners.feed(company, receiver.url(f"/gauge/{tag}/500"))
            for company in (uuid7(), uuid7(), uuid7())
            for _ in range(4)
        ]
        runners.start()

        done = await runners.wait_for(requests)

        assert [r["type"] for r in done] == ["action.succeeded"] * 12
        assert receiver.peak[tag] == 6


class TestScheduledRetries:
    async def test_the_consumer_only_records_the_job_and_a_retry_waits_on_the_queue(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool(backoff_base_seconds=30.0, backoff_max_seconds=30.0)
        company = uuid7()
        path = f"/status/503/{uuid7().hex}"
        request = await runners.feed(company, receiver.url(path), max_retries=2)
        assert receiver.calls_to(path) == []

        assert await runners.pool.fill() == 1

        async def call_settled() -> bool:
            return runners.pool.running == 0

        await until(call_settled)

        assert len(receiver.calls_to(path)) == 1
        async with committed_db.unit_of_work(company) as uow:
            job = await uow.session.scalar(
                select(ActionJob).where(ActionJob.task_instance_id == request.task_instance_id)
            )
            queued = await uow.session.scalar(
                select(QueuedJob).where(QueuedJob.task_instance_id == request.task_instance_id)
            )
            later = await uow.session.scalar(
                select(QueuedJob.due_at > text("clock_timestamp() + interval '2 seconds'")).where(
                    QueuedJob.task_instance_id == request.task_instance_id
                )
            )
        assert job is not None
        assert (job.status, job.http_calls, job.last_status) == ("queued", 1, 503)
        assert queued is not None
        assert queued.lease_owner is None
        assert later is True
        # Nothing is due, so another take finds nothing: the retry waits for its time.
        assert await runners.pool.fill() == 0
        assert await runners.results([request]) == []


class TestIdempotencyKey:
    async def test_every_attempt_and_retry_of_a_task_carries_the_one_key(
        self, make_pool: Callable[..., Pool], receiver: Receiver
    ) -> None:
        runners = make_pool()
        runners.start()
        company, task = uuid7(), uuid7()
        path = f"/status/500/{uuid7().hex}"
        first = await runners.feed(
            company, receiver.url(path), task_instance_id=task, attempt=1, max_retries=1
        )
        [failed] = await runners.wait_for([first])
        second = await runners.feed(
            company, receiver.url(path), task_instance_id=task, attempt=2, max_retries=1
        )
        [failed_again] = await runners.wait_for([second])
        # The first attempt again (a redelivery, or a resend by the engine's deadline): done.
        await runners.feed(
            company, receiver.url(path), task_instance_id=task, attempt=1, request_id=first.request_id
        )
        await runners.pool.drain()

        calls = receiver.calls_to(path)
        assert len(calls) == 4
        assert {c.headers["idempotency-key"] for c in calls} == {str(task)}
        assert (failed["data"]["attempt"], failed_again["data"]["attempt"]) == (1, 2)

    async def test_a_newer_attempt_while_the_first_is_in_flight_adds_no_call(
        self, make_pool: Callable[..., Pool], receiver: Receiver
    ) -> None:
        runners = make_pool()
        runners.start()
        company, task = uuid7(), uuid7()
        path = f"/slow/1500/{uuid7().hex}"
        first = await runners.feed(company, receiver.url(path), task_instance_id=task, attempt=1)

        async def called() -> bool:
            return bool(receiver.calls_to(path))

        await until(called)

        second = await runners.feed(company, receiver.url(path), task_instance_id=task, attempt=2)
        [result] = await runners.wait_for([second])

        assert len(receiver.calls_to(path)) == 1
        # The one call answers the newest attempt, which the engine waits for.
        assert (result["data"]["request_id"], result["data"]["attempt"]) == (str(second.request_id), 2)
        assert await runners.results([first]) == []


class Statements:
    """The transactions committed and the statements run on a database while it listens."""

    def __init__(self, db: Database) -> None:
        assert db.engine is not None
        self.engine = db.engine.sync_engine
        self.commits = 0
        self.statements: list[str] = []

    def _on_commit(self, conn: Any) -> None:
        self.commits += 1

    def _on_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(" ".join(statement.split()))

    def _on_driver_statement(self, statement: str) -> None:
        self.statements.append(" ".join(statement.split()))

    def __enter__(self) -> "Statements":
        event.listen(self.engine, "commit", self._on_commit)
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        driver_statement_listeners.append(self._on_driver_statement)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "commit", self._on_commit)
        event.remove(self.engine, "before_cursor_execute", self._on_execute)
        driver_statement_listeners.remove(self._on_driver_statement)

    def count(self, prefix: str) -> int:
        return sum(1 for statement in self.statements if statement.startswith(prefix))


async def take_all(pool: ActionPool, db: Database) -> list[Prepared]:
    """Claim and take every due job, as a fill does, without starting the calls."""
    async with db.unit_of_work() as uow:
        claims = await ActionQueueRepository(uow.session).claim(pool.owner, busy={}, company_cap=32, free=64)
        return await pool.runner.take(uow, claims, pool.owner)


async def job_of(db: Database, company: UUID, task: UUID) -> tuple[ActionJob | None, QueuedJob | None]:
    async with db.unit_of_work(company) as uow:
        job = await uow.session.scalar(select(ActionJob).where(ActionJob.task_instance_id == task))
        queued = await uow.session.scalar(select(QueuedJob).where(QueuedJob.task_instance_id == task))
        return job, queued


def answered(prepared: Prepared) -> CallOutcome:
    return CallOutcome(ok=True, status_code=200, output={"n": str(prepared.claim.task_instance_id)})


class TestBatching:
    async def test_one_fill_takes_the_jobs_of_two_companies_in_one_transaction(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool()
        first, second = uuid7(), uuid7()
        # Calls that take a while: the jobs are still running (not yet settled) when looked at.
        slow = f"/slow/500/{uuid7().hex}"
        requests = {
            company: [await runners.feed(company, receiver.url(slow)) for _ in range(3)]
            for company in (first, second)
        }

        with Statements(committed_db) as seen:
            assert await runners.pool.fill() == 6

        # The claim and both companies' takes commit together, one take statement per company.
        assert seen.commits == 1
        assert seen.count("UPDATE actions.action_jobs") == 2
        for company, company_requests in requests.items():
            for request in company_requests:
                job, queued = await job_of(committed_db, company, request.task_instance_id)
                assert job is not None
                assert queued is not None
                assert (job.status, job.http_calls) == ("running", 1)
                assert queued.lease_owner == runners.pool.owner
        done = await runners.wait_for([r for rs in requests.values() for r in rs])
        assert [r["type"] for r in done] == ["action.succeeded"] * 6

    async def test_results_that_arrive_together_are_written_in_one_transaction_per_company(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool()
        first, second = uuid7(), uuid7()
        requests = [await runners.feed(company, receiver.url("/echo")) for company in (first, second) * 3]
        prepared = await take_all(runners.pool, committed_db)
        assert len(prepared) == 6

        with Statements(committed_db) as seen:
            written = await asyncio.gather(
                *(runners.pool.settle(runners.runner.settlement(p, answered(p))) for p in prepared)
            )

        assert written == [True] * 6
        assert seen.commits == 2
        assert seen.count("WITH r AS") == 2
        done = await runners.results(requests)
        assert sorted(r["data"]["task_instance_id"] for r in done) == sorted(
            str(r.task_instance_id) for r in requests
        )
        assert {r["type"] for r in done} == {"action.succeeded"}
        assert {r["data"]["output"]["n"] for r in done} == {str(r.task_instance_id) for r in requests}
        for request, company in zip(requests, (first, second) * 3, strict=True):
            job, queued = await job_of(committed_db, company, request.task_instance_id)
            assert job is not None
            assert job.status == "succeeded"
            assert queued is None

    async def test_a_lease_lost_in_a_batch_leaves_the_others_recorded(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool()
        company = uuid7()
        requests = [await runners.feed(company, receiver.url("/echo")) for _ in range(3)]
        prepared = await take_all(runners.pool, committed_db)
        lost = requests[1].task_instance_id
        # Its lease ran out and another runner took the job over.
        async with committed_db.unit_of_work() as uow:
            await uow.session.execute(
                update(QueuedJob)
                .where(QueuedJob.task_instance_id == lost)
                .values(lease_owner="another runner")
            )

        written = await asyncio.gather(
            *(runners.pool.settle(runners.runner.settlement(p, answered(p))) for p in prepared)
        )

        assert dict(zip((p.claim.task_instance_id for p in prepared), written, strict=True)) == {
            r.task_instance_id: r.task_instance_id != lost for r in requests
        }
        done = await runners.results(requests)
        assert sorted(r["data"]["task_instance_id"] for r in done) == sorted(
            str(r.task_instance_id) for r in requests if r.task_instance_id != lost
        )
        # The job taken over is the other runner's to settle: still running, still queued to it.
        job, queued = await job_of(committed_db, company, lost)
        assert job is not None
        assert job.status == "running"
        assert queued is not None
        assert queued.lease_owner == "another runner"

    async def test_retries_and_results_of_one_batch_are_written_together(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool(backoff_base_seconds=30.0, backoff_max_seconds=30.0)
        company = uuid7()
        retried, succeeded = [
            await runners.feed(company, receiver.url("/echo"), max_retries=2) for _ in range(2)
        ]
        by_task = {p.claim.task_instance_id: p for p in await take_all(runners.pool, committed_db)}
        unavailable = CallOutcome(ok=False, status_code=503, error="the action answered 503", retryable=True)

        with Statements(committed_db) as seen:
            written = await asyncio.gather(
                runners.pool.settle(
                    runners.runner.settlement(by_task[retried.task_instance_id], unavailable)
                ),
                runners.pool.settle(
                    runners.runner.settlement(
                        by_task[succeeded.task_instance_id], answered(by_task[succeeded.task_instance_id])
                    )
                ),
            )

        assert list(written) == [True, True]
        assert seen.commits == 1
        job, queued = await job_of(committed_db, company, retried.task_instance_id)
        assert job is not None
        assert (job.status, job.http_calls, job.last_status) == ("queued", 1, 503)
        assert queued is not None
        assert queued.lease_owner is None
        job, queued = await job_of(committed_db, company, succeeded.task_instance_id)
        assert job is not None
        assert job.status == "succeeded"
        assert queued is None
        assert [r["type"] for r in await runners.results([retried, succeeded])] == ["action.succeeded"]

    async def test_a_stopping_pool_writes_the_results_it_holds_and_hands_back_the_rest(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool()
        company = uuid7()
        answered_one, unanswered = [await runners.feed(company, receiver.url("/echo")) for _ in range(2)]
        by_task = {p.claim.task_instance_id: p for p in await take_all(runners.pool, committed_db)}
        first = by_task[answered_one.task_instance_id]
        waiting = asyncio.create_task(runners.pool.settle(runners.runner.settlement(first, answered(first))))
        await asyncio.sleep(0)

        await runners.pool.stop()

        async with asyncio.timeout(10):
            assert await waiting is True
        assert [r["type"] for r in await runners.results([answered_one])] == ["action.succeeded"]
        job, queued = await job_of(committed_db, company, answered_one.task_instance_id)
        assert job is not None
        assert job.status == "succeeded"
        assert queued is None
        # The job whose call had not returned is due again at once, for any runner.
        job, queued = await job_of(committed_db, company, unanswered.task_instance_id)
        assert job is not None
        assert job.status == "running"
        assert queued is not None
        assert queued.lease_owner is None


class TestTakenAsRecorded:
    async def test_a_job_recorded_with_a_slot_free_is_taken_in_the_recording_transaction(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool()
        company = uuid7()
        # The consumer may take jobs into the pool's slots; no fill runs beside it, so every
        # transaction counted is the action's own.
        runners.pool.offer_slots()
        path = f"/slow/300/{uuid7().hex}"

        with Statements(committed_db) as seen:
            request = await runners.feed(company, receiver.url(path))
            # Taken and handed to the pool as the recording transaction committed.
            assert seen.commits == 1
            assert runners.pool.running == 1
            job, queued = await job_of(committed_db, company, request.task_instance_id)
            assert job is not None
            assert queued is not None
            assert (job.status, job.http_calls) == ("running", 1)
            assert queued.lease_owner == runners.pool.owner
            read = seen.commits

            async def settled() -> bool:
                return runners.pool.running == 0

            await until(settled)
            # One transaction more, the settle: no claim, no take, no re-read of the job.
            assert seen.commits - read == 1
            assert seen.count("WITH busy AS") == 0
            assert seen.count("UPDATE actions.action_jobs") == 0

        assert [r["type"] for r in await runners.results([request])] == ["action.succeeded"]
        assert len(receiver.calls_to(path)) == 1
        job, queued = await job_of(committed_db, company, request.task_instance_id)
        assert job is not None
        assert (job.status, job.http_calls) == ("succeeded", 1)
        assert queued is None
        assert runners.pool.in_flight == {}

    async def test_a_company_at_its_cap_or_a_full_pool_leaves_the_job_queued_for_a_fill(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=2, company_max_in_flight=1, pool_poll_seconds=600.0)
        capped, other, third = uuid7(), uuid7(), uuid7()
        runners.pool.offer_slots()
        tag = uuid7().hex
        first = await runners.feed(capped, receiver.url(f"/gauge/{tag}/800"))
        waiting = await runners.feed(capped, receiver.url(f"/gauge/{tag}/800"))
        beside = await runners.feed(other, receiver.url(f"/gauge/{tag}/800"))
        behind = await runners.feed(third, receiver.url(f"/gauge/{tag}/800"))

        # The capped company's second job and the job that found the pool full wait on the
        # queue, untaken; the other company's job was taken beside the capped one.
        assert runners.pool.running == 2
        for request, company, status in (
            (first, capped, "running"),
            (waiting, capped, "queued"),
            (beside, other, "running"),
            (behind, third, "queued"),
        ):
            job, queued = await job_of(committed_db, company, request.task_instance_id)
            assert job is not None
            assert queued is not None
            assert (job.status, job.http_calls) == (status, 1 if status == "running" else 0)
            assert queued.lease_owner == (runners.pool.owner if status == "running" else None)

        # Freed slots start the fills that take them, with no poll.
        runners.start()
        done = await runners.wait_for([first, waiting, beside, behind], within=20.0)
        assert [r["type"] for r in done] == ["action.succeeded"] * 4
        assert receiver.peak[tag] == 2
        assert runners.pool.in_flight == {}

    async def test_a_recording_that_does_not_commit_gives_its_slot_back(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=1, pool_poll_seconds=600.0)
        company = uuid7()
        runners.pool.offer_slots()
        lost, delivery = action_request(company, receiver.url("/echo"))
        envelope = Envelope.model_validate_json(delivery.body)

        async def record_then_fail() -> None:
            async with committed_db.unit_of_work(company) as uow:
                await runners.runner.handle(lost, envelope, uow)
                raise RuntimeError("the batch failed after this handler")

        with pytest.raises(RuntimeError):
            await record_then_fail()

        assert runners.pool.running == 0
        assert runners.pool.in_flight == {}
        job, queued = await job_of(committed_db, company, lost.task_instance_id)
        assert (job, queued) == (None, None)
        # The one slot is free again: the next job is taken as it is recorded.
        request = await runners.feed(company, receiver.url("/echo"))
        assert runners.pool.running == 1
        [result] = await runners.wait_for([request])
        assert result["type"] == "action.succeeded"
        keys = {c.headers["idempotency-key"] for c in receiver.calls_to("/echo")}
        assert str(request.task_instance_id) in keys
        assert str(lost.task_instance_id) not in keys

    async def test_a_redelivered_or_newer_request_of_a_live_job_gives_its_slot_back(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        runners = make_pool(max_in_flight=2, pool_poll_seconds=600.0)
        company, task = uuid7(), uuid7()
        runners.pool.offer_slots()
        path = f"/slow/600/{uuid7().hex}"
        first = await runners.feed(company, receiver.url(path), task_instance_id=task, attempt=1)
        second = await runners.feed(company, receiver.url(path), task_instance_id=task, attempt=2)

        # The live job answers for the newer attempt; the slot reserved for it was given back.
        assert runners.pool.running == 1
        assert runners.pool.in_flight == {company: 1}
        [result] = await runners.wait_for([second])
        assert result["data"]["attempt"] == 2
        assert await runners.results([first]) == []
        assert len(receiver.calls_to(path)) == 1

    async def test_a_job_taken_as_recorded_by_a_runner_that_stalls_is_taken_over_with_its_key(
        self, make_pool: Callable[..., Pool], committed_db: Database, receiver: Receiver
    ) -> None:
        stalled = make_pool(pool_poll_seconds=600.0)
        company = uuid7()
        stalled.pool.offer_slots()
        path = f"/slow/1500/{uuid7().hex}"
        request = await stalled.feed(company, receiver.url(path))
        assert stalled.pool.running == 1
        # Its lease runs out (as when its process has died mid-call).
        async with committed_db.unit_of_work() as uow:
            await uow.session.execute(
                update(QueuedJob)
                .where(QueuedJob.task_instance_id == request.task_instance_id)
                .values(due_at=text("clock_timestamp()"))
            )
        other = make_pool()

        assert await other.pool.fill() == 1
        found = await other.wait_for([request])

        assert [r["type"] for r in found] == ["action.succeeded"]
        started_events = [
            r for r in await results_in(committed_db, request.request_id) if r["type"] == "action.started"
        ]
        assert len(started_events) == 1
        calls = receiver.calls_to(path)
        assert len(calls) == 2
        assert {c.headers["idempotency-key"] for c in calls} == {str(request.task_instance_id)}

        async def stalled_settled() -> bool:
            return stalled.pool.running == 0

        await until(stalled_settled)
        # The stalled runner's late answer is not recorded: the job is the other runner's.
        assert [r["type"] for r in await stalled.results([request])] == ["action.succeeded"]
