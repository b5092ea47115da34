"""Mailer adapters: SMTP for real deployments, a file mailbox for development and tests."""

import asyncio
import json
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from contracts.ids import uuid7
from identity.config import IdentitySettings
from identity.mail.port import Mailer, OutgoingMail


def _message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Message-ID"] = make_msgid(domain="ticketflower.local")
    message.set_content(mail.text)
    return message


class SmtpMailer:
    """Sends through an SMTP server; smtplib blocks, so each mail goes out on a worker thread."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(self, mail: OutgoingMail) -> None:
        await asyncio.to_thread(self._send, _message(mail, self.sender))

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


class FileMailbox:
    """Writes each mail as `<id>.eml` plus `<id>.json` ({to, subject, text, sent_at}) into a
    folder, where a developer (or a test) reads them instead of a real inbox."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    async def send(self, mail: OutgoingMail) -> None:
        await asyncio.to_thread(self._write, mail)

    def _write(self, mail: OutgoingMail) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = str(uuid7())
        (self.directory / f"{name}.eml").write_bytes(bytes(_message(mail, self.sender)))
        record = {
            "id": name,
            "from": self.sender,
            "to": mail.to,
            "subject": mail.subject,
            "text": mail.text,
            "sent_at": datetime.now(UTC).isoformat(),
        }
        # Written last and renamed into place, so a reader never sees a half-written record.
        partial = self.directory / f".{name}.json.tmp"
        partial.write_text(json.dumps(record, indent=2))
        partial.rename(self.directory / f"{name}.json")


def mailer_from_settings(settings: IdentitySettings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )
    return FileMailbox(settings.mailbox_dir, settings.mail_from)
