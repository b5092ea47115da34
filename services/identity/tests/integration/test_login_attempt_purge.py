"""The background purge of old login attempts: what it removes, and how it reports a round that
fails (an unreachable database is expected and brief; anything else is logged as a fault)."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from common.db import Database
from common.embedded import free_port
from identity import main
from identity.models import LoginAttempt
from identity.sessions import service as sessions_service


async def attempt_keys(db: Database) -> set[str]:
    async with db.new_session() as session:
        return set((await session.execute(select(LoginAttempt.key))).scalars().all())


class TestPurgeRound:
    async def test_old_attempts_go_and_recent_ones_stay(self, app: FastAPI, db: Database) -> None:
        now = datetime.now(UTC)
        async with db.unit_of_work() as uow:
            uow.session.add_all(
                [
                    LoginAttempt(
                        key="old@example.com", succeeded=False, attempted_at=now - timedelta(days=2)
                    ),
                    LoginAttempt(key="new@example.com", succeeded=False, attempted_at=now),
                ]
            )
        await main.purge_login_attempts_once(app)
        keys = await attempt_keys(db)
        assert "new@example.com" in keys
        assert "old@example.com" not in keys

    async def test_an_unreachable_database_is_a_warning_without_traceback(
        self, app: FastAPI, caplog: pytest.LogCaptureFixture
    ) -> None:
        app.state.db = Database.connect(
            f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none", "identity"
        )
        try:
            with caplog.at_level(logging.WARNING, logger="identity.main"):
                await main.purge_login_attempts_once(app)
        finally:
            await app.state.db.dispose()
        [record] = [r for r in caplog.records if r.name == "identity.main"]
        assert record.levelno == logging.WARNING
        assert "unreachable" in record.getMessage()
        assert record.exc_info is None

    async def test_any_other_failure_propagates(self, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
        async def broken(*_: object) -> int:
            raise RuntimeError("a bug in the purge")

        monkeypatch.setattr(sessions_service, "purge_login_attempts", broken)
        with pytest.raises(RuntimeError, match="a bug"):
            await main.purge_login_attempts_once(app)


class TestPurgeWorker:
    async def test_a_faulty_round_is_logged_with_its_traceback_and_the_worker_goes_on(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        rounds: list[int] = []
        second_round = asyncio.Event()

        async def broken_then_fine(*_: object) -> int:
            rounds.append(len(rounds) + 1)
            if len(rounds) == 1:
                raise RuntimeError("a bug in the purge")
            second_round.set()
            return 0

        monkeypatch.setattr(sessions_service, "purge_login_attempts", broken_then_fine)
        monkeypatch.setattr(main, "PURGE_EVERY_SECONDS", 0.01)
        with caplog.at_level(logging.ERROR, logger="identity.main"):
            worker = asyncio.create_task(main._purge_login_attempts(app))
            try:
                await asyncio.wait_for(second_round.wait(), 10)
            finally:
                worker.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await worker
        assert rounds[:2] == [1, 2]
        errors = [r for r in caplog.records if r.name == "identity.main" and r.levelno == logging.ERROR]
        assert len(errors) == 1
        assert errors[0].exc_info is not None
        assert isinstance(errors[0].exc_info[1], RuntimeError)
