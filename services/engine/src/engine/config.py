from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class EngineSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="engine_", extra="ignore")

    service_name: ClassVar[str] = "engine"
    port: int = 8004
