"""JSONata evaluation with a time and a depth bound.

The bounds are enforced twice: jsonata's own timebox stops a runaway expression between steps,
and the caller runs evaluation in a worker thread with a deadline (`run_bounded`), so a single
long step (a pathological regex) cannot stall the event loop either.
"""

import asyncio
import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import jsonata

T = TypeVar("T")

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="jsonata")


class ExpressionError(Exception):
    """An expression that does not compile, fails, or runs past its bounds."""


@dataclass(frozen=True)
class ExpressionLimits:
    timeout_ms: int = 250
    max_depth: int = 200


def evaluate(expression: str, data: Any, limits: ExpressionLimits) -> Any:
    try:
        compiled = jsonata.Jsonata(expression, timeout=limits.timeout_ms, stack=limits.max_depth)
        return compiled.evaluate(data)
    except jsonata.JException as exc:
        raise ExpressionError(str(exc)) from exc
    except RecursionError as exc:
        raise ExpressionError("expression nests too deeply") from exc
    except Exception as exc:
        raise ExpressionError(f"{type(exc).__name__}: {exc}") from exc


def truthy(value: Any) -> bool:
    """JSONata's own notion of truth ($boolean), so a condition means here what it means in
    the designer's in-browser preview."""
    return bool(jsonata.Functions.to_boolean(value))


async def run_bounded(fn: Callable[[], T], limits: ExpressionLimits) -> T:
    """Run `fn` (which evaluates expressions) off the event loop, giving up after a deadline a
    little above the per-expression bound."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_pool, fn)
    try:
        return await asyncio.wait_for(future, timeout=limits.timeout_ms / 1000 * 4 + 1.0)
    except TimeoutError as exc:
        raise ExpressionError(f"evaluation ran past {limits.timeout_ms} ms") from exc
