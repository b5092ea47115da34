"""Task output: validation against the task's output schema and merging into workflow data."""

from typing import Any

from jsonschema.exceptions import SchemaError

from common.json_schema import validator_for


def output_problems(
    output_schema: dict[str, Any], output: Any, loc_prefix: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Every problem with `output`, each with its location, in the problem-details shape."""
    if not output_schema:
        if isinstance(output, dict):
            return []
        return [{"loc": [*loc_prefix], "msg": "output must be an object", "type": "type"}]
    try:
        validator = validator_for(output_schema)
    except SchemaError as exc:
        return [
            {
                "loc": [*loc_prefix],
                "msg": f"the task's output schema is invalid: {exc.message}",
                "type": "schema",
            }
        ]
    problems = []
    for error in sorted(validator.iter_errors(output), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.append(
            {
                "loc": [*loc_prefix, *(str(part) for part in error.absolute_path)],
                "msg": error.message,
                "type": str(error.validator),
            }
        )
    if not problems and not isinstance(output, dict):
        problems.append({"loc": [*loc_prefix], "msg": "output must be an object", "type": "type"})
    return problems


def merge(workflow_data: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    """Output merged into workflow data: objects merge key by key, anything else replaces."""
    merged = dict(workflow_data)
    for key, value in output.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = merge(current, value)
        else:
            merged[key] = value
    return merged
