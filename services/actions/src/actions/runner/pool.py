"""The runners' pool in one process: many calls in flight, fair between companies.

Jobs wait in the database (`action_queue`), one queue per company in effect: a take hands out
due jobs in turns across companies, and never more of one company than its in-flight cap
minus what this process already runs of it. So a company whose receiving system is slow or
failing fills only its own slots; every other company's jobs are taken as soon as they are
due. Any number of processes share the queue (`FOR UPDATE SKIP LOCKED`); a job is leased to
the process that took it, and a lease that runs out (its process died) makes the job due
again for any other.

While the pool runs, a job recorded by this process's consumer when a slot is free for its
company (the process's and the company's in-flight caps both have room, and no fill is counting
the slots at that moment) is taken in the transaction that records it (`ActionRunner.handle`)
and handed over here once it commits, read from nowhere: the slot is reserved while that
transaction runs, and given back if it does not commit. A job so taken is held exactly as a claimed one (leased, its call counted), so a process
that dies with it leaves it to any other runner when the lease runs out. Other jobs wait for a
fill, which runs when one may be taken: a job queued here, a slot freed that a queued job may
have been waiting for (its company at its cap, the process full, or a fill under way that
counted the slot as taken), or the poll interval.

A fill is one transaction: the claim, then each company's jobs taken in one statement. What the
calls come to is group-committed: the results that arrive while a settle is being written are
written together in the next one, one transaction per company, so a burst of answers costs a
few transactions rather than one each. A company's slot is freed when its call returns, so
the next call starts while the result is being written; the process's slots count a job until
its settle has committed."""

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import Counter
from uuid import UUID

from actions.runner.repository import ActionQueueRepository
from actions.runner.service import ActionRunner, Prepared, Settlement, Slot
from common.db import Database
from contracts.ids import uuid7

log = logging.getLogger(__name__)

# How long a stopping pool waits for the results it holds to be written.
STOP_SETTLE_SECONDS = 5.0


class Reservation:
    """A slot held for a job the consumer is recording (`Slot`): filled or given back once, when
    the recording transaction has ended."""

    def __init__(self, pool: "ActionPool", company_id: UUID) -> None:
        self.pool = pool
        self.owner = pool.owner
        self.company_id = company_id
        self.prepared: Prepared | None = None
        self._ended = False

    def commit(self) -> None:
        if self._ended:
            return
        self._ended = True
        if self.prepared is None:
            self.pool._unreserve(self.company_id)
        else:
            self.pool._start_reserved(self.prepared)

    def release(self) -> None:
        if self._ended:
            return
        self._ended = True
        self.pool._unreserve(self.company_id)


class ActionPool:
    def __init__(self, db: Database, runner: ActionRunner, *, owner: str | None = None) -> None:
        self.db = db
        self.runner = runner
        self.settings = runner.settings
        self.owner = (owner or f"{socket.gethostname()}:{os.getpid()}:{uuid7().hex[-8:]}")[:100]
        # Calls in flight per company, the reserved slots included.
        self.in_flight: Counter[UUID] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        # Slots held for jobs being recorded by the consumer (`reserve`), and fills under way.
        self._reserved = 0
        self._filling = 0
        self._stopping = False
        # Settlements waiting for the next settle, and the task writing them (None when idle).
        self._unsettled: list[tuple[Settlement, asyncio.Future[bool]]] = []
        self._settler: asyncio.Task[None] | None = None

    @property
    def running(self) -> int:
        return len(self._tasks)

    def _free(self) -> int:
        return self.settings.max_in_flight - len(self._tasks) - self._reserved

    def _process_slot_freed(self, was_full: bool) -> None:
        # A due job may have been waiting for a process slot, or a fill under way counted this
        # one as taken.
        if was_full or self._filling:
            self.runner.wakeup.set()

    def reserve(self, company_id: UUID) -> Slot | None:
        """A slot for a job the consumer is recording, when the process and the company have one
        free; None otherwise (the job waits on the queue for a fill)."""
        if self._stopping or self._filling or self._free() <= 0:
            return None
        if self.in_flight[company_id] >= self.settings.company_max_in_flight:
            return None
        self._reserved += 1
        self.in_flight[company_id] += 1
        return Reservation(self, company_id)

    def _unreserve(self, company_id: UUID) -> None:
        was_full = self._free() <= 0
        self._reserved -= 1
        self._call_ended(company_id)
        self._process_slot_freed(was_full)

    def _start_reserved(self, prepared: Prepared) -> None:
        if self._stopping:
            # Its lease runs out (or the stop hands it back) and any runner takes it again.
            self._unreserve(prepared.claim.company_id)
            return
        self._reserved -= 1
        task = asyncio.create_task(self._run(prepared))
        self._tasks.add(task)

    async def fill(self) -> int:
        """Take as many due jobs as there are free slots, and start them. Returns how many."""
        free = self._free()
        if free <= 0:
            return 0
        # The claim counts the slots as they are now: until its jobs are started, the consumer
        # takes none (it would overrun a cap), and a slot freed meanwhile asks for another fill.
        self._filling += 1
        try:
            async with self.db.unit_of_work() as uow:
                claims = await ActionQueueRepository(uow.session).claim(
                    self.owner,
                    busy={company: n for company, n in self.in_flight.items() if n > 0},
                    company_cap=self.settings.company_max_in_flight,
                    free=free,
                )
                ready = await self.runner.take(uow, claims, self.owner) if claims else []
            for prepared in ready:
                self.in_flight[prepared.claim.company_id] += 1
                task = asyncio.create_task(self._run(prepared))
                self._tasks.add(task)
        finally:
            self._filling -= 1
        return len(claims)

    async def _run(self, prepared: Prepared) -> None:
        claim = prepared.claim
        calling = True
        try:
            outcome = await self.runner.call(prepared)
            # The company's slot is for calls: the next one starts while this result is written.
            calling = False
            self._call_ended(claim.company_id)
            if not await self.settle(self.runner.settlement(prepared, outcome)):
                log.warning("the job of task %s was taken over by another runner", claim.task_instance_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The lease runs out and the job is taken again; its calls are counted, so a job
            # that keeps failing here ends as failed rather than looping.
            log.exception("running the job of task %s failed", claim.task_instance_id)
        finally:
            if calling:
                self._call_ended(claim.company_id)
            was_full = self._free() <= 0
            current = asyncio.current_task()
            if current is not None:
                self._tasks.discard(current)
            self._process_slot_freed(was_full)

    def _call_ended(self, company_id: UUID) -> None:
        """A company's call slot is free again. Only when the company was at its cap (or a fill
        under way counted the slot as taken) can one of its queued jobs have been waiting for
        it: a fill then, and no empty one otherwise."""
        capped = self.in_flight[company_id] >= self.settings.company_max_in_flight
        self.in_flight[company_id] -= 1
        if self.in_flight[company_id] <= 0:
            del self.in_flight[company_id]
        if capped or self._filling:
            self.runner.wakeup.set()

    async def settle(self, settlement: Settlement) -> bool:
        """Queue the settlement for the next settle, and wait until it is written. False when the
        job was taken over by another runner (its result is theirs)."""
        written: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._unsettled.append((settlement, written))
        if self._settler is None:
            self._settler = asyncio.create_task(self._write_settlements())
        return await written

    async def _write_settlements(self) -> None:
        """Write the waiting settlements, one transaction per company, until none are left: those
        that arrive meanwhile make up the next batch."""
        batch: list[tuple[Settlement, asyncio.Future[bool]]] = []
        try:
            while self._unsettled:
                batch, self._unsettled = self._unsettled, []
                by_company: dict[UUID, list[tuple[Settlement, asyncio.Future[bool]]]] = {}
                for item in batch:
                    by_company.setdefault(item[0].prepared.claim.company_id, []).append(item)
                for company_id, items in by_company.items():
                    try:
                        async with self.db.unit_of_work(company_id) as uow:
                            written = await self.runner.settle(
                                uow, company_id, self.owner, [settlement for settlement, _ in items]
                            )
                    except Exception as exc:
                        # Only this company's batch is lost: its leases run out and its jobs are
                        # taken again.
                        for _, future in items:
                            if not future.done():
                                future.set_exception(exc)
                        continue
                    for settlement, future in items:
                        if not future.done():
                            future.set_result(settlement.prepared.claim.task_instance_id in written)
        except BaseException:
            # Cancelled (the pool is stopping): nobody waits for these any more.
            for _, future in batch + self._unsettled:
                future.cancel()
            self._unsettled = []
            raise
        finally:
            self._settler = None

    def offer_slots(self) -> None:
        """Let this process's consumer take the jobs it records straight into free slots (`run`
        does this; `stop` withdraws it)."""
        self._stopping = False
        self.runner.slots = self

    async def run(self) -> None:
        """Take work whenever a job is queued here, a slot frees, or the poll interval passes
        (jobs queued by other processes, retries falling due, leases running out)."""
        wakeup = self.runner.wakeup
        self.offer_slots()
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
        takes them without waiting for the leases to run out. Results already in hand are
        written first (for a few seconds at most), so their calls are not made again."""
        self._stopping = True
        if self.runner.slots is self:
            self.runner.slots = None
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        settler = self._settler
        if settler is not None:
            _, unfinished = await asyncio.wait({settler}, timeout=STOP_SETTLE_SECONDS)
            for task in unfinished:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        # A settler cancelled before it began leaves its settlements unanswered.
        for _, future in self._unsettled:
            future.cancel()
        self._unsettled, self._settler = [], None
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
