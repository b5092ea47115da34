"""The mailer port: what the identity service needs from an email system."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...
