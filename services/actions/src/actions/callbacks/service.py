"""ASYNC_ACTION callbacks: a signed, expiring, single-use URL per request, and the acceptance of
the result a receiving system later posts to it."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from actions.callbacks import tokens
from actions.callbacks.repository import CallbackRepository
from actions.callbacks.schemas import CallbackAccepted, CallbackOutcome
from actions.config import ActionsSettings
from actions.models import Callback
from actions.runner.transforms import TransformError, apply_transform, as_output
from common.db import UnitOfWork
from common.errors import Conflict, Forbidden, Gone, NotFound, ValidationProblem
from contracts.actions import ActionFailed, ActionSucceeded
from contracts.engine import ActionRequested


async def open_callback(
    session: AsyncSession, settings: ActionsSettings, company_id: UUID, request: ActionRequested
) -> tuple[Callback, str]:
    """The request's callback row and its URL; the URL expires with the task's timeout."""
    expires_at = datetime.now(UTC) + timedelta(seconds=max(1, request.timeout_seconds))
    row = await CallbackRepository(session, company_id).open_for_request(request, expires_at)
    token = tokens.issue(
        settings.callback_secret.get_secret_value(),
        tokens.CallbackClaim(company_id=company_id, callback_id=row.id, expires_at=row.expires_at),
    )
    return row, f"{settings.public_base_url.rstrip('/')}/api/callbacks/{token}"


def _parse_body(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationProblem(
            "The callback body must be JSON.",
            errors=[{"loc": ["body"], "msg": f"not valid JSON: {exc}", "type": "json_invalid"}],
        ) from exc


async def accept_callback(
    uow: UnitOfWork, settings: ActionsSettings, token: str, body: bytes
) -> CallbackAccepted:
    """Verify the token, then (in this one transaction) mark the callback used and emit the
    result. A forged, expired or used token changes nothing."""
    try:
        claim = tokens.verify(settings.callback_secret.get_secret_value(), token)
    except tokens.TokenExpired as exc:
        raise Gone("This callback URL has expired.") from exc
    except tokens.TokenInvalid as exc:
        raise Forbidden("This callback URL is not valid.") from exc
    now = datetime.now(UTC)
    data = _parse_body(body)
    # The token is signed, so the company it names is the caller's: scope the transaction to it
    # and let row-level security do the rest.
    await uow.set_company(claim.company_id)
    row = await CallbackRepository(uow.session, claim.company_id).lock(claim.callback_id)
    if row is None:
        raise NotFound("This callback URL is not known.")
    if row.used_at is not None:
        raise Conflict("This callback URL has already been used.")
    if row.expires_at <= now:
        raise Gone("This callback URL has expired.")
    await CallbackRepository(uow.session, claim.company_id).mark_used(row.id)
    common = {
        "request_id": row.request_id,
        "workflow_instance_id": row.workflow_instance_id,
        "task_instance_id": row.task_instance_id,
        "attempt": row.attempt,
    }
    try:
        output = as_output(
            apply_transform(
                row.output_transform,
                data,
                timeout_ms=settings.transform_timeout_ms,
                max_depth=settings.transform_max_depth,
            )
        )
    except TransformError as exc:
        error = f"output_transform failed on the callback body: {exc}"
        await uow.publish(
            ActionFailed(**common, error=error, body_excerpt=body[:500].decode(errors="replace"))
        )
        return CallbackAccepted(request_id=row.request_id, outcome=CallbackOutcome.FAILED, detail=error)
    await uow.publish(ActionSucceeded(**common, output=output))
    return CallbackAccepted(request_id=row.request_id, outcome=CallbackOutcome.SUCCEEDED)
