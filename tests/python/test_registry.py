"""The registry is the one description of a provider: a new one shows up everywhere with no other file touched."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import local_client
from jsonschema import Draft202012Validator

from backend.app import create_app
from backend.config import load_settings
from backend.helpers.descriptor import Provider, Setting
from backend.quotas import quota
from backend.registry import PROVIDERS

ROOT = Path(__file__).resolve().parents[2]


def fake_body(account, now, used=70):
    # Half a day into a daily window at 70 %: at this pace it runs out before the reset.
    return {"provider": "fake_meter", "meter": 7, "fetched_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quotas": [quota("daily", "Daily meter", "percent", used=used, limit=100, now=now,
                             window_seconds=86400, resets_at=now + timedelta(hours=12))]}


def fake_credentials(config):
    token = config.get("FAKE_METER_TOKEN")
    if not token:
        raise config.missing(f"Set {config.key('FAKE_METER_TOKEN')}.")
    return {"token": token}


FAKE = Provider(
    id="fake_meter", title="Fake meter", short="FM", subtitle="A test-only provider", route="/fake/meter",
    settings=(Setting("FAKE_METER_TOKEN", secret=True),), base_setting="FAKE_METER_BASE", default_base="http://fake.test",
    credentials=fake_credentials, demo=fake_body,
    fetch=lambda creds, ctx: fake_body("x", ctx.now, used=70 if "second" in creds["token"] else 10),
    schema={"meter": {"type": "number"}}, schema_name="FakeMeter",
    legacy_forecast=lambda body, paces, now: None, legacy_forecast_schema={"type": "object"},
)


def client_with(tmp_path, **env):
    (tmp_path / "none.properties").write_text("")
    settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_DB": str(tmp_path / "h.sqlite3"),
                              "DASHBOARD_CONFIG": str(tmp_path / "none.properties"), **env},
                             providers=[*PROVIDERS, FAKE])
    return local_client(create_app({"SETTINGS": settings, "TESTING": True}))


def test_a_test_only_provider_gets_a_route_accounts_history_health_and_openapi(tmp_path):
    client = client_with(tmp_path, FAKE_METER_TOKEN="t0ken-fake-meter", FAKE_METER_TOKEN__SECOND="t0ken-second")
    listed = [(a["provider"], a["account"], a["configured"]) for a in client.get("/api/accounts").get_json()["accounts"]]
    assert ("fake_meter", "default", True) in listed and ("fake_meter", "second", True) in listed
    body = client.get("/api/fake/meter?account=second").get_json()
    assert body["meter"] == 7 and body["account_name"] == "second" and body["quotas"][0]["status"] == "critical"
    assert body["quotas"][0]["pace"]["lasts_to_reset"] is False
    history = client.get("/api/history/fake_meter?account=second").get_json()
    assert history["points"][-1]["quotas"]["daily"]["used"] == 70
    assert history["series"] == [{"id": "daily", "label": "Daily meter", "unit": "percent"}]
    default = client.get("/api/history/fake_meter").get_json()["points"]  # the default account is separate
    assert {p["quotas"]["daily"]["used"] for p in default} <= {10}
    assert "fake_meter" in client.get("/api/health").get_json()["providers"]
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/fake/meter" in spec["paths"] and "FakeMeter" in spec["components"]["schemas"]
    errors = list(Draft202012Validator({"$ref": "#/components/schemas/FakeMeter", "components": spec["components"]})
                  .iter_errors(body))
    assert errors == []


def test_a_test_only_provider_has_demo_data_and_history_in_demo_mode(tmp_path):
    client = client_with(tmp_path, DASHBOARD_DEMO="1")
    assert client.get("/api/fake/meter").get_json()["source"] == "demo"
    assert len(client.get("/api/history/fake_meter").get_json()["points"]) > 100


def test_an_unconfigured_test_only_provider_says_what_to_set(tmp_path):
    client = client_with(tmp_path)
    response = client.get("/api/fake/meter")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "Set FAKE_METER_TOKEN."


def test_every_registered_provider_is_complete(tmp_path):
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    spec = client_with(tmp_path).get("/api/openapi.json").get_json()
    for provider in PROVIDERS:
        assert f"/api{provider.route}" in spec["paths"], provider.id
        assert provider.schema_name in spec["components"]["schemas"]
        for account in provider.demo_accounts:
            body = provider.demo(account, now)
            assert body["quotas"] and all(q["unit"] in ("percent", "usd", "ai_credits", "premium_requests")
                                          for q in body["quotas"])
        assert provider.legacy_forecast_schema and provider.settings and provider.title


def test_no_provider_id_is_spelled_outside_the_registry_and_its_own_modules():
    ids = [p.id for p in PROVIDERS]
    pattern = re.compile("|".join(rf"[\"']{i}[\"'/]" for i in ids))
    allowed = {f"backend/helpers/{name}_helper.py" for name in ("openrouter", "copilot", "codex")}
    allowed |= {"backend/registry.py"}
    offenders = []
    for folder, suffixes in (("backend", (".py",)), ("src", (".js", ".jsx"))):
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            mine = relative in allowed or relative.startswith("src/providers/")
            if path.suffix in suffixes and not mine and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(relative)
    assert offenders == []
