import pytest

from tickets.ticket.numbering import format_number, normalise_prefix


class TestFormatNumber:
    def test_joins_prefix_and_sequence(self) -> None:
        assert format_number("HR", 1042) == "HR-1042"

    def test_cleans_the_prefix(self) -> None:
        assert format_number(" it-ops ", 7) == "ITOPS-7"

    def test_refuses_a_sequence_below_one(self) -> None:
        with pytest.raises(ValueError, match="start at 1"):
            format_number("HR", 0)


class TestNormalisePrefix:
    def test_keeps_letters_and_digits_upper_case(self) -> None:
        assert normalise_prefix("fin2") == "FIN2"

    def test_falls_back_when_nothing_is_left(self) -> None:
        assert normalise_prefix("--") == "T"
