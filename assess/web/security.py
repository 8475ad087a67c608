"""Security headers on every response, and no caching of anything personal.

The content security policy allows no inline script or style: every script is a file in
assess/static. Pages with assessments, results, reports or dashboards are never stored by
browsers or proxies (Cache-Control: no-store).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# Responses that may be cached: static files and the public list of regions.
CACHEABLE = {"static", "regions.children"}


def secure(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["ENV"] == "production":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint not in CACHEABLE:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Behind a reverse proxy, the client's address (login throttling, audit log) and the
        # scheme come from the X-Forwarded-* headers the proxy sets, trusting this many hops.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
