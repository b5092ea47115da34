"""Factories the tickets tests share."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

import httpx
from aiobotocore.session import get_session

from common.db import Database
from common.testing.infra import claims_headers
from contracts.definitions import TicketDefinitionPublished
from contracts.ids import uuid7
from tickets.storage.s3 import S3Credentials, S3Storage
from tickets.ticket_type import service as ticket_type_service

if TYPE_CHECKING:
    from types_aiobotocore_s3.literals import BucketLocationConstraintType

LEAVE_FIELDS: dict[str, Any] = {
    "type": "object",
    "required": ["start_date", "days", "reason"],
    "properties": {
        "start_date": {"type": "string", "format": "date"},
        "days": {"type": "integer", "minimum": 1, "maximum": 30},
        "reason": {"type": "string", "minLength": 3},
        "contacts": {"type": "array", "items": {"type": "string", "format": "email"}},
    },
    "additionalProperties": False,
}

VALID_LEAVE = {"start_date": "2026-03-02", "days": 3, "reason": "family wedding in Lisbon"}

PublishType = Callable[..., Awaitable[TicketDefinitionPublished]]


def ticket_definition(
    key: str = "leave", *, version: int = 1, prefix: str = "HR", roles: list[str] | None = None, **extra: Any
) -> TicketDefinitionPublished:
    return TicketDefinitionPublished(
        ticket_definition_id=uuid7(),
        key=key,
        version=version,
        name=extra.pop("name", f"{key.title()} request"),
        prefix=prefix,
        fields=extra.pop("fields", LEAVE_FIELDS),
        workflow_key=f"{key}-flow",
        company_role_access=roles if roles is not None else ["user"],
        **extra,
    )


async def publish_ticket_type(db: Database, company_id: UUID, **kwargs: Any) -> TicketDefinitionPublished:
    """What the definitions consumer does with a `ticket_definition.published` event."""
    definition = ticket_definition(**kwargs)
    async with db.unit_of_work(company_id) as uow:
        await ticket_type_service.record_published(uow, definition)
    return definition


class Caller:
    """A user of a company as the gateway presents them."""

    def __init__(self, company_id: UUID, roles: list[str], company_roles: list[str]) -> None:
        self.company_id = company_id
        self.user_id = uuid7()
        self.roles = roles
        self.company_roles = company_roles

    @property
    def headers(self) -> dict[str, str]:
        return claims_headers(
            self.company_id, self.user_id, roles=self.roles, company_roles=self.company_roles
        )


def inbound_body(company_id: UUID, event_id: str = "erp-1", **overrides: Any) -> bytes:
    import json

    document = {
        "event_id": event_id,
        "company_id": str(company_id),
        "ticket_definition_key": "leave",
        "title": "Leave from the ERP",
        "ticket_data": VALID_LEAVE,
        "submitted_by_email": "erp@example.com",
        **overrides,
    }
    return json.dumps(document).encode()


async def create_ingest_key(db: Database, company_id: UUID, server_secret: str) -> tuple[UUID, str]:
    """An admin's ingest key, committed; returns its id and secret."""
    import time
    from datetime import timedelta

    from common.auth import Claims
    from tickets.ingest import service as ingest

    claims = Claims(
        company_id=company_id, user_id=uuid7(), roles=["admin"], company_roles=["user"], iat=int(time.time())
    )
    policy = ingest.KeyPolicy(server_secret=server_secret, rotation_grace=timedelta(hours=1))
    async with db.unit_of_work(company_id) as uow:
        created = await ingest.create_key(uow, claims, policy, "ERP")
    return created.id, created.secret


async def stream(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class TooLarge(Exception):
    pass


async def failing_after(chunks: list[bytes]) -> AsyncIterator[bytes]:
    """What the service's upload reader does when a file passes the size limit midway."""
    for chunk in chunks:
        yield chunk
    raise TooLarge


@dataclass(frozen=True)
class S3Store:
    """An S3-protocol server that checks every signature and session token, with one bucket
    and the temporary credentials of a role allowed to use it."""

    endpoint_url: str
    region: str
    bucket: str
    credentials: S3Credentials

    def storage(
        self, *, credentials: S3Credentials | None = None, part_bytes: int = 5 * 1024 * 1024
    ) -> S3Storage:
        return S3Storage(
            self.endpoint_url,
            self.bucket,
            self.region,
            credentials or self.credentials,
            part_bytes=part_bytes,
        )


def _policy(statement: dict[str, Any]) -> str:
    """An IAM policy document that allows one statement."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]})


async def start_s3_store(endpoint_url: str, region: "BucketLocationConstraintType", bucket: str) -> S3Store:
    """The bucket and a role, then temporary credentials for it; from then on the server
    refuses any request not signed with them."""
    session = get_session()
    # The server checks nothing yet: any key pair creates the bucket and the role.
    key, secret = "AKIAIOSFODNN7EXAMPLE", "setup-only"
    async with (
        session.create_client(
            "iam",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
        ) as iam,
        session.create_client(
            "sts",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
        ) as sts,
        session.create_client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
        ) as s3,
    ):
        await s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        role = await iam.create_role(
            RoleName="tickets",
            AssumeRolePolicyDocument=_policy({"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
        )
        await iam.put_role_policy(
            RoleName="tickets",
            PolicyName="attachments",
            PolicyDocument=_policy(
                {"Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}
            ),
        )
        assumed = await sts.assume_role(RoleArn=role["Role"]["Arn"], RoleSessionName="tickets-tests")
    async with httpx.AsyncClient() as http:
        (await http.post(f"{endpoint_url}/moto-api/reset-auth", content=b"0")).raise_for_status()
    keys = assumed["Credentials"]
    return S3Store(
        endpoint_url,
        region,
        bucket,
        S3Credentials(keys["AccessKeyId"], keys["SecretAccessKey"], keys["SessionToken"]),
    )
