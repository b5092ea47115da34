from common.cli import run
from engine.config import MIGRATIONS_DIR, EngineSettings
from engine.main import create_app

if __name__ == "__main__":
    run(EngineSettings, create_app, MIGRATIONS_DIR)
