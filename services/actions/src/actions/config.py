from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class ActionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="actions_", extra="ignore")

    service_name: ClassVar[str] = "actions"
    port: int = 8005
