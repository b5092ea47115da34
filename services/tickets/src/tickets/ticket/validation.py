"""Checks of a submission that list every problem at once, in the problem-details shape."""

from typing import Any

from jsonschema import ValidationError

from common.json_schema import validator_for

TITLE_MAX_LENGTH = 300

Problem = dict[str, Any]


def title_problems(title: str) -> list[Problem]:
    if not title.strip():
        return [{"loc": ["body", "title"], "msg": "a title is required", "type": "missing"}]
    if len(title) > TITLE_MAX_LENGTH:
        return [
            {
                "loc": ["body", "title"],
                "msg": f"at most {TITLE_MAX_LENGTH} characters",
                "type": "string_too_long",
            }
        ]
    return []


def ticket_data_problems(schema: dict[str, Any], data: dict[str, Any]) -> list[Problem]:
    """Every way `data` breaks `schema` (JSON Schema 2020-12), each located by its path under
    `ticket_data`; a missing property is located at the property itself."""
    validator = validator_for(schema, check_formats=True)
    problems: list[Problem] = []
    for error in sorted(validator.iter_errors(data), key=_order):
        loc = ["body", "ticket_data", *(str(part) for part in error.absolute_path)]
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = _missing_property(error)
            if missing is not None:
                loc.append(missing)
        problems.append({"loc": loc, "msg": error.message, "type": str(error.validator)})
    return problems


def _order(error: ValidationError) -> tuple[str, ...]:
    return (*(str(part) for part in error.absolute_path), error.message)


def _missing_property(error: ValidationError) -> str | None:
    required = error.validator_value
    instance = error.instance
    if not isinstance(required, list) or not isinstance(instance, dict):
        return None
    for name in required:
        if isinstance(name, str) and name not in instance and repr(name) in error.message:
            return name
    return None
