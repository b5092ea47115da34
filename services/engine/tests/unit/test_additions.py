"""The step's additions statement names the tables of the schema the service is configured
with, never a fixed one."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.ids import uuid7
from engine.workflows.additions import Additions, AdditionsRepository, statement_for


class TestTheAdditionsStatement:
    def test_names_only_the_configured_schema(self) -> None:
        sql = statement_for("engine_blue").text
        for table in ("history", "decisions", "assignments", "timers", "outbox"):
            assert f'"engine_blue".{table}' in sql
        assert "engine." not in sql.replace('"engine_blue".', "")

    def test_is_built_once_per_schema(self) -> None:
        assert statement_for("engine_blue") is statement_for("engine_blue")
        assert statement_for("engine_blue") is not statement_for("engine_green")

    def test_the_repository_uses_the_schema_it_was_given(self) -> None:
        company: UUID = uuid7()
        repository = AdditionsRepository(AsyncSession(), company, "engine_green")
        statement, params = repository.statement(Additions(), None)
        assert statement is statement_for("engine_green")
        assert params["company_id"] == company
