import os
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from contracts.services import SERVICE_PORTS

DEV_KEY_ENCRYPTION_SECRET = "dev-only-signing-key-secret-change-me"


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Identity's consumer turns events into notifications, which nothing waits on the way a
# workflow's next step does. The embedded broker answers a fetch only when its wait ends, so
# the short wait of the workflow hops would cost identity a fetch (and its decoding) every
# 25 ms, busy or idle, for events it mostly passes over; at this wait it makes an eighth of
# them and takes what arrived in bigger batches, a notification arriving at most this much later.
NOTIFICATIONS_EMBEDDED_FETCH_WAIT_MS = 200


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="identity_", extra="ignore")

    service_name: ClassVar[str] = "identity"
    port: int = SERVICE_PORTS["identity"]

    jwt_issuer: str = "ticketflower-identity"
    jwt_audience: str = "ticketflower"
    # Platform operators' tokens: a distinct audience, so no tenant endpoint takes them.
    operator_jwt_audience: str = "ticketflower-operator"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_days: int = 14
    # Private signing keys are stored encrypted (PKCS#8, scrypt + AES) under this secret.
    key_encryption_secret: SecretStr = SecretStr(DEV_KEY_ENCRYPTION_SECRET)
    # How long a replica trusts its cached copy of the signing keys before reading them again.
    key_cache_seconds: int = 60

    argon2_time_cost: int = 2
    argon2_memory_cost_kib: int = 19456
    argon2_parallelism: int = 1

    login_rate_limit_per_minute: int = 10
    # Several people may share one address (an office behind NAT): by default five times the
    # per-account limit.
    login_rate_limit_per_address_per_minute: int | None = None
    password_reset_rate_limit_per_hour: int = 5

    reset_token_ttl_minutes: int = 30
    invitation_token_ttl_hours: int = 72

    # Where people reach the system (the gateway): the base of every link in an email.
    # IDENTITY_PUBLIC_URL, else the gateway's own GATEWAY_URL.
    public_url: str = "http://127.0.0.1:8000"
    mailbox_dir: Path = Path(".data/mailbox")
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "TicketFlower <no-reply@ticketflower.local>"

    @property
    def fetch_wait_ms(self) -> int:
        if self.consumer_fetch_max_wait_ms is None and self.broker == "embedded":
            return NOTIFICATIONS_EMBEDDED_FETCH_WAIT_MS
        return super().fetch_wait_ms

    @model_validator(mode="before")
    @classmethod
    def _public_url_from_the_gateway(cls, values: Any) -> Any:
        if isinstance(values, dict) and "public_url" not in values:
            gateway = os.environ.get("GATEWAY_URL")
            if not os.environ.get("IDENTITY_PUBLIC_URL") and gateway:
                values["public_url"] = gateway
        return values

    @model_validator(mode="after")
    def _refuse_default_key_secret(self) -> Self:
        if self.env == "production":
            if self.key_encryption_secret.get_secret_value() == DEV_KEY_ENCRYPTION_SECRET:
                raise ValueError("IDENTITY_KEY_ENCRYPTION_SECRET must be set in production")
            if self.smtp_host is None:
                raise ValueError("IDENTITY_SMTP_HOST must be set in production")
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.env not in ("development", "test")

    @property
    def address_rate_limit_per_minute(self) -> int:
        if self.login_rate_limit_per_address_per_minute is not None:
            return self.login_rate_limit_per_address_per_minute
        return self.login_rate_limit_per_minute * 5

    @property
    def retired_key_grace_seconds(self) -> int:
        """A retired key stays published while tokens it signed may still be alive, including
        those signed by a replica whose key cache has not yet seen the rotation."""
        return self.access_token_ttl_seconds + 2 * self.key_cache_seconds + 60
