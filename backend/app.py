"""Application factory: one /api blueprint, JSON errors, CORS for the dashboard only."""

import logging
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from . import demo, providers
from .alert_channels import Dispatcher, build_channels
from .alerts import AlertEngine
from .auth import register_auth
from .config import load_settings
from .errors import HTTP_CODES, ProviderError, error_body
from .get_model_limit_balances import create_blueprint
from .guards import cors_headers, host_allowed, normalize_origin
from .helpers.common import new_session
from .history_store import HistoryStore
from .page import PAGE_CSP, register_page
from .provider_cache import ProviderCache
from .scrub import SecretFilter, scrub

log = logging.getLogger("usage_dashboard")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Set on every answer unless the view set its own: (name, name in lower case, value).
COMMON_HEADERS = (("X-Content-Type-Options", "x-content-type-options", "nosniff"),
                  ("Referrer-Policy", "referrer-policy", "no-referrer"))
API_HEADERS = (*COMMON_HEADERS, ("Cache-Control", "cache-control", "no-store"),
               ("Content-Security-Policy", "content-security-policy", API_CSP))
PAGE_HEADERS = (*COMMON_HEADERS, ("Content-Security-Policy", "content-security-policy", PAGE_CSP),
                ("X-Frame-Options", "x-frame-options", "DENY"))


class DashboardState:
    """Per-app state: settings, the result cache and one HTTP session per provider."""

    def __init__(self, settings):
        self.settings = settings
        connect, read = settings.timeout
        # Waiters give up a little after the upstream's own timeouts would have fired.
        self.cache = ProviderCache(
            ttl=settings.cache_ttl, wait_seconds=connect + read + 1.0,
            fallback=lambda key: providers.last_good(self, key),
        )
        self._sessions = {}
        self._refreshed = {}
        self.account_names = {}  # provider id -> its account names (resolve)
        self.account_configs = {}  # account key -> its AccountConfig
        self.configured = {}  # account key -> the stamp of its login when it was last found configured
        self._lock = threading.Lock()
        self.alerts = None
        if settings.demo:
            # Demo mode never touches the user's history, and never notifies anyone.
            self.history = HistoryStore(Path(tempfile.mkdtemp(prefix="ai-usage-demo-")) / "history.sqlite3")
            demo.seed_history(self.history, settings.providers)
            self.dispatcher = Dispatcher([])
        else:
            self.history = HistoryStore(settings.db_path)
            self.dispatcher = Dispatcher(build_channels(settings.alert_urls, settings.alert_command))
            self.alerts = AlertEngine(self.history, settings, self.dispatcher)

    def refresh_allowed(self, key, every=10.0):
        """At most one forced refresh per account every `every` seconds, whoever asks."""
        now = time.monotonic()
        with self._lock:
            if now - self._refreshed.get(key, float("-inf")) < every:
                return False
            self._refreshed[key] = now
            return True

    def session(self, key):
        """One HTTP session per provider account, so each keeps its own warm connections."""
        with self._lock:
            if key not in self._sessions:
                self._sessions[key] = new_session()
            return self._sessions[key]


def create_app(test_config=None):
    """Build the API; test_config may carry a ready SETTINGS object."""
    test_config = test_config or {}
    settings = test_config.get("SETTINGS") or load_settings()
    app = Flask(__name__, static_folder=None)
    app.config.update({k: v for k, v in test_config.items() if k != "SETTINGS"})
    app.json.sort_keys = False
    app.extensions["usage_dashboard"] = DashboardState(settings)
    install_log_filter(settings)
    for problem in settings.problems:
        log.warning("config: %s", problem)

    app.register_blueprint(create_blueprint(settings.providers))
    _register_metrics(app)
    _register_errors(app)
    _register_guards(app, settings)
    register_auth(app, settings, _error)
    register_page(app, lambda message: _error("not_found", message, 404))
    return app


def _register_metrics(app):
    """GET /metrics for Prometheus, from the same cached state the page reads."""
    from .metrics import registry_for

    registry = registry_for(app.extensions["usage_dashboard"])

    @app.get("/metrics")
    def metrics():
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return app.response_class(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                                  headers={"Cache-Control": "no-store"})


def install_log_filter(settings):
    """Scrub these settings' secrets from our log lines and tracebacks (one filter per logger, replaced per app)."""
    for name in ("usage_dashboard", "werkzeug", "waitress"):
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, SecretFilter)]:
            logger.removeFilter(old)
        logger.addFilter(SecretFilter(settings.secrets))


def _error(code, message, status, provider=None):
    response = jsonify(error=error_body(code, message, provider))
    response.status_code = status
    return response


def _register_errors(app):
    @app.errorhandler(ProviderError)
    def provider_error(exc):
        secrets = app.extensions["usage_dashboard"].settings.secrets()
        response = jsonify(error=scrub(exc.to_dict(), secrets))
        response.status_code = exc.status
        if exc.retry_after_seconds:
            response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = HTTP_CODES.get(exc.code, "http_error")
        messages = {
            404: f"There is no {request.path}. See /api/openapi.json for the routes.",
            405: f"{request.method} is not allowed on {request.path}; the API is read-only (GET).",
        }
        response = _error(code, messages.get(exc.code, exc.description), exc.code)
        if exc.code == 405:
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        # The traceback holds code and types; secrets live in settings, never in exception text of ours.
        log.exception("unexpected %s on %s", type(exc).__name__, request.path)
        return _error("internal_error", "The dashboard API hit an unexpected problem; see its log.", 500)


def _register_guards(app, settings):
    port = str(settings.api_port)
    allowed_hosts = tuple(settings.allowed_hosts)

    origins = {o for o in (normalize_origin(origin) for origin in settings.cors_origins) if o}

    @app.before_request
    def check_host():
        # A DNS-rebinding page reaches us under its own host name: refuse it, and a request with no Host.
        if host_allowed(request.environ.get("HTTP_HOST"), port, allowed_hosts):  # the Host header
            if request.method == "OPTIONS":
                return cors_headers(app.response_class(status=204), origins)
            return None
        return _error(
            "forbidden_host",
            "This API only answers requests addressed to localhost. To allow another host name, "
            "add it to ALLOWED_HOSTS.",
            403,
        )

    @app.after_request
    def security_headers(response):
        path = request.path
        api = path.startswith("/api/")
        if (api or path == "/metrics") and request.method != "OPTIONS":
            cors_headers(response, origins)
        add_missing(response.headers, API_HEADERS if api else PAGE_HEADERS)
        return response


def add_missing(headers, defaults):
    """Add each (name, lower-case name, value) of defaults that headers do not set yet: what setdefault does,
    in one pass over the headers instead of one per default (this runs on every answer)."""
    present = {name.lower() for name, _ in headers}
    headers.extend([(name, value) for name, lower, value in defaults if lower not in present])
