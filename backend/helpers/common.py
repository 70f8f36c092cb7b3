"""Shared pieces for the provider helpers: HTTP, errors, numbers and time."""

import json
import math
import random
import time
from datetime import UTC, datetime

from ..errors import BadPayload, ProviderError

USER_AGENT = "ai-usage-dashboard/0.1 (+local; python-requests)"
MAX_BODY_BYTES = 5 * 1024 * 1024

def new_session():
    """One session per provider, so each upstream keeps its own warm connections."""
    import requests  # ~70 ms to import: not before the API listens (run_api.py warms it right after)

    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    # Credentials come from our settings only, never from ~/.netrc.
    session.trust_env = False
    return session


def get_json(session, url, *, headers, timeout, provider, label, auth_hint, params=None, refusals=None):
    """GET a JSON document, mapping every failure to a ProviderError.

    Retries once, with jitter, on connection resets and 502/503/504; never on 401/403/429.
    refusals: {HTTP status: message} for answers that mean "this account has no access" (code no_access).
    """
    args = (session, url, headers, timeout, provider, label, auth_hint, params, refusals or {})
    try:
        return _get_json_once(*args)
    except _Retryable:
        time.sleep(0.05 + random.random() * 0.15)
    try:
        return _get_json_once(*args)
    except _Retryable as exc:
        raise exc.error from None


class Unreachable(ProviderError):
    """No connection to the upstream at all. `where` is its scheme, host and port (never a path, query or user part),
    so the caller that knows which setting gave the address can name it."""

    def __init__(self, label, where, provider):
        super().__init__("upstream_error", f"Could not connect to {label} at `{where}`. Check your connection.", provider)
        self.label, self.where = label, where


def url_origin(url):
    """scheme://host[:port] of a URL: enough to spot a wrong address, and nothing a URL may hide a secret in."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if "@" in url.partition("://")[2] and "@" not in parts.netloc:
        return f"{parts.scheme}://?"  # a user part with an unescaped / ? or #: what looks like the host may be part of it
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    host = parts.hostname or "?"
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}{port}"


class _Retryable(Exception):
    def __init__(self, error):
        super().__init__(error.message)
        self.error = error


def _get_json_once(session, url, headers, timeout, provider, label, auth_hint, params, refusals):
    import requests  # a look-up by now: the session was made by requests

    connect_timeout, read_timeout = timeout
    deadline = time.monotonic() + connect_timeout + read_timeout
    try:
        # No redirects: a redirect could carry the token to another host.
        response = session.get(
            url, headers=headers, params=params, timeout=timeout, stream=True, allow_redirects=False
        )
    except requests.Timeout:
        raise ProviderError(
            "upstream_timeout",
            f"{label} did not answer in time (timeouts: {connect_timeout:g} s to connect, {read_timeout:g} s to answer). "
            "Try again later; if it persists, check your connection.",
            provider,
        ) from None
    except requests.ConnectionError:
        raise _Retryable(Unreachable(label, url_origin(url), provider)) from None
    except requests.RequestException:
        raise ProviderError("upstream_error", f"The request to {label} failed.", provider) from None
    with response:
        _check_status(response, provider, label, auth_hint, refusals)
        body = _read_body(response, deadline, provider, label)
    return _parse_json(body, provider, label)


def _check_status(response, provider, label, auth_hint, refusals):
    status = response.status_code
    if status == 429 or (status == 403 and _rate_limited(response)):
        retry_after = parse_retry_after(response.headers.get("Retry-After")) or _reset_in(response)
        # The wait is in retry_after_seconds (the page counts it down), never frozen into the words.
        raise ProviderError(
            "rate_limited", f"{label} is rate limiting requests; the dashboard waits before asking again.",
            provider, retry_after or 60, upstream_status=status,
        )
    if status in refusals:
        raise ProviderError("no_access", refusals[status], provider, upstream_status=status)
    if status in (401, 403):
        raise ProviderError(
            "unauthorized",
            f"{label} refused the credentials (HTTP {status}). Check {auth_hint}.",
            provider,
            upstream_status=status,
        )
    if 300 <= status < 400:
        raise ProviderError(
            "upstream_error",
            f"{label} answered with a redirect (HTTP {status}), which is not followed "
            "so that credentials never leave the provider's host. Check the API base URL.",
            provider,
        )
    if status == 404:
        raise ProviderError(
            "upstream_error", f"{label} answered 404 Not Found. Check {auth_hint}.", provider,
            upstream_status=404,
        )
    if status >= 400:
        error = ProviderError(
            "upstream_error", f"{label} answered with an error (HTTP {status}). Try again later.", provider
        )
        if status in (500, 502, 503, 504):
            raise _Retryable(error)
        raise error


def _read_body(response, deadline, provider, label):
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadPayload(provider, label, "the answer is larger than 5 MB")
    chunks, size = [], 0
    try:
        while True:
            # read1 returns what has arrived, so a trickling upstream meets the deadline check.
            chunk = response.raw.read1(65536, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise BadPayload(provider, label, "the answer is larger than 5 MB")
            if time.monotonic() > deadline:
                raise ProviderError(
                    "upstream_timeout", f"{label} was too slow sending its answer. Try again later.", provider
                )
            chunks.append(chunk)
    except ProviderError:
        raise
    except Exception:
        raise ProviderError(
            "upstream_error", f"The connection to {label} broke while reading its answer.", provider
        ) from None
    return b"".join(chunks)


def _reject_constant(name):
    raise ValueError(name)


def _parse_json(body, provider, label):
    try:
        # NaN and Infinity are not JSON; refuse them rather than pass them on.
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadPayload(provider, label, "the answer is not JSON") from None


def _rate_limited(response):
    """A 403 that is really a rate limit (GitHub's x-ratelimit-remaining: 0, or its message)."""
    if response.headers.get("x-ratelimit-remaining", "").strip() == "0":
        return True
    try:
        head = response.raw.read(4096, decode_content=True) or b""
    except Exception:
        return False
    return b"rate limit" in head.lower()


def _reset_in(response):
    """Seconds until x-ratelimit-reset (Unix seconds), within a day."""
    raw = response.headers.get("x-ratelimit-reset", "").strip()
    if not raw.isdigit():
        return None
    return min(max(int(raw) - int(time.time()), 1), 86400)


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds form), else None."""
    if value and value.strip().isdigit():
        return min(int(value.strip()), 86400)
    return None


def as_dict(value, provider, label, where):
    if not isinstance(value, dict):
        raise BadPayload(provider, label, f"{where} is not an object")
    return value


def as_number(value, provider, label, where, *, optional=False):
    """A finite float from a JSON number or numeric string; None allowed when optional."""
    if value is None and optional:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadPayload(provider, label, f"{where} is not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > 1e15:
        raise BadPayload(provider, label, f"{where} is out of range")
    return number


def as_text(value, *, default=None, limit=200):
    """A short display string, or the default for anything that is not text."""
    if isinstance(value, str) and value.strip():
        return value.strip()[:limit]
    return default


def money(value):
    return round(value, 4) if value is not None else None


def utc_now():
    return datetime.now(UTC)


def iso(moment):
    """ISO-8601 UTC with a Z, to the second (a four-digit year even before 1000)."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"


def parse_iso(text):
    """The inverse of iso(): an aware datetime from ISO-8601 text (a trailing Z means UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def from_unix(seconds):
    return datetime.fromtimestamp(seconds, UTC)


class Notes:
    """What a normalizer had to leave out, so one malformed field costs that field, not the whole card."""

    def __init__(self, provider, label):
        self.provider, self.label, self.items = provider, label, []

    def add(self, text):
        if text not in self.items:
            self.items.append(text)

    def number(self, value, where):
        """A number, or None with a note when the field is there but not a usable number."""
        try:
            return as_number(value, self.provider, self.label, where, optional=True)
        except BadPayload:
            self.add(f"{where} was not a usable number, so it is left out.")
            return None

    def apply(self, body):
        body["partial"] = bool(self.items)
        body["notes"] = list(self.items)
        return body


def first_of_next_month(year, month):
    """00:00 UTC on the 1st of the month after; the last representable day for December 9999."""
    if month == 12:
        return datetime(year + 1, 1, 1, tzinfo=UTC) if year < 9999 else datetime.max.replace(tzinfo=UTC)
    return datetime(year, month + 1, 1, tzinfo=UTC)
