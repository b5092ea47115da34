import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from actions.callbacks import tokens
from actions.runner.retry import backoff_delay, is_retryable_status, retry_after_seconds
from actions.runner.transforms import TransformError, apply_transform, as_output
from actions.signing.webhooks import generate_secret, signature_headers, verify
from contracts.ids import uuid7


class TestRetryPolicy:
    @pytest.mark.parametrize(
        ("status", "retry"),
        [(500, True), (503, True), (429, True), (408, True), (400, False), (404, False), (301, False)],
    )
    def test_which_statuses_are_retried(self, status: int, retry: bool) -> None:
        assert is_retryable_status(status) is retry

    def test_backoff_grows_and_is_capped(self) -> None:
        rng = random.Random(7)
        delays = [backoff_delay(n, base=1.0, cap=8.0, rng=rng) for n in range(8)]
        assert all(0.1 * min(8.0, 2**n) <= d <= min(8.0, 2**n) for n, d in enumerate(delays))

    def test_retry_after_seconds_and_dates_are_capped(self) -> None:
        now = datetime(2030, 1, 1, tzinfo=UTC)
        assert retry_after_seconds("5", cap=60) == 5
        assert retry_after_seconds("3600", cap=60) == 60
        assert retry_after_seconds("Tue, 01 Jan 2030 00:00:10 GMT", cap=60, now=now) == 10
        assert retry_after_seconds("soon", cap=60) is None


OURS = "our-callback-secret-of-32-bytes!"
THEIRS = "their-callback-secret-of-32-bytes"


class TestCallbackTokens:
    def test_a_token_round_trips(self) -> None:
        claim = tokens.CallbackClaim(
            uuid7(), uuid7(), datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
        )
        assert tokens.verify(OURS, tokens.issue(OURS, claim)) == claim

    @pytest.mark.parametrize(
        "mangle", [lambda t: t + "x", lambda t: "x" + t, lambda t: t.split(".")[0], lambda t: ""]
    )
    def test_a_mangled_token_is_invalid(self, mangle: Callable[[str], str]) -> None:
        claim = tokens.CallbackClaim(uuid7(), uuid7(), datetime.now(UTC))
        with pytest.raises(tokens.TokenInvalid):
            tokens.verify(OURS, mangle(tokens.issue(OURS, claim)))

    def test_another_secret_is_invalid(self) -> None:
        claim = tokens.CallbackClaim(uuid7(), uuid7(), datetime.now(UTC))
        with pytest.raises(tokens.TokenInvalid):
            tokens.verify(OURS, tokens.issue(THEIRS, claim))


class TestWebhookSignatures:
    def test_a_receiver_verifies_with_either_secret_during_rotation(self) -> None:
        new, old = generate_secret(), generate_secret()
        headers = signature_headers([new, old], "msg_1", int(time.time()), b'{"a":1}')
        assert verify(new, headers, b'{"a":1}')
        assert verify(old, headers, b'{"a":1}')
        assert not verify(generate_secret(), headers, b'{"a":1}')
        assert not verify(new, headers, b'{"a":2}')

    def test_the_standard_webhooks_reference_vector(self) -> None:
        # From the Standard Webhooks specification's test vectors.
        headers = {
            "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        }
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        body = b'{"test": 2432232314}'
        # A receiver refuses a timestamp more than five minutes away, so it checks the vector at
        # the time the vector was made.
        with time_machine.travel(datetime.fromtimestamp(1614265330, UTC), tick=False):
            assert verify(secret, headers, body)
        assert not verify(secret, headers, body)
        assert signature_headers([secret], headers["webhook-id"], 1614265330, body) == headers


class TestTransforms:
    def test_identity_when_absent(self) -> None:
        assert apply_transform(None, {"a": 1}, timeout_ms=100, max_depth=50) == {"a": 1}

    def test_an_expression_maps_the_data(self) -> None:
        assert apply_transform('{"n": $count(items)}', {"items": [1, 2]}, timeout_ms=100, max_depth=50) == {
            "n": 2
        }

    def test_runaway_recursion_is_stopped(self) -> None:
        with pytest.raises(TransformError):
            apply_transform("($f := function($n){ $f($n + 1) }; $f(0))", {}, timeout_ms=500, max_depth=100)

    def test_a_syntax_error_is_a_transform_error(self) -> None:
        with pytest.raises(TransformError):
            apply_transform("{ nope", {}, timeout_ms=100, max_depth=50)

    @pytest.mark.parametrize(
        ("value", "output"), [(None, {}), ({"a": 1}, {"a": 1}), ([1], {"result": [1]}), (3, {"result": 3})]
    )
    def test_outputs_are_objects(self, value: object, output: dict[str, object]) -> None:
        assert as_output(value) == output
