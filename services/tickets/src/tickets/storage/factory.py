from tickets.config import TicketsSettings
from tickets.storage.local import LocalFileStorage
from tickets.storage.port import AttachmentStorage
from tickets.storage.s3 import S3Credentials, S3Storage


def build_storage(settings: TicketsSettings) -> AttachmentStorage:
    if settings.storage_backend == "s3":
        token = settings.s3_session_token
        return S3Storage(
            settings.s3_endpoint_url or None,
            settings.s3_bucket,
            settings.s3_region,
            S3Credentials(
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key.get_secret_value(),
                session_token=token.get_secret_value() if token else None,
            )
            if settings.s3_access_key_id
            else None,
            part_bytes=settings.s3_part_bytes,
        )
    return LocalFileStorage(settings.storage_dir)
