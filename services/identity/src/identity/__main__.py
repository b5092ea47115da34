import asyncio
import sys

from common.cli import run
from common.db import Database
from identity.config import MIGRATIONS_DIR, IdentitySettings
from identity.keys.service import KeyRing
from identity.main import create_app


async def rotate_signing_key(settings: IdentitySettings) -> str:
    db = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=1)
    try:
        async with db.unit_of_work() as uow:
            return await KeyRing(settings).rotate(uow)
    finally:
        await db.dispose()


def main() -> None:
    if sys.argv[1:2] == ["operator"]:
        from identity.operators.cli import main as operator_main

        sys.exit(operator_main(sys.argv[2:]))
    if sys.argv[1:2] == ["rotate-signing-key"]:
        kid = asyncio.run(rotate_signing_key(IdentitySettings()))
        print(f"new signing key {kid}; the previous ones stay published until their tokens expire")
        return
    run(IdentitySettings, create_app, MIGRATIONS_DIR)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
