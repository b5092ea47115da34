from pathlib import Path

from common.cli import run
from tickets.config import TicketsSettings
from tickets.main import create_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

if __name__ == "__main__":
    run(TicketsSettings, create_app, MIGRATIONS)
