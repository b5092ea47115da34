from typing import Annotated

from fastapi import APIRouter, Query

from common.web import UoW
from definitions.versions_diff import service
from definitions.versions_diff.schemas import TicketTypeDiff, WorkflowDiff

router = APIRouter(prefix="/api/definitions", tags=["version diffs"])

FromVersion = Annotated[int, Query(alias="from", ge=1, le=1_000_000, description="the older version")]
ToVersion = Annotated[int, Query(alias="to", ge=1, le=1_000_000, description="the newer version")]


@router.get("/workflows/{key}/diff")
async def diff_workflow_versions(
    key: str, uow: UoW, from_version: FromVersion, to_version: ToVersion
) -> WorkflowDiff:
    """What changed from one version of a workflow to another: tasks and transitions added,
    removed or changed (with each value that differs), and the workflow's own properties. 404
    for a version that does not exist, 422 for the same version twice."""
    return await service.workflow_diff(uow, key, from_version, to_version)


@router.get("/ticket-types/{key}/diff")
async def diff_ticket_type_versions(
    key: str, uow: UoW, from_version: FromVersion, to_version: ToVersion
) -> TicketTypeDiff:
    """What changed from one version of a ticket type to another: fields added, removed or
    changed, and the type's own properties (name, prefix, workflow, roles, required fields)."""
    return await service.ticket_type_diff(uow, key, from_version, to_version)
