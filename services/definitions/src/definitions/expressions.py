"""JSONata conditions and transforms: compile, evaluate with a time and depth bound, and read
which fields of the input an expression looks at.

Expressions come from workflow designers, so nothing here trusts them: compiling never runs
them, evaluation is bounded (JSONata's own timebox), and every failure is an
`ExpressionError` rather than whatever the library happened to raise.
"""

from collections.abc import Iterator
from typing import Any

from jsonata import Jsonata

MAX_EXPRESSION_LENGTH = 4000
TIMEOUT_MS = 250
MAX_DEPTH = 200

# Children of a JSONata AST node that are evaluated against the same input as the node.
_SAME_INPUT_CHILDREN = ("lhs", "rhs", "expression", "condition", "then", "_else")


class ExpressionError(Exception):
    """An expression that does not compile, or failed or ran out of bounds while evaluating."""


def _compile(expression: str) -> Any:
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"longer than {MAX_EXPRESSION_LENGTH} characters")
    try:
        # The timebox starts when the expression is built, so build it right before each use.
        return Jsonata(expression, timeout=TIMEOUT_MS, stack=MAX_DEPTH)
    except RecursionError as exc:
        raise ExpressionError("nested too deeply") from exc
    except Exception as exc:
        raise ExpressionError(str(exc)) from exc


def compile_problem(expression: str) -> str | None:
    """Why `expression` does not compile, or None when it does."""
    if not expression.strip():
        return "is empty"
    try:
        compiled = _compile(expression)
    except ExpressionError as exc:
        return str(exc)
    if compiled.errors:
        return "; ".join(str(e) for e in compiled.errors)
    return None


def evaluate(expression: str, data: Any) -> Any:
    """The value of `expression` for `data` (None for JSONata's undefined)."""
    compiled = _compile(expression)
    try:
        return compiled.evaluate(data)
    except RecursionError as exc:
        raise ExpressionError("recursed too deeply") from exc
    except Exception as exc:
        raise ExpressionError(str(exc)) from exc


def holds(value: Any) -> bool:
    """JSONata's own truthiness (`$boolean`): the rule a condition's value is judged by."""
    return bool(Jsonata.boolize(value))


def is_always_true(expression: str | None) -> bool:
    """A missing condition, or one that is literally `true`."""
    if expression is None or not expression.strip():
        return True
    try:
        ast = _compile(expression).ast
    except ExpressionError:
        return False
    return getattr(ast, "type", None) == "value" and getattr(ast, "value", None) is True


def root_fields(expression: str) -> set[str]:
    """The top-level input fields an expression reads (`approved` in `approved = true`,
    `ticket` in `ticket.department`). Fields read inside lambdas or relative to another
    step are not counted: their input is not the workflow data."""
    try:
        ast = _compile(expression).ast
    except ExpressionError:
        return set()
    return set(_root_names(ast))


def _root_names(node: Any) -> Iterator[str]:
    if node is None or not hasattr(node, "type"):
        return
    kind = node.type
    if kind == "path":
        steps = node.steps or []
        if not steps:
            return
        first = steps[0]
        if first.type == "name":
            yield str(first.value)
        elif first.type == "variable" and first.value == "" and len(steps) > 1 and steps[1].type == "name":
            yield str(steps[1].value)
        else:
            yield from _root_names(first)
        return
    if kind == "name":
        yield str(node.value)
        return
    if kind == "lambda":
        return
    for attr in _SAME_INPUT_CHILDREN:
        yield from _root_names(getattr(node, attr, None))
    for attr in ("expressions", "arguments"):
        for child in getattr(node, attr, None) or []:
            yield from _root_names(child)
    for pair in getattr(node, "lhs_object", None) or []:
        for child in pair:
            yield from _root_names(child)
