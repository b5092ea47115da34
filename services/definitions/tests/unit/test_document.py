"""Reading bundle documents."""

import pytest

from common.errors import BadRequest, UnsupportedMediaType, ValidationProblem
from definitions.bundles.document import media_kind, parse_document


class TestParseDocument:
    def test_yaml_dates_stay_strings(self) -> None:
        assert parse_document(b"start: 2030-01-02\n", "yaml") == {"start": "2030-01-02"}

    def test_yaml_aliases_are_refused(self) -> None:
        with pytest.raises(BadRequest):
            parse_document(b"a: &x [1, 2]\nb: *x\n", "yaml")

    def test_non_string_keys_are_located(self) -> None:
        with pytest.raises(ValidationProblem) as caught:
            parse_document(b"workflow:\n  1: one\n", "yaml")

        assert caught.value.errors is not None
        assert caught.value.errors[0]["path"] == "workflow"

    def test_deep_nesting_is_refused(self) -> None:
        with pytest.raises(BadRequest):
            parse_document(b"[" * 500 + b"]" * 500, "json")

    def test_not_utf8(self) -> None:
        with pytest.raises(BadRequest):
            parse_document(b"\xff\xfe", "json")


class TestMediaKind:
    def test_by_media_type_or_file_name(self) -> None:
        assert media_kind("application/json; charset=utf-8") == "json"
        assert media_kind("application/x-yaml") == "yaml"
        assert media_kind("application/octet-stream", "b.yml") == "yaml"

    def test_unknown(self) -> None:
        with pytest.raises(UnsupportedMediaType):
            media_kind("text/plain")
