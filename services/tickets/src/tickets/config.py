from pathlib import Path
from typing import ClassVar, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from contracts.services import SERVICE_PORTS

DEV_INGEST_SECRET = "dev-only-ingest-secret-change-me"

DEFAULT_ATTACHMENT_TYPES = (
    "application/pdf",
    "application/json",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
)


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class TicketsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="tickets_", extra="ignore")

    service_name: ClassVar[str] = "tickets"
    port: int = SERVICE_PORTS["tickets"]
    # Submits of one ticket prefix queue on its number while holding a connection, so a burst
    # holds as many connections as it has requests in flight, beside the consumer's partitions
    # (see `ServiceSettings.db_pool_size`).
    db_pool_size: int = 48

    storage_backend: Literal["local", "s3"] = "local"
    storage_dir: Path = Path(".data/attachments")
    s3_endpoint_url: str = "https://s3.amazonaws.com"
    s3_region: str = "us-east-1"
    s3_bucket: str = ""
    # Unset: the AWS SDK's own chain (AWS_* variables, web identity, instance role) finds them.
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr = SecretStr("")
    # With temporary credentials (STS): the token that goes with the key pair.
    s3_session_token: SecretStr | None = None
    # Uploads go out in parts of this size, so a file is never held whole in memory.
    s3_part_bytes: int = Field(8 * 1024 * 1024, ge=5 * 1024 * 1024)
    max_attachment_bytes: int = Field(10 * 1024 * 1024, ge=1)
    allowed_attachment_types: list[str] = Field(default_factory=lambda: list(DEFAULT_ATTACHMENT_TYPES))

    # How long a submission of a type not yet known here waits for it: this service learns of
    # a type from definitions' events, a moment after the upload that published it answered.
    new_type_wait_seconds: float = Field(3.0, ge=0, le=30)

    # A ticket's detail read with `Prefer: wait` answers when the ticket changes or after at
    # most this long. Each waiting read holds a connection of the gateway's pool to this
    # service (not a database connection), so the places are counted: per company, that no
    # company's readers take every place, and in all, well below the gateway's pool; a read
    # beyond them answers at once.
    detail_wait_max_seconds: float = Field(20.0, ge=0, le=50)
    detail_waits_per_company: int = Field(16, ge=0)
    detail_waits: int = Field(64, ge=0)

    ingest_secret: SecretStr = SecretStr(DEV_INGEST_SECRET)
    ingest_rotation_grace_seconds: int = Field(3600, ge=0)

    @model_validator(mode="after")
    def _refuse_default_ingest_secret(self) -> Self:
        if self.env == "production" and self.ingest_secret.get_secret_value() == DEV_INGEST_SECRET:
            raise ValueError("TICKETS_INGEST_SECRET must be set outside development")
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise ValueError("TICKETS_S3_BUCKET must be set when TICKETS_STORAGE_BACKEND=s3")
        return self
