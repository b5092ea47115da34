"""One step of the workflow runtime: everything one message, request or timer does to the
instances of one company, inside the caller's unit of work. Nothing here commits.

Every operation first locks the workflow instance row, so the API, the consumer and the timer
worker change one instance one after another.

A step writes one history row per instance: the first change it records is the row, the rest
ride along in its `entries`. Events are only those a consumer needs: an action task, created
and started in one step, announces only its start, and a task left for the next one in the same
step is announced by the next one's event (or the workflow's end or incident).

A step's writes cost as few round trips as they can: the instance and the task it works on are
locked and read in one statement; at the end, one statement (`write`, see `additions`) writes
what the step changed of them and everything it only adds (the task it enters, its history
row, its decision, its timers, the events it raised). A consumer's handler sends it when its
event is applied. Every other caller's transaction sends the additions just before it commits,
after the ORM's flush of what it changed.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstanceState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from common.db import UnitOfWork, driver_fetch
from common.errors import NotFound
from common.expressions import ExpressionLimits
from contracts.engine import WorkflowEvent
from contracts.ids import uuid7
from engine.config import EngineSettings
from engine.definitions.repository import DefinitionRepository
from engine.definitions.service import PLANS, WorkflowPlan
from engine.models import TaskInstance, WorkflowInstance
from engine.tasks.repository import TaskRepository
from engine.timers.repository import TimerRepository
from engine.workers.repository import WorkerRepository
from engine.workflows.additions import CHANGEABLE, Additions, AdditionsRepository
from engine.workflows.repository import WorkflowRepository


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def spoken(moment: datetime) -> str:
    """A moment as a history line says it to people ("2 Dec 2026, 13:20 UTC"); the exact value
    travels in the entry's `info`."""
    return aware(moment).astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def _task_row(task: TaskInstance) -> dict[str, Any]:
    """A new task's columns as its INSERT would write them (the first version; the timestamps
    are the table's defaults)."""
    row = {column.key: getattr(task, column.key) for column in _TASK_COLUMNS}
    row["company_id"] = task.company_id
    row["attempt"] = row["attempt"] or 0
    row["retries"] = row["retries"] or 0
    row["version"] = 1
    return row


_TASK_COLUMNS = [
    column for column in TaskInstance.__table__.columns if column.key not in ("created_at", "updated_at")
]


class Step:
    def __init__(self, uow: UnitOfWork, settings: EngineSettings, *, writes_itself: bool = False) -> None:
        assert uow.company_id is not None, "the runtime works inside one company"
        self.uow = uow
        self.settings = settings
        self.company_id: UUID = uow.company_id
        session = uow.session
        self.workflows = WorkflowRepository(session, self.company_id)
        self.tasks = TaskRepository(session, self.company_id)
        self.definitions = DefinitionRepository(session, self.company_id)
        self.workers = WorkerRepository(session, self.company_id)
        self.timers = TimerRepository(session, self.company_id)
        self.limits = ExpressionLimits(settings.expression_timeout_ms, settings.expression_max_depth)
        # What the step adds, written by `write`: a history row per instance, and the rows of
        # other tables (decisions, assignment records; the timers are held by their repository).
        self._history: dict[UUID, dict[str, Any]] = {}
        self._added = Additions()
        self._additions = AdditionsRepository(session, self.company_id, uow.db.schema)
        # A consumer's handler sends the step with `write` itself: no commit hook to register
        # (listening on a session costs its own event dispatch, every step).
        self._hooked = writes_itself
        self.timers.on_pending = self._hook

    # -- reading -------------------------------------------------------------------------

    async def plan(self, instance: WorkflowInstance) -> WorkflowPlan:
        plan = PLANS.get(self.company_id, instance.workflow_definition_id)
        if plan is None:
            definition = await self.definitions.workflow_by_id(instance.workflow_definition_id)
            if definition is None:
                raise RuntimeError(f"definition {instance.workflow_definition_id} of {instance.id} is gone")
            plan = PLANS.put(self.company_id, WorkflowPlan.of(definition))
        return plan

    async def locked_instance(self, instance_id: UUID) -> WorkflowInstance:
        instance = await self.workflows.get(instance_id, for_update=True)
        if instance is None:
            raise NotFound("No such workflow instance.")
        return instance

    async def locked_task(self, task_id: UUID) -> tuple[WorkflowInstance, TaskInstance]:
        """The task and its instance, both locked (the instance first) and read as they are."""
        found = await self.workflows.locked_with_task(task_id)
        if found is None:
            raise NotFound("No such task.")
        return found

    # -- recording -----------------------------------------------------------------------

    async def record(
        self,
        instance: WorkflowInstance,
        task: TaskInstance | None,
        action: str,
        detail: str = "",
        *,
        data_before: dict[str, Any] | None = None,
        data_after: dict[str, Any] | None = None,
        info: dict[str, Any] | None = None,
    ) -> None:
        """Note a change of the instance in this step's history row (see the module doc)."""
        row = self._history.get(instance.id)
        if row is None:
            self._history[instance.id] = {
                "company_id": self.company_id,
                "id": uuid7(),
                "workflow_instance_id": instance.id,
                "task_instance_id": task.id if task else None,
                "action": action,
                "actor_kind": self.uow.actor.kind,
                "actor_id": self.uow.actor.id,
                "detail": detail,
                "data_before": data_before,
                "data_after": data_after,
                "info": info,
                "entries": None,
            }
            self._hook()
            return
        row["entries"] = [
            *(row["entries"] or []),
            {
                "id": str(uuid7()),
                "task_instance_id": str(task.id) if task else None,
                "action": action,
                "detail": detail,
                "data_before": data_before,
                "data_after": data_after,
                "info": info,
                "occurred_at": now_utc().isoformat(),
            },
        ]

    def decide(self, decision: dict[str, Any]) -> None:
        """Add a decision (the columns of `Decision`) to what the step writes."""
        self._added.decisions.append({"id": uuid7(), **decision})
        self._hook()

    def add_assignment(self, record: dict[str, Any]) -> None:
        """Add an assignment record (the columns of `AssignmentRecord`) to what the step writes."""
        self._added.assignments.append(record)
        self._hook()

    def _hook(self) -> None:
        # A caller that does not `write` (the API, the timer worker) has the step's additions
        # written when its transaction commits.
        if not self._hooked:
            self._hooked = True
            event.listen(self.uow.session.sync_session, "before_commit", self._before_commit, once=True)

    def _before_commit(self, session: Session) -> None:
        pending = self._pending()
        if pending is not None:
            session.flush()
            session.execute(*pending)

    def _pending(self) -> tuple[TextClause, dict[str, Any]] | None:
        """What the step added, as its one statement (see `additions`), and forgotten here: the
        history rows, the other rows, the timers, and the outbox rows raised so far."""
        added = self._added
        added.history = list(self._history.values())
        added.timers, added.cancelled_timers = self.timers.pending()
        self._history = {}
        self._added = Additions()
        if not added:
            return None
        return self._additions.statement(added, self.uow.take_outbox_rows())

    async def write(self) -> None:
        """Send the step's writes now, in one statement (see the module doc): what the step
        added, with the task it entered, and the changes of the instance and the tasks it
        locked. Anything else the session holds changed goes by the ORM's flush first."""
        session = self.uow.session
        for task in [item for item in session.new if isinstance(item, TaskInstance)]:
            # Written with the additions rather than by the flush. Nothing later in the step
            # reads it, and a later step of the same transaction reads the row.
            session.expunge(task)
            self._added.tasks.append(_task_row(task))
        changed, left = self._take_changes(session)
        if session.new or session.deleted or left:
            await self.workflows.flush()
        pending = self._pending()
        if pending is None:
            return
        written = {row["id"]: row for row in await driver_fetch(session, *pending)}
        for item, table in changed:
            row = written.get(item.id)
            if row is None:
                # Another writer changed the task since the step read it, as the ORM's version
                # check would have found.
                raise StaleDataError(f"{table} {item.id} was changed by another writer")
            set_committed_value(item, "updated_at", row["updated_at"])
            if row["version"] is not None:
                set_committed_value(item, "version", row["version"])

    def _take_changes(
        self, session: AsyncSession
    ) -> tuple[list[tuple[WorkflowInstance | TaskInstance, str]], bool]:
        """The instance and tasks of this company the step changed only in columns `write` may
        write (`CHANGEABLE`), put in its additions as whole rows and marked unchanged in the
        session, so no flush writes them again; and whether any change is left for the flush."""
        taken: list[tuple[WorkflowInstance | TaskInstance, str]] = []
        left = False
        for item in list(session.dirty):
            state: InstanceState[Any] = inspect(item)
            keys = _changed_keys(state)
            if not keys:
                continue
            if not isinstance(item, WorkflowInstance | TaskInstance) or item.company_id != self.company_id:
                left = True  # left to the flush
                continue
            table = item.__tablename__
            columns = _CHANGEABLE_NAMES[table]
            if not columns.issuperset(keys) or not columns <= state.dict.keys():
                left = True
                continue
            row = {name: state.dict[name] for name in columns}
            row["id"] = item.id
            if isinstance(item, TaskInstance):
                row["version"] = item.version
            self._added.changed.setdefault(table, []).append(row)
            for key in keys:
                set_committed_value(item, key, state.dict[key])
            taken.append((item, table))
        return taken, left

    async def write_history(self) -> None:
        """Write the step's history now, for a caller that reads it back."""
        await self.write()

    async def emit(
        self,
        event: type[WorkflowEvent],
        instance: WorkflowInstance,
        task: TaskInstance | None = None,
        detail: str = "",
        **fields: Any,
    ) -> None:
        """Publish `event` about the instance (and task); `fields` are those only that event
        type carries (a completed workflow's outcome)."""
        await self.uow.publish(
            event(
                workflow_instance_id=instance.id,
                ticket_id=instance.ticket_id,
                workflow_status=instance.status,
                task_instance_id=task.id if task else None,
                task_key=task.task_key if task else None,
                task_name=task.name if task else None,
                task_status=task.status if task else None,
                assignee_id=task.assignee_id if task else None,
                detail=detail,
                due_at=task.due_at if task else None,
                **fields,
            )
        )


# The names of the columns `write` writes itself, per table it changes rows of.
_CHANGEABLE_NAMES = {table: frozenset(name for name, _ in columns) for table, columns in CHANGEABLE.items()}


def _changed_keys(state: InstanceState[Any]) -> list[str]:
    """The attributes of a loaded object that hold a change. Only one set since the object was
    loaded (or last written) has its old value kept (`committed_state`); of those, the ones set
    to a different value, as the session's own check compares them: asking every attribute of
    every dirty object instead was a fifth of what a step's write cost."""
    attrs = state.attrs
    return [key for key in state.committed_state if attrs[key].history.has_changes()]


class Part:
    """A part of the runtime (progress, assignment, deadlines, admin) working in one step."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.uow = step.uow
        self.settings = step.settings
        self.company_id = step.company_id
        self.workflows = step.workflows
        self.tasks = step.tasks
        self.definitions = step.definitions
        self.workers = step.workers
        self.timers = step.timers
        self.limits = step.limits
        self.plan = step.plan
        self.locked_instance = step.locked_instance
        self.locked_task = step.locked_task
        self.record = step.record
        self.emit = step.emit
