"""Who may talk to the API: the Host it was addressed to (DNS rebinding), the page's Origin (CORS), and
whether a forced refresh really comes from the dashboard (a cross-site page must not burn quotas)."""

from functools import lru_cache
from urllib.parse import urlsplit

from flask import request

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
REFRESH_HEADER = "X-Dashboard-Refresh"
ALLOWED_REQUEST_HEADERS = {"accept", "authorization", "content-type", REFRESH_HEADER.lower()}


def split_host(host):
    """("name", "port", had a colon) from a Host header, IPv6 brackets removed."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else rest, rest.startswith(":")
    name, colon, port = host.partition(":")
    return name, port, bool(colon)


def host_allowed(raw_host, port, allowed_hosts):
    """True for exactly the loopback names with the serving port (or ALLOWED_HOSTS); never for no Host."""
    return _host_allowed(raw_host, port, tuple(allowed_hosts))


@lru_cache(maxsize=256)  # every request asks, nearly always with the same Host; bounded, whatever clients send
def _host_allowed(raw_host, port, allowed_hosts):
    if not raw_host:
        return False
    host = raw_host.strip().lower()
    name, host_port, colon = split_host(host)
    if colon and not host_port.isdigit():
        return False  # "127.0.0.1:" or a port that is not a number
    if host in allowed_hosts or (name in allowed_hosts and (not colon or host_port == port)):
        return True
    if name not in LOOPBACK_NAMES:
        return False
    return host_port == port if colon else port == "80"


def normalize_origin(origin):
    """An origin as a browser serialises it: lower-case scheme and host, default ports dropped, no path."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def cors_headers(response, allowed_origins):
    """Grant exactly the configured origins (compared as browsers send them, case-sensitively)."""
    origin = request.environ.get("HTTP_ORIGIN")  # the Origin header
    response.headers.add("Vary", "Origin")
    if not origin or origin not in allowed_origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        wanted = {h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",") if h.strip()}
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.headers["Access-Control-Allow-Headers"] = ", ".join(sorted(wanted & ALLOWED_REQUEST_HEADERS))
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def refresh_from_dashboard():
    """(allowed, reason): a forced refresh must carry the dashboard's header, which a cross-site page cannot send
    without a CORS preflight we refuse, and must not be marked cross-site by the browser."""
    if request.headers.get(REFRESH_HEADER) != "1":
        return False, f"a forced refresh needs the {REFRESH_HEADER} header, which the dashboard sends"
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False, "a forced refresh from another site is ignored"
    return True, None
