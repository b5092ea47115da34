import pytest

from contracts.ids import uuid7
from identity.config import IdentitySettings
from identity.emails import email_key, normalize_email
from identity.secret_tokens import company_of, new_token, token_hash
from identity.users.service import with_base_role


class TestSecretTokens:
    def test_token_names_its_company_and_is_random(self) -> None:
        company = uuid7()
        first, second = new_token(company), new_token(company)
        assert company_of(first) == company
        assert first != second

    @pytest.mark.parametrize(
        "token", ["", "abc", "nothex.secret", "01a214fcfe0c735c8bb97a0d5eda0ac6.", "x" * 300]
    )
    def test_malformed_tokens_name_no_company(self, token: str) -> None:
        assert company_of(token) is None

    def test_hash_is_sha256_hex(self) -> None:
        assert len(token_hash("a")) == 64
        assert token_hash("a") != token_hash("b")


class TestEmails:
    def test_domain_is_lowercased_and_blanks_stripped(self) -> None:
        assert normalize_email("  Ada.Lovelace@Example.COM ") == "Ada.Lovelace@example.com"

    @pytest.mark.parametrize("value", ["ada", "ada@", "@example.com", "ada@example", "a b@example.com"])
    def test_invalid_addresses_are_refused(self, value: str) -> None:
        with pytest.raises(ValueError, match="valid email"):
            normalize_email(value)

    def test_key_is_case_insensitive(self) -> None:
        assert email_key("Ada@Example.com") == email_key("ada@example.COM")


class TestBaseRole:
    def test_user_is_always_held_once_and_first(self) -> None:
        assert with_base_role(["admin", "user", "admin"]) == ["user", "admin"]
        assert with_base_role([]) == ["user"]


class TestPublicUrl:
    def test_links_follow_the_gateway_url_when_no_public_url_is_set(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("IDENTITY_PUBLIC_URL", raising=False)
        monkeypatch.setenv("GATEWAY_URL", "http://127.0.0.1:18080")
        assert IdentitySettings().public_url == "http://127.0.0.1:18080"

    def test_the_public_url_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("IDENTITY_PUBLIC_URL", "https://tickets.example.com")
        monkeypatch.setenv("GATEWAY_URL", "http://127.0.0.1:18080")
        assert IdentitySettings().public_url == "https://tickets.example.com"
