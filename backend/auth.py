"""DASHBOARD_TOKEN: when set (and it must be beyond loopback), every API, metrics and page request needs it.

Scripts send `Authorization: Bearer <token>`; a person signs in once at /login, which sets an HttpOnly,
SameSite=Strict session cookie derived from the token. Comparisons are constant-time and failed
sign-ins are rate-limited per client address.
"""

import hashlib
import hmac
import threading
import time

from flask import redirect, request

SESSION_COOKIE = "ai_usage_session"
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0  # seconds
LOGIN_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AI usage: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<style>body{{font:16px system-ui,sans-serif;max-width:22rem;margin:15vh auto;padding:0 1rem}}
input,button{{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}}
p.error{{color:#c53030}}</style></head><body><h1>AI usage</h1>
<form method="post" action="/login"><label for="token">Dashboard token (DASHBOARD_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button></form>{message}</body></html>"""


def session_value(token):
    """What the session cookie holds: derived from the token, so the token itself never sits in a cookie."""
    return hmac.new(token.encode(), b"ai-usage-dashboard session v1", hashlib.sha256).hexdigest()


def register_auth(app, settings, error):
    token = settings.dashboard_token
    if not token:
        return
    cookie_value = session_value(token)
    failures = {}
    lock = threading.Lock()

    def recent_failures(address):
        now = time.monotonic()
        with lock:
            kept = [t for t in failures.get(address, []) if now - t < FAILURE_WINDOW]
            failures[address] = kept
            return kept

    def signed_in():
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip().encode(), token.encode()):
            return True
        cookie = request.cookies.get(SESSION_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), cookie_value.encode())

    @app.before_request
    def require_token():
        if request.path == "/login" or request.method == "OPTIONS" or signed_in():
            return None
        if request.path.startswith("/api/") or request.path == "/metrics":
            response = error("auth_required", "This dashboard needs its token: send `Authorization: Bearer <DASHBOARD_TOKEN>`, "
                                              "or sign in at /login.", 401)
            response.headers["WWW-Authenticate"] = 'Bearer realm="ai-usage-dashboard"'
            return response
        return redirect("/login")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        address = request.remote_addr or "?"
        if request.method == "GET":
            return _page("")
        if len(recent_failures(address)) >= MAX_FAILURES:
            response = _page("<p class=error>Too many wrong tokens: wait a few minutes.</p>", 429)
            response.headers["Retry-After"] = str(int(FAILURE_WINDOW))
            return response
        given = (request.form.get("token") or "").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            response = redirect("/")
            response.set_cookie(SESSION_COOKIE, cookie_value, httponly=True, samesite="Strict",
                                secure=request.is_secure, max_age=30 * 86400)
            return response
        with lock:
            failures.setdefault(address, []).append(time.monotonic())
        return _page("<p class=error>That is not the token.</p>", 401)

    def _page(message, status=200):
        response = app.response_class(LOGIN_PAGE.format(message=message), status=status, mimetype="text/html")
        response.headers["Content-Security-Policy"] = LOGIN_CSP
        response.headers["Cache-Control"] = "no-store"
        return response
