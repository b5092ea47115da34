"""Counting what a piece of code sends to Postgres, for tests that bound a step's cost."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from common.db import driver_statement_listeners

# The test fixtures' own nesting (each test runs inside a transaction it rolls back).
TEST_ONLY = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement any engine sends while the block runs, through SQLAlchemy or on the
    driver connection under it, the tests' savepoints left out."""
    sent: list[str] = []

    def note(statement: str) -> None:
        if not statement.lstrip().upper().startswith(TEST_ONLY):
            sent.append(statement)

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        note(statement)

    event.listen(Engine, "before_cursor_execute", count)
    driver_statement_listeners.append(note)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", count)
        driver_statement_listeners.remove(note)
