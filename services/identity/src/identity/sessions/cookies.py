"""The refresh-token cookie: HttpOnly, SameSite=Strict, scoped to the identity API, Secure
outside development. A call that relies on it must also carry `X-TF-CSRF: 1`, a header a
cross-site form cannot set."""

from datetime import UTC, datetime

from fastapi import Request, Response

from common.errors import Forbidden, Unauthorized
from identity.config import IdentitySettings
from identity.sessions.schemas import SessionRead
from identity.sessions.service import IssuedSession, Refused

REFRESH_COOKIE = "tf_refresh"
COOKIE_PATH = "/api/identity"
CSRF_HEADER = "x-tf-csrf"


def refresh_token_from(request: Request, body_token: str | None, *, required: bool) -> str | None:
    """The refresh token of this call: from the body (API clients) or the cookie (browsers)."""
    if body_token:
        return body_token
    cookie = request.cookies.get(REFRESH_COOKIE)
    if cookie:
        if request.headers.get(CSRF_HEADER) != "1":
            raise Forbidden("A call that uses the session cookie must send the header X-TF-CSRF: 1.")
        return cookie
    if required:
        raise Unauthorized("No refresh token: send the session cookie or a refresh_token in the body.")
    return None


def set_refresh_cookie(response: Response, settings: IdentitySettings, session: IssuedSession) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        session.refresh_token,
        max_age=max(0, int((session.refresh_expires_at - datetime.now(UTC)).total_seconds())),
        path=COOKIE_PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def clear_refresh_cookie(response: Response, settings: IdentitySettings) -> None:
    response.delete_cookie(
        REFRESH_COOKIE, path=COOKIE_PATH, secure=settings.secure_cookies, httponly=True, samesite="strict"
    )


def deliver(
    outcome: IssuedSession | Refused, response: Response, settings: IdentitySettings, *, cookie: bool
) -> SessionRead:
    """The answer to a call that opened or refreshed a session (raises a refusal, after the
    caller committed what the refusal recorded)."""
    if isinstance(outcome, Refused):
        if isinstance(outcome.problem, Unauthorized):
            clear_refresh_cookie(response, settings)
            outcome.problem.headers = {"set-cookie": response.headers["set-cookie"]}
        raise outcome.problem
    response.headers["cache-control"] = "no-store"
    if cookie:
        set_refresh_cookie(response, settings, outcome)
    return SessionRead(
        access_token=outcome.access_token,
        expires_in=outcome.expires_in,
        refresh_token=None if cookie else outcome.refresh_token,
        user=outcome.user,
    )
