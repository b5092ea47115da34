"""Running one action request: transform the input, pass the SSRF guard, make the signed call
with retries, and record the one result of the request in the same transaction that marks the
request handled."""

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from actions.allowlist.service import allowlist_for
from actions.callbacks import repository as callbacks_repository
from actions.callbacks.service import open_callback
from actions.config import ActionsSettings
from actions.models import AttemptOutcome
from actions.runner import repository
from actions.runner.client import CallResponse, OutboundClient
from actions.runner.guard import Allowlist, Resolver, TargetRefused, check_target, system_resolver
from actions.runner.metrics import RunnerMetrics
from actions.runner.retry import backoff_delay, is_retryable_status, retry_after_seconds
from actions.runner.schemas import ActionMetricsRead, ConsumerLag, HostMetrics
from actions.runner.transforms import TransformError, apply_transform, as_output
from actions.signing.service import signing_secrets
from actions.signing.webhooks import signature_headers
from common.consumer import PoisonMessage
from common.db import UnitOfWork
from common.telemetry import current_traceparent
from contracts.actions import ActionAwaitingCallback, ActionFailed, ActionSucceeded
from contracts.engine import ActionRequested
from contracts.envelope import Envelope

log = logging.getLogger(__name__)

EXCERPT_BYTES = 500
USER_AGENT = "TicketFlower-Actions/1"

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class CallOutcome:
    """What the calls of one request came to."""

    ok: bool
    output: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    status_code: int | None = None
    body_excerpt: str | None = None
    http_calls: int = 0


def action_host(url: str) -> str:
    try:
        return httpx.URL(url).host.lower() or "invalid"
    except (httpx.InvalidURL, ValueError):
        return "invalid"


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
    """One per process: the pooled client, the per-company call limits and the metrics."""

    def __init__(
        self, settings: ActionsSettings, *, resolver: Resolver | None = None, sleep: Sleep | None = None
    ) -> None:
        self.settings = settings
        self.resolver = resolver or system_resolver
        self.sleep = sleep or asyncio.sleep
        self.client = OutboundClient(
            max_connections=settings.http_max_connections,
            max_keepalive=settings.http_max_keepalive,
            max_response_bytes=settings.max_response_bytes,
        )
        self.metrics = RunnerMetrics()
        self._company_slots: dict[UUID, asyncio.Semaphore] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    def _slots(self, company_id: UUID) -> asyncio.Semaphore:
        slots = self._company_slots.get(company_id)
        if slots is None:
            slots = self._company_slots[company_id] = asyncio.Semaphore(self.settings.company_concurrency)
        return slots

    async def handle(self, request: ActionRequested, envelope: Envelope, uow: UnitOfWork) -> None:
        """The consumer's handler: runs inside the unit of work that records the event as
        handled, so the result and the Kafka commit that follows are one decision."""
        company_id = envelope.company_id
        if company_id is None:
            raise PoisonMessage("an action request must name its company")
        host = action_host(request.action_url)
        if not await repository.claim(uow.session, company_id, request, host):
            log.info("action request %s already handled; not run again", request.request_id)
            return
        started = time.monotonic()
        # Committed before the call: a receiver may post the callback before the call returns.
        async with uow.db.unit_of_work(company_id, uow.actor) as prepare:
            secrets = await signing_secrets(prepare.session, company_id)
            allowlist = await allowlist_for(prepare.session, company_id)
            callback_id: UUID | None = None
            callback_url: str | None = None
            expires_at: datetime | None = None
            already_used = False
            if request.task_type == "ASYNC_ACTION":
                callback, callback_url = await open_callback(
                    prepare.session, self.settings, company_id, request
                )
                callback_id, expires_at = callback.id, callback.expires_at
                already_used = callback.used_at is not None
        if callback_id is not None and already_used:
            outcome = CallOutcome(ok=True)
        else:
            async with self._slots(company_id):
                outcome = await self.run(request, company_id, host, secrets, allowlist, callback_url)
        result = await self._record(uow, request, outcome, callback_id, expires_at)
        self.metrics.record_outcome(host, result)
        await repository.finish(
            uow.session,
            company_id,
            request.request_id,
            outcome=result,
            http_calls=outcome.http_calls,
            last_status=outcome.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            error=outcome.error,
        )

    async def _record(
        self,
        uow: UnitOfWork,
        request: ActionRequested,
        outcome: CallOutcome,
        callback_id: UUID | None,
        expires_at: datetime | None,
    ) -> AttemptOutcome:
        common = {
            "request_id": request.request_id,
            "workflow_instance_id": request.workflow_instance_id,
            "task_instance_id": request.task_instance_id,
            "attempt": request.attempt,
        }
        if callback_id is not None and expires_at is not None:
            assert uow.company_id is not None
            # Holding the callback row orders this result before any callback result.
            callback = await callbacks_repository.lock(uow.session, uow.company_id, callback_id)
            if callback is None or callback.used_at is not None:
                return AttemptOutcome.SUPERSEDED
            if outcome.ok:
                await uow.publish(ActionAwaitingCallback(**common, expires_at=expires_at.isoformat()))
                return AttemptOutcome.AWAITING_CALLBACK
            await callbacks_repository.mark_used(uow.session, uow.company_id, callback_id)
        if outcome.ok:
            await uow.publish(ActionSucceeded(**common, output=outcome.output))
            return AttemptOutcome.SUCCEEDED
        await uow.publish(
            ActionFailed(
                **common,
                error=outcome.error or "the action failed",
                status_code=outcome.status_code,
                body_excerpt=outcome.body_excerpt,
            )
        )
        return AttemptOutcome.FAILED

    async def run(
        self,
        request: ActionRequested,
        company_id: UUID,
        host: str,
        secrets: list[str],
        allowlist: Allowlist,
        callback_url: str | None,
    ) -> CallOutcome:
        settings = self.settings
        try:
            data = apply_transform(
                request.input_transform,
                request.workflow_data,
                timeout_ms=settings.transform_timeout_ms,
                max_depth=settings.transform_max_depth,
            )
            body = json.dumps(_request_body(data, callback_url), separators=(",", ":")).encode()
        except TransformError as exc:
            return CallOutcome(ok=False, error=f"input_transform failed: {exc}")
        except (TypeError, ValueError) as exc:
            return CallOutcome(ok=False, error=f"input_transform result is not JSON: {exc}")
        try:
            target = await check_target(
                request.action_url,
                allowlist,
                allow_private=settings.allow_private_targets,
                resolver=self.resolver,
            )
        except TargetRefused as exc:
            self.metrics.record_call(host, "refused", None)
            return CallOutcome(ok=False, error=f"action URL refused: {exc}")

        timeout = float(max(1, min(request.timeout_seconds, settings.max_timeout_seconds)))
        max_retries = request.max_retries if request.max_retries is not None else settings.default_max_retries
        deadline = time.monotonic() + settings.request_budget_seconds
        traceparent = _traceparent()
        calls = 0
        last = CallOutcome(ok=False, error="not called")
        for retry in range(max_retries + 1):
            headers = {
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "idempotency-key": str(request.request_id),
                "traceparent": traceparent,
                **signature_headers(secrets, str(request.request_id), int(time.time()), body),
            }
            calls += 1
            retry_after: float | None = None
            try:
                response = await self.client.post(
                    target, body, headers, min(timeout, max(1.0, deadline - time.monotonic()))
                )
            except (TimeoutError, httpx.TimeoutException):
                self.metrics.record_call(host, "timeout", timeout)
                last = CallOutcome(ok=False, error=f"no answer within {timeout:g}s")
            except httpx.HTTPError as exc:
                self.metrics.record_call(host, "error", None)
                last = CallOutcome(ok=False, error=f"connection failed: {type(exc).__name__}: {exc}")
            else:
                self.metrics.record_call(host, f"{response.status // 100}xx", response.elapsed)
                last = self._judge(response, request, callback_url is not None)
                if last.ok or not is_retryable_status(response.status):
                    last.http_calls = calls
                    return last
                retry_after = retry_after_seconds(
                    response.headers.get("retry-after"), cap=settings.retry_after_max_seconds
                )
            if retry == max_retries:
                break
            delay = backoff_delay(retry, base=settings.backoff_base_seconds, cap=settings.backoff_max_seconds)
            if retry_after is not None:
                delay = max(delay, retry_after)
            if time.monotonic() + delay + timeout > deadline:
                last.error = f"{last.error}; retry budget of {settings.request_budget_seconds:g}s spent"
                break
            await self.sleep(delay)
        last.http_calls = calls
        if last.error and calls > 1:
            last.error = f"{last.error} (after {calls} calls)"
        return last

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

    async def metrics_for(
        self, session: AsyncSession, company_id: UUID, lag: dict[int, int] | None
    ) -> ActionMetricsRead:
        rows = await repository.host_stats(session, company_id)
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
