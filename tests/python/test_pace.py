"""Pace math, table-driven: flat, steady, bursty, window edges, month edges, resets inside the history, balances."""

from calendar import monthrange
from datetime import UTC, datetime, timedelta

import pytest

from backend.config import Settings
from backend.pace import pace
from backend.quotas import decide, quota

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOUR, DAY = 3600, 86400
SETTINGS = Settings()


def window_quota(used, limit=100, length=5 * HOUR, to_reset=2 * HOUR, now=NOW):
    return {"used": used, "limit": limit, "used_percent": used / limit * 100, "window_seconds": length,
            "reset_ts": now.timestamp() + to_reset}


def readings(quota, *pairs, reset=None):
    """[(t, used, reset)] from (seconds ago, used) pairs, all in the quota's window unless reset says otherwise."""
    return [(NOW.timestamp() - ago, used, reset or quota["reset_ts"]) for ago, used in pairs]


@pytest.mark.parametrize("case, used, history, expected", [
    # 3 h into a 5-hour window: even pace is 60 %.
    ("flat", 30, [(2 * HOUR, 30), (HOUR, 30)], {"rate_per_day": 0, "eta_seconds": None, "lasts_to_reset": True,
                                                "delta_percent": -30.0, "projected_used_percent": 30.0}),
    ("steady", 60, [(2 * HOUR, 20), (HOUR, 40)], {"rate_per_day": 480, "eta_seconds": 2 * HOUR,
                                                  "lasts_to_reset": True, "projected_used_percent": 100.0}),
    ("bursty", 90, [(2 * HOUR, 10), (HOUR, 10)], {"eta_seconds": int(2 * HOUR / 80 * 10), "lasts_to_reset": False,
                                                  "delta_percent": 30.0}),
    ("already full", 100, [(HOUR, 80)], {"eta_seconds": 0, "lasts_to_reset": False}),
])
def test_pace_from_history(case, used, history, expected):
    quota = window_quota(used)
    found = pace(quota, readings(quota, *history), NOW.timestamp())
    assert found["basis"]["method"] == "history", case
    assert found["expected_used_percent"] == 60.0
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, abs=0.5), (case, key)


def test_without_history_the_window_average_is_used():
    found = pace(window_quota(30), [], NOW.timestamp())
    assert found["basis"] == {"method": "window_average", "points": 1, "period_days": 0.125}
    assert found["projected_used_percent"] == 50.0 and found["lasts_to_reset"] is True


def test_the_first_3_percent_of_a_window_has_no_pace():
    assert pace(window_quota(5, to_reset=5 * HOUR - 500), [], NOW.timestamp()) is None  # 500 s of 18000 = 2.8 %
    assert pace(window_quota(5, to_reset=5 * HOUR - 600), [], NOW.timestamp()) is not None  # 3.3 %


def test_just_before_the_reset():
    found = pace(window_quota(95, to_reset=60), [], NOW.timestamp())
    assert found["lasts_to_reset"] is True and found["expected_used_percent"] == pytest.approx(99.7, abs=0.1)


def test_readings_from_before_a_reset_inside_the_history_are_ignored():
    quota = window_quota(20)
    previous_window = quota["reset_ts"] - 5 * HOUR
    history = readings(quota, (4 * HOUR, 95), reset=previous_window) + readings(quota, (2 * HOUR, 5), (HOUR, 12))
    found = pace(quota, history, NOW.timestamp())
    assert found["basis"]["points"] == 3 and found["rate_per_day"] == pytest.approx(15 / 2 * 24)


def test_readings_too_close_together_fall_back_to_the_window_average():
    quota = window_quota(30)
    assert pace(quota, readings(quota, (60, 29)), NOW.timestamp())["basis"]["method"] == "window_average"


@pytest.mark.parametrize("year, month, day, used", [
    (2026, 2, 14, 500),  # February: 13 of 28 days gone at 00:00 on the 14th
    (2028, 2, 29, 1400),  # a leap day: 28 of 29 days gone
    (2026, 12, 31, 1000),  # the last day of the year: it resets on 1 January
])
def test_calendar_months_are_their_real_length(year, month, day, used):
    now = datetime(year, month, day, tzinfo=UTC)
    days = monthrange(year, month)[1]
    reset = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    quota = {"used": used, "limit": 1500, "used_percent": used / 15, "window_seconds": days * DAY,
             "reset_ts": reset.timestamp()}
    found = pace(quota, [], now.timestamp())
    assert found["expected_used_percent"] == pytest.approx((day - 1) / days * 100, abs=0.05)


def test_a_month_boundary_starts_a_new_window():
    reset = datetime(2026, 12, 1, tzinfo=UTC)
    now = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    quota = {"used": 10, "limit": 300, "used_percent": 3.33, "window_seconds": 30 * DAY, "reset_ts": reset.timestamp()}
    old = [(datetime(2026, 10, 31, 22, tzinfo=UTC).timestamp(), 290, datetime(2026, 11, 1, tzinfo=UTC).timestamp())]
    found = pace(quota, old, now.timestamp())
    assert found["basis"]["method"] == "window_average"


def test_no_limit_no_pace():
    assert pace({"used": 3, "limit": None, "used_percent": None, "window_seconds": None, "reset_ts": None}, [], 0) is None


def test_a_balance_gets_a_runway_from_recent_spend_and_no_reset_words():
    balance = {"used": 100, "limit": 150, "used_percent": 66.7, "window_seconds": None, "reset_ts": None}
    history = [(NOW.timestamp() - 10 * DAY, 50, None), (NOW.timestamp() - 4 * DAY, 92, None)]
    found = pace(balance, history, NOW.timestamp())
    assert found["rate_per_day"] == pytest.approx(2.0) and found["eta_seconds"] == 25 * DAY
    assert (found["lasts_to_reset"], found["expected_used_percent"], found["delta_percent"]) == (None, None, None)


def test_a_balance_with_short_history_uses_the_fallback_rate():
    balance = {"used": 100, "limit": 150, "used_percent": 66.7, "window_seconds": None, "reset_ts": None}
    fallback = (5 / DAY, {"method": "usage_weekly", "points": 1, "period_days": 3.0})
    found = pace(balance, [(NOW.timestamp() - HOUR, 99, None)], NOW.timestamp(), fallback)
    assert found["basis"]["method"] == "usage_weekly" and found["eta_seconds"] == 10 * DAY


def test_a_rate_that_would_take_decades_is_not_an_eta():
    balance = {"used": 1, "limit": 10**9, "used_percent": 0, "window_seconds": None, "reset_ts": None}
    found = pace(balance, [(NOW.timestamp() - 2 * DAY, 0, None)], NOW.timestamp())
    assert found["eta_seconds"] is None and found["runs_out_at"] is None


# ---- status: level and pace together -------------------------------------------------------------

def q(used, limit=100, kind="window", **kwargs):
    return quota("x", "X", "percent", used=used, limit=limit, now=NOW, kind=kind, **kwargs)


@pytest.mark.parametrize("case, quota_, pace_, status", [
    ("unknown", q(None), None, "unknown"),
    ("reached", q(100), None, "critical"),
    ("runs out before reset", q(40), {"lasts_to_reset": False, "delta_percent": 5, "eta_seconds": 60}, "critical"),
    ("above 80 %", q(85), {"lasts_to_reset": True, "delta_percent": -5, "eta_seconds": None}, "warning"),
    ("ahead of pace", q(50), {"lasts_to_reset": True, "delta_percent": 12, "eta_seconds": None}, "warning"),
    ("on pace", q(50), {"lasts_to_reset": True, "delta_percent": 8, "eta_seconds": None}, "ok"),
    ("a balance 79 % used with 39 days of runway", q(79, kind="balance"), {"eta_seconds": 39 * DAY}, "ok"),
    ("a balance with 3 days of runway", q(20, kind="balance"), {"eta_seconds": 3 * DAY}, "warning"),
    ("a balance running out today", q(20, kind="balance"), {"eta_seconds": 3 * HOUR}, "critical"),
    ("an empty balance", q(150, limit=150, kind="balance"), None, "critical"),
])
def test_status_follows_level_and_pace(case, quota_, pace_, status):
    assert decide(quota_, pace_, SETTINGS) == status, case


def test_quota_shape_keeps_unknowns_null_and_clamps_remaining():
    found = quota("k", "Key", "usd", used=None, limit=None, now=NOW)
    assert (found["used"], found["limit"], found["remaining"], found["used_percent"]) == (None, None, None, None)
    over = quota("k", "Key", "usd", used=12, limit=10, now=NOW, resets_at=NOW + timedelta(hours=1))
    assert (over["remaining"], over["used_percent"], over["resets_in_seconds"]) == (0, 120.0, 3600)
