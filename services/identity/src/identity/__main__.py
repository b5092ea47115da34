from pathlib import Path

from common.cli import run
from identity.config import IdentitySettings
from identity.main import create_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

if __name__ == "__main__":
    run(IdentitySettings, create_app, MIGRATIONS)
