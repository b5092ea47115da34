from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from common.web import Page, PageDep, UoW
from contracts.engine import WorkflowStatus
from engine.config import SettingsDep
from engine.roles import TeamClaims
from engine.workflows import queries, service
from engine.workflows.repository import InstanceFilter
from engine.workflows.schemas import (
    HistoryEntryRead,
    IncidentSkip,
    WorkflowInstanceDetailRead,
    WorkflowInstanceRead,
)

router = APIRouter(prefix="/api/engine/instances", tags=["workflow instances"])


@router.get("")
async def list_instances(
    uow: UoW,
    claims: TeamClaims,
    page: PageDep,
    status: WorkflowStatus | None = None,
    ticket_id: UUID | None = None,
    workflow_key: Annotated[str | None, Query(max_length=200)] = None,
    ticket_definition_key: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[WorkflowInstanceRead]:
    """Workflow instances of the company with their current task, newest first."""
    f = InstanceFilter(
        status=status,
        ticket_id=ticket_id,
        workflow_key=workflow_key,
        ticket_definition_key=ticket_definition_key,
    )
    return await queries.list_instances(uow, f, page)


@router.get("/{instance_id}")
async def get_instance(instance_id: UUID, uow: UoW, claims: TeamClaims) -> WorkflowInstanceDetailRead:
    """An instance with its data, the path taken (every task instance in order), and every
    decision with the conditions tried and their values."""
    return await queries.instance_detail(uow, instance_id)


@router.get("/{instance_id}/history")
async def get_history(
    instance_id: UUID, uow: UoW, claims: TeamClaims, page: PageDep
) -> Page[HistoryEntryRead]:
    """Every change of the instance: who, what, when, data before and after."""
    return await queries.instance_history(uow, instance_id, page)


@router.post("/{instance_id}/hold")
async def hold(
    instance_id: UUID, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> WorkflowInstanceDetailRead:
    """Put a running workflow on hold: results still arrive, but it does not move on."""
    return await service.hold(uow, settings, instance_id)


@router.post("/{instance_id}/resume")
async def resume(
    instance_id: UUID, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> WorkflowInstanceDetailRead:
    """Resume a held workflow, catching up on what happened while it was held."""
    return await service.resume(uow, settings, instance_id)


@router.post("/{instance_id}/cancel")
async def cancel(
    instance_id: UUID, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> WorkflowInstanceDetailRead:
    """Cancel a workflow that has not ended; its open tasks are cancelled."""
    return await service.cancel(uow, settings, instance_id)


@router.post("/{instance_id}/incident/retry")
async def retry_incident(
    instance_id: UUID, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> WorkflowInstanceDetailRead:
    """Retry the task behind the incident (a new attempt, or a new assignment), or re-decide
    the transition that failed."""
    return await service.retry(uow, settings, instance_id)


@router.post("/{instance_id}/incident/skip")
async def skip_incident(
    instance_id: UUID, body: IncidentSkip, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> WorkflowInstanceDetailRead:
    """Close the task behind the incident with the given output (validated against its output
    schema) and move on."""
    return await service.skip(uow, settings, instance_id, body.output)
