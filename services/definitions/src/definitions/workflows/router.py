from typing import Annotated, Literal

import yaml
from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from common.web import Page, PageDep, UoW
from definitions.access import DesignerClaims
from definitions.bundles import service as bundles
from definitions.bundles.schemas import Bundle, PublishResult, TaskType, WorkflowSpec
from definitions.versioning import add_read_routes
from definitions.workflows import service
from definitions.workflows.schemas import (
    TaskSummary,
    WorkflowGraph,
    WorkflowSummary,
)

router = APIRouter(prefix="/api/definitions", tags=["workflows"])

Search = Annotated[str | None, Query(max_length=200, description="part of the key or name")]


@router.get("/workflows", response_model=Page[WorkflowSummary])
async def list_workflows(
    uow: UoW, page: PageDep, q: Search = None, archived: bool = False
) -> Page[WorkflowSummary]:
    """Workflows of the caller's company (archived ones with `archived=true`)."""
    return await service.definitions.list_page(uow, q, archived, page)


@router.put(
    "/workflows/{key}",
    response_model=PublishResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": PublishResult, "description": "Same as the latest version"}},
)
async def publish_workflow(
    key: str, body: WorkflowSpec, response: Response, uow: UoW, _: DesignerClaims
) -> PublishResult:
    """Publish an edit of a workflow as version N+1 (earlier versions stay as they were)."""
    result = await bundles.publish_workflow(uow, key, body)
    if not result.workflow.created:
        response.status_code = status.HTTP_200_OK
    return result


@router.get("/workflows/{key}/graph", response_model=WorkflowGraph)
async def get_workflow_graph(
    key: str, uow: UoW, version: Annotated[int | None, Query(ge=1)] = None
) -> WorkflowGraph:
    """Tasks as nodes and transitions as edges (with condition, priority and the order they
    are tried in), for drawing the workflow."""
    return await service.graph(uow, key, version)


@router.get(
    "/workflows/{key}/export",
    response_model=Bundle,
    responses={200: {"content": {"application/yaml": {}}}},
)
async def export_workflow(
    key: str,
    uow: UoW,
    version: Annotated[int | None, Query(ge=1)] = None,
    format: Literal["json", "yaml"] = "json",
) -> Response:
    """The workflow with the ticket types that start it, as a bundle: uploading it (to this
    or another company) reproduces the same definitions."""
    document = (await bundles.export(uow, key, version)).document()
    if format == "yaml":
        return Response(
            yaml.safe_dump(document, sort_keys=False, allow_unicode=True), media_type="application/yaml"
        )
    return JSONResponse(document)


add_read_routes(
    router,
    "/workflows",
    service.definitions,
    name="workflow",
    noun="workflow",
    archive_doc="Archive a workflow: it starts nothing new, running instances carry on. Refused (409) "
    "while an active ticket type still starts it.",
)


@router.get("/tasks", response_model=Page[TaskSummary])
async def list_tasks(
    uow: UoW,
    page: PageDep,
    q: Search = None,
    task_type: TaskType | None = None,
    workflow_key: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[TaskSummary]:
    """Tasks of the latest version of every active workflow."""
    return await service.list_tasks(uow, q, task_type, workflow_key, page)
