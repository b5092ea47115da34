"""The shared expression module: bounds, the compile cache, and regexes that cannot backtrack."""

import threading

import pytest

from common import expressions
from common.expressions import ExpressionError, ExpressionLimits, evaluate, evaluate_text

LIMITS = ExpressionLimits(timeout_ms=200, max_depth=100)
# 40 'a's and a '!': Python's backtracking `re` needs about 2**40 steps to refuse it.
BOMB_INPUT = "a" * 40 + "!"


class TestBoundedEvaluation:
    def test_runaway_recursion_is_stopped(self) -> None:
        expression = "($f := function($n){ $f($n + 1) }; $f(0))"
        with pytest.raises(ExpressionError):
            evaluate_text(expression, {}, LIMITS)

    def test_long_loop_is_stopped_by_the_time_bound(self) -> None:
        with pytest.raises(ExpressionError, match=r"(?i)timeout"):
            evaluate_text("$sum([1..1000000].($ * 2))", {}, ExpressionLimits(timeout_ms=5, max_depth=100))

    def test_syntax_error_is_an_expression_error(self) -> None:
        with pytest.raises(ExpressionError):
            evaluate_text("a >", {}, LIMITS)

    def test_an_overlong_expression_is_refused_before_parsing(self) -> None:
        with pytest.raises(ExpressionError, match="longer than"):
            expressions.compile("1 + " * 2000 + "1")


class TestSingleStepBounds:
    """Steps the timebox cannot interrupt are refused before (or as soon as) they build too much."""

    def test_a_huge_range_is_refused_before_it_is_built(self) -> None:
        with pytest.raises(ExpressionError, match="range of more than"):
            evaluate_text("$count([1..100000000])", {}, LIMITS)

    def test_a_modest_range_is_fine(self) -> None:
        assert evaluate_text("$count([1..1000])", {}, LIMITS) == 1000

    def test_a_huge_pad_is_refused(self) -> None:
        with pytest.raises(ExpressionError, match=r"\$pad to more than"):
            evaluate_text('$length($pad("", 50000000))', {}, LIMITS)
        assert evaluate_text('$pad("ab", 5, "-")', {}, LIMITS) == "ab---"

    def test_a_split_into_too_many_pieces_is_refused(self) -> None:
        with pytest.raises(ExpressionError, match=r"\$split into more than"):
            evaluate_text('$count($split(text, ""))', {"text": "x" * 200_000}, LIMITS)
        assert evaluate_text('$split("a,b", ",")', {}, LIMITS) == ["a", "b"]

    def test_a_value_too_large_is_refused_when_it_is_made(self) -> None:
        with pytest.raises(ExpressionError, match="string of more than"):
            evaluate_text(
                "text & text", {"text": "x" * 600_000}, ExpressionLimits(timeout_ms=5000, max_depth=100)
            )


class TestCompileCache:
    def test_the_same_text_compiles_once(self) -> None:
        assert expressions.compile("amount > 10") is expressions.compile("amount > 10")

    def test_each_evaluation_of_a_cached_expression_gets_its_own_clock(self) -> None:
        compiled = expressions.compile("$sum([1..20000])")
        first = evaluate(compiled, {}, ExpressionLimits(timeout_ms=1000, max_depth=100))
        # Long after the first evaluation began, a second one still has its whole bound.
        threading.Event().wait(0.05)
        assert evaluate(compiled, {}, ExpressionLimits(timeout_ms=1000, max_depth=100)) == first

    def test_concurrent_evaluations_see_their_own_input(self) -> None:
        compiled = expressions.compile("n * 2")
        results: dict[int, object] = {}

        def run(n: int) -> None:
            for _ in range(50):
                value = evaluate(compiled, {"n": n}, LIMITS)
                if value != n * 2:
                    results[n] = value
                    return
            results[n] = n * 2

        threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == {n: n * 2 for n in range(8)}


class TestSafeRegexes:
    @pytest.mark.parametrize(
        "expression",
        [
            "$match(s, /^(a+)+$/)",
            '$replace(s, /^(a+)+$/, "x")',
            "$split(s, /^(a+)+$/)",
            "$contains(s, /^(a+)+$/)",
        ],
    )
    def test_a_catastrophic_pattern_answers_at_once(self, expression: str) -> None:
        # Under the backtracking engine this would not return for hours; RE2 is linear.
        value = evaluate_text(expression, {"s": BOMB_INPUT}, LIMITS)
        assert value in (None, BOMB_INPUT, [BOMB_INPUT], False)

    def test_match_reports_groups_and_index(self) -> None:
        assert evaluate_text('$match("abc ABC", /a(b)c/i)', {}, LIMITS) == [
            {"match": "abc", "index": 0, "groups": ["b"]},
            {"match": "ABC", "index": 4, "groups": ["B"]},
        ]

    def test_replace_with_group_references(self) -> None:
        assert (
            evaluate_text('$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")', {}, LIMITS) == "Smith, John"
        )

    def test_multiline_flag(self) -> None:
        assert evaluate_text('$count($match("l1\\nl2", /^l\\d$/m))', {}, LIMITS) == 2

    def test_split_and_contains(self) -> None:
        assert evaluate_text('$split("a1b2c", /\\d/)', {}, LIMITS) == ["a", "b", "c"]
        assert evaluate_text('$contains("abc", /B/i)', {}, LIMITS) is True

    def test_a_backreference_is_a_compile_problem(self) -> None:
        problem = expressions.compile_problem("$match(s, /(a)\\1/)")
        assert problem is not None
        assert "not supported" in problem


class TestReading:
    def test_root_fields(self) -> None:
        assert expressions.root_fields("approved = true and ticket.department = 'IT'") == {
            "approved",
            "ticket",
        }

    def test_always_true(self) -> None:
        assert expressions.is_always_true(None)
        assert expressions.is_always_true("true")
        assert not expressions.is_always_true("approved")

    def test_holds_is_jsonata_truthiness(self) -> None:
        assert expressions.holds([0]) is False
        assert expressions.holds("x") is True
