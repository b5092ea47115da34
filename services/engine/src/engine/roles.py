"""Who may do what in the engine's API (admin always passes)."""

from typing import Annotated

from fastapi import Depends

from common.auth import Claims, SystemRole, require_roles

TeamClaims = Annotated[Claims, Depends(require_roles(SystemRole.TICKET_ADMIN))]
WorkerClaims = Annotated[Claims, Depends(require_roles(SystemRole.TASK_WORKER))]
AdminClaims = Annotated[Claims, Depends(require_roles(SystemRole.ADMIN))]
