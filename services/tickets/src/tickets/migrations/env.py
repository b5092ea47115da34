from common.migrations import run_alembic_env
from tickets.models import metadata

run_alembic_env(metadata)
