from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, Response, status

from common.web import Page, PageDep, UoW
from contracts.assignment import AssignmentRule
from engine.assignment import service
from engine.assignment.schemas import (
    AssignmentRulesRead,
    CompanyRuleRead,
    GroupCreate,
    GroupRead,
    GroupUpdate,
    TaskRuleRead,
    WaitingState,
    WaitingTaskRead,
)
from engine.config import SettingsDep
from engine.roles import AdminClaims, TeamClaims

router = APIRouter(prefix="/api/engine/assignment", tags=["assignment"])

DefinitionKey = Annotated[str, Path(min_length=1, max_length=200)]
RuleBody = Annotated[AssignmentRule, Body()]


@router.get("/rules")
async def get_rules(uow: UoW, claims: TeamClaims) -> AssignmentRulesRead:
    """The company's assignment rule and, for every FORM task of a current workflow, the rule it
    follows and where that was set (the task's own rule, its definition, the company)."""
    return await service.rules_overview(uow)


@router.put("/rules/company")
async def put_company_rule(
    body: RuleBody, uow: UoW, claims: AdminClaims, settings: SettingsDep
) -> CompanyRuleRead:
    """Set the company's rule: `shortest_queue`, `round_robin`, `group` (with `group`, a group
    key) or `company_role` (with `company_role`); the last two take a `pick`."""
    return await service.set_company_rule(uow, settings, claims, body)


@router.put("/rules/tasks/{workflow_key}/{task_key}")
async def put_task_rule(
    workflow_key: DefinitionKey,
    task_key: DefinitionKey,
    body: RuleBody,
    uow: UoW,
    claims: AdminClaims,
    settings: SettingsDep,
) -> TaskRuleRead:
    """Set the rule of one FORM task definition (every version of it); it wins over the rule
    in its bundle and the company's."""
    return await service.set_task_rule(uow, settings, claims, workflow_key, task_key, body)


@router.delete("/rules/tasks/{workflow_key}/{task_key}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_task_rule(
    workflow_key: DefinitionKey, task_key: DefinitionKey, uow: UoW, claims: AdminClaims, settings: SettingsDep
) -> Response:
    """Drop a task definition's own rule: it follows its bundle's rule or the company's again."""
    await service.clear_task_rule(uow, settings, workflow_key, task_key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/groups")
async def list_groups(uow: UoW, claims: TeamClaims) -> list[GroupRead]:
    """The company's groups of workers with their members."""
    return await service.list_groups(uow)


@router.post("/groups", status_code=status.HTTP_201_CREATED)
async def create_group(body: GroupCreate, uow: UoW, claims: AdminClaims, settings: SettingsDep) -> GroupRead:
    """Create a group of task workers; rules name it by `key` (409 when taken)."""
    return await service.create_group(uow, settings, body)


@router.get("/groups/{group_id}")
async def get_group(group_id: UUID, uow: UoW, claims: TeamClaims) -> GroupRead:
    """A group with its members."""
    return await service.get_group(uow, group_id)


@router.patch("/groups/{group_id}")
async def update_group(
    group_id: UUID, body: GroupUpdate, uow: UoW, claims: AdminClaims, settings: SettingsDep
) -> GroupRead:
    """Rename a group, change its description, or replace its members."""
    return await service.update_group(uow, settings, group_id, body)


@router.delete("/groups/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_group(group_id: UUID, uow: UoW, claims: AdminClaims) -> Response:
    """Delete a group no rule names (409 otherwise)."""
    await service.delete_group(uow, group_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/queue")
async def waiting_tasks(
    uow: UoW, claims: TeamClaims, page: PageDep, state: WaitingState | None = None
) -> Page[WaitingTaskRead]:
    """FORM tasks nobody has started, oldest first: `unassigned` (waiting for a worker) and
    `queued` (assigned, not started); both when `state` is omitted. Assign one by hand with
    `POST /api/engine/tasks/{task_id}/reassign`."""
    return await service.waiting_tasks(uow, state, page)
