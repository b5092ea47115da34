from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="identity_", extra="ignore")

    service_name: ClassVar[str] = "identity"
    port: int = 8001
