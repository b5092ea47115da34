"""Every check a bundle must pass before it is published, as a pure function of the bundle.

All problems are collected, not just the first, each located by its path in the bundle
(`workflow.tasks[2].output_schema`). Errors refuse the bundle; warnings are returned with it.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from pydantic import ValidationError

from common import expressions, json_schema
from common.durations import DurationError, looks_like_duration, parse_duration
from definitions import layouts
from definitions.bundles.schemas import (
    Bundle,
    OutcomeSpec,
    Problem,
    TaskSpec,
    TaskType,
    TicketTypeSpec,
    WorkflowSpec,
)

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
MAX_SCHEMA_BYTES = 64 * 1024
MAX_LAYOUT_BYTES = 64 * 1024
MAX_REGEX_LENGTH = 500
MAX_SYNC_TIMEOUT_SECONDS = 300
MAX_ASYNC_TIMEOUT_SECONDS = 30 * 24 * 3600
MAX_RETRIES = 10

_REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
# Keywords whose values are instance data, not schemas: a "pattern" key in there is just data.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
_UNKNOWN_DIALECT: Any = object()

Loc = Sequence[str | int]


def path_of(loc: Loc) -> str:
    """`["workflow", "tasks", 2, "output_schema"]` → `workflow.tasks[2].output_schema`."""
    path = ""
    for part in loc:
        text = str(part)
        if isinstance(part, int) or text.isdigit():
            path += f"[{text}]"
        else:
            path += f".{text}" if path else text
    return path or "(bundle)"


@dataclass
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(
        self, loc: Loc, msg: str, kind: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.errors.append(_problem(loc, msg, kind, line, column))

    def warn(self, loc: Loc, msg: str, kind: str) -> None:
        self.warnings.append(_problem(loc, msg, kind))

    def extend(self, other: "Findings") -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


def _problem(loc: Loc, msg: str, kind: str, line: int | None = None, column: int | None = None) -> Problem:
    return Problem(
        loc=[str(part) for part in loc], path=path_of(loc), msg=msg, type=kind, line=line, column=column
    )


def parse_bundle(document: Any) -> tuple[Bundle | None, Findings]:
    """The bundle with every problem found in it; None when its shape is wrong."""
    findings = Findings()
    try:
        bundle = Bundle.model_validate(document)
    except ValidationError as exc:
        for err in exc.errors():
            findings.error(list(err["loc"]), err["msg"], err["type"])
        return None, findings
    findings.extend(validate_bundle(bundle))
    return bundle, findings


def validate_bundle(bundle: Bundle) -> Findings:
    findings = Findings()
    _check_workflow(bundle.workflow, findings)
    _check_ticket_types(bundle.ticket_types, findings)
    _check_field_reads(bundle, findings)
    return findings


def _check_workflow(workflow: WorkflowSpec, findings: Findings) -> None:
    base: list[str | int] = ["workflow"]
    _check_key(workflow.key, [*base, "key"], findings)
    seen: dict[str, int] = {}
    for index, task in enumerate(workflow.tasks):
        loc: list[str | int] = [*base, "tasks", index]
        _check_key(task.key, [*loc, "key"], findings)
        if task.key in seen:
            findings.error([*loc, "key"], f"duplicate task key {task.key!r}", "duplicate_key")
        seen.setdefault(task.key, index)
        _check_task(task, loc, findings)
    if workflow.start_task not in seen:
        findings.error(
            [*base, "start_task"], f"{workflow.start_task!r} is not a task of this workflow", "unknown_task"
        )
    edges: list[tuple[str, str]] = []
    for index, transition in enumerate(workflow.transitions):
        loc = [*base, "transitions", index]
        ends_known = True
        for end, name in ((transition.from_task, "from"), (transition.to_task, "to")):
            if end not in seen:
                findings.error([*loc, name], f"{end!r} is not a task of this workflow", "unknown_task")
                ends_known = False
        if transition.condition is not None:
            _check_expression(transition.condition, [*loc, "condition"], findings)
        if ends_known:
            edges.append((transition.from_task, transition.to_task))
    if workflow.start_task in seen:
        _check_graph(workflow, seen, edges, findings)
    _check_outcomes(workflow, seen, findings)
    _check_layout(workflow.display_layout, [*base, "display_layout"], findings)


def _check_outcomes(workflow: WorkflowSpec, index_of: dict[str, int], findings: Findings) -> None:
    """An outcome says how the workflow ends, so it belongs where it ends: an end task (no
    transition leaves it) or a transition into one. Once a workflow names outcomes, an end
    that names none is worth a warning: tickets ending there show no resolution."""
    leaving = {t.from_task for t in workflow.transitions}
    base: list[str | int] = ["workflow"]
    for index, task in enumerate(workflow.tasks):
        if task.outcome is None:
            continue
        loc: list[str | int] = [*base, "tasks", index, "outcome"]
        if task.key in leaving:
            findings.error(
                loc,
                f"only an end task sets an outcome; transitions leave {task.key!r}",
                "outcome_not_at_end",
            )
        _check_outcome(task.outcome, loc, findings)
    for index, transition in enumerate(workflow.transitions):
        if transition.outcome is None:
            continue
        loc = [*base, "transitions", index, "outcome"]
        if transition.to_task in leaving:
            findings.error(
                loc,
                f"only a transition into an end task sets an outcome; transitions leave {transition.to_task!r}",
                "outcome_not_at_end",
            )
        _check_outcome(transition.outcome, loc, findings)
    if not any(t.outcome for t in workflow.tasks) and not any(t.outcome for t in workflow.transitions):
        return
    for task in workflow.tasks:
        if task.key in leaving or task.outcome is not None or task.key not in index_of:
            continue
        into = [t for t in workflow.transitions if t.to_task == task.key]
        if task.key == workflow.start_task or not into or any(t.outcome is None for t in into):
            findings.warn(
                [*base, "tasks", index_of[task.key]],
                f"a workflow ending at {task.key!r} has no outcome, while other ends name one",
                "no_outcome",
            )


def _check_outcome(outcome: OutcomeSpec, loc: list[str | int], findings: Findings) -> None:
    _check_key(outcome.key, [*loc, "key"], findings)
    if not outcome.label.strip():
        findings.error([*loc, "label"], "must not be blank", "blank")
    if outcome.message is not None:
        _check_expression(outcome.message, [*loc, "message"], findings)


def _check_task(task: TaskSpec, loc: list[str | int], findings: Findings) -> None:
    check_json_schema(task.input_schema, [*loc, "input_schema"], findings, object_only=True)
    check_json_schema(task.output_schema, [*loc, "output_schema"], findings, object_only=True)
    if task.assignment is not None and task.task_type is not TaskType.FORM:
        findings.error(
            [*loc, "assignment"],
            f"a {task.task_type} task is run by the system; nobody is assigned",
            "not_allowed",
        )
    if task.task_type is TaskType.FORM:
        if task.action_url is not None:
            findings.error(
                [*loc, "action_url"], "a FORM task is done by a person; it calls no URL", "not_allowed"
            )
    else:
        if not task.action_url:
            findings.error([*loc, "action_url"], f"a {task.task_type} task needs an action_url", "missing")
        elif not _is_http_url(task.action_url):
            findings.error([*loc, "action_url"], "must be an absolute http(s) URL", "invalid_url")
        limit = (
            MAX_SYNC_TIMEOUT_SECONDS if task.task_type is TaskType.SYNC_ACTION else MAX_ASYNC_TIMEOUT_SECONDS
        )
        if task.timeout_seconds is None:
            findings.error(
                [*loc, "timeout_seconds"], f"a {task.task_type} task needs timeout_seconds", "missing"
            )
        elif not 1 <= task.timeout_seconds <= limit:
            findings.error([*loc, "timeout_seconds"], f"must be between 1 and {limit}", "out_of_range")
    if task.task_type is TaskType.FORM and task.timeout_seconds is not None and task.timeout_seconds < 1:
        findings.error([*loc, "timeout_seconds"], "must be at least 1", "out_of_range")
    if task.max_retries is not None and not 0 <= task.max_retries <= MAX_RETRIES:
        findings.error([*loc, "max_retries"], f"must be between 0 and {MAX_RETRIES}", "out_of_range")
    for name in ("input_transform", "output_transform"):
        expression = getattr(task, name)
        if expression is not None:
            _check_expression(expression, [*loc, name], findings)
    for name in ("edit_layout", "display_layout"):
        _check_layout(getattr(task, name), [*loc, name], findings)
    _check_due(task, loc, findings)


def _check_due(task: TaskSpec, loc: list[str | int], findings: Findings) -> None:
    if task.due_in is not None:
        if task.task_type is not TaskType.FORM:
            findings.error(
                [*loc, "due_in"],
                f"only FORM tasks have a due time; a {task.task_type} task has timeout_seconds",
                "not_allowed",
            )
        elif not task.due_in.strip():
            findings.error([*loc, "due_in"], "must be a duration or an expression", "missing")
        elif looks_like_duration(task.due_in):
            _check_duration(task.due_in, [*loc, "due_in"], findings)
        else:
            _check_expression(task.due_in, [*loc, "due_in"], findings)
    if task.escalation is not None:
        if task.due_in is None:
            findings.error(
                [*loc, "escalation"], "an escalation needs due_in: nothing is late without it", "missing"
            )
        group = task.escalation.to_group
        if group is not None and not group.strip():
            findings.error([*loc, "escalation", "to_group"], "not a company role name", "invalid")
        if group is not None and task.escalation.reassign:
            findings.error(
                [*loc, "escalation", "reassign"],
                "give either reassign or to_group: the task moves to one place",
                "conflict",
            )


def _check_duration(text: str, loc: Loc, findings: Findings) -> None:
    try:
        parse_duration(text)
    except DurationError as exc:
        findings.error(loc, str(exc), "invalid_duration")


def _check_ticket_types(ticket_types: Sequence[TicketTypeSpec], findings: Findings) -> None:
    keys: set[str] = set()
    prefixes: set[str] = set()
    for index, ticket_type in enumerate(ticket_types):
        loc: list[str | int] = ["ticket_types", index]
        _check_key(ticket_type.key, [*loc, "key"], findings)
        if ticket_type.key in keys:
            findings.error([*loc, "key"], f"duplicate ticket type key {ticket_type.key!r}", "duplicate_key")
        keys.add(ticket_type.key)
        if not PREFIX_PATTERN.match(ticket_type.prefix):
            findings.error(
                [*loc, "prefix"],
                "1 to 10 capital letters or digits, starting with a letter",
                "invalid_prefix",
            )
        elif ticket_type.prefix in prefixes:
            findings.error(
                [*loc, "prefix"], f"prefix {ticket_type.prefix!r} is used twice", "duplicate_prefix"
            )
        prefixes.add(ticket_type.prefix)
        check_json_schema(ticket_type.fields, [*loc, "fields"], findings, object_only=True)
        if not ticket_type.company_role_access:
            findings.warn(
                [*loc, "company_role_access"], "no company role may submit this ticket type", "no_access"
            )
        for role_index, role in enumerate(ticket_type.company_role_access):
            if not role.strip() or len(role) > 100:
                findings.error(
                    [*loc, "company_role_access", role_index], "not a company role name", "invalid"
                )
        for name in ("edit_layout", "display_layout"):
            _check_layout(getattr(ticket_type, name), [*loc, name], findings)
        if ticket_type.resolution_target is not None:
            _check_duration(ticket_type.resolution_target, [*loc, "resolution_target"], findings)


def _check_key(key: str, loc: Loc, findings: Findings) -> None:
    if not KEY_PATTERN.match(key):
        findings.error(loc, "lower-case letters, digits, '_' and '-', starting with a letter", "invalid_key")


def _check_expression(expression: str, loc: Loc, findings: Findings) -> None:
    problem = expressions.compile_problem(expression)
    if problem is not None:
        findings.error(loc, f"not a valid JSONata expression: {problem}", "invalid_expression")


def _check_layout(layout: dict[str, Any] | None, loc: Loc, findings: Findings) -> None:
    """Declarative sections are kept as given; React component source must parse, have a
    default export and import only what the sandbox provides."""
    if layout is None:
        return
    if len(json.dumps(layout)) > MAX_LAYOUT_BYTES:
        findings.error(loc, f"larger than {MAX_LAYOUT_BYTES} bytes", "too_large")
        return
    if not layouts.is_component(layout):
        return
    for problem in layouts.check_component(layout):
        where = [*loc, "source"] if problem.line is not None or problem.kind == "no_default_export" else loc
        findings.error(where, problem.msg, f"layout_{problem.kind}", problem.line, problem.column)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_json_schema(schema: dict[str, Any], loc: Loc, findings: Findings, *, object_only: bool) -> None:
    """A well-formed JSON Schema with only local references and bounded, compilable patterns."""
    base = list(loc)
    if len(json.dumps(schema)) > MAX_SCHEMA_BYTES:
        findings.error(base, f"larger than {MAX_SCHEMA_BYTES} bytes", "too_large")
        return
    dialect = schema.get("$schema")
    if dialect is None:
        cls: Any = Draft202012Validator
    elif isinstance(dialect, str):
        cls = validator_for(schema, default=_UNKNOWN_DIALECT)
    else:
        cls = _UNKNOWN_DIALECT
    if cls is _UNKNOWN_DIALECT:
        findings.error([*base, "$schema"], "unknown JSON Schema dialect", "invalid_json_schema")
        return
    for err in cls(cls.META_SCHEMA).iter_errors(schema):
        findings.error(
            [*base, *err.absolute_path], f"not a valid JSON Schema: {err.message}", "invalid_json_schema"
        )
    for sub_loc, keyword, value in _schema_keywords(schema, []):
        where = [*base, *sub_loc]
        if keyword in _REF_KEYWORDS and isinstance(value, str) and not value.startswith("#"):
            findings.error(where, "only local references (starting with '#') are allowed", "remote_ref")
        elif keyword == "pattern" and isinstance(value, str):
            _check_regex(value, where, findings)
        elif keyword == "patternProperties" and isinstance(value, dict):
            for pattern in value:
                _check_regex(pattern, [*where, pattern], findings)
    if object_only and schema.get("type", "object") != "object":
        findings.error([*base, "type"], "must describe an object (type: object)", "not_an_object")


def _check_regex(pattern: str, loc: Loc, findings: Findings) -> None:
    if len(pattern) > MAX_REGEX_LENGTH:
        findings.error(loc, f"pattern longer than {MAX_REGEX_LENGTH} characters", "pattern_too_long")
        return
    # Checked by the engine the pattern will run in (RE2, linear time), so a pattern that
    # publishes is one the services can match safely.
    problem = json_schema.pattern_problem(pattern)
    if problem is not None:
        findings.error(loc, f"pattern does not compile: {problem}", "invalid_pattern")


def _schema_keywords(node: Any, loc: list[str | int]) -> Iterator[tuple[list[str | int], str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield [*loc, key], key, value
            if key not in _DATA_KEYWORDS:
                yield from _schema_keywords(value, [*loc, key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_keywords(item, [*loc, index])


def _check_graph(
    workflow: WorkflowSpec, index_of: dict[str, int], edges: list[tuple[str, str]], findings: Findings
) -> None:
    successors: dict[str, list[str]] = {key: [] for key in index_of}
    for source, target in edges:
        successors[source].append(target)
    reachable = _reachable_from(workflow.start_task, successors)
    for key, index in index_of.items():
        if key not in reachable:
            findings.error(
                ["workflow", "tasks", index],
                f"task {key!r} cannot be reached from the start task {workflow.start_task!r}",
                "unreachable",
            )
    for component in _strongly_connected(successors):
        members = set(component)
        is_cycle = len(component) > 1 or component[0] in successors[component[0]]
        if not is_cycle or not members & reachable:
            continue
        leaves = any(target not in members for key in component for target in successors[key])
        if not leaves:
            first = min(component, key=index_of.__getitem__)
            findings.error(
                ["workflow", "tasks", index_of[first]],
                f"tasks {', '.join(sorted(members))} form a cycle with no way out",
                "cycle_without_exit",
            )
    for index, task in enumerate(workflow.tasks):
        leaving = [t for t in workflow.transitions if t.from_task == task.key]
        if leaving and not any(expressions.is_always_true(t.condition) for t in leaving):
            findings.warn(
                ["workflow", "tasks", index],
                f"no transition out of {task.key!r} always holds: data none of them matches "
                "raises an incident",
                "possible_incident",
            )


def _reachable_from(start: str, successors: dict[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for target in successors[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _strongly_connected(successors: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so a long chain of tasks cannot exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in successors:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(successors[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _check_field_reads(bundle: Bundle, findings: Findings) -> None:
    """Warn where an expression reads a field that nothing reaching it declares. Without
    ticket types in the bundle the ticket's fields are unknown, so nothing can be judged."""
    if not bundle.ticket_types:
        return
    workflow = bundle.workflow
    keys = {task.key for task in workflow.tasks}
    predecessors: dict[str, set[str]] = {key: set() for key in keys}
    for t in workflow.transitions:
        if t.from_task in keys and t.to_task in keys:
            predecessors[t.to_task].add(t.from_task)
    ticket_fields: set[str] = set()
    for ticket_type in bundle.ticket_types:
        ticket_fields |= _declared(ticket_type.fields)
    outputs = {task.key: _declared(task.output_schema) for task in workflow.tasks}

    def known_before(task_key: str) -> set[str]:
        names = set(ticket_fields)
        for ancestor in _ancestors_strict(task_key, predecessors):
            names |= outputs[ancestor]
        return names

    for index, task in enumerate(workflow.tasks):
        if task.input_transform:
            _warn_unknown(
                task.input_transform,
                known_before(task.key),
                ["workflow", "tasks", index, "input_transform"],
                findings,
            )
    for index, transition in enumerate(workflow.transitions):
        if transition.condition and transition.from_task in keys:
            known = known_before(transition.from_task) | outputs[transition.from_task]
            _warn_unknown(
                transition.condition, known, ["workflow", "transitions", index, "condition"], findings
            )
        if transition.outcome and transition.outcome.message and transition.to_task in keys:
            # The message is computed as the workflow ends, after the end task's output.
            known = known_before(transition.to_task) | outputs[transition.to_task]
            at: list[str | int] = ["workflow", "transitions", index, "outcome", "message"]
            _warn_unknown(transition.outcome.message, known, at, findings)
    for index, task in enumerate(workflow.tasks):
        if task.outcome and task.outcome.message:
            known = known_before(task.key) | outputs[task.key]
            _warn_unknown(
                task.outcome.message, known, ["workflow", "tasks", index, "outcome", "message"], findings
            )


def _ancestors_strict(task_key: str, predecessors: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    stack = list(predecessors[task_key])
    while stack:
        key = stack.pop()
        if key not in found:
            found.add(key)
            stack.extend(predecessors[key])
    return found


def _warn_unknown(expression: str, known: set[str], loc: Loc, findings: Findings) -> None:
    unknown = sorted(expressions.root_fields(expression) - known)
    if unknown:
        findings.warn(
            loc,
            f"reads {', '.join(unknown)}, which no ticket field or earlier task output declares",
            "undeclared_field",
        )


def _declared(schema: dict[str, Any]) -> set[str]:
    properties = schema.get("properties")
    return set(properties) if isinstance(properties, dict) else set()


def problems_as_dicts(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [problem.model_dump(exclude_none=True) for problem in problems]
