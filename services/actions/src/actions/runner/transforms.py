"""JSONata transforms of action input and output, bounded in time and recursion depth."""

from typing import Any

import jsonata


class TransformError(Exception):
    """An expression that does not parse, runs out of bounds, or fails on its input."""


def apply_transform(expression: str | None, data: Any, *, timeout_ms: int, max_depth: int) -> Any:
    """`expression(data)`; identity when there is no expression."""
    if expression is None or not expression.strip():
        return data
    try:
        compiled = jsonata.Jsonata(expression, timeout=timeout_ms, stack=max_depth)
        return compiled.evaluate(data)
    except RecursionError as exc:
        raise TransformError("the expression recursed too deeply") from exc
    except Exception as exc:
        raise TransformError(str(exc) or type(exc).__name__) from exc


def as_output(value: Any) -> dict[str, Any]:
    """What is merged into `workflow_data` must be an object; a scalar or list result is kept
    under `result`, an absent one is an empty object."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {"result": value}
