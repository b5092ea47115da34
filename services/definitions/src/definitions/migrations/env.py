from common.migrations import run_alembic_env
from definitions.models import metadata

run_alembic_env(metadata)
