"""Alert channels: Apprise URLs and a local command, fed from a queue so sending never delays a reading.

URLs and commands can hold secrets (webhook tokens): they are never logged, answered or shown. A
channel is named by its kind and position only ("json #1", "command").
"""

import json
import logging
import queue
import threading
import time

log = logging.getLogger("usage_dashboard")
RETRY_DELAYS = (2.0, 10.0, 30.0)  # then the event is given up for that channel
COMMAND_TIMEOUT = 10.0


class Channel:
    """One place events go; send() returns None on success or a short reason (never the secret)."""

    def __init__(self, name):
        self.name = name
        self.sent = 0
        self.failures = 0
        self.last_error = None
        self.last_ok_at = None

    def status(self):
        return {"name": self.name, "sent": self.sent, "failures": self.failures,
                "last_error": self.last_error, "last_ok_at": self.last_ok_at}


class AppriseChannel(Channel):
    def __init__(self, url, index):
        scheme = url.split("://", 1)[0].lower() if "://" in url else "url"
        super().__init__(f"{scheme[:20]} #{index}")
        self._url = url

    def send(self, event):
        import apprise  # ~0.2 s to import: only when there is something to send

        logging.getLogger("apprise").setLevel(logging.CRITICAL + 1)  # its messages can quote the URL
        notifier = apprise.Apprise()
        if not notifier.add(self._url):
            return "Apprise does not understand this URL (check its scheme and format)"
        ok = notifier.notify(title=title_of(event), body=event["message"])
        return None if ok else "the notification service did not accept it"


class CommandChannel(Channel):
    """A program run without a shell, the event JSON on its stdin, with a timeout."""

    def __init__(self, command):
        import shlex  # this and subprocess only when an ALERT_COMMAND is set: not on every start

        super().__init__("command")
        self._argv = shlex.split(command)

    def send(self, event):
        import subprocess

        try:
            # The user's own ALERT_COMMAND, run without a shell: nothing from outside reaches argv.
            done = subprocess.run(self._argv, input=json.dumps(event).encode(), capture_output=True,  # noqa: S603
                                  timeout=COMMAND_TIMEOUT, check=False, shell=False)
        except FileNotFoundError:
            return "the program was not found"
        except PermissionError:
            return "the program may not be run (permission denied)"
        except subprocess.TimeoutExpired:
            return f"the program did not finish within {COMMAND_TIMEOUT:g} s"
        except OSError as exc:
            return f"the program could not start ({type(exc).__name__})"
        return None if done.returncode == 0 else f"the program exited with status {done.returncode}"


def title_of(event):
    return f"AI usage: {event['event'].replace('_', ' ')}"


def build_channels(urls, command):
    channels = [AppriseChannel(url, index) for index, url in enumerate(urls, start=1)]
    if command:
        channels.append(CommandChannel(command))
    return channels


class Dispatcher:
    """Sends each event to every channel on a thread of its own, retrying with backoff."""

    def __init__(self, channels, delays=None, sleep=time.sleep):
        self.channels = channels
        self.delays = RETRY_DELAYS if delays is None else delays
        self.sleep = sleep
        self._queue = queue.Queue(maxsize=1000)
        self._thread = None
        self._lock = threading.Lock()

    def send(self, event):
        if not self.channels:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="alerts", daemon=True)
                self._thread.start()
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            log.warning("alerts: the queue is full; an event was dropped")

    def _run(self):
        while True:
            event = self._queue.get()
            for channel in self.channels:
                deliver(channel, event, self.delays, self.sleep)
            self._queue.task_done()

    def wait(self, timeout=10.0):
        """Until every queued event has been tried (for tests and --test-alert)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self._queue.unfinished_tasks

    def status(self):
        return [channel.status() for channel in self.channels]


def deliver(channel, event, delays=RETRY_DELAYS, sleep=time.sleep):
    """Try a channel, then again after each delay; True when it took the event."""
    for attempt, delay in enumerate((0.0, *delays)):
        if delay:
            sleep(delay)
        try:
            problem = channel.send(event)
        except Exception as exc:  # a broken channel must never take the alert thread down
            problem = f"it failed ({type(exc).__name__})"
        if problem is None:
            channel.sent += 1
            channel.last_ok_at = time.time()
            channel.last_error = None
            return True
        channel.failures += 1
        channel.last_error = problem
        log.warning("alerts: channel %s failed (try %d): %s", channel.name, attempt + 1, problem)
    return False
