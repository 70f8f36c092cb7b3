"""Per-provider result cache: TTL, one upstream call at a time, last-good on failure."""

import logging
import threading
import time

from .helpers.common import ProviderError

log = logging.getLogger("usage_dashboard")
BREAKER_FAILURES = 2  # failures in a row before the provider is asked less often
MAX_PROBE_SECONDS = 15.0  # a failing provider is tried again at least this often, so recovery shows quickly


class _Flight:
    """One upstream load that any number of requests can wait on."""

    def __init__(self):
        self.done = threading.Event()
        self.value = None
        self.error = None


class _Entry:
    def __init__(self):
        self.value = None
        self.stored_at = None
        self.flight = None
        self.failures = 0
        self.paused_until = 0.0
        self.pause_error = None
        self.encoded = None  # (value, its encoding): the same value object is encoded once


class ProviderCache:
    """Serve each provider's last result for `ttl` seconds; concurrent misses share one load."""

    def __init__(self, ttl, wait_seconds, clock=time.monotonic, fallback=None):
        self.ttl = ttl
        self.outcomes = {}  # key -> {"ok_at": wall time of the last success, "errors": {code: count}}
        self.wait_seconds = wait_seconds
        self.clock = clock
        # fallback(key) -> a last-good value from elsewhere (the history store), or None.
        self.fallback = fallback
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, key, loader, refresh=False):
        """(value, error): value is the fresh or last-good dict; error says why a refresh failed."""
        entry, ready, flight, paused = self._begin(key, loader, refresh)
        if ready is not None:
            return ready, None
        if paused is not None:
            return self._fallback(entry, paused, key)
        if not flight.done.wait(self.wait_seconds):
            error = ProviderError(
                "upstream_timeout",
                f"No answer from the provider within {self.wait_seconds:g} s. Try again later.",
                key,
            )
            return self._fallback(entry, error, key)
        if flight.error is not None:
            return self._fallback(entry, flight.error, key)
        return flight.value, None

    def encoded(self, key, value, encode):
        """encode(value), computed once per stored value: a cached answer is the same bytes until it is replaced."""
        entry = self._entries.get(key)
        memo = entry.encoded if entry is not None else None
        if memo is not None and memo[0] is value:
            return memo[1]
        body = encode(value)
        if entry is not None and entry.value is value:
            entry.encoded = (value, body)  # holding the value keeps the identity test sound
        return body

    def fresh(self, keys, wait_seconds):
        """{key: value} of the keys with a fresh value, waiting up to wait_seconds for loads under way."""
        deadline = time.monotonic() + wait_seconds
        found = {}
        for key in keys:
            with self._lock:
                entry = self._entries.get(key)
                flight = entry.flight if entry else None
            if flight is not None:
                flight.done.wait(max(deadline - time.monotonic(), 0))
            with self._lock:
                entry = self._entries.get(key)
                if entry and entry.value is not None and self.clock() - entry.stored_at < self.ttl:
                    found[key] = entry.value
        return found

    def start(self, key, loader):
        """Begin loading in the background if a request would have to (cold or expired); never waits."""
        self._begin(key, loader, refresh=False)

    def _begin(self, key, loader, refresh):
        """(entry, fresh value, flight, pause error): exactly one of the last three is set."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key) or self._entries.setdefault(key, _Entry())
            if not refresh and entry.value is not None and now - entry.stored_at < self.ttl:
                return entry, entry.value, None, None
            # A forced refresh (a person pressing Retry, at most one per 10 s per account) may probe a paused
            # provider; only a rate limit's Retry-After is always honoured.
            forced_probe = refresh and entry.pause_error is not None and entry.pause_error.code != "rate_limited"
            if now < entry.paused_until and not forced_probe:
                return entry, None, None, self._paused_error(entry, now)
            if entry.flight is None:
                entry.flight = _Flight()
                threading.Thread(
                    target=self._load, args=(key, entry, entry.flight, loader), name=f"load-{key}", daemon=True
                ).start()
            return entry, None, entry.flight, None

    def _load(self, key, entry, flight, loader):
        try:
            flight.value = loader()
        except ProviderError as exc:
            flight.error = exc
        except Exception:  # a bug in a normalizer must not take the server down
            log.exception("unexpected error while reading %s", key)  # secrets are scrubbed by the log filter
            flight.error = ProviderError(
                "internal_error",
                "The dashboard hit an unexpected problem reading this provider. Please report it with the API log.",
            )
        with self._lock:
            outcome = self.outcomes.setdefault(key, {"ok_at": None, "errors": {}})
            if flight.error is None:
                entry.value, entry.stored_at, entry.failures = flight.value, self.clock(), 0
                outcome["ok_at"] = time.time()
            else:
                self._note_failure(entry, flight.error)
                outcome["errors"][flight.error.code] = outcome["errors"].get(flight.error.code, 0) + 1
            entry.flight = None
        flight.done.set()

    def _note_failure(self, entry, error):
        now = self.clock()
        if error.code == "rate_limited":
            # Honour Retry-After instead of asking again in a loop.
            entry.paused_until, entry.pause_error = now + (error.retry_after_seconds or 60), error
            return
        if error.code == "unauthorized":
            return
        entry.failures += 1
        if entry.failures >= BREAKER_FAILURES:
            # Back off 2, 4, 8, then every 15 s: a failing upstream is not hammered, a recovered one shows soon.
            pause = min(2.0 ** (entry.failures - BREAKER_FAILURES + 1), MAX_PROBE_SECONDS)
            entry.paused_until, entry.pause_error = now + pause, error

    def _paused_error(self, entry, now):
        wait = max(int(entry.paused_until - now + 0.999), 1)
        error = entry.pause_error
        if error.code == "rate_limited":
            return ProviderError(error.code, error.message, error.provider, wait)
        return ProviderError(
            error.code,
            f"{error.message} It keeps failing, so the dashboard asks again less often for now.",
            error.provider,
            retry_after_seconds=wait,
        )

    def _fallback(self, entry, error, key):
        if entry.value is None and self.fallback is not None:
            saved = self.fallback(key)
            if saved is not None:
                with self._lock:
                    if entry.value is None:
                        entry.value, entry.stored_at = saved, float("-inf")  # known, never fresh
        if entry.value is None:
            return None, error
        return {**entry.value, "stale": True}, error

