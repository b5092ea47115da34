"""What a step adds, written in one statement of one fixed shape.

A step adds rows nothing in it reads back: the task it enters, its history row, its decision,
an assignment record, its timers (and the timers it cancels), and the events it raised. They go to Postgres in one
round trip: one INSERT per table as a CTE of the outbox INSERT, each taking its rows from
arrays (one array per column, `unnest` makes them rows again). The text never changes, so it is
compiled and prepared once per connection whatever the step added; a table with nothing to add
gets empty arrays and inserts no row.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

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
_ON_CONFLICT = {
    "timers": " ON CONFLICT (company_id, task_instance_id, kind) "
    "DO UPDATE SET attempt = excluded.attempt, due_at = excluded.due_at",
}


def _insert_from_arrays(schema: str, table: str) -> str:
    columns = _TABLES[table]
    names = ", ".join(name for name, _ in columns)
    # JSON travels as text (asyncpg sends text[] as it is) and is cast per value.
    arrays = ", ".join(
        f"CAST(:{table}_{name} AS {'text' if kind == 'jsonb' else kind}[])" for name, kind in columns
    )
    values = ", ".join(f"r.{name}::jsonb" if kind == "jsonb" else f"r.{name}" for name, kind in columns)
    # Every name here is one of this module's constants; the values are all bound parameters.
    return (
        f'INSERT INTO "{schema}".{table} (company_id, {names}) '  # noqa: S608
        f"SELECT CAST(:company_id AS uuid), {values} FROM unnest({arrays}) AS r({names})"
        + _ON_CONFLICT.get(table, "")
    )


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
        "WITH "
        + ", ".join(f"added_{table} AS ({_insert_from_arrays(schema, table)})" for table in _TABLES)
        + f", cancelled_timers AS ({cancelled}) "
        # As the unit of work writes them.
        + outbox_insert(schema, prefix="outbox_")
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


@dataclass
class Additions:
    """Rows of a step (dicts by column name), until they are written."""

    tasks: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    timers: list[tuple[UUID, str, int, datetime]] = field(default_factory=list)
    cancelled_timers: list[UUID] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.tasks
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
            for name, kind in columns:
                values = [row[name] for row in rows[table]]
                params[f"{table}_{name}"] = [_json(v) for v in values] if kind == "jsonb" else values
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
