"""Dependencies of the actions routers."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from actions.config import ActionsSettings

if TYPE_CHECKING:
    from actions.runner.service import ActionRunner


async def get_settings(request: Request) -> ActionsSettings:
    settings: ActionsSettings = request.app.state.settings
    return settings


async def get_runner(request: Request) -> "ActionRunner":
    runner: ActionRunner = request.app.state.runner
    return runner


SettingsDep = Annotated[ActionsSettings, Depends(get_settings)]
RunnerDep = Annotated["ActionRunner", Depends(get_runner)]
