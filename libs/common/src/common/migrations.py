"""Schema ownership and Alembic, shared by every service's `migrate` command.

`migrate` connects with the admin URL and, under an advisory lock (services may migrate at
once), makes sure of: the owner role (NOLOGIN; the migrations run as it through SET ROLE, so it
owns every table), the app role (LOGIN, NOSUPERUSER, NOBYPASSRLS, owns nothing, DML on its
schema alone), and the schema. Then Alembic upgrades the schema's own history.
"""

import asyncio
import random
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from common.messaging_tables import MessagingTables
from common.settings import ServiceSettings

_ROLES_LOCK = 0x7F10_0E55


def _quote(identifier: str) -> str:
    if not identifier.replace("_", "").isalnum():
        raise ValueError(f"unsafe identifier {identifier!r}")
    return f'"{identifier}"'


async def prepare_schema(settings: ServiceSettings) -> None:
    # The advisory lock serialises services migrating one database; roles belong to the whole
    # cluster, so two databases of one cluster (test databases, or two environments) can still
    # create or alter the same role at once, which Postgres refuses ("tuple concurrently
    # updated", "role already exists"). Every step here checks before it acts, so such a
    # collision is simply tried again, after a random pause (runs that collided and waited
    # alike would collide again, in step).
    attempts = 12
    for attempt in range(1, attempts + 1):
        try:
            await _prepare_schema_once(settings)
            return
        except (
            asyncpg.InternalServerError,
            asyncpg.DuplicateObjectError,
            asyncpg.UniqueViolationError,
        ) as exc:
            collided = not isinstance(exc, asyncpg.InternalServerError) or "concurrently updated" in str(exc)
            if not collided or attempt == attempts:
                raise
            await asyncio.sleep(random.uniform(0.01, 0.05 * attempt))


async def _prepare_schema_once(settings: ServiceSettings) -> None:
    admin = make_url(settings.admin_database_url()).set(drivername="postgresql")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    owner, app, schema = (_quote(n) for n in (settings.owner_role, settings.app_role, settings.db_schema))
    password = settings.app_password().replace("'", "''")
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _ROLES_LOCK)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", settings.owner_role):
                await conn.execute(f"CREATE ROLE {owner} NOLOGIN")
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", settings.app_role):
                await conn.execute(f"CREATE ROLE {app} LOGIN")
            await conn.execute(
                f"ALTER ROLE {app} WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE "
                f"PASSWORD '{password}'"
            )
            is_super = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not is_super:
                await conn.execute(f"GRANT {owner} TO CURRENT_USER")
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {owner}")
            database = _quote(await conn.fetchval("SELECT current_database()"))
            await conn.execute(f"GRANT CONNECT ON DATABASE {database} TO {app}")
            await conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
            await conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}"
            )
            await conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {app}"
            )
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _ROLES_LOCK)
    finally:
        await conn.close()


def alembic_config(settings: ServiceSettings, migrations_dir: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.attributes["settings"] = settings
    return cfg


def migrate(settings: ServiceSettings, migrations_dir: Path) -> None:
    """Create the schema and roles if needed, then upgrade to the latest revision."""
    asyncio.run(prepare_schema(settings))
    command.upgrade(alembic_config(settings, migrations_dir), "head")


def run_alembic_env(target_metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    settings: ServiceSettings = context.config.attributes["settings"]
    schema = settings.db_schema

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "schema":
            return name == schema
        return True

    def do_run(connection: Connection) -> None:
        # Replicas may start (and migrate) together: one upgrades, the others wait, then find
        # nothing left to do.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock(hashtext('alembic:{schema}'))")
        connection.exec_driver_sql(f"SET ROLE {_quote(settings.owner_role)}")
        connection.exec_driver_sql(f"SET search_path TO {_quote(schema)}")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(settings.admin_database_url(), poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run())


def tenant_policy_sql(schema: str, table: str) -> list[str]:
    """Row-level security for a company table: ENABLEd and FORCEd (the owner is bound too),
    with the same predicate for reading (USING) and writing (WITH CHECK)."""
    qualified = f"{_quote(schema)}.{_quote(table)}"
    predicate = "company_id = NULLIF(current_setting('app.company_id', true), '')::uuid"
    return [
        f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {qualified} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {qualified} USING ({predicate}) WITH CHECK ({predicate})",
    ]


def enable_tenant_rls(schema: str, *tables: str) -> None:
    """For use inside an Alembic migration."""
    for table in tables:
        for statement in tenant_policy_sql(schema, table):
            op.execute(statement)


def create_messaging_tables(schema: str) -> None:
    """For use inside a service's first Alembic migration: outbox, inbox, consumer failures."""
    MessagingTables.for_schema(schema).metadata.create_all(op.get_bind())


def drop_messaging_tables(schema: str) -> None:
    MessagingTables.for_schema(schema).metadata.drop_all(op.get_bind())
