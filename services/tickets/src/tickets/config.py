from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class TicketsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="tickets_", extra="ignore")

    service_name: ClassVar[str] = "tickets"
    port: int = 8003
