"""Security and cache headers on every response of the web app."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

WIDGET_PREFIX = "/widget/"
# The widget's files are versioned by path (/widget/v1/); a breaking change gets /widget/v2/.
# Fixes inside v1 reach sites within a day; vendored libraries carry their version in the path
# and never change.
WIDGET_CACHE = "public, max-age=86400, stale-while-revalidate=604800"
VENDOR_CACHE = "public, max-age=31536000, immutable"


def websocket_origin(http_origin: str) -> str:
    parts = urlsplit(http_origin)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """A strict policy for the app's own pages: nothing inline, nothing from elsewhere but Rasa."""
    connect = ["'self'"]
    if rasa_url:
        connect += [rasa_url, websocket_origin(rasa_url)]
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src {' '.join(connect)}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, rasa_url_for: Callable[[Request], str]) -> None:
        super().__init__(app)
        self.rasa_url_for = rasa_url_for

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        headers = response.headers
        if "content-security-policy" not in headers:  # a route may set a narrower one
            headers["Content-Security-Policy"] = content_security_policy(self.rasa_url_for(request))
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if request.url.path.startswith(WIDGET_PREFIX):
            # Partner sites load these from their own origin: the widget fetches its texts and
            # imports the socket.io module, which needs CORS.
            headers["Access-Control-Allow-Origin"] = "*"
            headers["Cross-Origin-Resource-Policy"] = "cross-origin"
            if response.status_code == 200:
                vendor = "/vendor/" in request.url.path
                headers["Cache-Control"] = VENDOR_CACHE if vendor else WIDGET_CACHE
        else:
            headers["Cross-Origin-Opener-Policy"] = "same-origin"
            headers["Cross-Origin-Resource-Policy"] = "same-origin"
            headers.setdefault("Cache-Control", "no-cache")
        return response
