from identity.passwords import Passwords, password_problems


class TestPasswordProblems:
    def test_a_long_mixed_password_passes(self) -> None:
        assert password_problems("Correct-Horse-Battery-9") == []

    def test_a_short_password_is_refused_with_the_minimum(self) -> None:
        assert password_problems("Ab1!") == ["must be at least 10 characters long"]

    def test_a_single_class_password_is_refused(self) -> None:
        assert password_problems("abcdefghijkl") == [
            "must mix at least two of: lower-case letters, upper-case letters, digits, symbols"
        ]

    def test_all_problems_are_listed_together(self) -> None:
        assert len(password_problems("aaaa")) == 2

    def test_an_overlong_password_is_refused(self) -> None:
        assert "must be at most 128 characters long" in password_problems("aB3" * 50)

    def test_the_email_itself_is_refused(self) -> None:
        assert "must not be the email address" in password_problems("Max@Example.com", "max@example.com")


PASSWORDS = Passwords(time_cost=1, memory_cost_kib=1024)


class TestHashing:
    async def test_hash_is_argon2id_and_verifies(self) -> None:
        hashed = await PASSWORDS.hash("Correct-Horse-Battery-9")
        assert hashed.startswith("$argon2id$")
        assert await PASSWORDS.verify(hashed, "Correct-Horse-Battery-9")

    async def test_wrong_password_does_not_verify(self) -> None:
        assert not await PASSWORDS.verify(
            await PASSWORDS.hash("Correct-Horse-Battery-9"), "Correct-Horse-Battery-8"
        )

    async def test_missing_hash_never_verifies(self) -> None:
        assert not await PASSWORDS.verify(None, "not-a-real-password-0")

    async def test_garbage_hash_does_not_raise(self) -> None:
        assert not await PASSWORDS.verify("not a hash", "whatever-123")

    async def test_hashes_made_with_another_cost_still_verify(self) -> None:
        stronger = Passwords(time_cost=2, memory_cost_kib=2048)
        assert await PASSWORDS.verify(
            await stronger.hash("Correct-Horse-Battery-9"), "Correct-Horse-Battery-9"
        )
