"""Background sampler: reads each configured provider on a schedule, so history grows with no page open."""

import logging
import threading
import time

from . import providers

log = logging.getLogger("usage_dashboard")
THIN_EVERY_SECONDS = 3600


class Sampler:
    """Every `interval` seconds, read each configured provider through the cache (never twice upstream)."""

    def __init__(self, state, interval, full_days, clock=time.time):
        self.state = state
        self.interval = interval
        self.full_days = full_days
        self.clock = clock
        self._stop = threading.Event()
        self._thread = None
        self._last_thin = None
        self._failing = {}  # account key: (code, message) of the failure last logged in full

    def run_once(self):
        """One round: each configured provider once, then thinning when it is due. Returns what was read."""
        read = []
        for provider, account, loader in providers.configured_accounts(self.state):
            value, error = providers.read(self.state, provider, account, loader)
            key = providers.cache_key(provider, account)
            self._log(key, error)
            read.append(key)
        now = self.clock()
        if self._last_thin is None or now - self._last_thin >= THIN_EVERY_SECONDS:
            self._last_thin = now
            try:
                removed = self.state.history.thin(now - self.full_days * 86400)
                if removed:
                    log.info("history: thinned %d old snapshots to hourly", removed)
            except Exception as exc:  # history trouble must not stop sampling
                log.warning("history: %s", exc)
        return read

    def _log(self, key, error):
        """Why a read fails, once; then only that it still does, and its recovery."""
        if error is None:
            if self._failing.pop(key, None) is not None:
                log.info("sampler: %s reads again", key)
            return
        code, message = self._failing.get(key, (None, ""))
        # The same failure: a back-off pause adds a sentence to its message, and drops it again when it ends.
        if code == error.code and (error.message.startswith(message) or message.startswith(error.message)):
            log.info("sampler: %s: still %s", key, error.code)
        else:
            self._failing[key] = (error.code, error.message)
            # The card's own words; the logger's filter cuts any secret out (backend.app.install_log_filter).
            log.warning("sampler: %s: %s (%s)", key, error.message, error.code)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # keep the schedule whatever one round hits
                log.exception("sampler round failed")
            self._stop.wait(self.interval)

    def start(self):
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=5):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
