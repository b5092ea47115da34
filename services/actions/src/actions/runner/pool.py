"""The runners' pool in one process: many calls in flight, fair between companies.

Jobs wait in the database (`action_queue`), one queue per company in effect: a take hands out
due jobs in turns across companies, and never more of one company than its in-flight cap
minus what this process already runs of it. So a company whose receiving system is slow or
failing fills only its own slots; every other company's jobs are taken as soon as they are
due. Any number of processes share the queue (`FOR UPDATE SKIP LOCKED`); a job is leased to
the process that took it, and a lease that runs out (its process died) makes the job due
again for any other."""

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import Counter
from uuid import UUID

from actions.runner.repository import ActionQueueRepository, Claim
from actions.runner.service import ActionRunner
from common.db import Database
from contracts.ids import uuid7

log = logging.getLogger(__name__)


class ActionPool:
    def __init__(self, db: Database, runner: ActionRunner, *, owner: str | None = None) -> None:
        self.db = db
        self.runner = runner
        self.settings = runner.settings
        self.owner = (owner or f"{socket.gethostname()}:{os.getpid()}:{uuid7().hex[-8:]}")[:100]
        self.in_flight: Counter[UUID] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def fill(self) -> int:
        """Take as many due jobs as there are free slots, and start them. Returns how many."""
        free = self.settings.max_in_flight - len(self._tasks)
        if free <= 0:
            return 0
        async with self.db.unit_of_work() as uow:
            claims = await ActionQueueRepository(uow.session).claim(
                self.owner,
                busy={company: n for company, n in self.in_flight.items() if n > 0},
                company_cap=self.settings.company_max_in_flight,
                free=free,
            )
        for claim in claims:
            self.in_flight[claim.company_id] += 1
            task = asyncio.create_task(self._run(claim))
            self._tasks.add(task)
        return len(claims)

    async def _run(self, claim: Claim) -> None:
        try:
            await self.runner.run_try(self.db, claim, self.owner)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The lease runs out and the job is taken again; its calls are counted, so a job
            # that keeps failing here ends as failed rather than looping.
            log.exception("running the job of task %s failed", claim.task_instance_id)
        finally:
            self.in_flight[claim.company_id] -= 1
            if self.in_flight[claim.company_id] <= 0:
                del self.in_flight[claim.company_id]
            current = asyncio.current_task()
            if current is not None:
                self._tasks.discard(current)
            self.runner.wakeup.set()

    async def run(self) -> None:
        """Take work whenever a job is queued here, a slot frees, or the poll interval passes
        (jobs queued by other processes, retries falling due, leases running out)."""
        wakeup = self.runner.wakeup
        try:
            while True:
                wakeup.clear()
                try:
                    await self.fill()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("taking action jobs failed; trying again")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), self.settings.pool_poll_seconds)
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Cancel the calls in flight and hand their jobs back, due at once, so another runner
        takes them without waiting for the leases to run out."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        try:
            async with self.db.unit_of_work() as uow:
                released = await ActionQueueRepository(uow.session).release(self.owner)
            if released:
                log.info("handed back %d action jobs", released)
        except Exception:
            log.exception("handing back action jobs failed; their leases will run out")

    async def drain(self, within: float = 30.0) -> None:
        """Run jobs until the queue is empty, waiting for scheduled retries to fall due."""
        deadline = time.monotonic() + within
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"action jobs still queued after {within}s")
            await self.fill()
            if self._tasks:
                await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
                continue
            async with self.db.unit_of_work() as uow:
                due_in = await ActionQueueRepository(uow.session).next_due_in()
            if due_in is None:
                return
            await asyncio.sleep(min(max(due_in, 0.005), 0.2))
