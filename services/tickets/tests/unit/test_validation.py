from typing import Any

from common.text_search import prefix_tsquery
from tickets.ticket.validation import ticket_data_problems, title_problems

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["days", "reason"],
    "properties": {
        "days": {"type": "integer", "minimum": 1},
        "reason": {"type": "string"},
        "contacts": {"type": "array", "items": {"type": "string", "format": "email"}},
    },
}


class TestTicketDataProblems:
    def test_valid_data_has_none(self) -> None:
        assert ticket_data_problems(SCHEMA, {"days": 2, "reason": "x"}) == []

    def test_lists_every_problem_with_its_path(self) -> None:
        problems = ticket_data_problems(SCHEMA, {"days": 0, "contacts": ["a@example.com", "nope"]})
        locs = sorted(tuple(p["loc"]) for p in problems)
        assert locs == [
            ("body", "ticket_data", "contacts", "1"),
            ("body", "ticket_data", "days"),
            ("body", "ticket_data", "reason"),
        ]
        assert {p["type"] for p in problems} == {"required", "minimum", "format"}

    def test_locates_each_missing_property_at_itself(self) -> None:
        problems = ticket_data_problems(SCHEMA, {})
        assert sorted(tuple(p["loc"]) for p in problems) == [
            ("body", "ticket_data", "days"),
            ("body", "ticket_data", "reason"),
        ]


class TestTitleProblems:
    def test_blank_title(self) -> None:
        assert title_problems("   ")[0]["loc"] == ["body", "title"]

    def test_too_long_title(self) -> None:
        assert title_problems("x" * 301)[0]["type"] == "string_too_long"

    def test_good_title(self) -> None:
        assert title_problems("Laptop broken") == []


class TestPrefixTsquery:
    def test_every_word_is_a_prefix_term(self) -> None:
        assert prefix_tsquery("Lisbon wed") == "'Lisbon':* & 'wed':*"

    def test_operators_and_quotes_stay_inside_quoted_lexemes(self) -> None:
        assert prefix_tsquery("a|!b O'Neil") == "'a|!b':* & 'O''Neil':*"

    def test_terms_without_words_are_dropped(self) -> None:
        assert prefix_tsquery("HR-2 &") == "'HR-2':*"

    def test_nothing_searchable(self) -> None:
        assert prefix_tsquery("!!! ::") is None
