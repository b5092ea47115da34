"""Settings from the environment: `<SERVICE>_<SETTING>`, plus the few names the whole system
shares (`DATABASE_URL`, `KAFKA_BOOTSTRAP_SERVERS`, `TF_BROKER`, `GATEWAY_CLAIMS_SECRET`,
`TF_ENV`, `OTEL_TRACES_EXPORTER`)."""

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

DEV_CLAIMS_SECRET = "dev-only-claims-secret-change-me"
KAFKA_FETCH_WAIT_MS = 500
EMBEDDED_FETCH_WAIT_MS = 25

# Settings every process reads under one system-wide name as well as its prefixed one.
SHARED_NAMES = {
    "database_admin_url": "DATABASE_URL",
    "kafka_bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS",
    "broker": "TF_BROKER",
    "claims_secret": "GATEWAY_CLAIMS_SECRET",
    "env": "TF_ENV",
    "otel_traces_exporter": "OTEL_TRACES_EXPORTER",
}


def read_shared_names(values: Any, shared: Mapping[str, str]) -> Any:
    """Fill each field of `shared` not given otherwise from its system-wide environment name
    (a settings class's `mode="before"` validator)."""
    if isinstance(values, dict):
        for field, env_name in shared.items():
            if field not in values and env_name in os.environ:
                values[field] = os.environ[env_name]
    return values


class ServiceSettings(BaseSettings):
    """Base of every service's settings class. A subclass sets `service_name`, the port and
    `model_config = SettingsConfigDict(env_prefix="<service>_")`."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: ClassVar[str]

    env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    database_admin_url: SecretStr = SecretStr("postgresql://postgres@127.0.0.1:5432/ticketflower")
    database_url: SecretStr | None = None
    db_password: SecretStr | None = None
    # Connections kept open. A consumer applies every partition of a fetch in a transaction of
    # its own at once (two busy topics of eight partitions: sixteen), the API and the timers
    # take theirs beside it. Past the pool, up to as many again are opened and closed when
    # returned: under steady load that is a connection opened and torn down per transaction or
    # so (the server's fork, authentication, the driver's type introspection, every statement
    # prepared afresh), each costing more than the transaction itself. Idle connections are only
    # those a burst once needed.
    db_pool_size: int = 24
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # What speaks Kafka at that address: Apache Kafka (compose, Kubernetes, `TF_BROKER=kafka`) or
    # the embedded Tansu broker, whose quirks (memory only, no idempotent producer, no early
    # answer to a long poll, one group member per process) some settings are shaped around.
    broker: Literal["kafka", "embedded"] = "kafka"
    claims_secret: SecretStr = SecretStr(DEV_CLAIMS_SECRET)
    claims_max_age_seconds: int = 300
    otel_traces_exporter: Literal["none", "console", "otlp"] = "none"
    consumer_group: str | None = None
    consumer_max_attempts: int = 5
    consumer_workers: int = 1
    consumer_max_batch: int = 500
    # Unset: chosen by broker (`fetch_wait_ms`).
    consumer_fetch_max_wait_ms: int | None = None
    outbox_poll_seconds: float = 0.5
    outbox_retention_hours: int = 72
    outbox_replay_on_start: bool = False
    log_level: str = "INFO"

    @model_validator(mode="before")
    @classmethod
    def _shared_names(cls, values: Any) -> Any:
        return read_shared_names(values, SHARED_NAMES)

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Self:
        if self.env == "production":
            if self.claims_secret.get_secret_value() == DEV_CLAIMS_SECRET:
                raise ValueError("GATEWAY_CLAIMS_SECRET must be set outside development")
            if self.database_url is None and self.db_password is None:
                raise ValueError(f"{self.service_name.upper()}_DB_PASSWORD must be set in production")
        return self

    @property
    def fetch_wait_ms(self) -> int:
        """How long an idle consumer fetch waits. Apache Kafka answers as soon as data arrives,
        so its wait costs no latency. Tansu answers only when the wait ends, so on the embedded
        broker it is latency added to every hop, traded against idle CPU (`bench.outbox_throughput`
        prints both)."""
        if self.consumer_fetch_max_wait_ms is not None:
            return self.consumer_fetch_max_wait_ms
        return KAFKA_FETCH_WAIT_MS if self.broker == "kafka" else EMBEDDED_FETCH_WAIT_MS

    @property
    def group(self) -> str:
        """The Kafka consumer group: the service name unless set (tests isolate their own)."""
        return self.consumer_group or self.service_name

    @property
    def db_schema(self) -> str:
        return self.service_name

    @property
    def owner_role(self) -> str:
        return f"{self.service_name}_owner"

    @property
    def app_role(self) -> str:
        return f"{self.service_name}_app"

    def app_password(self) -> str:
        if self.db_password is not None:
            return self.db_password.get_secret_value()
        return f"dev-{self.service_name}-password"

    def runtime_database_url(self) -> str:
        """The URL the running service uses: its app role, never the admin."""
        if self.database_url is not None:
            return asyncpg_url(self.database_url.get_secret_value())
        admin = make_url(asyncpg_url(self.database_admin_url.get_secret_value()))
        url = admin.set(username=self.app_role, password=self.app_password())
        return url.render_as_string(hide_password=False)

    def admin_database_url(self) -> str:
        return asyncpg_url(self.database_admin_url.get_secret_value())


def asyncpg_url(url: str) -> str:
    """Accept `postgres://`, `postgresql://` or `postgresql+asyncpg://` and return the asyncpg
    form SQLAlchemy needs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)
