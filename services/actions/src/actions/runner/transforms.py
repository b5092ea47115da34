"""Action input and output transforms: what an action's JSONata expression means here (none is
the identity, a non-object result is kept under `result`). Compiling, bounds and safe regexes
are `common.expressions`'."""

from typing import Any

from common import expressions

# Callers name the failure of a transform; it is the shared expression failure.
TransformError = expressions.ExpressionError


def apply_transform(expression: str | None, data: Any, *, timeout_ms: int, max_depth: int) -> Any:
    """`expression(data)`; identity when there is no expression."""
    if expression is None or not expression.strip():
        return data
    limits = expressions.ExpressionLimits(timeout_ms=timeout_ms, max_depth=max_depth)
    return expressions.evaluate(expressions.compile(expression), data, limits)


def as_output(value: Any) -> dict[str, Any]:
    """What is merged into `workflow_data` must be an object; a scalar or list result is kept
    under `result`, an absent one is an empty object."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {"result": value}
