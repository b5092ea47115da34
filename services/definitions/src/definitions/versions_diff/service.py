"""What changed between two versions of a workflow or a ticket type, in the designer's terms:
tasks, transitions and fields added, removed or changed, and for a changed one each value that
differs. Items are matched by identity (a task by key, a field by name, a transition by its
`from → to` pair, several between one pair in their order), so a reordered list is no change;
the values inside an item are compared by DeepDiff."""

from collections import defaultdict
from typing import Any, Literal

from deepdiff import DeepDiff
from deepdiff.helper import NotPresent

from common.db import UnitOfWork
from common.errors import ValidationProblem
from definitions.ticket_types import service as ticket_types
from definitions.versions_diff.schemas import (
    ItemChange,
    ItemRef,
    ItemsDiff,
    TicketTypeDiff,
    ValueChange,
    WorkflowDiff,
)
from definitions.workflows import service as workflows

_REPORTS: dict[str, Literal["added", "removed", "changed"]] = {
    "values_changed": "changed",
    "type_changes": "changed",
    "dictionary_item_added": "added",
    "dictionary_item_removed": "removed",
    "iterable_item_added": "added",
    "iterable_item_removed": "removed",
    "attribute_added": "added",
    "attribute_removed": "removed",
    "set_item_added": "added",
    "set_item_removed": "removed",
}


def _plain(value: Any) -> Any:
    return None if isinstance(value, NotPresent) else value


def value_changes(before: dict[str, Any], after: dict[str, Any]) -> list[ValueChange]:
    """Every value that differs between two documents, with its dotted path."""
    tree = DeepDiff(before, after, view="tree", verbose_level=2)
    changes: list[ValueChange] = []
    for report, kind in _REPORTS.items():
        for level in tree.get(report, []):
            path = ".".join(str(part) for part in level.path(output_format="list"))
            changes.append(
                ValueChange(path=path, change=kind, before=_plain(level.t1), after=_plain(level.t2))
            )
    return sorted(changes, key=lambda c: c.path)


def items_diff(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], label: Any) -> ItemsDiff:
    """`before`/`after`: item key → item. `label(key, item)` names an item for people."""
    added = [ItemRef(key=k, label=label(k, after[k])) for k in after if k not in before]
    removed = [ItemRef(key=k, label=label(k, before[k])) for k in before if k not in after]
    changed = []
    for key in after:
        if key in before:
            differences = value_changes(before[key], after[key])
            if differences:
                changed.append(ItemChange(key=key, label=label(key, after[key]), changes=differences))
    return ItemsDiff(added=added, removed=removed, changed=changed)


def _transitions_by_pair(transitions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    seen: defaultdict[str, int] = defaultdict(int)
    keyed = {}
    for transition in transitions:
        pair = f"{transition['from']} → {transition['to']}"
        seen[pair] += 1
        keyed[pair if seen[pair] == 1 else f"{pair} #{seen[pair]}"] = transition
    return keyed


def _check_versions(from_version: int, to_version: int) -> None:
    if from_version == to_version:
        raise ValidationProblem(
            "Pick two different versions to compare.",
            errors=[{"loc": ["query", "to"], "msg": "the same version as `from`", "type": "same_version"}],
        )


async def workflow_diff(uow: UnitOfWork, key: str, from_version: int, to_version: int) -> WorkflowDiff:
    # Looked up first: another company's key is a 404 whatever versions are asked for.
    old = workflows.workflow_spec(await workflows.get_version(uow, key, from_version))
    new = workflows.workflow_spec(await workflows.get_version(uow, key, to_version))
    _check_versions(from_version, to_version)
    old_doc = old.model_dump(mode="json", by_alias=True)
    new_doc = new.model_dump(mode="json", by_alias=True)
    shape = ("tasks", "transitions", "key")
    properties = value_changes(
        {k: v for k, v in old_doc.items() if k not in shape},
        {k: v for k, v in new_doc.items() if k not in shape},
    )
    tasks = items_diff(
        {t["key"]: t for t in old_doc["tasks"]},
        {t["key"]: t for t in new_doc["tasks"]},
        lambda k, t: f"{t['name']} ({k})",
    )
    transitions = items_diff(
        _transitions_by_pair(old_doc["transitions"]),
        _transitions_by_pair(new_doc["transitions"]),
        lambda k, t: k + (f" when {t['condition']}" if t.get("condition") else ""),
    )
    return WorkflowDiff(
        key=key,
        from_version=from_version,
        to_version=to_version,
        identical=not (properties or _any(tasks) or _any(transitions)),
        properties=properties,
        tasks=tasks,
        transitions=transitions,
    )


async def ticket_type_diff(uow: UnitOfWork, key: str, from_version: int, to_version: int) -> TicketTypeDiff:
    old_row = await ticket_types.definitions.get_version(uow, key, from_version)
    new_row = await ticket_types.definitions.get_version(uow, key, to_version)
    _check_versions(from_version, to_version)
    old_doc = {
        **ticket_types.ticket_type_spec(old_row).model_dump(mode="json"),
        "workflow_key": old_row.workflow_key,
    }
    new_doc = {
        **ticket_types.ticket_type_spec(new_row).model_dump(mode="json"),
        "workflow_key": new_row.workflow_key,
    }
    old_fields = old_doc.pop("fields") or {}
    new_fields = new_doc.pop("fields") or {}
    # The field schema's own settings (required, additionalProperties, ...) are properties of
    # the type; its `properties` are the fields, each an item.
    old_doc["fields"] = {k: v for k, v in old_fields.items() if k != "properties"}
    new_doc["fields"] = {k: v for k, v in new_fields.items() if k != "properties"}
    properties = value_changes(
        {k: v for k, v in old_doc.items() if k != "key"}, {k: v for k, v in new_doc.items() if k != "key"}
    )
    fields = items_diff(
        dict(old_fields.get("properties") or {}),
        dict(new_fields.get("properties") or {}),
        lambda k, f: f"{f.get('title')} ({k})" if isinstance(f, dict) and f.get("title") else k,
    )
    return TicketTypeDiff(
        key=key,
        from_version=from_version,
        to_version=to_version,
        identical=not (properties or _any(fields)),
        properties=properties,
        fields=fields,
    )


def _any(diff: ItemsDiff) -> bool:
    return bool(diff.added or diff.removed or diff.changed)
