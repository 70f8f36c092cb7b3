"""Demo data goes through the real normalizers; the page's fixtures match the API's output."""

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

from backend import demo
from backend.history_store import HistoryStore
from backend.registry import PROVIDERS, by_id

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_demo_resets_are_in_the_future():
    body = by_id("openai_codex").demo("default", NOW)
    assert body["windows"] and all(w["resets_in_seconds"] > 0 for w in body["windows"])
    assert "code-review:secondary" in [w["id"] for w in body["windows"]]


def test_demo_copilot_is_for_the_current_month_in_ai_credits():
    body = by_id("github_copilot").demo("default", NOW)
    assert (body["year"], body["month"], body["unit"], body["monthly_limit"]) == (2026, 11, "ai_credits", 1500)
    assert body["used"] == round(sum(m["quantity"] for m in body["models"]), 2)
    assert "Actions" not in [p["product"] for p in body["products"]]


def test_demo_shows_two_openrouter_accounts():
    router = by_id("openrouter")
    assert router.demo_accounts == ("default", "work")
    work = router.demo("work", NOW)
    assert (work["limit_reset"], work["limit_resets_at"]) == ("daily", "2026-11-26T00:00:00Z")


def test_seeded_history_ends_at_today_and_has_every_quota(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    demo.seed_history(store, PROVIDERS, now=NOW)
    for provider in PROVIDERS:
        for account in provider.demo_accounts:
            points = store.points(provider.id, 0, NOW.timestamp(), account=account)
            assert len(points) > 24 * 29
            last = points[-1][1]["quotas"]
            assert set(last) == {q["id"] for q in provider.demo(account, NOW)["quotas"]}


def test_page_fixtures_match_the_api_output():
    spec = importlib.util.spec_from_file_location("make_api_fixtures", ROOT / "scripts" / "make_api_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, body in module.build().items():
        on_disk = json.loads((ROOT / "tests" / "fixtures" / "api" / name).read_text())
        assert on_disk == body, f"{name} is out of date: run scripts/make_api_fixtures.py"
