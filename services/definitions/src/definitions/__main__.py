from pathlib import Path

from common.cli import run
from definitions.config import DefinitionsSettings
from definitions.main import create_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

if __name__ == "__main__":
    run(DefinitionsSettings, create_app, MIGRATIONS)
