from pathlib import Path
from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from contracts.services import SERVICE_PORTS

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DefinitionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="definitions_", extra="ignore")

    service_name: ClassVar[str] = "definitions"
    port: int = SERVICE_PORTS["definitions"]
