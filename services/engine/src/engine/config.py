from pathlib import Path
from typing import Annotated, ClassVar

from fastapi import Depends, Request
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from contracts.services import SERVICE_PORTS

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class EngineSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="engine_", extra="ignore")

    service_name: ClassVar[str] = "engine"
    port: int = SERVICE_PORTS["engine"]
    # One group per deployment; a separate group lets a test or benchmark engine share a broker.
    expression_timeout_ms: int = 250
    expression_max_depth: int = 200
    default_action_timeout_seconds: int = 30
    default_max_retries: int = 2
    # An attempt's deadline is every call of it with its timeout plus this grace (the runner's
    # backoff, and transit). Past it the request is sent again, never expired; a runner that
    # takes the attempt later announces when it will answer, and the deadline moves there.
    action_deadline_grace_seconds: int = 60
    timer_poll_seconds: float = 1.0
    timer_batch_size: int = 100


async def get_settings(request: Request) -> EngineSettings:
    settings = request.app.state.settings
    if not isinstance(settings, EngineSettings):
        raise TypeError("the engine app was built with another service's settings")
    return settings


SettingsDep = Annotated[EngineSettings, Depends(get_settings)]
