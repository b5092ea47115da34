"""Action requests, from the consumer to the receiving system and back.

The consumer only records each request as its task's job (`handle`), in the transaction that
marks the event handled. Runners (`ActionPool`) take due jobs and make one call per take
(`run_try`), with no transaction open during it: a short one before (read the job, hold it,
tell the engine when it was taken late), and one after, which either schedules the next try
(its due time on the queue, never a sleep) or records the one result with its outbox event.
Every call of a task instance carries the same idempotency key, whichever attempt, retry or
runner makes it."""

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
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
from actions.runner.repository import ActionJobRepository, Claim
from actions.runner.retry import backoff_delay, call_budget, is_retryable_status, retry_after_seconds
from actions.runner.schemas import ActionMetricsRead, ConsumerLag, HostMetrics
from actions.runner.transforms import TransformError, apply_transform, as_output
from actions.signing.service import signing_secrets
from actions.signing.webhooks import signature_headers
from common.consumer import PoisonMessage
from common.db import Database, UnitOfWork
from common.telemetry import current_traceparent
from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionStarted, ActionSucceeded
from contracts.engine import ActionRequested
from contracts.envelope import Envelope

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


class LeaseLost(Exception):
    """Another runner took the job over (this one's lease ran out): its result is theirs."""


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

    async def aclose(self) -> None:
        await self.client.aclose()

    # -- the consumer -------------------------------------------------------------------------

    async def handle(self, request: ActionRequested, envelope: Envelope, uow: UnitOfWork) -> None:
        """Record the request as its task's job, in the consumer's transaction. No call here."""
        company_id = envelope.company_id
        if company_id is None:
            raise PoisonMessage("an action request must name its company")
        queued = await ActionJobRepository(uow.session, company_id).enqueue(
            request,
            action_host(request.action_url),
            budget_seconds=self.budget(request),
            lease_seconds=self._timeout(request) + self.settings.lease_margin_seconds,
        )
        if queued:
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

    async def run_try(self, db: Database, claim: Claim, owner: str) -> None:
        """Make the next call of a job this runner has taken, and settle what it came to."""
        try:
            prepared = await self._begin(db, claim, owner)
            if prepared is None:
                return
            outcome = await self.call(prepared)
            await self._settle(db, prepared, owner, outcome)
        except LeaseLost:
            log.warning("the job of task %s was taken over by another runner", claim.task_instance_id)

    async def _begin(self, db: Database, claim: Claim, owner: str) -> Prepared | None:
        """Count the call and hold the job for it. The callback is committed here, before the
        call: a receiver may post it before the call returns."""
        async with db.unit_of_work(claim.company_id) as uow:
            jobs = ActionJobRepository(uow.session, claim.company_id)
            job = await jobs.take(claim)
            if job is None:
                await jobs.dequeue(claim)
                return None
            request = ActionRequested.model_validate(job.request)
            max_calls = self._max_calls(request)
            if job.http_calls > max_calls:
                # The runner making the last permitted call died: that call may have reached the
                # receiver, and no further one is allowed.
                outcome = CallOutcome(
                    ok=False, error=f"no answer after {max_calls} calls (the runner stopped)"
                )
                await self._finish(uow, claim, owner, outcome, None, None)
                return None
            secrets, allowlist = await self._company(uow.session, claim.company_id)
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
            if request.task_type == "ASYNC_ACTION":
                callback, prepared.callback_url = await open_callback(
                    uow.session, self.settings, claim.company_id, request
                )
                prepared.callback_id, prepared.expires_at = callback.id, callback.expires_at
                if callback.used_at is not None:
                    await self._finish(
                        uow, claim, owner, CallOutcome(ok=True), callback.id, callback.expires_at
                    )
                    return None
            fresh = claim.retaken or job.http_calls == 1
            late = job.deadline_at is not None and job.answer_by > job.deadline_at
            if fresh and (claim.retaken or late):
                await uow.publish(
                    ActionStarted(
                        request_id=job.request_id,
                        workflow_instance_id=job.workflow_instance_id,
                        task_instance_id=job.task_instance_id,
                        attempt=job.attempt,
                        answer_by=job.answer_by,
                    )
                )
        return prepared

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

    async def _settle(self, db: Database, prepared: Prepared, owner: str, outcome: CallOutcome) -> None:
        """Schedule the next try while calls and budget remain, else record the result."""
        settings = self.settings
        claim = prepared.claim
        if outcome.retryable and prepared.calls < prepared.max_calls:
            delay = backoff_delay(
                prepared.calls - 1, base=settings.backoff_base_seconds, cap=settings.backoff_max_seconds
            )
            if outcome.retry_after is not None:
                delay = max(delay, outcome.retry_after)
            fits = datetime.now(UTC) + timedelta(seconds=delay + self._timeout(prepared.request))
            if fits <= prepared.answer_by:
                async with db.unit_of_work(claim.company_id) as uow:
                    await ActionJobRepository(uow.session, claim.company_id).schedule_retry(
                        claim,
                        owner,
                        delay,
                        last_status=outcome.status_code,
                        error=outcome.error[:4000] if outcome.error else None,
                    )
                return
            outcome.error = f"{outcome.error}; retry budget of {settings.request_budget_seconds:g}s spent"
        if outcome.error and prepared.calls > 1:
            outcome.error = f"{outcome.error} (after {prepared.calls} calls)"
        async with db.unit_of_work(claim.company_id) as uow:
            await self._finish(uow, claim, owner, outcome, prepared.callback_id, prepared.expires_at)

    async def _finish(
        self,
        uow: UnitOfWork,
        claim: Claim,
        owner: str,
        outcome: CallOutcome,
        callback_id: UUID | None,
        expires_at: datetime | None,
    ) -> None:
        """Record the job's one result, with its outbox event, for the attempt the job now
        answers (a newer attempt that arrived while it ran takes the result)."""
        status = JobStatus.SUCCEEDED if outcome.ok else JobStatus.FAILED
        if callback_id is not None and expires_at is not None:
            # Holding the callback row orders this result before any callback result.
            callback = await CallbackRepository(uow.session, claim.company_id).lock(callback_id)
            if callback is None or callback.used_at is not None:
                status = JobStatus.SUPERSEDED
            elif outcome.ok:
                status = JobStatus.AWAITING_CALLBACK
            else:
                await CallbackRepository(uow.session, claim.company_id).mark_used(callback_id)
        job = await ActionJobRepository(uow.session, claim.company_id).finish(
            claim,
            owner,
            status=status,
            last_status=outcome.status_code,
            error=outcome.error[:4000] if outcome.error else None,
        )
        if job is None:
            raise LeaseLost
        self.metrics.record_outcome(job.host, status)
        common = {
            "request_id": job.request_id,
            "workflow_instance_id": job.workflow_instance_id,
            "task_instance_id": job.task_instance_id,
            "attempt": job.attempt,
        }
        if status is JobStatus.AWAITING_CALLBACK:
            assert expires_at is not None
            await uow.publish(ActionAwaitingCallback(**common, expires_at=expires_at.isoformat()))
        elif status is JobStatus.SUCCEEDED:
            await uow.publish(ActionSucceeded(**common, output=outcome.output))
        elif status is JobStatus.FAILED:
            await uow.publish(
                ActionFailed(
                    **common,
                    error=outcome.error or "the action failed",
                    status_code=outcome.status_code,
                    body_excerpt=outcome.body_excerpt,
                )
            )

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
