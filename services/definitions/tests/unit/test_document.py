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

    @pytest.mark.parametrize(
        "text",
        [
            b"[" * 10_000 + b"]" * 10_000,
            b"{a: " * 5_000 + b"1" + b"}" * 5_000,
            b"a:\n" + b"".join(b"  " * i + b"k:\n" for i in range(1, 100)) + b"  " * 100 + b"x: 1\n",
        ],
        ids=["flow-sequences", "flow-mappings", "block-mappings"],
    )
    def test_deep_yaml_is_refused_while_scanning(self, text: bytes) -> None:
        with pytest.raises(BadRequest, match="nested deeper than 64"):
            parse_document(text, "yaml")

    def test_yaml_at_the_depth_limit_is_read(self) -> None:
        text = b"[" * 60 + b"1" + b"]" * 60
        value = parse_document(text, "yaml")
        for _ in range(60):
            assert isinstance(value, list)
            value = value[0]
        assert value == 1

    def test_deep_json_is_refused(self) -> None:
        with pytest.raises(BadRequest):
            parse_document(b"[" * 100_000 + b"]" * 100_000, "json")

    def test_a_yaml_error_says_where_in_one_line_without_the_parser_s_stream_name(self) -> None:
        with pytest.raises(BadRequest) as caught:
            parse_document(b"workflow:\n  key: demo\n  tasks: [a, b\n  name: x\n", "yaml")

        detail = caught.value.detail
        assert detail.startswith("The bundle is not valid YAML: line 4, column 7: ")
        assert "<unicode string>" not in detail
        assert "\n" not in detail
        assert detail.count("line ") == 1

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
