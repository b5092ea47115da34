from uuid import UUID

from tickets.ingest.signing import derive_secret, fingerprint, signature_header, signature_matches

COMPANY = UUID("01890000-0000-7000-8000-000000000001")
KEY = UUID("01890000-0000-7000-8000-000000000002")
BODY = b'{"event_id":"e-1","company_id":"01890000-0000-7000-8000-000000000001"}'


class TestDeriveSecret:
    def test_is_stable_for_the_same_inputs(self) -> None:
        assert derive_secret("server", COMPANY, KEY, 1) == derive_secret("server", COMPANY, KEY, 1)

    def test_changes_with_generation_company_key_and_server_secret(self) -> None:
        base = derive_secret("server", COMPANY, KEY, 1)
        others = {
            derive_secret("server", COMPANY, KEY, 2),
            derive_secret("server", KEY, KEY, 1),
            derive_secret("server", COMPANY, COMPANY, 1),
            derive_secret("other", COMPANY, KEY, 1),
        }
        assert base not in others
        assert len(others) == 4

    def test_is_prefixed_and_long_enough(self) -> None:
        secret = derive_secret("server", COMPANY, KEY, 1)
        assert secret.startswith("tfik_")
        assert len(secret) >= 40

    def test_fingerprint_reveals_nothing_of_the_secret(self) -> None:
        secret = derive_secret("server", COMPANY, KEY, 1)
        assert secret not in fingerprint(secret)
        assert len(fingerprint(secret)) == 64


class TestSignatureMatches:
    secret = derive_secret("server", COMPANY, KEY, 1)

    def test_accepts_the_hmac_of_the_exact_body(self) -> None:
        assert signature_matches([self.secret], BODY, signature_header(self.secret, BODY))

    def test_refuses_a_changed_body(self) -> None:
        assert not signature_matches([self.secret], BODY + b" ", signature_header(self.secret, BODY))

    def test_refuses_another_secret(self) -> None:
        other = derive_secret("server", COMPANY, KEY, 2)
        assert not signature_matches([self.secret], BODY, signature_header(other, BODY))

    def test_refuses_missing_or_unversioned_signatures(self) -> None:
        bare = signature_header(self.secret, BODY).removeprefix("v1=")
        assert not signature_matches([self.secret], BODY, None)
        assert not signature_matches([self.secret], BODY, bare)

    def test_accepts_any_of_several_signatures_and_secrets(self) -> None:
        old = derive_secret("server", COMPANY, KEY, 1)
        new = derive_secret("server", COMPANY, KEY, 2)
        header = f"{signature_header(new, BODY)} {signature_header(old, BODY)}"
        assert signature_matches([new], BODY, header)
        assert signature_matches([old], BODY, header)
        assert signature_matches([new, old], BODY, signature_header(old, BODY))
