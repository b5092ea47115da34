"""JSONata for user-written conditions and transforms: compile once, evaluate within bounds.

Expressions come from workflow designers, so nothing here trusts them:

- compiling never runs an expression, and a compiled expression is cached by its text (the
  same condition is evaluated for every instance of a workflow);
- every regex literal (`/.../` in `$match`, `$replace`, `$split`, `$contains`) is compiled by
  RE2, which matches in linear time: there is no input on which a pattern backtracks for
  hours, and RE2 releases the GIL while it matches;
- each evaluation gets its own time and depth bound (JSONata's timebox, checked at every
  step), started when that evaluation starts;
- `run_bounded` moves evaluation off the event loop with a deadline of its own;
- every failure is an `ExpressionError`, never whatever the library happened to raise.
"""

import asyncio
import concurrent.futures
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import jsonata
import re2
from jsonata.regex_engine import CompiledPattern, RegexFlags

T = TypeVar("T")

MAX_EXPRESSION_LENGTH = 4000
# What one step may build. The timebox is checked between steps, so a single step that makes
# ten million numbers ([1..10000000]) or a 50 MB string ($pad) would run past it; ranges and
# padding are refused before they are built, and any bigger value as soon as it is made.
MAX_SEQUENCE_LENGTH = 2_000_000
MAX_STRING_LENGTH = 1_000_000
MAX_SPLIT_PIECES = 100_000
# $pad builds its padding a character at a time; real formatting pads to a few dozen.
MAX_PAD_WIDTH = 10_000
# Compiled expressions kept per process; a workflow has a handful, a company a few hundred.
CACHE_SIZE = 2048

# Children of a JSONata AST node that are evaluated against the same input as the node.
_SAME_INPUT_CHILDREN = ("lhs", "rhs", "expression", "condition", "then", "_else")

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="jsonata")


class ExpressionError(Exception):
    """An expression that does not compile, fails, or runs past its bounds."""


@dataclass(frozen=True)
class ExpressionLimits:
    timeout_ms: int = 250
    max_depth: int = 200


DEFAULT_LIMITS = ExpressionLimits()


class _BoundedJsonata(jsonata.Jsonata):  # type: ignore[misc]
    """JSONata whose range operator refuses a sequence too long to be worth building."""

    def evaluate_range_expression(self, lhs: Any, rhs: Any) -> Any:
        if (
            isinstance(lhs, int)
            and isinstance(rhs, int)
            and not isinstance(lhs, bool)
            and not isinstance(rhs, bool)
            and rhs - lhs + 1 > MAX_SEQUENCE_LENGTH
        ):
            raise ExpressionError(f"a range of more than {MAX_SEQUENCE_LENGTH} numbers")
        return super().evaluate_range_expression(lhs, rhs)


class _BoundedPad(jsonata.Jsonata.JNativeFunction):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__("pad", "<s-ns?:s>", jsonata.functions.Functions, "pad")

    def call(self, input: Any, args: Any) -> Any:
        width = args[1] if args and len(args) > 1 else None
        if isinstance(width, int | float) and abs(width) > MAX_PAD_WIDTH:
            raise ExpressionError(f"$pad to more than {MAX_PAD_WIDTH} characters")
        return super().call(input, args)


class _BoundedSplit(jsonata.Jsonata.JNativeFunction):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__("split", "<s-(sf)n?:a<s>>", jsonata.functions.Functions, "split")

    def call(self, input: Any, args: Any) -> Any:
        text = args[0] if args else None
        separator = args[1] if args and len(args) > 1 else None
        if isinstance(text, str) and len(text) > MAX_SPLIT_PIECES:
            # The pieces are counted before any is made: exactly for a plain separator, and for
            # a regex by the most it could make.
            pieces = (
                (text.count(separator) if separator else len(text))
                if isinstance(separator, str)
                else len(text)
            )
            if pieces > MAX_SPLIT_PIECES:
                raise ExpressionError(f"$split into more than {MAX_SPLIT_PIECES} pieces")
        return super().call(input, args)


def _check_size(value: Any) -> None:
    if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
        raise ExpressionError(f"a string of more than {MAX_STRING_LENGTH} characters")
    if isinstance(value, list) and len(value) > MAX_SEQUENCE_LENGTH:
        raise ExpressionError(f"a sequence of more than {MAX_SEQUENCE_LENGTH} values")


@dataclass(frozen=True)
class CompiledExpression:
    """A parsed expression, shared by every evaluation of the same text (never mutated)."""

    text: str
    program: jsonata.Jsonata

    @property
    def ast(self) -> Any:
        return self.program.ast


def _re2_options(flags: RegexFlags) -> Any:
    options = re2.Options()
    options.case_sensitive = not flags.case_insensitive
    options.never_nl = False
    options.dot_nl = False
    # RE2 reads `^` and `$` per line only outside its one-line mode.
    options.one_line = False
    options.posix_syntax = False
    # A designer's bad pattern is reported to the designer, not written to the service log.
    options.log_errors = False
    return options


def safe_regex(pattern: str, flags: RegexFlags) -> CompiledPattern:
    """The regex engine JSONata is given: RE2, linear in the input, no backtracking."""
    prefix = "(?m)" if flags.multiline else ""
    try:
        compiled: CompiledPattern = re2.compile(prefix + pattern, _re2_options(flags))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ExpressionError(f"the regex /{pattern}/ is not supported: {reason}") from exc
    return compiled


def compile(expression: str) -> CompiledExpression:
    """The compiled expression, from the cache when this text was compiled before."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"longer than {MAX_EXPRESSION_LENGTH} characters")
    return _compile_cached(expression)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile_cached(expression: str) -> CompiledExpression:
    try:
        program = _BoundedJsonata(expression, safe_regex)
        program.environment.bind("pad", _BoundedPad())
        program.environment.bind("split", _BoundedSplit())
    except ExpressionError:
        raise
    except RecursionError as exc:
        raise ExpressionError("nested too deeply") from exc
    except jsonata.JException as exc:
        raise ExpressionError(str(exc)) from exc
    except Exception as exc:
        raise ExpressionError(f"{type(exc).__name__}: {exc}") from exc
    if program.errors:
        raise ExpressionError("; ".join(str(e) for e in program.errors))
    return CompiledExpression(expression, program)


def evaluate(compiled: CompiledExpression, data: Any, limits: ExpressionLimits = DEFAULT_LIMITS) -> Any:
    """The value of the expression for `data` (None for JSONata's undefined), within `limits`."""
    program = compiled.program
    # The library reads the running instance from a thread-local ($now, $eval); with a cached
    # instance that is whichever was built last on this thread, so set it.
    jsonata.Jsonata.CURRENT.jsonata = program
    # A frame of this evaluation's own carries the bounds, so the clock starts now and
    # concurrent evaluations of one cached expression never share a timebox.
    frame = program.create_frame(program.environment)
    frame.set_runtime_bounds(limits.timeout_ms, limits.max_depth)
    timebox_exit = frame.lookup("__evaluate_exit")

    def on_exit(expr: Any, input: Any, environment: Any, result: Any) -> None:
        timebox_exit(expr, input, environment, result)
        _check_size(result)

    frame.bind("__evaluate_exit", on_exit)
    try:
        return program.evaluate(data, frame)
    except ExpressionError:
        raise
    except RecursionError as exc:
        raise ExpressionError("expression nests too deeply") from exc
    except jsonata.JException as exc:
        raise ExpressionError(str(exc)) from exc
    except Exception as exc:
        raise ExpressionError(f"{type(exc).__name__}: {exc}") from exc


def evaluate_text(expression: str, data: Any, limits: ExpressionLimits = DEFAULT_LIMITS) -> Any:
    """`evaluate(compile(expression), data)`."""
    return evaluate(compile(expression), data, limits)


def compile_problem(expression: str) -> str | None:
    """Why `expression` does not compile, or None when it does."""
    if not expression.strip():
        return "is empty"
    try:
        compile(expression)
    except ExpressionError as exc:
        return str(exc)
    return None


def holds(value: Any) -> bool:
    """JSONata's own truthiness (`$boolean`): the rule a condition's value is judged by, so a
    condition means here what it means in the designer's in-browser preview."""
    return bool(jsonata.Jsonata.boolize(value))


def is_always_true(expression: str | None) -> bool:
    """A missing condition, or one that is literally `true`."""
    if expression is None or not expression.strip():
        return True
    try:
        ast = compile(expression).ast
    except ExpressionError:
        return False
    return getattr(ast, "type", None) == "value" and getattr(ast, "value", None) is True


def root_fields(expression: str) -> set[str]:
    """The top-level input fields an expression reads (`approved` in `approved = true`,
    `ticket` in `ticket.department`). Fields read inside lambdas or relative to another
    step are not counted: their input is not the workflow data."""
    try:
        ast = compile(expression).ast
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


async def run_bounded(fn: Callable[[], T], limits: ExpressionLimits = DEFAULT_LIMITS) -> T:
    """Run `fn` (which evaluates expressions) off the event loop, giving up after a deadline a
    little above the per-expression bound, so the loop keeps serving other companies whatever
    the expressions do."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_pool, fn)
    try:
        return await asyncio.wait_for(future, timeout=limits.timeout_ms / 1000 * 4 + 1.0)
    except TimeoutError as exc:
        raise ExpressionError(f"evaluation ran past {limits.timeout_ms} ms") from exc
