"""The workflow runtime of one step, by what it does: progress (start, step, action results,
FORM operations), assignment, due dates and their escalation, deadlines (the durable timers) and the ticket team's admin
operations. Consumers, the timer worker and the features' services each build one per unit of
work and call the part they need."""

from common.db import UnitOfWork
from engine.config import EngineSettings
from engine.workflows.admin import Admin
from engine.workflows.assignment import Assignment
from engine.workflows.deadlines import Deadlines
from engine.workflows.due import DueDates
from engine.workflows.progress import Progress
from engine.workflows.step import Step


class WorkflowRuntime:
    def __init__(self, uow: UnitOfWork, settings: EngineSettings, *, writes_itself: bool = False) -> None:
        self.step = Step(uow, settings, writes_itself=writes_itself)
        self.assignment = Assignment(self.step)
        self.due = DueDates(self.step, self.assignment)
        self.progress = Progress(self.step, self.assignment, self.due)
        self.deadlines = Deadlines(self.step, self.progress, self.due)
        self.admin = Admin(self.step, self.progress, self.assignment)

    @classmethod
    def for_event(cls, uow: UnitOfWork, settings: EngineSettings) -> "WorkflowRuntime":
        """The runtime of a consumer's handler, which ends with `write` (and a handler that
        raises has its transaction rolled back, so nothing is left for the commit)."""
        return cls(uow, settings, writes_itself=True)

    async def write(self) -> None:
        """Send the step's writes now (a consumer, once its event is applied: the next event of
        the batch starts a step of its own)."""
        await self.step.write()

    async def write_history(self) -> None:
        """Write the step's history now, for a caller that reads it back."""
        await self.step.write_history()
