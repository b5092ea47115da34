from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.settings import DEV_CLAIMS_SECRET, SHARED_NAMES, read_shared_names
from contracts.services import DEFAULT_PORTS, GATEWAY, SERVICES, default_url

__all__ = ["DEFAULT_PORTS", "SERVICES", "GatewaySettings"]

# The system-wide names the gateway reads too, and each upstream's `<SERVICE>_URL`.
_GATEWAY_SHARED = {
    **{
        field: SHARED_NAMES[field]
        for field in ("claims_secret", "env", "otel_traces_exporter", "kafka_bootstrap_servers")
    },
    **{f"{service}_url": f"{service.upper()}_URL" for service in SERVICES},
}


class GatewaySettings(BaseSettings):
    """`GATEWAY_*` settings; upstream service URLs come from `<SERVICE>_URL`."""

    model_config = SettingsConfigDict(env_prefix="gateway_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORTS[GATEWAY]
    claims_secret: SecretStr = SecretStr(DEV_CLAIMS_SECRET)
    spa_dir: Path = Path(__file__).resolve().parents[3] / "frontend" / "dist"
    max_body_bytes: int = 25 * 1024 * 1024
    upstream_timeout_seconds: float = 60.0
    upstream_keepalive_seconds: float = 4.0
    # Connection pools per service, and the requests in flight on one before the next is taken
    # (see gateway.proxy.Upstream).
    upstream_pools_per_service: int = 4
    upstream_requests_per_pool: int = 4
    cors_origins: list[str] = []
    identity_url: str = default_url("identity")
    definitions_url: str = default_url("definitions")
    tickets_url: str = default_url("tickets")
    engine_url: str = default_url("engine")
    actions_url: str = default_url("actions")
    otel_traces_exporter: Literal["none", "console", "otlp"] = "none"
    log_level: str = "INFO"

    jwt_issuer: str = "ticketflower-identity"
    jwt_audience: str = "ticketflower"
    operator_jwt_audience: str = "ticketflower-operator"
    jwt_leeway_seconds: int = 5
    jwks_cache_seconds: float = 300.0
    jwks_min_refresh_seconds: float = 10.0
    openapi_cache_seconds: float = 60.0
    # Verified access tokens kept for the rest of their life (0: verify every request).
    token_cache_entries: int = 10_000
    # How long one signed claims header is reused for the same caller's requests; keep it far
    # below the services' `claims_max_age_seconds` (0: sign every request).
    claims_reuse_seconds: float = 5.0
    # Where the gateway reads identity's user events to refuse access tokens a role change or
    # a deactivation made stale (KAFKA_BOOTSTRAP_SERVERS); required outside development.
    kafka_bootstrap_servers: str | None = None
    # Longer than any access token lives (identity: 15 minutes) plus the clock leeway.
    token_revocation_window_seconds: float = 3600.0
    # Only behind a load balancer that sets X-Forwarded-For itself: the gateway then takes the
    # client address from it (uvicorn's proxy headers, from `forwarded_allow_ips`).
    trust_proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"

    @model_validator(mode="before")
    @classmethod
    def _shared_names(cls, values: object) -> object:
        return read_shared_names(values, _GATEWAY_SHARED)

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> "GatewaySettings":
        if self.env == "production" and self.claims_secret.get_secret_value() == DEV_CLAIMS_SECRET:
            raise ValueError("GATEWAY_CLAIMS_SECRET must be set outside development")
        if self.env == "production" and not self.kafka_bootstrap_servers:
            raise ValueError("KAFKA_BOOTSTRAP_SERVERS must be set outside development (token revocations)")
        return self

    def upstreams(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in SERVICES}
