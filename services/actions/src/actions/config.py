import os
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from contracts.services import SERVICE_PORTS

DEV_CALLBACK_SECRET = "dev-only-callback-secret-change-me"


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class ActionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="actions_", extra="ignore")

    service_name: ClassVar[str] = "actions"
    port: int = SERVICE_PORTS["actions"]

    # Where receiving systems reach the gateway; callback URLs are built on it.
    public_base_url: str = "http://127.0.0.1:8000"
    callback_secret: SecretStr = SecretStr(DEV_CALLBACK_SECRET)
    allow_private_targets: bool = False

    default_max_retries: int = 3
    max_timeout_seconds: int = 120
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 30.0
    retry_after_max_seconds: float = 60.0
    # All calls of one attempt together, backoff included: a runner answers an attempt within
    # this from taking it (each call's timeout and each backoff, at most this).
    request_budget_seconds: float = 240.0

    max_response_bytes: int = 1_048_576
    max_callback_bytes: int = 1_048_576
    # Calls in flight in one process, and at most this many of one company's: a company whose
    # receiving system is slow fills its own slots, not everyone's.
    max_in_flight: int = 128
    company_max_in_flight: int = 32
    http_max_connections: int = 128
    http_max_keepalive: int = 64
    # How often a runner looks for jobs it was not woken for (queued by another process, a
    # retry falling due, a lease run out).
    pool_poll_seconds: float = 0.25
    # A taken job is leased for its call's timeout plus this margin; a runner that dies with
    # it leaves the job to be taken again when the lease runs out.
    lease_margin_seconds: float = 15.0
    # How long a runner keeps a company's signing secrets and allowlist before reading them
    # again.
    company_cache_seconds: float = 5.0
    # Group members per process: each takes its partitions' requests in order, and recording
    # a request is short, so a few members keep the pool fed.
    consumer_workers: int = 4

    transform_timeout_ms: int = 1000
    transform_max_depth: int = 200
    signing_rotation_grace_hours: int = 24
    lag_cache_seconds: float = 5.0

    @model_validator(mode="before")
    @classmethod
    def _gateway_url(cls, values: Any) -> Any:
        if isinstance(values, dict) and "public_base_url" not in values:
            explicit = os.environ.get("ACTIONS_PUBLIC_BASE_URL")
            gateway = os.environ.get("GATEWAY_URL")
            if not explicit and gateway:
                values["public_base_url"] = gateway
        return values

    @model_validator(mode="after")
    def _refuse_default_callback_secret(self) -> Self:
        if self.env == "production":
            if self.callback_secret.get_secret_value() == DEV_CALLBACK_SECRET:
                raise ValueError("ACTIONS_CALLBACK_SECRET must be set outside development")
            if self.allow_private_targets:
                raise ValueError("ACTIONS_ALLOW_PRIVATE_TARGETS is a development setting")
        return self
