"""AWS Signature Version 4 for S3-compatible stores (AWS S3, MinIO, Ceph, R2...): just what the
attachment adapter needs, as pure functions so the signature can be checked against AWS's
published examples."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_PAYLOAD_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    region: str
    service: str = "s3"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signing_key(secret_access_key: str, day: str, region: str, service: str) -> bytes:
    k_date = _hmac(f"AWS4{secret_access_key}".encode(), day)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    return _hmac(k_service, "aws4_request")


def canonical_request(method: str, url: str, headers: dict[str, str], payload_sha256: str) -> tuple[str, str]:
    """The canonical request and its signed-header list. S3 paths are encoded once (segments
    keep their `/`), query pairs are sorted by encoded name then value."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/~")
    pairs = []
    for item in filter(None, parts.query.split("&")):
        name, _, value = item.partition("=")
        pairs.append((quote(name, safe="-_.~"), quote(value, safe="-_.~")))
    query = "&".join(f"{n}={v}" for n, v in sorted(pairs))
    normalised = {name.lower().strip(): " ".join(value.split()) for name, value in headers.items()}
    names = sorted(normalised)
    canonical_headers = "".join(f"{name}:{normalised[name]}\n" for name in names)
    signed = ";".join(names)
    return "\n".join([method.upper(), path, query, canonical_headers, signed, payload_sha256]), signed


def sign(
    method: str,
    url: str,
    headers: dict[str, str],
    payload_sha256: str,
    credentials: Credentials,
    at: datetime,
) -> dict[str, str]:
    """`headers` plus `x-amz-date`, `x-amz-content-sha256` and `Authorization`. `headers` must
    hold `host`; every header given is signed."""
    amz_date = at.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    signed_headers = {**headers, "x-amz-date": amz_date, "x-amz-content-sha256": payload_sha256}
    canonical, signed_names = canonical_request(method, url, signed_headers, payload_sha256)
    scope = f"{day}/{credentials.region}/{credentials.service}/aws4_request"
    string_to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = signing_key(credentials.secret_access_key, day, credentials.region, credentials.service)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"{ALGORITHM} Credential={credentials.access_key_id}/{scope}, "
        f"SignedHeaders={signed_names}, Signature={signature}"
    )
    return {**signed_headers, "Authorization": authorization}
