"""Shared fixtures: upstream samples, a mocked upstream and an app built from an explicit env."""

import copy
import json
import os
import socket
import time
from pathlib import Path

import pytest
import responses
from flask.testing import FlaskClient

from backend.app import create_app
from backend.config import load_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "upstream"
OPENROUTER = "http://openrouter.test/api/v1"
GITHUB = "http://github.test"
CHATGPT = "http://chatgpt.test/backend-api"
SECRETS = {
    "OPENROUTER_API_KEY": "sk-or-v1-SECRET-openrouter-0123456789",
    "GITHUB_PAT": "github_pat_SECRET_0123456789abcdef",
    "CHATGPT_ACCESS_TOKEN": "eyJSECRET.chatgpt.access-token",
}


REAL = FIXTURES  # tests/fixtures/upstream/<provider>/: real bodies, each cited in tests/fixtures/README.md


def real(provider, name):
    """A fresh copy of a real upstream body."""
    return json.loads((REAL / provider / name).read_text())


def real_names(provider):
    return sorted(p.name for p in (REAL / provider).glob("*.json"))


@pytest.fixture
def sample():
    """A fresh copy of one of the shared upstream samples."""
    def load(name):
        return copy.deepcopy(json.loads((FIXTURES / name).read_text()))
    return load


@pytest.fixture
def upstream():
    """Every HTTP call goes through this mock; an unmocked URL fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def env(tmp_path):
    """A complete live configuration pointing at fake upstream hosts."""
    props = tmp_path / "dashboard.properties"
    props.write_text("GITHUB_USERNAME = octocat\nCOPILOT_PRO_MONTHLY_LIMIT = 300\n")
    return {
        **SECRETS,
        "CHATGPT_ACCOUNT_ID": "acct-1234",
        "DASHBOARD_CONFIG": str(props),
        "OPENROUTER_API_BASE": OPENROUTER,
        "GITHUB_API_BASE": GITHUB,
        "CHATGPT_API_BASE": CHATGPT,
        "CODEX_HOME": str(tmp_path / "codex"),
        "HOME": str(tmp_path),
    }


class LocalClient(FlaskClient):
    """A test client that addresses the API as the page does: localhost with the serving port."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://localhost:{self.application.extensions['usage_dashboard'].settings.api_port}")
        return super().open(*args, **kwargs)


def local_client(app):
    app.test_client_class = LocalClient
    return app.test_client()


@pytest.fixture
def make_client(tmp_path):
    def build(environ, **overrides):
        environ = {"DASHBOARD_DB": str(tmp_path / "history.sqlite3"), **environ}
        app = create_app({"SETTINGS": load_settings(environ, **overrides), "TESTING": True})
        return local_client(app)
    return build


@pytest.fixture
def mock_all(upstream, sample):
    """Register the three providers' real-shaped answers."""
    def register():
        upstream.get(f"{OPENROUTER}/key", json=sample("openrouter-key.json"))
        upstream.get(f"{OPENROUTER}/credits", json=sample("openrouter-credits.json"))
        # An annual plan bought before June 2026: no AI credits this month, premium requests instead.
        upstream.get(f"{GITHUB}/users/octocat/settings/billing/ai_credit/usage",
                     json={"timePeriod": {"year": 2026, "month": 11}, "user": "octocat", "usageItems": []})
        upstream.get(
            f"{GITHUB}/users/octocat/settings/billing/premium_request/usage",
            json=sample("copilot-premium-usage.json"),
        )
        upstream.get(f"{CHATGPT}/wham/usage", json=codex_now(sample("codex-wham-usage.json")))
    return register


def codex_now(payload):
    """The sample with its resets moved relative to now, as the live service reports them."""
    for window in payload["rate_limit"].values():
        if isinstance(window, dict):
            window["reset_at"] = int(time.time()) + window["reset_after_seconds"]
    return payload


@pytest.fixture(autouse=True)
def no_page_render(monkeypatch, tmp_path):
    """No test starts the real page-render worker (Node, the built dist-server/): those that test server rendering
    give the page a stand-in of their own (test_page_render.py)."""
    from backend import page

    monkeypatch.setattr(page, "RENDER_WORKER", tmp_path / "no-render-worker.mjs")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """A test may open sockets to this machine only; anything else fails loudly."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to reach {address!r}: tests never touch the network")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def base_env(tmp_path):
    """The environment of a real API or CLI process: no settings file, every upstream a closed local port."""
    (tmp_path / "none.properties").write_text("")
    closed = f"http://127.0.0.1:{free_port()}"
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "none.properties"),
            "DASHBOARD_DB": str(tmp_path / "h.sqlite3"), "SAMPLE_INTERVAL_SECONDS": "0",
            "OPENROUTER_API_BASE": closed, "GITHUB_API_BASE": closed, "CHATGPT_API_BASE": closed}


@pytest.fixture
def store(tmp_path):
    """A history store in a fresh file, closed after the test."""
    from backend.history_store import HistoryStore

    history = HistoryStore(tmp_path / "h.sqlite3")
    yield history
    history.close()
