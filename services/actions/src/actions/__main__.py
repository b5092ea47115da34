from pathlib import Path

from actions.config import ActionsSettings
from actions.main import create_app
from common.cli import run

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

if __name__ == "__main__":
    run(ActionsSettings, create_app, MIGRATIONS)
