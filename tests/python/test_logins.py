"""An account's "configured" verdict: remembered only while its declared login file is unchanged; else checked each time."""

import json
import os
import time

import pytest
from conftest import CHATGPT

from backend import logins, providers
from backend.app import DashboardState
from backend.config import load_settings
from backend.errors import ProviderError
from backend.helpers.descriptor import Provider, Setting, reads_no_file

ROUTE = "/api/openai/codex/limits"


def meter(credentials, login_file=None):
    return Provider(
        id="meter", title="Meter", short="MT", subtitle="test", route="/meter",
        settings=(Setting("METER_TOKEN", secret=True),), base_setting="METER_BASE", default_base="http://meter.test",
        credentials=credentials, fetch=None, demo=None, schema={}, schema_name="Meter",
        legacy_forecast=None, legacy_forecast_schema={}, login_file=login_file)


def login_reader(calls):
    """Credentials read from HOME/login, as a provider with a login file does."""
    def credentials(config):
        calls.append(1)
        path = os.path.join(config.global_values["HOME"], "login")
        if not os.path.exists(path):
            raise config.missing(f"No login at {path}.")
        return {"token": open(path).read()}
    return credentials


def age(path, seconds=60):
    """Set the file's times in the past, as a login written a while ago (a just-written file is never trusted)."""
    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.fixture
def state(tmp_path):
    (tmp_path / "none.properties").write_text("")
    return DashboardState(load_settings({"HOME": str(tmp_path), "DASHBOARD_DB": str(tmp_path / "h.sqlite3"),
                                         "DASHBOARD_CONFIG": str(tmp_path / "none.properties"),
                                 }))


def test_a_declared_login_file_is_read_again_only_when_it_changes(state, tmp_path):
    calls = []
    login = tmp_path / "login"
    provider = meter(login_reader(calls), login_file=lambda config: os.path.join(config.global_values["HOME"], "login"))
    login.write_text("one")
    age(login, 120)
    for _ in range(3):
        providers.check_configured(state, provider, "default")
    assert len(calls) == 1
    login.write_text("two!")
    age(login, 60)
    providers.check_configured(state, provider, "default")
    assert len(calls) == 2
    login.unlink()
    with pytest.raises(ProviderError) as caught:
        providers.check_configured(state, provider, "default")
    assert caught.value.code == "not_configured" and len(calls) == 3


def test_a_login_file_written_just_now_is_read_every_time(state, tmp_path):
    calls = []
    (tmp_path / "login").write_text("fresh")
    provider = meter(login_reader(calls), login_file=lambda config: os.path.join(config.global_values["HOME"], "login"))
    for _ in range(3):
        providers.check_configured(state, provider, "default")
    assert len(calls) == 3


def test_an_account_whose_descriptor_declares_nothing_is_checked_every_time(state, tmp_path):
    calls = []
    (tmp_path / "login").write_text("x")
    age(tmp_path / "login")
    provider = meter(login_reader(calls))
    for _ in range(3):
        providers.check_configured(state, provider, "default")
    assert len(calls) == 3


def test_a_declared_provider_with_no_login_file_is_checked_once(state):
    calls = []
    provider = meter(lambda config: calls.append(1) or {}, login_file=reads_no_file)
    for _ in range(3):
        providers.check_configured(state, provider, "default")
    assert len(calls) == 1


def test_an_expired_login_is_configured_and_a_missing_setting_is_raised_every_time(state):
    def expired(config):
        raise ProviderError("unauthorized", "login expired", "meter")

    providers.check_configured(state, meter(expired, login_file=reads_no_file), "default")  # a failed read, later
    calls = []

    def missing(config):
        calls.append(1)
        raise config.missing("Set METER_TOKEN.")

    for _ in range(2):
        with pytest.raises(ProviderError):
            providers.check_configured(state, meter(missing, login_file=reads_no_file), "work")
    assert len(calls) == 2


def test_stamps(tmp_path):
    path = tmp_path / "login"
    assert logins.stamp(None) == () and logins.stamp(str(path)) is None
    path.write_text("a")
    assert logins.stamp(str(path)) is None  # just written
    age(path)
    first = logins.stamp(str(path))
    assert first is not None and logins.stamp(str(path)) == first
    path.write_text("b")
    age(path, 30)
    assert logins.stamp(str(path)) not in (None, first)


def test_a_deleted_codex_login_is_not_configured_at_once_though_an_answer_is_cached(env, make_client, upstream, sample,
                                                                                    tmp_path):
    from conftest import codex_now

    env.pop("CHATGPT_ACCESS_TOKEN")
    auth = tmp_path / "codex" / "auth.json"
    auth.parent.mkdir()
    auth.write_text(json.dumps(sample("codex-auth.json")))
    upstream.get(f"{CHATGPT}/wham/usage", json=codex_now(sample("codex-wham-usage.json")))
    client = make_client(env)
    assert client.get(ROUTE).status_code == 200
    assert client.get(ROUTE).status_code == 200  # cached
    auth.unlink()
    response = client.get(ROUTE)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "not_configured"
    assert len(upstream.calls) == 1


def test_cached_codex_answers_read_an_unchanged_auth_json_once(env, make_client, upstream, sample, tmp_path, monkeypatch):
    from conftest import codex_now

    from backend.helpers import codex_helper

    env.pop("CHATGPT_ACCESS_TOKEN")
    auth = tmp_path / "codex" / "auth.json"
    auth.parent.mkdir()
    auth.write_text(json.dumps(sample("codex-auth.json")))
    age(auth)
    reads = []
    real_read = codex_helper.read_codex_auth
    monkeypatch.setattr(codex_helper, "read_codex_auth", lambda *args: reads.append(1) or real_read(*args))
    upstream.get(f"{CHATGPT}/wham/usage", json=codex_now(sample("codex-wham-usage.json")))
    client = make_client(env)
    for _ in range(5):
        assert client.get(ROUTE).status_code == 200
    assert len(reads) == 2  # the configured check once, and the upstream read's own credentials once
    auth.write_text(json.dumps(sample("codex-auth.json")))  # `codex login` again: read anew
    assert client.get(ROUTE).status_code == 200 and len(reads) == 3
