"""What a step writes, in one statement of one fixed shape.

A step adds rows nothing in it reads back: the task it enters, its history row, its decision,
an assignment record, its timers (and the timers it cancels), and the events it raised. It
changes rows it has locked: the instance and the task it worked on. All of it goes to Postgres
in one round trip: one INSERT per table it adds to and one UPDATE per table it changes, each a
CTE taking its rows from one JSON document (`jsonb_to_recordset`; a step writes a row or two
per table, and an array per column cost more to send and unpack than the writes themselves).
The events go to the outbox as the unit of work writes them, from arrays. The text never
changes, so it is compiled and prepared once per connection whatever the step wrote; a table
with nothing to add or change gets an empty document and touches no row.

A changed row is written whole, in the columns a step may change (`CHANGEABLE`), from the
values the step holds; a task's version moves on by one and must still be the one the step
read, as the ORM's own version check has it. The statement answers with each changed row's
new `updated_at` (and a task's version), so the objects in the session end as the database
has them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from common import jsontext
from common.db import OutboxRows, outbox_insert
from common.repository import CompanyRepository
from contracts.ids import uuid7
from engine.models import HistoryEntry

# The columns each table gets rows of (besides company_id, the step's own), with their SQL types.
_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    # The task a step enters, as a whole row: no later statement of the step reads it.
    "task_instances": (
        ("id", "uuid"),
        ("workflow_instance_id", "uuid"),
        ("sequence", "integer"),
        ("task_key", "text"),
        ("name", "text"),
        ("task_type", "text"),
        ("status", "text"),
        ("output", "jsonb"),
        ("assignee_id", "uuid"),
        ("assigned_at", "timestamptz"),
        ("assignment", "jsonb"),
        ("attempt", "integer"),
        ("retries", "integer"),
        ("request_id", "uuid"),
        ("deadline_at", "timestamptz"),
        ("started_at", "timestamptz"),
        ("completed_at", "timestamptz"),
        ("error", "text"),
        ("due_at", "timestamptz"),
        ("escalated_at", "timestamptz"),
        ("version", "integer"),
    ),
    "history": (
        ("id", "uuid"),
        ("workflow_instance_id", "uuid"),
        ("task_instance_id", "uuid"),
        ("action", "text"),
        ("actor_kind", "text"),
        ("actor_id", "text"),
        ("detail", "text"),
        ("data_before", "jsonb"),
        ("data_after", "jsonb"),
        ("info", "jsonb"),
        ("entries", "jsonb"),
    ),
    "decisions": (
        ("id", "uuid"),
        ("workflow_instance_id", "uuid"),
        ("from_task_instance_id", "uuid"),
        ("from_task_key", "text"),
        ("to_task_key", "text"),
        ("outcome", "text"),
        ("tried", "jsonb"),
        ("reason", "text"),
    ),
    "assignments": (
        ("id", "uuid"),
        ("task_instance_id", "uuid"),
        ("workflow_instance_id", "uuid"),
        ("assignee_id", "uuid"),
        ("previous_assignee_id", "uuid"),
        ("made_by", "text"),
        ("actor_id", "text"),
        ("strategy", "text"),
        ("reason", "jsonb"),
    ),
    "timers": (
        ("id", "uuid"),
        ("task_instance_id", "uuid"),
        ("kind", "text"),
        ("attempt", "integer"),
        ("due_at", "timestamptz"),
    ),
}
# The columns a step may change of the rows it locked, with their SQL types. A change of any
# other column is left to the ORM's flush.
CHANGEABLE: dict[str, tuple[tuple[str, str], ...]] = {
    "workflow_instances": (
        ("status", "text"),
        ("workflow_data", "jsonb"),
        ("current_task_instance_id", "uuid"),
        ("incident", "jsonb"),
        ("completed_at", "timestamptz"),
        ("outcome", "jsonb"),
    ),
    # A task as it is inserted, less what is fixed when it is created and the version, which
    # the update moves on itself.
    "task_instances": tuple(
        column
        for column in _TABLES["task_instances"]
        if column[0] not in ("id", "workflow_instance_id", "sequence", "task_key", "name", "task_type", "version")
    ),
}
# The tables whose rows carry a version the update checks and moves on.
_VERSIONED = ("task_instances",)
_ON_CONFLICT = {
    "timers": " ON CONFLICT (company_id, task_instance_id, kind) "
    "DO UPDATE SET attempt = excluded.attempt, due_at = excluded.due_at",
}


def _rows_of(parameter: str, columns: Sequence[tuple[str, str]]) -> str:
    """Rows given as one JSON array of objects, typed by column (`jsonb_to_recordset`): a step
    writes a row or two per table, and one document costs less to send and read than an array
    per column did."""
    record = ", ".join(f"{name} {kind}" for name, kind in columns)
    return f"jsonb_to_recordset(CAST(:{parameter} AS jsonb)) AS r({record})"


def _insert_from_rows(schema: str, table: str) -> str:
    columns = _TABLES[table]
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(f"r.{name}" for name, _ in columns)
    # Every name here is one of this module's constants; the values are all bound parameters.
    return (
        f'INSERT INTO "{schema}".{table} (company_id, {names}) '  # noqa: S608
        f"SELECT CAST(:company_id AS uuid), {values} FROM {_rows_of(f'added_{table}', columns)}"
        + _ON_CONFLICT.get(table, "")
    )


def _keys_of(table: str) -> tuple[tuple[str, str], ...]:
    """What finds a changed row: its id, and for a versioned table the version the step read."""
    return (("id", "uuid"), ("version", "integer")) if table in _VERSIONED else (("id", "uuid"),)


def _update_from_rows(schema: str, table: str) -> str:
    columns = CHANGEABLE[table]
    sets = [f"{name} = r.{name}" for name, _ in columns]
    sets.append("updated_at = now()")
    check = ""
    version = "NULL::integer"
    if table in _VERSIONED:
        sets.append("version = t.version + 1")
        check = " AND t.version = r.version"
        version = "t.version"
    rows = _rows_of(f"changed_{table}", (*_keys_of(table), *columns))
    # Every name here is one of this module's constants; the values are all bound parameters.
    return (
        f'UPDATE "{schema}".{table} AS t SET {", ".join(sets)} FROM {rows} '  # noqa: S608
        f"WHERE t.company_id = CAST(:company_id AS uuid) AND t.id = r.id{check} "
        f"RETURNING t.id, t.updated_at, {version} AS version"
    )


def _document(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """Rows as the JSON document `_rows_of` reads: each with the columns named, and no more."""
    return jsontext.dumps([{name: row[name] for name, _ in columns} for row in rows])


@cache
def statement_for(schema: str) -> TextClause:
    """The statement, naming the tables of the service's configured schema (one text per schema:
    it is compiled and prepared once per connection)."""
    # The schema comes from the service's settings and every other name is a constant of this
    # module; the values are all bound parameters.
    cancelled = (
        f'DELETE FROM "{schema}".timers WHERE company_id = CAST(:company_id AS uuid) '  # noqa: S608
        "AND task_instance_id = ANY(CAST(:cancelled_timers AS uuid[]))"
    )
    return text(
        "WITH "  # noqa: S608
        + ", ".join(f"added_{table} AS ({_insert_from_rows(schema, table)})" for table in _TABLES)
        + f", cancelled_timers AS ({cancelled}), "
        + ", ".join(f"changed_{table} AS ({_update_from_rows(schema, table)})" for table in CHANGEABLE)
        # The outbox rows as the unit of work writes them.
        + f", added_outbox AS ({outbox_insert(schema, prefix='outbox_')}) "
        + " UNION ALL ".join(f"SELECT id, updated_at, version FROM changed_{table}" for table in CHANGEABLE)  # noqa: S608
    )


@dataclass
class Additions:
    """Rows of a step (dicts by column name), until they are written."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    timers: list[tuple[UUID, str, int, datetime]] = field(default_factory=list)
    cancelled_timers: list[UUID] = field(default_factory=list)
    # Locked rows the step changed, by table: their id (and a task's version as read), and
    # every column of `CHANGEABLE`.
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            any(self.changed.values())
            or self.tasks
            or self.history
            or self.decisions
            or self.assignments
            or self.timers
            or self.cancelled_timers
        )


class AdditionsRepository(CompanyRepository[HistoryEntry]):
    model = HistoryEntry

    def __init__(self, session: AsyncSession, company_id: UUID, schema: str) -> None:
        super().__init__(session, company_id)
        self.schema = schema

    def statement(self, added: Additions, outbox: OutboxRows | None) -> tuple[TextClause, dict[str, Any]]:
        """The one statement and its parameters: every row of the company named by the repository."""
        rows: dict[str, Sequence[dict[str, Any]]] = {
            "task_instances": added.tasks,
            "history": added.history,
            "decisions": added.decisions,
            "assignments": added.assignments,
            "timers": [
                {"id": timer_id, "task_instance_id": task, "kind": kind, "attempt": attempt, "due_at": due}
                for task, kind, attempt, due in added.timers
                for timer_id in (uuid7(),)
            ],
        }
        params: dict[str, Any] = {"company_id": self.company_id, "cancelled_timers": added.cancelled_timers}
        for table, columns in _TABLES.items():
            params[f"added_{table}"] = _document(rows[table], columns)
        for table, columns in CHANGEABLE.items():
            params[f"changed_{table}"] = _document(added.changed.get(table, []), (*_keys_of(table), *columns))
        empty: OutboxRows = ([], [], [], [], [])
        event_ids, topics, keys, payloads, headers = outbox or empty
        params.update(
            outbox_event_ids=event_ids,
            outbox_topics=topics,
            outbox_keys=keys,
            outbox_payloads=payloads,
            outbox_headers=headers,
        )
        return statement_for(self.schema), params
