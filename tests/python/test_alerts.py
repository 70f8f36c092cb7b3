"""Alerts: each event once per episode, re-armed on reset or recovery, kept across a restart; channels."""

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from backend.alert_channels import CommandChannel, Dispatcher, build_channels, deliver
from backend.alerts import AlertEngine
from backend.config import load_settings
from backend.errors import ProviderError
from backend.history_store import HistoryStore
from backend.quotas import quota

ROOT = Path(__file__).resolve().parents[2]
CODEX = SimpleNamespace(id="openai_codex", title="ChatGPT Codex")
ROUTER = SimpleNamespace(id="openrouter", title="OpenRouter")
T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0.timestamp()

    def __call__(self):
        return self.now


class Collect:
    """A dispatcher that keeps what it is given."""

    def __init__(self):
        self.events = []

    def send(self, event):
        self.events.append(event)


@pytest.fixture
def store(tmp_path):
    return HistoryStore(tmp_path / "h.sqlite3")


def engine_for(store, clock=None, **env):
    settings = load_settings({"HOME": "/nonexistent", **env})
    return AlertEngine(store, settings, Collect(), clock=clock or Clock())


def codex_body(used, reset, fetched, pace=None):
    q = quota("primary", "5-hour", "percent", used=used, limit=100, now=T0, window_seconds=18000, resets_at=reset)
    q["pace"] = pace
    return {"fetched_at": fetched, "stale": False, "quotas": [q]}


def names(events):
    return [(e["event"], e["threshold"]) for e in events]


def test_a_window_going_50_85_97_100_then_5_fires_each_event_once(store):
    engine = engine_for(store)
    reset, later = T0 + timedelta(hours=2), T0 + timedelta(hours=7)
    script = [(50, reset), (85, reset), (85, reset), (97, reset), (100, reset), (100, reset), (5, later), (6, later)]
    for step, (used, when) in enumerate(script):
        engine.observe(CODEX, "default", codex_body(used, when, f"t{step}"), None)
    assert names(engine.dispatcher.events) == [("threshold", 80), ("threshold", 95), ("limit_reached", None), ("reset", None)]
    first = engine.dispatcher.events[0]
    assert first["message"] == "ChatGPT Codex 5-hour: 85 % used, resets Wed 14:00 UTC."
    assert set(first) == {"id", "event", "provider", "account", "quota", "label", "used_percent", "threshold",
                          "resets_at", "runs_out_at", "message", "at"}
    assert [e["id"] for e in store.alerts(0, 10)] == sorted((e["id"] for e in engine.dispatcher.events), reverse=True)


def test_the_same_reading_seen_again_fires_nothing(store):
    engine = engine_for(store)
    body = codex_body(90, T0 + timedelta(hours=2), "t1")
    engine.observe(CODEX, "default", body, None)
    engine.observe(CODEX, "default", body, None)
    assert names(engine.dispatcher.events) == [("threshold", 80)]


def test_a_restart_does_not_repeat_alerts_already_sent(store, tmp_path):
    reset = T0 + timedelta(hours=2)
    engine_for(store).observe(CODEX, "default", codex_body(97, reset, "t1"), None)
    again = engine_for(HistoryStore(tmp_path / "h.sqlite3"))
    again.observe(CODEX, "default", codex_body(97, reset, "t2"), None)
    assert again.dispatcher.events == []


def test_thresholds_re_arm_after_the_reset(store):
    engine = engine_for(store)
    engine.observe(CODEX, "default", codex_body(85, T0 + timedelta(hours=2), "t1"), None)
    engine.observe(CODEX, "default", codex_body(85, T0 + timedelta(hours=7), "t2"), None)
    assert names(engine.dispatcher.events) == [("threshold", 80), ("reset", None), ("threshold", 80)]


def test_runs_out_before_reset_is_predicted_once_per_window(store):
    engine = engine_for(store)
    reset = T0 + timedelta(hours=3)
    pace = {"lasts_to_reset": False, "runs_out_at": "2026-11-25T13:30:00Z"}
    engine.observe(CODEX, "default", codex_body(40, reset, "t1", pace), None)
    engine.observe(CODEX, "default", codex_body(45, reset, "t2", pace), None)
    assert names(engine.dispatcher.events) == [("runs_out_before_reset", None)]
    assert engine.dispatcher.events[0]["message"] == (
        "ChatGPT Codex 5-hour: at this pace it runs out Wed 13:30 UTC, before the reset Wed 15:00 UTC.")
    assert engine.dispatcher.events[0]["runs_out_at"] == "2026-11-25T13:30:00Z"


def test_custom_thresholds_per_account(store):
    engine = engine_for(store, ALERT_THRESHOLDS="50", ALERT_THRESHOLDS__WORK="30,60")
    engine.observe(CODEX, "default", codex_body(55, T0 + timedelta(hours=2), "a"), None)
    engine.observe(CODEX, "work", codex_body(65, T0 + timedelta(hours=2), "b"), None)
    assert [(e["account"], e["threshold"]) for e in engine.dispatcher.events] == [("default", 50), ("work", 30), ("work", 60)]


def test_a_low_balance_alerts_once_and_re_arms_after_a_top_up(store):
    engine = engine_for(store, ALERT_BALANCE_USD="5")

    def balance(left, total, fetched):
        q = quota("balance", "Account balance", "usd", used=total - left, limit=total, now=T0, kind="balance")
        q["pace"] = {"eta_seconds": 3 * 86400}
        return {"fetched_at": fetched, "stale": False, "quotas": [q]}

    engine.observe(ROUTER, "default", balance(4.2, 150, "a"), None)
    engine.observe(ROUTER, "default", balance(4.0, 150, "b"), None)
    assert names(engine.dispatcher.events)[-1] == ("balance_low", None)
    assert engine.dispatcher.events[-1]["message"] == "OpenRouter account balance: $4.20 left, about 3 days at the current rate."
    engine.observe(ROUTER, "default", balance(54.0, 200, "c"), None)  # topped up
    engine.observe(ROUTER, "default", balance(3.0, 200, "d"), None)
    assert [e["event"] for e in engine.dispatcher.events].count("balance_low") == 2


def test_refused_credentials_alert_once_then_recovery(store):
    engine = engine_for(store)
    refused = ProviderError("unauthorized", "Codex login expired on 2026-11-24 10:00 UTC: run `codex login`.")
    for _ in range(3):
        engine.observe(CODEX, "default", None, refused)
    engine.observe(CODEX, "default", codex_body(10, T0 + timedelta(hours=2), "ok"), None)
    assert names(engine.dispatcher.events) == [("credentials_failed", None), ("recovered", None)]
    assert "codex login" in engine.dispatcher.events[0]["message"]


def test_an_unavailable_provider_alerts_after_the_configured_minutes(store):
    clock = Clock()
    engine = engine_for(store, clock, ALERT_UNAVAILABLE_MINUTES="30")
    down = ProviderError("upstream_error", "ChatGPT answered with an error (HTTP 500).")
    engine.observe(CODEX, "default", None, down)
    clock.now += 29 * 60
    engine.observe(CODEX, "default", None, down)
    assert engine.dispatcher.events == []
    clock.now += 61
    engine.observe(CODEX, "default", None, down)
    clock.now += 600
    engine.observe(CODEX, "default", None, down)
    assert names(engine.dispatcher.events) == [("provider_unavailable", None)]
    assert engine.dispatcher.events[0]["message"] == "ChatGPT Codex: no good reading for 30 min (upstream_error)."


def test_a_stale_answer_is_not_a_good_reading(store):
    engine = engine_for(store)
    refused = ProviderError("unauthorized", "refused")
    stale = {**codex_body(96, T0 + timedelta(hours=2), "old"), "stale": True}
    engine.observe(CODEX, "default", stale, refused)
    assert names(engine.dispatcher.events) == [("credentials_failed", None)]


def test_demo_mode_has_no_alert_engine(tmp_path):
    from backend.app import DashboardState

    state = DashboardState(load_settings({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1",
                                          "ALERT_URLS": "json://127.0.0.1:9/never"}))
    assert state.alerts is None and state.dispatcher.channels == []


# ---- channels -----------------------------------------------------------------------------------------

class Receiver:
    """A local HTTP endpoint that keeps every JSON body posted to it."""

    def __init__(self, status=200):
        self.bodies, self.status = [], status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                outer.bodies.append(json.loads(self.rfile.read(length) or b"null"))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook?token=SECRET-hook-token"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


EVENT = {"id": 1, "event": "threshold", "provider": "openai_codex", "account": "default", "quota": "primary",
         "label": "5-hour", "used_percent": 85.0, "threshold": 80, "resets_at": None, "runs_out_at": None,
         "message": "ChatGPT Codex 5-hour: 85 % used.", "at": "2026-11-25T12:00:00Z"}


def test_an_apprise_json_url_receives_the_title_and_message(receiver):
    dispatcher = Dispatcher(build_channels([receiver.url], None))
    dispatcher.send(EVENT)
    assert dispatcher.wait()
    assert len(receiver.bodies) == 1
    assert receiver.bodies[0]["title"] == "AI usage: threshold"
    assert receiver.bodies[0]["message"] == "ChatGPT Codex 5-hour: 85 % used."
    assert dispatcher.status()[0] == {"name": "json #1", "sent": 1, "failures": 0, "last_error": None,
                                      "last_ok_at": dispatcher.status()[0]["last_ok_at"]}


def test_a_command_gets_the_event_json_on_stdin(tmp_path):
    out = tmp_path / "got.json"
    script = tmp_path / "hook.py"
    script.write_text(f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())\n")
    channel = CommandChannel(f"{sys.executable} {script}")
    assert deliver(channel, EVENT, delays=()) is True
    assert json.loads(out.read_text()) == EVENT


def test_a_failing_channel_is_retried_with_backoff_logged_without_its_secret_and_shown_in_health(caplog):
    waits = []
    channel = build_channels(["json://127.0.0.1:1/hook?token=SECRET-hook-token"], None)[0]
    assert deliver(channel, EVENT, delays=(2.0, 10.0), sleep=waits.append) is False
    assert waits == [2.0, 10.0] and channel.failures == 3
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "json #1" in logged and "SECRET" not in logged and "127.0.0.1:1" not in logged
    assert "SECRET" not in json.dumps(channel.status())


@pytest.mark.parametrize("command, reason", [("/nonexistent/notify", "not found"), ("false", "exited with status 1")])
def test_a_failing_command_says_why(command, reason):
    channel = CommandChannel(command)
    assert deliver(channel, EVENT, delays=()) is False and reason in channel.last_error


def test_a_slow_channel_never_delays_a_reading(store):
    gate = threading.Event()

    class Slow:
        name, sent, failures, last_error, last_ok_at = "slow", 0, 0, None, None

        def send(self, event):
            gate.wait(5)

        def status(self):
            return {}

    engine = AlertEngine(store, load_settings({"HOME": "/x"}), Dispatcher([Slow()]))
    started = datetime.now(UTC)
    engine.observe(CODEX, "default", codex_body(99, T0 + timedelta(hours=2), "t"), None)
    assert (datetime.now(UTC) - started).total_seconds() < 1
    gate.set()


def test_test_alert_sends_to_every_channel_and_says_what_worked(receiver, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "none.properties"),
           "ALERT_URLS": f"{receiver.url},json://127.0.0.1:1/down?token=SECRET-two", "ALERT_COMMAND": "false"}
    done = subprocess.run([sys.executable, "run_api.py", "--test-alert"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "ok      json #1" in done.stdout and "failed  json #2" in done.stdout and "failed  command" in done.stdout
    assert "SECRET" not in done.stdout + done.stderr
    assert receiver.bodies[0]["message"].startswith("Test alert")


# ---- through the API --------------------------------------------------------------------------------

def test_alerts_route_lists_events_newest_first_and_health_shows_channels(env, make_client, mock_all, sample, upstream,
                                                                           monkeypatch):
    from conftest import CHATGPT, codex_now

    from backend import alert_channels

    monkeypatch.setattr(alert_channels, "RETRY_DELAYS", ())  # its channel fails: no retries outliving the test
    mock_all()
    payload = codex_now(sample("codex-wham-usage.json"))
    payload["rate_limit"]["primary_window"]["used_percent"] = 97
    upstream.replace("GET", f"{CHATGPT}/wham/usage", json=payload)
    client = make_client({**env, "ALERT_URLS": "json://127.0.0.1:1/x?token=SECRET-hook"})
    client.get("/api/openai/codex/limits")
    body = client.get("/api/alerts").get_json()
    # 97 % with two hours to go passes both thresholds, and at these paces both windows run out before their reset.
    assert sorted((a["quota"], a["event"], a["threshold"] or 0) for a in body["alerts"]) == [
        ("primary", "runs_out_before_reset", 0), ("primary", "threshold", 80), ("primary", "threshold", 95),
        ("secondary", "runs_out_before_reset", 0)]
    assert [a["id"] for a in body["alerts"]] == sorted((a["id"] for a in body["alerts"]), reverse=True)
    assert client.get("/api/alerts?limit=1").get_json()["alerts"][0]["event"] == "runs_out_before_reset"
    assert client.get("/api/alerts?limit=0").status_code == 400
    assert "SECRET" not in json.dumps(body) + client.get("/api/health").get_data(as_text=True)
    assert client.application.extensions["usage_dashboard"].dispatcher.wait()


# ---- the whole loop, with no page open ------------------------------------------------------------------

def _fake_upstream():
    import importlib.util

    spec = importlib.util.spec_from_file_location("fake_upstream", ROOT / "tests" / "fake_upstream.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _poll(check, timeout=20.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_5_hour_window_50_85_97_100_5_reaches_a_json_receiver_once_each_with_no_page_open(receiver, tmp_path):
    import socket
    import time
    import urllib.request

    fake = _fake_upstream()
    upstream = fake.serve(0)
    base = f"http://127.0.0.1:{upstream.server_port}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reset = int(time.time()) + 300  # five minutes left: at these levels the window lasts, so only levels alert

    def codex(used, reset_at):
        window = {"used_percent": used, "limit_window_seconds": 18000, "reset_at": reset_at}
        fake.STATE.payloads["codex-wham-usage.json"] = {"plan_type": "plus", "rate_limit": {
            "allowed": used < 100, "limit_reached": used >= 100, "primary_window": window, "secondary_window": None}}

    def calls():
        return fake.STATE.calls["openai_codex"]

    codex(50, reset)
    (tmp_path / "none.properties").write_text("")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "none.properties"),
           "DASHBOARD_DB": str(tmp_path / "h.sqlite3"), "API_PORT": str(port), "CHATGPT_ACCESS_TOKEN": "chatgpt-loop-token",
           "CHATGPT_API_BASE": f"{base}/chatgpt/backend-api", "SAMPLE_INTERVAL_SECONDS": "1", "CACHE_TTL_SECONDS": "0.5",
           "ALERT_URLS": receiver.url}
    api = subprocess.Popen([sys.executable, "run_api.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        for used, reset_at in ((50, reset), (85, reset), (97, reset), (100, reset), (5, reset + 18000)):
            codex(used, reset_at)
            seen = calls()
            _poll(lambda seen=seen: calls() >= seen + 2)  # the sampler has read this step at least once more
        _poll(lambda: len(receiver.bodies) >= 4)
        time.sleep(1.5)  # and nothing more arrives
        events = [body["title"].removeprefix("AI usage: ") for body in receiver.bodies]
        assert events == ["threshold", "threshold", "limit reached", "reset"], receiver.bodies
        messages = [body["message"] for body in receiver.bodies]
        assert messages[0].startswith("ChatGPT Codex 5-hour: 85 % used") and "97 % used" in messages[1]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/alerts", headers={"Host": f"localhost:{port}"})
        listed = json.loads(urllib.request.urlopen(request, timeout=5).read())["alerts"]
        assert [a["event"] for a in listed] == ["reset", "limit_reached", "threshold", "threshold"]
    finally:
        api.terminate()
        api.wait(10)
        upstream.shutdown()


def test_messages_keep_a_label_s_capitals_and_date_a_moment_beyond_the_week(store):
    engine = engine_for(store)
    month_end = T0 + timedelta(days=6, hours=12)  # Wed 2 Dec: "Wed" alone would read as today (Wed 25 Nov)
    q = quota("monthly", "AI credits this month", "ai_credits", used=85, limit=100, now=T0, window_seconds=30 * 86400,
              resets_at=month_end)
    engine.observe(CODEX, "default", {"fetched_at": "t0", "stale": False, "quotas": [q]}, None)
    assert engine.dispatcher.events[0]["message"] == (
        "ChatGPT Codex AI credits this month: 85 % used, resets Wed 2 Dec 00:00 UTC.")
