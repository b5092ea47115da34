from tickets.config import TicketsSettings
from tickets.storage.local import LocalFileStorage
from tickets.storage.port import AttachmentStorage
from tickets.storage.s3 import S3Storage
from tickets.storage.sigv4 import Credentials


def build_storage(settings: TicketsSettings) -> AttachmentStorage:
    if settings.storage_backend == "s3":
        return S3Storage(
            settings.s3_endpoint_url,
            settings.s3_bucket,
            Credentials(
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key.get_secret_value(),
                region=settings.s3_region,
            ),
        )
    return LocalFileStorage(settings.storage_dir)
