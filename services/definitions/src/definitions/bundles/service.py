"""Bundles: publish a workflow with its ticket types in one go, export them back, and walk a
workflow's conditions for sample data."""

import asyncio
from typing import Any

from common.db import UnitOfWork
from common.errors import ValidationProblem
from definitions import workflow_walk
from definitions.bundles.document import check_document
from definitions.bundles.schemas import (
    Bundle,
    ConditionValue,
    DryRunRequest,
    DryRunResult,
    DryRunStep,
    Problem,
    PublishResult,
    TicketTypeSpec,
    ValidationReport,
    WorkflowSpec,
)
from definitions.bundles.validation import (
    Findings,
    parse_bundle,
    path_of,
    problems_as_dicts,
    validate_bundle,
)
from definitions.ticket_types import service as ticket_types
from definitions.ticket_types.repository import TicketTypeRepository
from definitions.ticket_types.schemas import TicketTypePublishResult, TicketTypeUpdate
from definitions.workflows import service as workflows
from definitions.workflows.repository import WorkflowRepository


def invalid(findings: Findings, what: str = "The bundle") -> ValidationProblem:
    count = len(findings.errors)
    return ValidationProblem(
        f"{what} has {count} problem{'s' if count != 1 else ''}; nothing was saved.",
        errors=problems_as_dicts(findings.errors),
        extra={"warnings": problems_as_dicts(findings.warnings)},
    )


def validate(document: Any) -> ValidationReport:
    _, findings = parse_bundle(document)
    return ValidationReport(valid=not findings.errors, errors=findings.errors, warnings=findings.warnings)


async def publish_bundle(uow: UnitOfWork, document: Any) -> PublishResult:
    """Publish the bundle's workflow and ticket types: each as version N+1 where it changed.
    Either everything is published or, with any problem, nothing."""
    bundle, findings = parse_bundle(document)
    if bundle is None or findings.errors:
        raise invalid(findings)
    return await publish(uow, bundle, findings)


async def publish(uow: UnitOfWork, bundle: Bundle, findings: Findings) -> PublishResult:
    spec = bundle.workflow
    repo = WorkflowRepository.of(uow)
    head = await repo.lock_head(spec.key)
    latest = await repo.get_version(spec.key, head.latest_version) if head.latest_version else None
    unchanged = latest is not None and head.deleted_at is None and workflows.workflow_spec(latest) == spec
    latest_after = head.latest_version if unchanged else head.latest_version + 1
    pending = [
        await ticket_types.prepare(
            uow, ticket_type, spec.key, latest_after, ["ticket_types", index], findings
        )
        for index, ticket_type in enumerate(bundle.ticket_types)
    ]
    if findings.errors:
        raise invalid(findings)
    published = await workflows.publish(uow, head, latest, spec)
    return PublishResult(
        workflow=published,
        ticket_types=[await ticket_types.publish(uow, p) for p in pending],
        warnings=findings.warnings,
    )


async def export(uow: UnitOfWork, key: str, version: int | None) -> Bundle:
    """The workflow version (latest by default) with the active ticket types that start it,
    in the very shape an upload takes."""
    definition = await workflows.get_version(uow, key, version)
    users = await TicketTypeRepository.of(uow).active_latest_using(key)
    return Bundle(
        workflow=workflows.workflow_spec(definition),
        ticket_types=[ticket_types.ticket_type_spec(t) for t in users],
    )


async def dry_run(uow: UnitOfWork, request: DryRunRequest) -> DryRunResult:
    """Walk the workflow's conditions for the sample data; nothing is started or written."""
    if (request.bundle is None) == (request.workflow_key is None):
        raise ValidationProblem(
            "Give either a bundle or a workflow_key.",
            errors=[
                {
                    "loc": ["body"],
                    "path": "",
                    "msg": "give exactly one of bundle, workflow_key",
                    "type": "value_error",
                }
            ],
        )
    warnings: list[Problem] = []
    if request.bundle is not None:
        check_document(request.bundle)
        bundle, findings = parse_bundle(request.bundle)
        if bundle is None or findings.errors:
            for problem in findings.errors:
                problem.loc.insert(0, "bundle")
                problem.path = f"bundle.{problem.path}"
            raise invalid(findings)
        warnings = findings.warnings
        key, version, start = bundle.workflow.key, None, bundle.workflow.start_task
        tasks = [workflow_walk.WalkTask(t.key, t.name, t.task_type) for t in bundle.workflow.tasks]
        transitions = [
            workflow_walk.WalkTransition(t.from_task, t.to_task, t.condition, t.priority, position)
            for position, t in enumerate(bundle.workflow.transitions)
        ]
    else:
        assert request.workflow_key is not None
        definition = await workflows.get_version(uow, request.workflow_key, request.version)
        key, version, start = definition.key, definition.version, definition.start_task
        tasks, transitions = workflows.walk_parts(definition)
    unknown = sorted(set(request.task_outputs) - {t.key for t in tasks})
    if unknown:
        raise ValidationProblem(
            "task_outputs names tasks this workflow does not have.",
            errors=[
                {
                    "loc": ["task_outputs", k],
                    "path": f"task_outputs.{k}",
                    "msg": "not a task of this workflow",
                    "type": "unknown_task",
                }
                for k in unknown
            ],
        )
    # Expressions are bounded, but still CPU work: keep it off the event loop.
    result = await asyncio.to_thread(
        workflow_walk.walk, start, tasks, transitions, request.ticket_data, request.task_outputs
    )
    return DryRunResult(
        workflow_key=key,
        version=version,
        outcome=result.outcome.value,
        detail=result.detail,
        path=result.path,
        steps=[
            DryRunStep(
                task_key=step.task_key,
                task_name=step.task_name,
                task_type=step.task_type,
                output_applied=step.output_applied,
                conditions=[
                    ConditionValue(
                        to_task=c.to_task,
                        condition=c.condition,
                        priority=c.priority,
                        value=c.value,
                        holds=c.holds,
                        error=c.error,
                    )
                    for c in step.conditions
                ],
                next_task=step.next_task,
            )
            for step in result.steps
        ],
        workflow_data=result.workflow_data,
        warnings=warnings,
    )


def _relocate(problems: list[Problem], prefix: list[str], to: list[str]) -> list[Problem]:
    """Problems under `prefix` in a bundle, located instead under `to` (a request body)."""
    moved = []
    for problem in problems:
        if problem.loc[: len(prefix)] == prefix:
            loc = [*to, *problem.loc[len(prefix) :]]
            moved.append(problem.model_copy(update={"loc": loc, "path": path_of(loc[1:])}))
    return moved


async def publish_workflow(uow: UnitOfWork, key: str, spec: WorkflowSpec) -> PublishResult:
    """Publish a workflow on its own; the ticket types starting it are kept as they are."""
    if spec.key != key:
        raise ValidationProblem(
            "The workflow's key must match the URL.",
            errors=[
                {"loc": ["body", "key"], "path": "key", "msg": f"must be {key!r}", "type": "key_mismatch"}
            ],
        )
    users = await TicketTypeRepository.of(uow).active_latest_using(key)
    bundle = Bundle(workflow=spec, ticket_types=[ticket_types.ticket_type_spec(t) for t in users])
    found = validate_bundle(bundle)
    findings = Findings(
        errors=_relocate(found.errors, ["workflow"], ["body"]),
        warnings=_relocate(found.warnings, ["workflow"], ["body"]),
    )
    if findings.errors:
        raise invalid(findings, "The workflow")
    repo = WorkflowRepository.of(uow)
    head = await repo.lock_head(key)
    latest = await repo.get_version(key, head.latest_version) if head.latest_version else None
    published = await workflows.publish(uow, head, latest, spec)
    return PublishResult(workflow=published, ticket_types=[], warnings=findings.warnings)


async def publish_ticket_type(uow: UnitOfWork, key: str, update: TicketTypeUpdate) -> TicketTypePublishResult:
    """Publish a ticket type on its own, checked against the workflow it starts."""
    findings = Findings()
    if update.key != key:
        findings.error(["body", "key"], f"must be {key!r}", "key_mismatch")
    head = await WorkflowRepository.of(uow).get_head(update.workflow_key)
    if head is None or head.latest_version == 0:
        findings.error(["body", "workflow_key"], f"no workflow {update.workflow_key!r}", "unknown_workflow")
    elif head.deleted_at is not None:
        findings.error(["body", "workflow_key"], f"workflow {update.workflow_key!r} is archived", "archived")
    if findings.errors:
        raise invalid(findings, "The ticket type")
    assert head is not None
    workflow = await workflows.get_version(uow, update.workflow_key, head.latest_version)
    spec = TicketTypeSpec.model_validate(update.model_dump(exclude={"workflow_key"}))
    found = validate_bundle(Bundle(workflow=workflows.workflow_spec(workflow), ticket_types=[spec]))
    findings.errors.extend(_relocate(found.errors, ["ticket_types", "0"], ["body"]))
    findings.warnings.extend(_relocate(found.warnings, ["ticket_types", "0"], ["body"]))
    findings.warnings.extend(w for w in found.warnings if w.type == "undeclared_field")
    pending = await ticket_types.prepare(
        uow, spec, update.workflow_key, head.latest_version, ["body"], findings
    )
    if findings.errors:
        raise invalid(findings, "The ticket type")
    published = await ticket_types.publish(uow, pending)
    return TicketTypePublishResult(ticket_type=published, warnings=findings.warnings)
