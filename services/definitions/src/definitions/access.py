"""Who may change definitions: workflow designers (`workflow_creator`) and admins."""

from typing import Annotated

from fastapi import Depends

from common.auth import Claims, SystemRole, require_roles

DesignerClaims = Annotated[Claims, Depends(require_roles(SystemRole.WORKFLOW_CREATOR))]
