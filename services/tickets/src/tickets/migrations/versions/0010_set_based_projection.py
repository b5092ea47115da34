"""The status projection leaves the database: `tickets.project_workflow_events` (0008) took a
ticket's events as one array per field and looped over them; the repository now applies them
in one set-based statement of its own (an insert from the events' JSON rows and one update),
so the function is dropped.

Revision ID: 0010
Revises: 0009
"""

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _previous() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tickets_migration_0008", Path(__file__).with_name("0008_project_workflow_events.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.execute("DROP FUNCTION tickets.project_workflow_events")


def downgrade() -> None:
    op.execute(_previous().FUNCTION)
