"""Settings come from the environment, and production refuses the development secrets."""

from typing import ClassVar

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings, asyncpg_url


class ExampleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="example_", extra="ignore")
    service_name: ClassVar[str] = "example"


class TestSettings:
    def test_shared_names_are_read_without_prefix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DATABASE_URL", "postgresql://admin@db:5432/tf")
        monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
        monkeypatch.setenv("EXAMPLE_PORT", "9123")
        settings = ExampleSettings()
        assert settings.kafka_bootstrap_servers == "kafka:9092"
        assert settings.port == 9123
        assert settings.runtime_database_url() == (
            "postgresql+asyncpg://example_app:dev-example-password@db:5432/tf"
        )

    def test_production_refuses_default_secrets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TF_ENV", "production")
        with pytest.raises(ValidationError, match="GATEWAY_CLAIMS_SECRET"):
            ExampleSettings()

    def test_production_with_secrets_set(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TF_ENV", "production")
        monkeypatch.setenv("GATEWAY_CLAIMS_SECRET", "s3cret-from-a-vault")
        monkeypatch.setenv("EXAMPLE_DB_PASSWORD", "another")
        assert ExampleSettings().app_password() == "another"

    @pytest.mark.parametrize("url", ["postgres://u@h/d", "postgresql://u@h/d", "postgresql+asyncpg://u@h/d"])
    def test_database_urls_are_normalized(self, url: str) -> None:
        assert asyncpg_url(url) == "postgresql+asyncpg://u@h/d"
