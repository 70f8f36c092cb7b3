"""Demo data goes through the real normalizers; the page's fixtures match the API's output."""

import importlib.util
import json
from datetime import datetime
from pathlib import Path

from backend import demo

ROOT = Path(__file__).resolve().parents[2]


def test_demo_resets_are_in_the_future():
    body = demo.codex_limits()
    now = datetime.fromisoformat(body["fetched_at"].replace("Z", "+00:00"))
    for window in body["windows"]:
        assert datetime.fromisoformat(window["resets_at"].replace("Z", "+00:00")) > now


def test_demo_copilot_is_for_the_current_month():
    body = demo.copilot_premium_usage(300)
    now = datetime.fromisoformat(body["fetched_at"].replace("Z", "+00:00"))
    assert (body["year"], body["month"]) == (now.year, now.month)
    assert body["used"] == sum(m["requests"] for m in body["models"])


def test_demo_honours_the_configured_allowance():
    assert demo.copilot_premium_usage(1500)["monthly_limit"] == 1500


def test_demo_openrouter_has_an_account_balance():
    assert demo.openrouter_balance()["account"]["balance_usd"] == 31.2745


def test_page_fixtures_match_the_api_output():
    spec = importlib.util.spec_from_file_location("make_api_fixtures", ROOT / "scripts" / "make_api_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, body in module.build().items():
        on_disk = json.loads((ROOT / "tests" / "fixtures" / "api" / name).read_text())
        assert on_disk == body, f"{name} is out of date: run scripts/make_api_fixtures.py"
