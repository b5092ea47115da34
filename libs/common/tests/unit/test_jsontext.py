import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

import pytest

from common import jsontext


class Colour(StrEnum):
    RED = "red"


def test_ids_and_moments_are_written_as_postgres_reads_them() -> None:
    ticket_id = UUID("0190f5e2-7c1a-7b3e-9d4f-1a2b3c4d5e6f")
    moment = datetime(2026, 12, 3, 11, 5, 7, 123456, tzinfo=UTC)
    local = datetime(2026, 12, 3, 12, 5, 7, tzinfo=timezone(timedelta(hours=1)))

    text = jsontext.dumps({"id": ticket_id, "at": moment, "local": local, "colour": Colour.RED})

    assert json.loads(text) == {
        "id": str(ticket_id),
        "at": moment.isoformat(),
        "local": local.isoformat(),
        "colour": "red",
    }


def test_text_is_compact_and_keeps_non_ascii_characters() -> None:
    assert jsontext.dumps({"title": "Bürostuhl", "n": [1, 2]}) == '{"title":"Bürostuhl","n":[1,2]}'


@pytest.mark.parametrize(
    "value",
    [
        {"big": 2**70},  # past what orjson writes
        {1: "a key that is not a string"},
        [{"nested": -(2**80)}],
    ],
)
def test_what_orjson_refuses_is_written_as_the_standard_library_writes_it(value: object) -> None:
    assert jsontext.dumps(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_default_gives_unknown_types_a_value() -> None:
    assert jsontext.dumps({"amount": Decimal("1.50")}, default=str) == '{"amount":"1.50"}'


def test_a_type_nothing_knows_is_refused_as_json_dumps_refuses_it() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"what": object()})
