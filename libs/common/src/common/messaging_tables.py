"""The infrastructure tables every service schema holds: the outbox, the inbox of handled
event ids, and the failure counts of events that could not be handled yet.

They carry no tenant data of their own and are read across companies by the relay and the
consumers, so they have no row-level security.
"""

from functools import cache
from typing import Self

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


class MessagingTables:
    def __init__(self, schema: str) -> None:
        self.metadata = MetaData(schema=schema)
        self.outbox = Table(
            "outbox",
            self.metadata,
            Column("position", Integer, primary_key=True, autoincrement=True),
            Column("event_id", Uuid, nullable=False, unique=True),
            Column("topic", String(200), nullable=False),
            Column("key", String(200), nullable=False),
            Column("payload", JSONB, nullable=False),
            Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
            Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
            Column("published_at", DateTime(timezone=True), nullable=True),
            Index(
                "ix_outbox_unpublished",
                "position",
                postgresql_where=text("published_at IS NULL"),
            ),
            Index("ix_outbox_published_at", "published_at"),
        )
        self.inbox = Table(
            "inbox",
            self.metadata,
            Column("consumer_group", String(100), primary_key=True),
            Column("event_id", Uuid, primary_key=True),
            Column("outcome", String(20), nullable=False, server_default="handled"),
            Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        )
        self.consumer_failures = Table(
            "consumer_failures",
            self.metadata,
            Column("consumer_group", String(100), primary_key=True),
            Column("event_id", Uuid, primary_key=True),
            Column("attempts", Integer, nullable=False),
            Column("last_error", Text, nullable=False),
            Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        )

    @classmethod
    @cache
    def for_schema(cls, schema: str) -> Self:
        return cls(schema)
