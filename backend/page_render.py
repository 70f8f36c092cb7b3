"""The page's first paint rendered on the server: the page's own React tree, run by a Node worker (dist-server/worker.mjs).

The browser shows the cards' numbers as soon as the HTML arrives and adopts that HTML (hydration) once its script has
run. Anything wrong here (no Node, no build, a crash, a slow render) only means the browser renders the page itself.
"""

import contextlib
import itertools
import json
import logging
import os
import queue
import re
import shutil
import subprocess
import threading
import time

from .config import ROOT

log = logging.getLogger("usage_dashboard")
# The worker's environment: what Node and the page's date formatting need; never the API's tokens.
PASSED_ENV = ("PATH", "TZ", "LANG", "LC_ALL", "LC_TIME", "LC_NUMERIC", "SYSTEMROOT", "TEMP", "TMP")
MAX_FAILURES = 3  # after this many crashes or errors in a row, stop trying: the browser renders every page
LOCALE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
TIME_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$")
TIME_ZONE_COOKIE = "ai-usage-tz"  # the browser's own time zone, set by the page once it is up (src/utils/timeZoneCookie.js)


def locale_of(accept_language):
    """The first language the browser asked for, if it is a well-formed tag (the page formats numbers in it)."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip()
    return first if LOCALE.match(first) else None


def time_zone_of(cookies):
    """The browser's time zone (its IANA name, from the cookie its page sets), so the server writes times as it does;
    None on a first visit (the server's own is used, and the browser redraws what differs)."""
    name = (cookies.get(TIME_ZONE_COOKIE) or "").strip()
    return name if TIME_ZONE.match(name) else None


class PageRenderer:
    """One Node worker, one render at a time; render() gives up after its timeout and the browser renders instead."""

    def __init__(self, worker, node=None, enabled=True):
        self.worker = worker
        self.node = node or shutil.which("node")
        self.off_reason = None if enabled else "PAGE_SERVER_RENDER is off"
        if not self.off_reason and not self.node:
            self.off_reason = "Node.js is not on PATH"
        if not self.off_reason and not worker.is_file():
            self.off_reason = f"{worker.relative_to(ROOT) if worker.is_relative_to(ROOT) else worker} is missing (npm run build)"
        self._proc = None
        self._replies = queue.Queue()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._failures = 0
        self._warming = False
        self._pending = None  # the id of the request sent and not answered yet
        self.renders = 0
        self.late = 0  # renders that took longer than their page could wait (the browser drew those pages)

    def status(self):
        """For /api/health: {state: off | idle (not started) | warming | ready, reason (why off, else null), renders,
        late (too slow for their page)}."""
        if self.off_reason:
            state = "off"
        elif self._warming:
            state = "warming"
        else:
            state = "ready" if self._proc and self._proc.poll() is None else "idle"
        return {"state": state, "reason": self.off_reason, "renders": self.renders, "late": self.late}

    def start(self, answers, locales=(None, "en-US", None, "en-US")):
        """Start the worker and render a page from sample answers a few times: a cold worker takes several times
        longer than the page may wait, so the first person's page must not be its first render. (A locale's first
        render builds its formatters: a page in a locale not warmed here may be rendered by the browser once.)"""
        self._warming = True
        try:
            return all(self.render(answers, time.time() * 1000, locale, timeout=10.0) is not None for locale in locales)
        finally:
            self._warming = False

    def render(self, answers, now_ms, locale, timeout, time_zone=None):
        """{html, css, ids} for these answers, or None (off, failing, or not done within `timeout` seconds).

        One request at a time: a render that took too long is still waited for (its reply dropped) before the
        next is sent, so the worker never builds a backlog and a write never blocks; a worker that has not
        answered by the end of the next page's wait is stopped (a failure) and started again later."""
        if self.off_reason:
            return None
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            return None
        try:
            if self._pending is not None and self._reply(self._pending, deadline) is None:
                if self._pending is not None:  # still not answered: stuck, or far too slow
                    raise OSError(f"it did not answer within {timeout:g} s of the next page asking")
                return None  # it answered just now (dropped): no time left for this page
            proc = self._running()
            request_id = self._pending = next(self._ids)
            request = {"id": request_id, "answers": answers, "now": now_ms, "locale": locale, "timeZone": time_zone}
            proc.stdin.write(json.dumps(request, separators=(",", ":")).encode() + b"\n")
            proc.stdin.flush()
            reply = self._reply(request_id, deadline)
            if reply is None:
                self.late += 1
                return None  # too slow this time: this page renders in the browser
            if "error" in reply:
                self._failed(f"it could not render the page: {str(reply['error'])[:300]}")
                return None
            self._failures = 0
            self.renders += 1
            return reply
        except (OSError, ValueError) as error:
            self._failed(str(error))
            self._stop()
            return None
        finally:
            self._lock.release()

    def _reply(self, request_id, deadline):
        """The reply to request_id by the deadline (clearing the outstanding request), else None; raises OSError when
        the worker has exited or written something that is not a reply."""
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                reply = self._replies.get(timeout=remaining)
            except queue.Empty:
                return None
            if reply is None:
                raise OSError("the page-render worker exited")
            if not isinstance(reply, dict) or not isinstance(reply.get("id"), int):
                raise OSError("the page-render worker wrote something that is not a reply")
            if reply["id"] == request_id:
                self._pending = None
                return reply
        return None

    def close(self):
        with self._lock:
            self._stop()

    def _running(self):
        if self._proc and self._proc.poll() is None:
            return self._proc
        env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
        env["NODE_ENV"] = "production"
        # A small heap: one page's render needs a few MB; V8's defaults would let it grow to 150 MB here (to 90).
        env["NODE_OPTIONS"] = "--max-old-space-size=64 --max-semi-space-size=1"
        # Its stderr is the API's: a crash or warning of the worker shows where the API's own log does.
        self._proc = subprocess.Popen(  # noqa: S603 (our own built script, run by the Node found on PATH)
            [self.node, str(self.worker)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            cwd=str(self.worker.parent), creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self._pending = None
        self._replies = queue.Queue()
        threading.Thread(target=self._read, args=(self._proc, self._replies), name="page-render", daemon=True).start()
        return self._proc

    @staticmethod
    def _read(proc, replies):
        for line in proc.stdout:
            try:
                replies.put(json.loads(line))
            except ValueError:
                replies.put("not JSON")  # nothing else writes to its stdout: a stray line means something is wrong
        replies.put(None)

    def _failed(self, why):
        self._failures += 1
        if self._failures >= MAX_FAILURES:
            self.off_reason = f"it failed {MAX_FAILURES} times in a row ({why[:300]})"
            log.warning("page: server rendering is off, %s; the browser renders the page", self.off_reason)
            self._stop()
        else:
            log.warning("page: server rendering failed (%s); the browser renders this page", why[:300])

    def _stop(self):
        proc, self._proc = self._proc, None
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        if proc:
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
