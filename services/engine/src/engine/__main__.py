from pathlib import Path

from common.cli import run
from engine.config import EngineSettings
from engine.main import create_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

if __name__ == "__main__":
    run(EngineSettings, create_app, MIGRATIONS)
