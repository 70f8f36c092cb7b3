"""Demo data goes through the real normalizers; the page's fixtures match the API's output."""

import importlib.util
import json
from calendar import monthrange
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


def test_demo_spend_agrees_with_itself_and_the_calendar_on_any_day():
    from datetime import timedelta

    router, copilot = by_id("openrouter"), by_id("github_copilot")
    for hours in range(0, 62 * 24, 7):
        now = NOW + timedelta(hours=hours)
        for account in router.demo_accounts:
            body = router.demo(account, now)
            today, week, month = (body[f"usage_{period}_usd"] for period in ("daily", "weekly", "monthly"))
            assert 0 < today <= week and today <= month
            # The month began this week, or the week began this month: the shorter holds the less.
            started_this_week = now.day - 1 <= now.weekday()
            assert (month <= week) if started_this_week else (week <= month), (now, today, week, month)
        # Copilot's allowance is used at an even pace, below the month's share of it (never "at risk" by itself).
        elapsed = (now - now.replace(day=1, hour=0)).total_seconds() / (monthrange(now.year, now.month)[1] * 86400)
        assert copilot.demo("default", now)["used"] / 1500 <= max(elapsed, 0.01) * 0.9, now


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


def test_two_keys_of_one_openrouter_account_share_their_balance_past(tmp_path):
    # The demo's second key is on the same account: its balance card must not show another daily rate.
    store = HistoryStore(tmp_path / "h.sqlite3")
    demo.seed_history(store, [by_id("openrouter")], now=NOW)
    since, until = NOW.timestamp() - 31 * 86400, NOW.timestamp()
    balances = {account: [(t, f["quotas"]["balance"][0]) for t, f in store.points("openrouter", since, until, account=account)]
                for account in ("default", "work")}
    store.close()
    assert len(balances["default"]) > 700 and balances["default"] == balances["work"]
