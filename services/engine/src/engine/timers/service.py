"""The timer worker: fires due deadlines, even those that fell due while the engine was down.

Timers are stored, not held in memory, so a restart loses none. Each due timer is claimed with
`FOR UPDATE SKIP LOCKED` (replicas share the work without firing one twice), deleted, and
handled in the same transaction, scoped to the timer's company.
"""

import asyncio
import logging

from fastapi import FastAPI

from common.db import Database
from engine.config import EngineSettings
from engine.timers.repository import TimerRepository
from engine.workflows.runtime import WorkflowRuntime

log = logging.getLogger(__name__)


async def fire_due_timers(db: Database, settings: EngineSettings) -> int:
    """Fire up to a batch of due timers, one transaction each. Returns how many fired."""
    fired = 0
    while fired < settings.timer_batch_size:
        async with db.unit_of_work() as uow:
            timer = await TimerRepository.claim_next_due(uow.session)
            if timer is None:
                return fired
            await TimerRepository.remove(uow.session, timer)
            await uow.set_company(timer.company_id)
            await WorkflowRuntime(uow, settings).deadlines.fire(timer)
        fired += 1
    return fired


async def run_timers(app: FastAPI) -> None:
    settings: EngineSettings = app.state.settings
    while True:
        try:
            fired = await fire_due_timers(app.state.db, settings)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("firing timers failed; retrying")
            fired = 0
        if fired < settings.timer_batch_size:
            await asyncio.sleep(settings.timer_poll_seconds)
