"""Forecast math, table-driven: flat, steady, accelerating, resets, empty, single point, month edges."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.forecast import (
    codex_forecast,
    copilot_forecast,
    forecast,
    openrouter_forecast,
    snapshot_figures,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
DAY = 86400


def ts(moment):
    return int(moment.timestamp())


def router(usage, balance=None, weekly=None, limit=None, remaining=None):
    account = None if balance is None else {"balance_usd": balance, "total_credits_usd": 0, "total_usage_usd": 0}
    return {"usage_usd": usage, "account": account, "usage_weekly_usd": weekly, "limit_usd": limit, "remaining_usd": remaining}


def router_history(*usages_per_day_ago):
    """[(t, figures)] with usage_usd at n days ago."""
    return [(ts(NOW - timedelta(days=days)), {"usage_usd": usage}) for days, usage in usages_per_day_ago]


# ---- OpenRouter ------------------------------------------------------------------------------

@pytest.mark.parametrize("history, usage, balance, rate, runs_out_days", [
    # steady: $2/day for a week, $20 left -> 10 days
    ([(7, 86.0), (3, 94.0)], 100.0, 20.0, 2.0, 10),
    # flat: nothing spent -> no run-out date
    ([(7, 100.0), (1, 100.0)], 100.0, 20.0, 0.0, None),
    # accelerating: only the 7-day window counts, so the older slow spending is ignored
    ([(20, 0.0), (7, 72.0), (2, 80.0)], 100.0, 28.0, 4.0, 7),
    # balance already gone: runs out now
    ([(7, 86.0)], 100.0, 0.0, 2.0, 0),
])
def test_openrouter_from_history(history, usage, balance, rate, runs_out_days):
    result = openrouter_forecast(router_history(*history), router(usage, balance), NOW)
    assert result["spend_rate_usd_per_day"] == pytest.approx(rate)
    assert result["basis"]["method"] == "history"
    if runs_out_days is None:
        assert result["runs_out_at"] is None
    else:
        assert result["runs_out_at"] == (NOW + timedelta(days=runs_out_days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("history", [[], router_history((0.1, 99.0))])
def test_openrouter_short_history_falls_back_to_this_weeks_usage(history):
    # Wednesday noon: 2.5 days into the UTC week; $5 this week -> $2/day.
    result = openrouter_forecast(history, router(100.0, balance=10.0, weekly=5.0), NOW)
    assert result["basis"] == {"method": "usage_weekly", "points": 1, "period_days": 2.5}
    assert result["spend_rate_usd_per_day"] == pytest.approx(2.0)
    assert result["runs_out_at"] == "2026-11-30T12:00:00Z"


def test_openrouter_monday_morning_counts_at_least_one_day():
    monday = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert openrouter_forecast([], router(1.0, 10.0, weekly=3.0), monday)["spend_rate_usd_per_day"] == 3.0


def test_openrouter_without_history_or_weekly_usage_is_none():
    assert openrouter_forecast([], router(100.0, 10.0), NOW) is None


def test_openrouter_unlimited_key_has_a_rate_but_no_run_out():
    result = openrouter_forecast(router_history((7, 86.0)), router(100.0), NOW)
    assert result["spend_rate_usd_per_day"] == 2.0 and result["runs_out_at"] is None and result["balance_usd"] is None


def test_openrouter_a_balance_that_lasts_decades_has_no_run_out_date():
    result = openrouter_forecast(router_history((7, 99.99)), router(100.0, balance=10**9), NOW)
    assert result["runs_out_at"] is None and result["spend_rate_usd_per_day"] > 0


def test_openrouter_uses_the_key_limit_when_there_is_no_account():
    result = openrouter_forecast(router_history((7, 86.0)), router(100.0, limit=50, remaining=6.0), NOW)
    assert result["runs_out_at"] == "2026-11-28T12:00:00Z"


# ---- Copilot ---------------------------------------------------------------------------------

def copilot(used, year=2026, month=11, limit=300):
    return {"used": used, "monthly_limit": limit, "year": year, "month": month}


@pytest.mark.parametrize("now, value, projected, exceeds_on", [
    # Nov 25 12:00 = 24.5 of 30 days; 245 used -> 300 at month end, exactly the allowance
    (NOW, copilot(245), 300, None),
    # steady pace that ends over: 294 used at 12/day -> 360; 300 reached after 25 days -> Nov 26
    (NOW, copilot(294), 360, "2026-11-26"),
    # flat: nothing used
    (NOW, copilot(0), 0, None),
    # February (28 days): 140 used by Feb 14 00:00 -> 280
    (datetime(2026, 2, 15, 0, 0, tzinfo=UTC), copilot(140, 2026, 2), 280, None),
    # year end: Dec 31 noon, 305 used at 10/day -> 310; 300 was reached after 30 days, on Dec 31
    (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), copilot(305, 2026, 12), 310, "2026-12-31"),
])
def test_copilot_month_to_date_pace(now, value, projected, exceeds_on):
    result = copilot_forecast([], value, now)
    assert result["projected_month_end"] == projected
    assert result["exceeds_limit_on"] == exceeds_on
    assert result["projected_overage"] == max(projected - 300, 0)
    assert result["basis"]["method"] == "month_to_date"


def test_copilot_first_hours_of_a_month_are_not_enough():
    assert copilot_forecast([], copilot(3, 2026, 12), datetime(2026, 12, 1, 2, 0, tzinfo=UTC)) is None


def test_copilot_at_the_month_boundary_uses_the_new_month():
    # Just past midnight UTC on Dec 1 the API already reports December: no pace yet.
    assert copilot_forecast([], copilot(0, 2026, 12), datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)) is None
    # A reading still labelled November after it ended has no future to project.
    assert copilot_forecast([], copilot(300, 2026, 11), datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)) is None


def test_copilot_basis_counts_this_months_readings():
    points = [(1, {"period": "2026-11"}), (2, {"period": "2026-11"}), (3, {"period": "2026-10"})]
    assert copilot_forecast(points, copilot(100), NOW)["basis"]["points"] == 3


# ---- Codex -----------------------------------------------------------------------------------

def window(used, resets_in, length=18000, wid="primary"):
    reset = NOW + timedelta(seconds=resets_in)
    return {"id": wid, "used_percent": used, "window_seconds": length,
            "resets_at": reset.strftime("%Y-%m-%dT%H:%M:%SZ"), "resets_in_seconds": resets_in}


def codex_points(wid, reset, *readings):
    """Readings (seconds ago, used) for a window that resets at `reset`."""
    return [(ts(NOW) - ago, {"windows": {wid: used}, "resets": {wid: ts(reset)}}) for ago, used in readings]


def test_codex_steady_pace_hits_the_limit_before_reset():
    w = window(60, resets_in=7200)
    reset = NOW + timedelta(seconds=7200)
    points = codex_points("primary", reset, (3600, 40))  # +20 % per hour
    result = codex_forecast(points, {"windows": [w]}, NOW)["windows"][0]
    assert result["projected_used_percent"] == 100.0
    assert result["hits_limit_at"] is None  # exactly 100 at the reset, not before
    w = window(70, resets_in=7200)
    result = codex_forecast(codex_points("primary", reset, (3600, 40)), {"windows": [w]}, NOW)["windows"][0]
    assert result["projected_used_percent"] == 130.0
    assert result["hits_limit_at"] == "2026-11-25T13:00:00Z"
    assert result["basis"] == {"method": "history", "points": 2, "period_days": 0.042}


def test_codex_flat_usage_projects_no_change():
    reset = NOW + timedelta(seconds=7200)
    result = codex_forecast(codex_points("primary", reset, (3600, 30)), {"windows": [window(30, 7200)]}, NOW)
    assert result["windows"][0]["projected_used_percent"] == 30.0 and result["windows"][0]["hits_limit_at"] is None


def test_codex_reset_in_the_window_ignores_readings_from_before_it():
    old_reset = NOW - timedelta(seconds=600)
    new_reset = NOW + timedelta(seconds=18000 - 1800)
    points = codex_points("primary", old_reset, (7200, 10), (900, 95)) + codex_points("primary", new_reset, (1200, 2))
    result = codex_forecast(points, {"windows": [window(6, 16200)]}, NOW)["windows"][0]
    assert result["basis"]["points"] == 2  # the reading after the reset, and now
    assert result["projected_used_percent"] == pytest.approx(6 + 4 / 1200 * 16200, abs=0.1)


@pytest.mark.parametrize("points", [[], "single"])
def test_codex_short_history_falls_back_to_the_window_average(points):
    w = window(37, resets_in=7260)
    if points == "single":
        points = codex_points("primary", NOW + timedelta(seconds=7260), (60, 36))
    result = codex_forecast(points, {"windows": [w]}, NOW)["windows"][0]
    assert result["basis"]["method"] == "window_average"
    assert result["projected_used_percent"] == pytest.approx(37 + 37 / (18000 - 7260) * 7260, abs=0.1)


def test_codex_without_window_length_or_reset_is_none():
    unknown_length = {**window(10, 600), "window_seconds": None}
    unknown_reset = {**window(10, 600), "resets_at": None}
    assert codex_forecast([], {"windows": [unknown_length, unknown_reset]}, NOW) is None
    assert codex_forecast([], {"windows": []}, NOW) is None


def test_codex_window_just_started_is_not_enough():
    assert codex_forecast([], {"windows": [window(1, 18000 - 60)]}, NOW) is None


def test_codex_full_window_has_hit_the_limit_now():
    result = codex_forecast([], {"windows": [window(100, 3600)]}, NOW)["windows"][0]
    assert result["hits_limit_at"] == "2026-11-25T12:00:00Z"


def test_figures_and_dispatch_round_trip(sample):
    from backend.helpers.codex_helper import normalize_limits

    value = normalize_limits(sample("codex-wham-usage.json"), NOW)
    figures = snapshot_figures("openai_codex", value)
    assert figures["windows"] == {"primary": 37, "secondary": 58}
    assert forecast("openai_codex", [(ts(NOW) - 600, figures)], value, NOW)["windows"][0]["id"] == "primary"
