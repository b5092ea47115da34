"""Notifications from events: who hears of what an engine or tickets event says.

- a task assigned to me, due soon, or overdue (and, when its escalation notifies, the ticket
  team hears of the overdue task too, as does the assignee it was taken from);
- my ticket held or resumed, finished (completed or cancelled), or waiting on a task assigned to
  me (it needs my input);
- for admins, an incident in my company.

Each addressee gets at most one notification per event (the first that applies); it is kept in
the app unless they turned the kind off there, and mailed for the kinds they opted into, after
the transaction commits. The requester of a ticket is known from `ticket.submitted`; an engine
event that overtakes it is retried for a moment, and after that goes without the requester's
notification (a ticket from before notifications existed has no requester on record).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from common.db import UnitOfWork
from contracts.engine import (
    TaskAssigned,
    TaskDueSoon,
    TaskOverdue,
    WorkflowCancelled,
    WorkflowCompleted,
    WorkflowEvent,
    WorkflowHeld,
    WorkflowIncident,
    WorkflowResumed,
)
from contracts.envelope import Envelope
from contracts.ids import uuid7
from contracts.tickets import TicketSubmitted
from identity.mail.port import OutgoingMail
from identity.mail.postman import Postman
from identity.models import NotificationTicket, User
from identity.notifications import repository
from identity.notifications.schemas import NotificationKind

# How long after it happened an engine event is retried for the `ticket.submitted` of its
# ticket, which identity applies concurrently from another topic. Shorter than the consumer's
# retries take (five attempts, 0.2 s doubling: about 3 s), so the event is handled without the
# requester rather than dead-lettered for want of them.
REQUESTER_WAIT = timedelta(seconds=2)
TEAM_ROLES = ("ticket_admin", "admin")
ADMIN_ROLES = ("admin",)


class TicketNotKnownYet(Exception):
    """The event names a ticket whose submission has not reached identity yet: retried."""


@dataclass(frozen=True)
class Draft:
    user_id: UUID
    kind: NotificationKind
    title: str
    body: str
    link: str | None


def _ticket_label(ticket: NotificationTicket | None) -> str:
    return f"{ticket.number} · {ticket.title}" if ticket is not None else "a ticket"


def _task_link(event: WorkflowEvent) -> str | None:
    return f"/tasks/{event.task_instance_id}" if event.task_instance_id else None


def _due_text(event: WorkflowEvent) -> str:
    return f" It is due {event.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC." if event.due_at else ""


def _was_due(event: WorkflowEvent) -> str:
    return (
        f"It was due {event.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
        if event.due_at
        else "It is past due."
    )


def requester_drafts(event: WorkflowEvent, ticket: NotificationTicket | None) -> list[Draft]:
    if ticket is None or ticket.submitted_by is None:
        return []
    link = f"/tickets/{ticket.ticket_id}"
    label = _ticket_label(ticket)
    user = ticket.submitted_by
    if isinstance(event, TaskAssigned) and event.assignee_id == user:
        return [
            Draft(
                user,
                NotificationKind.TICKET_NEEDS_INPUT,
                f"{label} needs your input",
                f"“{event.task_name}” is yours to do.",
                _task_link(event),
            )
        ]
    if isinstance(event, WorkflowCompleted):
        return [Draft(user, NotificationKind.TICKET_FINISHED, f"{label} is completed", event.detail, link)]
    if isinstance(event, WorkflowCancelled):
        return [Draft(user, NotificationKind.TICKET_FINISHED, f"{label} was cancelled", event.detail, link)]
    if isinstance(event, WorkflowHeld):
        return [Draft(user, NotificationKind.TICKET_STATUS, f"{label} is on hold", event.detail, link)]
    if isinstance(event, WorkflowResumed):
        return [Draft(user, NotificationKind.TICKET_STATUS, f"{label} is in progress again", "", link)]
    return []


def assignee_drafts(event: WorkflowEvent, ticket: NotificationTicket | None) -> list[Draft]:
    label = _ticket_label(ticket)
    link = _task_link(event)
    if isinstance(event, TaskAssigned) and event.assignee_id:
        return [
            Draft(
                event.assignee_id,
                NotificationKind.TASK_ASSIGNED,
                f"New task: {event.task_name}",
                f"For {label}.{_due_text(event)}",
                link,
            )
        ]
    if isinstance(event, TaskDueSoon) and event.assignee_id:
        return [
            Draft(
                event.assignee_id,
                NotificationKind.TASK_DUE_SOON,
                f"Due soon: {event.task_name}",
                f"For {label}.{_due_text(event)}",
                link,
            )
        ]
    if isinstance(event, TaskOverdue) and event.escalation_notify:
        title = f"Overdue: {event.task_name}"
        drafts = []
        if event.assignee_id:
            drafts.append(
                Draft(
                    event.assignee_id,
                    NotificationKind.TASK_OVERDUE,
                    title,
                    f"For {label}. {_was_due(event)}"
                    + (
                        " It is still open."
                        if event.assignee_id == event.previous_assignee_id
                        else " It has been given to you."
                    ),
                    link,
                )
            )
        if event.previous_assignee_id and event.previous_assignee_id != event.assignee_id:
            drafts.append(
                Draft(
                    event.previous_assignee_id,
                    NotificationKind.TASK_OVERDUE,
                    title,
                    f"For {label}. It was past due and has been given to someone else.",
                    link,
                )
            )
        return drafts
    return []


def team_drafts(event: WorkflowEvent, ticket: NotificationTicket | None, team: Sequence[User]) -> list[Draft]:
    label = _ticket_label(ticket)
    if isinstance(event, TaskOverdue) and event.escalation_notify:
        return [
            Draft(
                u.id,
                NotificationKind.TASK_OVERDUE,
                f"Overdue: {event.task_name}",
                f"For {label}. {event.detail}",
                _task_link(event),
            )
            for u in team
        ]
    if isinstance(event, WorkflowIncident):
        return [
            Draft(
                u.id,
                NotificationKind.INCIDENT,
                f"Incident on {label}",
                event.detail,
                f"/instances/{event.workflow_instance_id}",
            )
            for u in team
        ]
    return []


def _team_roles(event: WorkflowEvent) -> tuple[str, ...]:
    if isinstance(event, TaskOverdue) and event.escalation_notify:
        return TEAM_ROLES
    if isinstance(event, WorkflowIncident):
        return ADMIN_ROLES
    return ()


def may_notify(event: WorkflowEvent) -> bool:
    """Whether anyone could hear of `event`, from its fields alone (no statement): the drafts
    above can only come from these. The others are passed over before any transaction."""
    if isinstance(event, TaskAssigned | TaskDueSoon):
        return event.assignee_id is not None
    if isinstance(event, TaskOverdue):
        return event.escalation_notify
    return _speaks_to_requester(event) or isinstance(event, WorkflowIncident)


def _speaks_to_requester(event: WorkflowEvent) -> bool:
    return isinstance(
        event, (TaskAssigned, WorkflowCompleted, WorkflowCancelled, WorkflowHeld, WorkflowResumed)
    )


class Notifier:
    def __init__(self, postman: Postman, public_url: str) -> None:
        self.postman = postman
        self.public_url = public_url.rstrip("/")

    async def ticket_submitted(self, uow: UnitOfWork, event: TicketSubmitted) -> None:
        assert uow.company_id is not None
        await repository.add_ticket(
            uow.session, uow.company_id, event.ticket_id, event.number, event.title, event.submitted_by
        )

    async def workflow_event(self, uow: UnitOfWork, event: WorkflowEvent, envelope: Envelope) -> None:
        assert uow.company_id is not None
        company_id = uow.company_id
        ticket = await repository.ticket(uow.session, company_id, event.ticket_id)
        if ticket is None and _speaks_to_requester(event) and _recent(envelope.occurred_at):
            raise TicketNotKnownYet(f"ticket {event.ticket_id} has not been seen submitted yet")
        roles = _team_roles(event)
        team = await repository.active_users_with_roles(uow.session, company_id, roles) if roles else []
        drafts = [
            *requester_drafts(event, ticket),
            *assignee_drafts(event, ticket),
            *team_drafts(event, ticket, team),
        ]
        await self.deliver(uow, drafts, envelope, event)

    async def deliver(
        self, uow: UnitOfWork, drafts: Sequence[Draft], envelope: Envelope, event: WorkflowEvent
    ) -> None:
        assert uow.company_id is not None
        company_id = uow.company_id
        first: dict[UUID, Draft] = {}
        for draft in drafts:
            first.setdefault(draft.user_id, draft)
        if not first:
            return
        # Someone who is not (or no longer) an active user of this company hears nothing; the
        # others come with their choice for the kind of their draft (one statement).
        recipients = await repository.recipients(
            uow.session, company_id, [(user_id, draft.kind.value) for user_id, draft in first.items()]
        )
        in_app_rows: list[dict[str, object]] = []
        for recipient in recipients:
            if recipient.in_app:
                draft = first[recipient.user.id]
                in_app_rows.append(
                    {
                        "company_id": company_id,
                        "id": uuid7(),
                        "user_id": recipient.user.id,
                        "kind": draft.kind.value,
                        "title": draft.title[:300],
                        "body": draft.body,
                        "link": draft.link,
                        "event_id": envelope.event_id,
                        "ticket_id": event.ticket_id,
                        "task_instance_id": event.task_instance_id,
                    }
                )
        # All in one statement; a user who already has this event's notification (a redelivery)
        # is left out of the answer, and is not mailed again.
        added = await repository.add_notifications(uow.session, in_app_rows)
        for recipient in recipients:
            if recipient.email and (recipient.user.id in added or not recipient.in_app):
                self.postman.send_after_commit(uow, self._mail(recipient.user, first[recipient.user.id]))

    def _mail(self, user: User, draft: Draft) -> OutgoingMail:
        lines = [f"Hello {user.first_name},", "", draft.title]
        if draft.body:
            lines += ["", draft.body]
        if draft.link:
            lines += ["", f"Open it: {self.public_url}{draft.link}"]
        lines += ["", "You get this email because you asked for it in your notification settings."]
        return OutgoingMail(to=user.email, subject=draft.title, text="\n".join(lines))


def _recent(occurred_at: datetime) -> bool:
    moment = occurred_at if occurred_at.tzinfo is not None else occurred_at.replace(tzinfo=UTC)
    return datetime.now(UTC) - moment < REQUESTER_WAIT
