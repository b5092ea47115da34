from actions.models import metadata
from common.migrations import run_alembic_env

run_alembic_env(metadata)
