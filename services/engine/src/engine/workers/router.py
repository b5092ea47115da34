from fastapi import APIRouter

from common.web import UoW
from engine.config import SettingsDep
from engine.models import Worker
from engine.roles import TeamClaims, WorkerClaims
from engine.workers import service
from engine.workers.schemas import AvailabilityUpdate, WorkerRead

router = APIRouter(prefix="/api/engine", tags=["workers"])


def _read(worker: Worker, open_tasks: int) -> WorkerRead:
    return WorkerRead(
        user_id=worker.user_id,
        email=worker.email,
        display_name=worker.display_name,
        is_active=worker.is_active,
        available=worker.available,
        open_tasks=open_tasks,
        last_assigned_at=worker.last_assigned_at,
        company_roles=worker.company_roles,
    )


@router.get("/workers")
async def list_workers(uow: UoW, claims: TeamClaims) -> list[WorkerRead]:
    """The company's task workers with availability and open task counts."""
    return [_read(w, n) for w, n in await service.roster(uow)]


@router.get("/workers/me")
async def my_worker(uow: UoW, claims: WorkerClaims) -> WorkerRead:
    """The caller as a task worker."""
    return _read(*await service.my_worker(uow, claims.user_id))


@router.post("/workers/me/availability")
async def set_availability(
    body: AvailabilityUpdate, uow: UoW, claims: WorkerClaims, settings: SettingsDep
) -> WorkerRead:
    """Set oneself available (receives tasks; queued tasks are assigned at once) or away."""
    return _read(*await service.set_availability(uow, settings, claims.user_id, body.available))
