from common.cli import run
from definitions.config import MIGRATIONS_DIR, DefinitionsSettings
from definitions.main import create_app

if __name__ == "__main__":
    run(DefinitionsSettings, create_app, MIGRATIONS_DIR)
