from common.migrations import run_alembic_env
from engine.models import metadata

run_alembic_env(metadata)
