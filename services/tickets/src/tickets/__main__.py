from common.cli import run
from tickets.config import MIGRATIONS_DIR, TicketsSettings
from tickets.main import create_app

if __name__ == "__main__":
    run(TicketsSettings, create_app, MIGRATIONS_DIR)
