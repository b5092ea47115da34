"""The ticket team's operations on a workflow instance, which the runtime's admin part carries
out; each answers with the instance as it is now."""

from typing import Any
from uuid import UUID

from common.db import UnitOfWork
from engine.config import EngineSettings
from engine.workflows import queries
from engine.workflows.runtime import WorkflowRuntime
from engine.workflows.schemas import WorkflowInstanceDetailRead


async def hold(uow: UnitOfWork, settings: EngineSettings, instance_id: UUID) -> WorkflowInstanceDetailRead:
    await WorkflowRuntime(uow, settings).admin.hold(instance_id)
    return await queries.instance_detail(uow, instance_id)


async def resume(uow: UnitOfWork, settings: EngineSettings, instance_id: UUID) -> WorkflowInstanceDetailRead:
    await WorkflowRuntime(uow, settings).admin.resume(instance_id)
    return await queries.instance_detail(uow, instance_id)


async def cancel(uow: UnitOfWork, settings: EngineSettings, instance_id: UUID) -> WorkflowInstanceDetailRead:
    await WorkflowRuntime(uow, settings).admin.cancel(instance_id)
    return await queries.instance_detail(uow, instance_id)


async def retry(uow: UnitOfWork, settings: EngineSettings, instance_id: UUID) -> WorkflowInstanceDetailRead:
    await WorkflowRuntime(uow, settings).admin.retry(instance_id)
    return await queries.instance_detail(uow, instance_id)


async def skip(
    uow: UnitOfWork, settings: EngineSettings, instance_id: UUID, output: Any
) -> WorkflowInstanceDetailRead:
    await WorkflowRuntime(uow, settings).admin.skip(instance_id, output)
    return await queries.instance_detail(uow, instance_id)
