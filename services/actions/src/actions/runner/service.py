"""Action requests, from the consumer to the receiving system and back.

The consumer records each request as its task's job (`handle`), in the transaction that marks
the event handled, and makes no call; when this process's pool has a slot free for the company,
that transaction also takes the job, which the pool calls once it commits. Otherwise runners
(`ActionPool`) take due jobs from the queue. Each take makes one call, with
no transaction open during it: the jobs of one claim are taken together in its transaction
(`take`: hold each, count its call, tell the engine when it was taken late), and what the calls
came to is written in batches (`settle`), each either scheduling the next try (its due time on
the queue, never a sleep) or recording the one result with its outbox event. Every call of a
task instance carries the same idempotency key, whichever attempt, retry or runner makes it."""

import asyncio
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from actions.allowlist.service import allowlist_for
from actions.callbacks.repository import CallbackRepository
from actions.callbacks.service import open_callback
from actions.config import ActionsSettings
from actions.models import JobStatus
from actions.runner.client import CallResponse, OutboundClient
from actions.runner.guard import Allowlist, Resolver, TargetRefused, check_target, system_resolver
from actions.runner.metrics import RunnerMetrics
from actions.runner.repository import ActionJobRepository, Claim, JobResult, JobRetry, TakenJob
from actions.runner.retry import backoff_delay, call_budget, is_retryable_status, retry_after_seconds
from actions.runner.schemas import ActionMetricsRead, ConsumerLag, HostMetrics
from actions.runner.transforms import TransformError, apply_transform, as_output
from actions.signing.service import signing_secrets
from actions.signing.webhooks import signature_headers
from common.consumer import PoisonMessage
from common.db import UnitOfWork
from common.telemetry import current_traceparent
from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionStarted, ActionSucceeded
from contracts.engine import ActionRequested
from contracts.envelope import Envelope, EventPayload

log = logging.getLogger(__name__)

EXCERPT_BYTES = 500
USER_AGENT = "TicketFlower-Actions/1"


@dataclass
class CallOutcome:
    """What a call (or the calls of an attempt) came to."""

    ok: bool
    output: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    status_code: int | None = None
    body_excerpt: str | None = None
    # Worth another call: a timeout, a connection failure, 408, 429 or a 5xx.
    retryable: bool = False
    retry_after: float | None = None


@dataclass
class Prepared:
    """A taken job, ready for its call outside any transaction."""

    claim: Claim
    request: ActionRequested
    host: str
    secrets: list[str]
    allowlist: Allowlist
    answer_by: datetime
    calls: int
    max_calls: int
    callback_id: UUID | None = None
    callback_url: str | None = None
    expires_at: datetime | None = None


class Slot(Protocol):
    """One call's place in the pool, reserved while the transaction recording a job runs."""

    # The runner that takes the job (its leases carry this name).
    owner: str
    # The job taken in that transaction, ready for its call; None when none was.
    prepared: Prepared | None

    def commit(self) -> None:
        """The transaction committed: start the call of the job taken, else give the slot back."""

    def release(self) -> None:
        """The transaction did not commit: give the slot back."""


class Slots(Protocol):
    """The pool as the consumer sees it."""

    def reserve(self, company_id: UUID) -> Slot | None:
        """A slot for one of the company's calls, if the pool and the company's cap have one."""


@dataclass
class Settlement:
    """What one call came to, for the settle that writes it: the next try, due in `retry_in`
    seconds, or (None) the job's result."""

    prepared: Prepared
    outcome: CallOutcome
    retry_in: float | None = None


def action_host(url: str) -> str:
    try:
        return httpx.URL(url).host.lower() or "invalid"
    except (httpx.InvalidURL, ValueError):
        return "invalid"


def idempotency_key(task_instance_id: UUID) -> str:
    """The one key a receiving system sees for a task instance: every attempt the engine sends,
    every retry and every runner that takes the job over carries it."""
    return str(task_instance_id)


def _excerpt(body: bytes) -> str:
    return body[:EXCERPT_BYTES].decode(errors="replace")


def _traceparent() -> str:
    return current_traceparent() or f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-01"


def _stored_request(stored: str | bytes | dict[str, Any] | ActionRequested) -> ActionRequested:
    if isinstance(stored, ActionRequested):
        return stored
    if isinstance(stored, dict):
        return ActionRequested.model_validate(stored)
    return ActionRequested.model_validate_json(stored)


def _stored_error(error: str | None) -> str | None:
    return error[:4000] if error else None


def _request_body(data: Any, callback_url: str | None) -> Any:
    if callback_url is None:
        return data
    if isinstance(data, dict):
        return {**data, "callback_url": callback_url}
    return {"input": data, "callback_url": callback_url}


class ActionRunner:
    """One per process: the pooled client, the metrics, and what each step of a job does."""

    def __init__(self, settings: ActionsSettings, *, resolver: Resolver | None = None) -> None:
        self.settings = settings
        self.resolver = resolver or system_resolver
        self.client = OutboundClient(
            max_connections=settings.http_max_connections,
            max_keepalive=settings.http_max_keepalive,
            max_response_bytes=settings.max_response_bytes,
        )
        self.metrics = RunnerMetrics()
        self._companies: dict[UUID, tuple[float, list[str], Allowlist]] = {}
        # Set when a job is queued or a slot frees, so the pool takes work at once instead of
        # at its next poll.
        self.wakeup = asyncio.Event()
        # This process's pool while it runs: the consumer takes a job straight into a free slot.
        self.slots: Slots | None = None

    async def aclose(self) -> None:
        await self.client.aclose()

    # -- the consumer -------------------------------------------------------------------------

    async def handle(self, request: ActionRequested, envelope: Envelope, uow: UnitOfWork) -> None:
        """Record the request as its task's job, in the consumer's transaction. No call here.
        When this process's pool has a slot free for the company, the job is also taken in this
        transaction, as a claim and a take would, and handed to the pool once it commits: one
        transaction less, and no read of what was just written."""
        company_id = envelope.company_id
        if company_id is None:
            raise PoisonMessage("an action request must name its company")
        host = action_host(request.action_url)
        slot = self.slots.reserve(company_id) if self.slots is not None else None
        if slot is not None:
            # However the transaction ends, the slot is filled or given back once it has.
            uow.after_rollback(slot.release)
            uow.after_commit(slot.commit)
        recorded = await ActionJobRepository(uow.session, company_id).enqueue(
            request,
            host,
            budget_seconds=self.budget(request),
            lease_seconds=self._timeout(request) + self.settings.lease_margin_seconds,
            owner=slot.owner if slot is not None else None,
        )
        if slot is not None and recorded.taken_answer_by is not None:
            job = TakenJob(
                request=request,
                request_id=request.request_id,
                workflow_instance_id=request.workflow_instance_id,
                task_instance_id=request.task_instance_id,
                attempt=request.attempt,
                host=host[:255],
                http_calls=1,
                answer_by=recorded.taken_answer_by,
                deadline_at=request.deadline_at,
            )
            claim = Claim(company_id, request.task_instance_id, retaken=False)
            ready, events = await self._take_company(uow, company_id, [claim], slot.owner, taken=[job])
            for event in events:
                await uow.publish(event)
            if ready:
                slot.prepared = ready[0]
        elif recorded.queued:
            uow.after_commit(self.wakeup.set)

    # -- one try of a taken job ---------------------------------------------------------------

    def _timeout(self, request: ActionRequested) -> float:
        return float(max(1, min(request.timeout_seconds, self.settings.max_timeout_seconds)))

    def _max_calls(self, request: ActionRequested) -> int:
        retries = (
            request.max_retries if request.max_retries is not None else self.settings.default_max_retries
        )
        return max(0, retries) + 1

    def budget(self, request: ActionRequested) -> float:
        settings = self.settings
        return call_budget(
            self._timeout(request),
            self._max_calls(request) - 1,
            base=settings.backoff_base_seconds,
            cap=settings.backoff_max_seconds,
            limit=settings.request_budget_seconds,
        )

    async def _company(self, session: AsyncSession, company_id: UUID) -> tuple[list[str], Allowlist]:
        """The company's signing secrets and allowlist, read at most every few seconds: a
        rotated secret or a removed entry applies within `company_cache_seconds` (the previous
        secret stays valid at receivers for a day)."""
        cached = self._companies.get(company_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1], cached[2]
        secrets = await signing_secrets(session, company_id)
        allowlist = await allowlist_for(session, company_id)
        self._companies[company_id] = (
            time.monotonic() + self.settings.company_cache_seconds,
            secrets,
            allowlist,
        )
        return secrets, allowlist

    async def take(self, uow: UnitOfWork, claims: Sequence[Claim], owner: str) -> list[Prepared]:
        """Take the claimed jobs, in the claim's transaction: each company's in one statement.
        Count each call and hold its job; open (and so commit, with this transaction, before the
        call) the callback of an ASYNC_ACTION, since a receiver may post it before the call
        returns. When the claim spans companies, each company's take is a savepoint of its own,
        so one company's failure leaves the others' jobs taken (its own wait for their leases).
        Returns the jobs ready for their calls."""
        by_company: dict[UUID, list[Claim]] = {}
        for claim in claims:
            by_company.setdefault(claim.company_id, []).append(claim)
        ready: list[Prepared] = []
        for company_id, company_claims in by_company.items():
            await uow.set_company(company_id)
            if len(by_company) == 1:
                prepared, events = await self._take_company(uow, company_id, company_claims, owner)
            else:
                try:
                    async with uow.session.begin_nested():
                        prepared, events = await self._take_company(uow, company_id, company_claims, owner)
                except Exception:
                    log.exception(
                        "taking the jobs of company %s failed; their leases will run out", company_id
                    )
                    continue
            for event in events:
                await uow.publish(event)
            ready += prepared
        return ready

    async def _take_company(
        self,
        uow: UnitOfWork,
        company_id: UUID,
        claims: Sequence[Claim],
        owner: str,
        *,
        taken: Sequence[TakenJob] | None = None,
    ) -> tuple[list[Prepared], list[EventPayload]]:
        """The jobs of one company's claims, and the events their take raises (published by the
        caller once the take has held). `taken`: the jobs, already taken as they were recorded."""
        by_task = {claim.task_instance_id: claim for claim in claims}
        if taken is None:
            jobs = ActionJobRepository(uow.session, company_id)
            taken = await jobs.take(claims)
            gone = by_task.keys() - {job.task_instance_id for job in taken}
            if gone:
                await jobs.dequeue(sorted(gone))
        if not taken:
            return [], []
        secrets, allowlist = await self._company(uow.session, company_id)
        ready: list[Prepared] = []
        ended: list[Settlement] = []
        events: list[EventPayload] = []
        for job in taken:
            claim = by_task[job.task_instance_id]
            try:
                request = _stored_request(job.request)
            except ValueError:
                # Its lease runs out and it is taken again (its calls are counted meanwhile).
                log.exception("the stored request of task %s cannot be read", job.task_instance_id)
                continue
            max_calls = self._max_calls(request)
            prepared = Prepared(
                claim=claim,
                request=request,
                host=job.host,
                secrets=secrets,
                allowlist=allowlist,
                answer_by=job.answer_by,
                calls=job.http_calls,
                max_calls=max_calls,
            )
            if job.http_calls > max_calls:
                # The runner making the last permitted call died: that call may have reached the
                # receiver, and no further one is allowed.
                error = f"no answer after {max_calls} calls (the runner stopped)"
                ended.append(Settlement(prepared, CallOutcome(ok=False, error=error)))
                continue
            if request.task_type == "ASYNC_ACTION":
                callback, prepared.callback_url = await open_callback(
                    uow.session, self.settings, company_id, request
                )
                prepared.callback_id, prepared.expires_at = callback.id, callback.expires_at
                if callback.used_at is not None:
                    ended.append(Settlement(prepared, CallOutcome(ok=True)))
                    continue
            fresh = claim.retaken or job.http_calls == 1
            late = job.deadline_at is not None and job.answer_by > job.deadline_at
            if fresh and (claim.retaken or late):
                events.append(
                    ActionStarted(
                        request_id=job.request_id,
                        workflow_instance_id=job.workflow_instance_id,
                        task_instance_id=job.task_instance_id,
                        attempt=job.attempt,
                        answer_by=job.answer_by,
                    )
                )
            ready.append(prepared)
        if ended:
            # Claimed in this transaction, so none of them can have been taken over.
            _, results = await self._record(uow, company_id, owner, ended)
            events += results
        return ready, events

    async def call(self, prepared: Prepared) -> CallOutcome:
        """One signed call to the checked target; no transaction is open."""
        settings = self.settings
        request, host = prepared.request, prepared.host
        try:
            data = apply_transform(
                request.input_transform,
                request.workflow_data,
                timeout_ms=settings.transform_timeout_ms,
                max_depth=settings.transform_max_depth,
            )
            body = json.dumps(_request_body(data, prepared.callback_url), separators=(",", ":")).encode()
        except TransformError as exc:
            return CallOutcome(ok=False, error=f"input_transform failed: {exc}")
        except (TypeError, ValueError) as exc:
            return CallOutcome(ok=False, error=f"input_transform result is not JSON: {exc}")
        try:
            target = await check_target(
                request.action_url,
                prepared.allowlist,
                allow_private=settings.allow_private_targets,
                resolver=self.resolver,
            )
        except TargetRefused as exc:
            self.metrics.record_call(host, "refused", None)
            return CallOutcome(ok=False, error=f"action URL refused: {exc}")
        timeout = self._timeout(request)
        key = idempotency_key(request.task_instance_id)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "idempotency-key": key,
            "traceparent": _traceparent(),
            **signature_headers(prepared.secrets, key, int(time.time()), body),
        }
        try:
            response = await self.client.post(target, body, headers, timeout)
        except (TimeoutError, httpx.TimeoutException):
            self.metrics.record_call(host, "timeout", timeout)
            return CallOutcome(ok=False, error=f"no answer within {timeout:g}s", retryable=True)
        except httpx.HTTPError as exc:
            self.metrics.record_call(host, "error", None)
            return CallOutcome(
                ok=False, error=f"connection failed: {type(exc).__name__}: {exc}", retryable=True
            )
        self.metrics.record_call(host, f"{response.status // 100}xx", response.elapsed)
        outcome = self._judge(response, request, prepared.callback_url is not None)
        if not outcome.ok and is_retryable_status(response.status):
            outcome.retryable = True
            outcome.retry_after = retry_after_seconds(
                response.headers.get("retry-after"), cap=settings.retry_after_max_seconds
            )
        return outcome

    def settlement(self, prepared: Prepared, outcome: CallOutcome) -> Settlement:
        """What to write for a call's outcome: the next try while calls and budget remain, else
        the result."""
        settings = self.settings
        if outcome.retryable and prepared.calls < prepared.max_calls:
            delay = backoff_delay(
                prepared.calls - 1, base=settings.backoff_base_seconds, cap=settings.backoff_max_seconds
            )
            if outcome.retry_after is not None:
                delay = max(delay, outcome.retry_after)
            fits = datetime.now(UTC) + timedelta(seconds=delay + self._timeout(prepared.request))
            if fits <= prepared.answer_by:
                return Settlement(prepared, outcome, retry_in=delay)
            outcome.error = f"{outcome.error}; retry budget of {settings.request_budget_seconds:g}s spent"
        if outcome.error and prepared.calls > 1:
            outcome.error = f"{outcome.error} (after {prepared.calls} calls)"
        return Settlement(prepared, outcome)

    async def settle(
        self, uow: UnitOfWork, company_id: UUID, owner: str, settlements: Sequence[Settlement]
    ) -> set[UUID]:
        """Write what the calls of one company came to, in its transaction: retries handed back
        to the queue, results recorded with their outbox events. Returns the task instances
        written; a job this runner no longer holds (its lease ran out and another runner took
        it: its result is theirs) is left out and changes nothing, whatever else the batch
        holds."""
        retries = [s for s in settlements if s.retry_in is not None]
        results = [s for s in settlements if s.retry_in is None]
        written: set[UUID] = set()
        if retries:
            written |= await ActionJobRepository(uow.session, company_id).schedule_retries(
                owner,
                [
                    JobRetry(
                        task_instance_id=s.prepared.claim.task_instance_id,
                        delay=s.retry_in,
                        last_status=s.outcome.status_code,
                        error=_stored_error(s.outcome.error),
                    )
                    for s in retries
                    if s.retry_in is not None
                ],
            )
        if results:
            recorded, events = await self._record(uow, company_id, owner, results)
            written |= recorded
            for event in events:
                await uow.publish(event)
        return written

    async def _record(
        self, uow: UnitOfWork, company_id: UUID, owner: str, settlements: Sequence[Settlement]
    ) -> tuple[set[UUID], list[EventPayload]]:
        """Record the jobs' one results, each for the attempt its job now answers (a newer
        attempt that arrived while it ran takes the result). Returns the jobs recorded and their
        events, for the caller to publish in the same transaction."""
        callbacks = CallbackRepository(uow.session, company_id)
        statuses: dict[UUID, JobStatus] = {}
        spent: dict[UUID, UUID] = {}
        for s in settlements:
            task = s.prepared.claim.task_instance_id
            status = JobStatus.SUCCEEDED if s.outcome.ok else JobStatus.FAILED
            callback_id = s.prepared.callback_id
            if callback_id is not None and s.prepared.expires_at is not None:
                # Holding the callback row orders this result before any callback result.
                callback = await callbacks.lock(callback_id)
                if callback is None or callback.used_at is not None:
                    status = JobStatus.SUPERSEDED
                elif s.outcome.ok:
                    status = JobStatus.AWAITING_CALLBACK
                else:
                    spent[task] = callback_id
            statuses[task] = status
        finished = await ActionJobRepository(uow.session, company_id).finish(
            owner,
            [
                JobResult(
                    task_instance_id=s.prepared.claim.task_instance_id,
                    status=statuses[s.prepared.claim.task_instance_id],
                    last_status=s.outcome.status_code,
                    error=_stored_error(s.outcome.error),
                )
                for s in settlements
            ],
        )
        by_task = {s.prepared.claim.task_instance_id: s for s in settlements}
        events: list[EventPayload] = []
        for job in finished:
            settlement, status = by_task[job.task_instance_id], statuses[job.task_instance_id]
            outcome, expires_at = settlement.outcome, settlement.prepared.expires_at
            if job.task_instance_id in spent:
                # A failed call ends its callback too; only for a result recorded here.
                await callbacks.mark_used(spent[job.task_instance_id])
            self.metrics.record_outcome(job.host, status)
            common = {
                "request_id": job.request_id,
                "workflow_instance_id": job.workflow_instance_id,
                "task_instance_id": job.task_instance_id,
                "attempt": job.attempt,
            }
            if status is JobStatus.AWAITING_CALLBACK:
                assert expires_at is not None
                events.append(ActionAwaitingCallback(**common, expires_at=expires_at.isoformat()))
            elif status is JobStatus.SUCCEEDED:
                events.append(ActionSucceeded(**common, output=outcome.output))
            elif status is JobStatus.FAILED:
                events.append(
                    ActionFailed(
                        **common,
                        error=outcome.error or "the action failed",
                        status_code=outcome.status_code,
                        body_excerpt=outcome.body_excerpt,
                    )
                )
        return {job.task_instance_id for job in finished}, events

    def _judge(self, response: CallResponse, request: ActionRequested, is_async: bool) -> CallOutcome:
        status = response.status
        excerpt = _excerpt(response.body)
        if 300 <= status < 400:
            location = response.headers.get("location", "")
            return CallOutcome(
                ok=False,
                status_code=status,
                body_excerpt=excerpt,
                error=(
                    f"the action answered a redirect ({status} to {location[:200]!r}); "
                    "redirects are not followed"
                ),
            )
        if not 200 <= status < 300:
            return CallOutcome(
                ok=False, status_code=status, body_excerpt=excerpt, error=f"the action answered {status}"
            )
        if response.truncated:
            return CallOutcome(
                ok=False,
                status_code=status,
                body_excerpt=excerpt,
                error=f"the response is larger than {self.settings.max_response_bytes} bytes",
            )
        if is_async:
            return CallOutcome(ok=True, status_code=status)
        try:
            payload = json.loads(response.body) if response.body.strip() else None
        except (ValueError, UnicodeDecodeError):
            return CallOutcome(
                ok=False, status_code=status, body_excerpt=excerpt, error="the response body is not JSON"
            )
        try:
            output = apply_transform(
                request.output_transform,
                payload,
                timeout_ms=self.settings.transform_timeout_ms,
                max_depth=self.settings.transform_max_depth,
            )
        except TransformError as exc:
            return CallOutcome(
                ok=False, status_code=status, body_excerpt=excerpt, error=f"output_transform failed: {exc}"
            )
        return CallOutcome(ok=True, status_code=status, output=as_output(output))

    # -- figures --------------------------------------------------------------------------------

    async def metrics_for(
        self, session: AsyncSession, company_id: UUID, lag: dict[int, int] | None
    ) -> ActionMetricsRead:
        rows = await ActionJobRepository(session, company_id).host_stats()
        hosts = [
            HostMetrics(
                host=row["host"],
                requests=row["requests"],
                calls=row["calls"],
                succeeded=row["succeeded"],
                awaiting_callback=row["awaiting_callback"],
                failed=row["failed"],
                avg_latency_ms=float(row["avg_ms"]) if row["avg_ms"] is not None else None,
                p95_latency_ms=float(row["p95_ms"]) if row["p95_ms"] is not None else None,
            )
            for row in rows
        ]
        return ActionMetricsRead(
            hosts=hosts,
            lag=ConsumerLag(
                group="actions",
                topic="actions.requests",
                total=sum(lag.values()) if lag is not None else None,
                partitions=lag or {},
            ),
        )
