"""`python -m identity operator create --email ADDRESS [--name NAME] [--password-stdin]`: add a
platform operator. The password is read from standard input (`--password-stdin`), else from
`IDENTITY_OPERATOR_PASSWORD`, else asked for twice on the terminal; it never goes on the
command line, where other users of the machine could read it."""

import argparse
import asyncio
import getpass
import os
import sys

from common.db import Database
from identity.config import IdentitySettings
from identity.keys.service import KeyRing
from identity.mail.adapters import mailer_from_settings
from identity.mail.postman import Postman
from identity.operators import service
from identity.operators.schemas import OperatorRead
from identity.passwords import Passwords
from identity.runtime import IdentityRuntime


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m identity operator")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="add a platform operator")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="", help="display name (default: the email address)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    from_env = os.environ.get("IDENTITY_OPERATOR_PASSWORD")
    if from_env:
        return from_env
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("The two passwords differ.")
    return first


async def create_operator(settings: IdentitySettings, email: str, name: str, password: str) -> OperatorRead:
    runtime = IdentityRuntime(
        settings=settings,
        keyring=KeyRing(settings),
        postman=Postman(mailer_from_settings(settings)),
        passwords=Passwords(
            settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
        ),
    )
    db = Database.connect(settings.runtime_database_url(), settings.db_schema, pool_size=1)
    try:
        async with db.unit_of_work() as uow:
            return await service.create(uow, runtime, email=email, display_name=name, password=password)
    finally:
        await db.dispose()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        password = _password(args.password_stdin)
        created = asyncio.run(create_operator(IdentitySettings(), args.email, args.name, password))
    except (ValueError, service.OperatorExists) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"operator {created.email} created ({created.id})")
    return 0
