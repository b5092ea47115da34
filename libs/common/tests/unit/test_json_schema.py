"""JSON Schema validation whose regexes run in RE2."""

import pytest

from common.json_schema import pattern_problem, validator_for

BOMB = "a" * 40 + "!"


class TestPatterns:
    def test_a_catastrophic_pattern_refuses_a_bomb_value_at_once(self) -> None:
        validator = validator_for(
            {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}
        )
        errors = list(validator.iter_errors({"code": BOMB}))
        assert [e.message for e in errors] == [f"{BOMB!r} does not match '^(a+)+$'"]

    def test_a_matching_value_passes(self) -> None:
        validator = validator_for({"type": "string", "pattern": "^[A-Z]{2}-\\d+$"})
        assert list(validator.iter_errors("HR-1042")) == []

    def test_pattern_properties_and_additional_properties(self) -> None:
        schema = {
            "type": "object",
            "patternProperties": {"^(a+)+$": {"type": "integer"}},
            "additionalProperties": False,
        }
        validator = validator_for(schema)
        assert list(validator.iter_errors({"aaa": 1})) == []
        assert [e.message for e in validator.iter_errors({"aaa": "x"})] == ["'x' is not of type 'integer'"]
        messages = [e.message for e in validator.iter_errors({BOMB: 1})]
        assert messages == [f"{BOMB!r} does not match any of the regexes: '^(a+)+$'"]

    def test_additional_properties_without_patterns(self) -> None:
        validator = validator_for({"type": "object", "properties": {"a": {}}, "additionalProperties": False})
        assert [e.message for e in validator.iter_errors({"a": 1, "b": 2})] == [
            "Additional properties are not allowed ('b' was unexpected)"
        ]

    def test_the_regex_format_is_checked_by_re2(self) -> None:
        validator = validator_for({"type": "string", "format": "regex"}, check_formats=True)
        assert list(validator.iter_errors("^a+$")) == []
        assert len(list(validator.iter_errors("(a)\\1"))) == 1


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [("^[a-z]+$", True), ("(a)\\1", False), ("(?=a)", False), ("[", False), ("x" * 1001, False)],
)
def test_pattern_problem(pattern: str, ok: bool) -> None:
    assert (pattern_problem(pattern) is None) is ok
