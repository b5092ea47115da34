"""Where tests get their Postgres and Kafka: the ones the environment names
(`TEST_DATABASE_URL` / `DATABASE_URL`, `KAFKA_BOOTSTRAP_SERVERS`), else testcontainers when a
Docker engine answers, else the embedded ones: Postgres from its wheel and, by `TF_BROKER`,
Apache Kafka from Maven Central jars (`kafka`) or the Tansu broker (`embedded`, the default)."""

import asyncio
import atexit
import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from common.auth import Claims, sign_claims
from common.db import Database
from common.embedded import (
    ApacheKafka,
    EmbeddedKafka,
    EmbeddedPostgres,
    broker_kind,
    docker_available,
    free_port,
)
from common.kafka import ensure_topics
from common.settings import DEV_CLAIMS_SECRET, ServiceSettings
from contracts.ids import uuid7

T = TypeVar("T")
SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def postgres_admin_url() -> str:
    named = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if named:
        return named
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16-alpine", driver=None)
        container.start()
        atexit.register(container.stop)
        return str(container.get_connection_url())
    # Test databases are throwaway: no fsync (the fault suite starts a durable server of its own).
    pg = EmbeddedPostgres(throwaway_dir("tf-test-pg-"), free_port(), durable=False)
    pg.start()
    atexit.register(pg.stop)
    return pg.url


def kafka_bootstrap_servers() -> str:
    named = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if named:
        return named
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        container = KafkaContainer()
        container.start()
        atexit.register(container.stop)
        return str(container.get_bootstrap_server())
    kafka = new_broker()
    kafka.start()
    atexit.register(kafka.stop)
    return kafka.bootstrap_servers


def throwaway_dir(prefix: str) -> Path:
    """A temporary directory removed when the process exits. Registered before the server that
    lives in it registers its own stop, so (exit handlers run last-in, first-out) the server has
    stopped by the time its files go."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def new_broker() -> EmbeddedKafka | ApacheKafka:
    """An empty broker of the kind `TF_BROKER` names, not started yet."""
    if broker_kind() == "kafka":
        return ApacheKafka(throwaway_dir("tf-test-kafka-"))
    return EmbeddedKafka(free_port())


@contextmanager
def private_kafka() -> Iterator[str]:
    """A broker of one's own (empty, every topic created, of the kind `TF_BROKER` names), for
    tests whose consumers read a topic from its beginning and must not meet other tests'
    events there."""
    kafka = new_broker()
    kafka.start()
    try:
        run_in_thread(asyncio.run, ensure_topics(kafka.bootstrap_servers))
        yield kafka.bootstrap_servers
    finally:
        kafka.stop()


def run_in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking code that calls `asyncio.run` (Alembic, migrate) away from the test loop."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn(*args))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def create_database(admin_url: str, prefix: str) -> str:
    """A fresh database on the test server; returns its admin URL."""
    name = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{int(time.time() * 1000) % 10**9}"

    async def create() -> None:
        url = make_url(admin_url).set(drivername="postgresql", database="postgres")
        conn = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_in_thread(asyncio.run, create())
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def migrated_settings(
    settings_cls: type[SettingsT], admin_url: str, kafka: str, migrations_dir: Path
) -> SettingsT:
    """Settings of a service on a fresh, migrated database of its own."""
    from common.migrations import migrate

    service_name = getattr(settings_cls, "service_name", "svc")
    settings = settings_cls(
        env="test",
        database_admin_url=create_database(admin_url, f"t_{service_name}"),
        kafka_bootstrap_servers=kafka,
        claims_secret=DEV_CLAIMS_SECRET,
        # Tests share one broker: a group of their own keeps them from joining each other's.
        consumer_group=f"{service_name}-{uuid7().hex[:12]}",
    )
    run_in_thread(migrate, settings, migrations_dir)
    return settings


@asynccontextmanager
async def rolled_back_database(settings: ServiceSettings) -> AsyncIterator[Database]:
    """A Database, connected as the service's app role, whose every unit of work is a savepoint
    of one transaction rolled back when the test ends."""
    engine = create_async_engine(settings.runtime_database_url(), poolclass=NullPool)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield Database.bound_to(connection, settings.db_schema)
        finally:
            await transaction.rollback()
    await engine.dispose()


def claims_headers(
    company_id: UUID,
    user_id: UUID | None = None,
    roles: list[str] | None = None,
    company_roles: list[str] | None = None,
    secret: str = DEV_CLAIMS_SECRET,
) -> dict[str, str]:
    """The headers the gateway would inject for this caller."""
    claims = Claims(
        company_id=company_id,
        user_id=user_id or uuid7(),
        roles=roles if roles is not None else ["user"],
        company_roles=company_roles if company_roles is not None else ["user"],
        iat=int(time.time()),
    )
    return sign_claims(claims, secret)
