from actions.config import MIGRATIONS_DIR, ActionsSettings
from actions.main import create_app
from common.cli import run

if __name__ == "__main__":
    run(ActionsSettings, create_app, MIGRATIONS_DIR)
