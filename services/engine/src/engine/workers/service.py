"""The roster of task workers (from identity events, with their company roles) and their
availability."""

from uuid import UUID

from common.auth import SystemRole
from common.db import UnitOfWork
from common.errors import NotFound
from contracts.identity import UserState
from engine.config import EngineSettings
from engine.models import Worker
from engine.workers.assignment import PoolsLeft
from engine.workers.repository import WorkerRepository
from engine.workflows.runtime import WorkflowRuntime


def _eligible(worker: Worker) -> bool:
    return worker.is_active and worker.is_task_worker and worker.available


async def apply_user_state(uow: UnitOfWork, settings: EngineSettings, user: UserState) -> None:
    """Keep the roster in step with identity: a worker who becomes eligible takes queued tasks;
    one who is deactivated or loses the role gives their open tasks back, and one who loses a
    company role the tasks whose rule asks for it."""
    repo = WorkerRepository.of(uow)
    before = await repo.get(user.user_id)
    was_eligible = before is not None and _eligible(before)
    was_worker = before is not None and before.is_active and before.is_task_worker
    roles_before = set(before.company_roles) if before is not None else set()
    worker = await repo.upsert(
        user.user_id,
        email=user.email,
        display_name=user.display_name,
        is_active=user.is_active,
        is_task_worker=SystemRole.TASK_WORKER.value in user.system_roles,
        company_roles=sorted(set(user.company_roles)),
    )
    runtime = WorkflowRuntime(uow, settings)
    if was_worker and not (worker.is_active and worker.is_task_worker):
        await runtime.assignment.requeue_tasks_of(
            worker.user_id, "The assignee is no longer an active task worker"
        )
    elif was_worker and (lost := roles_before - set(worker.company_roles)):
        # Still a worker, but no longer in the pools of the company roles they lost.
        await runtime.assignment.requeue_tasks_of(
            worker.user_id,
            f"The assignee no longer has company role {', '.join(sorted(lost))}",
            left=PoolsLeft(company_roles=frozenset(lost)),
        )
    # Someone newly eligible, or eligible with a new company role, may take tasks that waited.
    if _eligible(worker) and (not was_eligible or set(worker.company_roles) - roles_before):
        await runtime.assignment.assign_queued()


async def my_worker(uow: UnitOfWork, user_id: UUID) -> tuple[Worker, int]:
    repo = WorkerRepository.of(uow)
    for worker, open_tasks in await repo.roster():
        if worker.user_id == user_id:
            return worker, open_tasks
    raise NotFound("You are not on the company's roster of task workers (yet).")


async def set_availability(
    uow: UnitOfWork, settings: EngineSettings, user_id: UUID, available: bool
) -> tuple[Worker, int]:
    worker, _ = await my_worker(uow, user_id)
    repo = WorkerRepository(uow.session, worker.company_id)
    await repo.lock_assignment()
    changed = worker.available != available
    worker.available = available
    await uow.session.flush()
    if changed and available and _eligible(worker):
        await WorkflowRuntime(uow, settings).assignment.assign_queued()
    return await my_worker(uow, user_id)


async def roster(uow: UnitOfWork) -> list[tuple[Worker, int]]:
    return await WorkerRepository.of(uow).roster()
