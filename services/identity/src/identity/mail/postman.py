"""Sends mail once the transaction that decided to send it has committed.

A mail is never sent for a change that rolled back. It is sent from a task after the commit, so
a crash in between loses it; every mail we send (reset links, invitations) can be asked for
again, which makes that the right trade against holding a transaction open on a mail server.
"""

import asyncio
import logging

from common.db import UnitOfWork
from identity.mail.port import Mailer, OutgoingMail

log = logging.getLogger(__name__)


class Postman:
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer
        self._pending: set[asyncio.Task[None]] = set()

    def send_after_commit(self, uow: UnitOfWork, mail: OutgoingMail) -> None:
        uow.after_commit(lambda: self._dispatch(mail))

    def _dispatch(self, mail: OutgoingMail) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(mail))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _deliver(self, mail: OutgoingMail) -> None:
        try:
            await self.mailer.send(mail)
        except Exception:
            log.exception("sending %r to %s failed", mail.subject, mail.to)

    async def drain(self) -> None:
        """Wait for every mail in flight (at shutdown, and in tests)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
