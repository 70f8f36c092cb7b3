"""Targets 3-5: history stays cheap for years.

Builds five years of readings for four accounts (every 5 minutes for the last 35 days, hourly before,
as thinning leaves them; plus one unthinned month to thin), then measures, in process:
  3. the history the page asks for per load (one quota, 300 rows, 7 days, all cards) in KiB, and the
     route's server time (target <= 60 KiB in all, <= 10 ms per request);
  4. the history work of one cache miss (pace_points) (target <= 3 ms);
  5. thinning: the longest time one batch holds the lock (target <= 20 ms), and the file size after it
     (target <= 25 MB).
Run: .venv/bin/python bench/history_bench.py
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import save  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.config import load_settings  # noqa: E402
from backend.history_store import HistoryStore  # noqa: E402
from backend.providers import pace_points  # noqa: E402

DAY = 86400
ACCOUNTS = [("openrouter", "default", ("balance", "key_limit")), ("openrouter", "work", ("balance", "key_limit")),
            ("github_copilot", "default", ("monthly",)), ("openai_codex", "default", ("primary", "secondary"))]


def figures(t, quotas):
    return {"quotas": {q: [round((t % 18000) / 180, 2), 100, t - t % 18000 + 18000] for q in quotas}}


def build(path, now):
    store = HistoryStore(path)
    rows = []
    for provider, account, quotas in ACCOUNTS:
        for t in range(now - 5 * 365 * DAY, now - 65 * DAY, 3600):  # thinned long ago
            rows.append((provider, t, figures(t, quotas), account))
        for t in range(now - 65 * DAY, now, 300):  # a month still to thin, then 35 days at full resolution
            rows.append((provider, t, figures(t, quotas), account))
    for start in range(0, len(rows), 50_000):
        store.record_many(rows[start:start + 50_000])
    store.close()
    return len(rows)


def timed(function, runs=15):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return result, {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2),
                    "max_ms": round(max(samples), 2), "n": runs}


def main():
    folder = Path(tempfile.mkdtemp(prefix="history-bench-"))
    path = folder / "history.sqlite3"
    now = int(time.time())
    rows = build(path, now)
    before_thin = path.stat().st_size

    # 5. Thinning the month that is due, in batches; the longest batch is the longest the lock is held.
    store = HistoryStore(path)
    started = time.perf_counter()
    removed = store.thin(now - 35 * DAY)
    thin_seconds = time.perf_counter() - started
    single = []
    for _ in range(5):  # one batch's worth, timed on its own
        store.record_many([("openai_codex", t, figures(t, ("primary",)), "bench") for t in range(0, 6 * 3600, 300)])
        begin = time.perf_counter()
        store.thin(6 * 3600, batch_seconds=6 * 3600)
        single.append((time.perf_counter() - begin) * 1000)
    store.close()
    after_thin = path.stat().st_size

    # 3. What the page asks for: one quota's rows, 300 at most, 7 days, for each card.
    settings = load_settings({"HOME": str(folder), "DASHBOARD_DB": str(path), "DASHBOARD_DEMO": "",
                              "OPENROUTER_API_KEY": "sk-or-bench-0000", "OPENROUTER_API_KEY__WORK": "sk-or-bench-1111",
                              "DASHBOARD_CONFIG": str(folder / "none.properties")})
    (folder / "none.properties").write_text("")
    app = create_app({"SETTINGS": settings})
    client = app.test_client()
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 7 * DAY))
    total_bytes, route_times = 0, []
    for provider, account, quotas in ACCOUNTS:
        url = f"/api/history/{provider}?account={account}&quota={quotas[0]}&points=300&since={since}"
        response, timing = timed(lambda url=url: client.get(url, base_url="http://localhost:4000"))
        assert response.status_code == 200, response.get_data(as_text=True)
        total_bytes += len(response.data)
        route_times.append(timing)

    # 4. One cache miss's history work: the bounded slice pace needs (a monthly allowance looks back a month).
    reader = HistoryStore(path)
    body = {"quotas": [{"window_seconds": 31 * DAY}]}
    points, pace_timing = timed(lambda: pace_points(reader, "github_copilot", "default", body, now))

    result = {
        "rows_stored": rows,
        "file_mb_before_thinning": round(before_thin / 2**20, 1),
        "file_mb_after_thinning_and_vacuum": round(after_thin / 2**20, 1),
        "thin_removed": removed,
        "thin_total_seconds": round(thin_seconds, 2),
        "one_thin_batch": {"median_ms": round(statistics.median(single), 2), "max_ms": round(max(single), 2), "n": len(single)},
        "history_per_page_load_kib": round(total_bytes / 1024, 1),
        "history_route_server_time": route_times,
        "pace_points": pace_timing | {"points": len(points)},
        "load_average": os.getloadavg(),
    }
    save("history", result)
    print(json.dumps(result, indent=2))
    worst_route = max(t["median_ms"] for t in route_times)
    ok = (result["history_per_page_load_kib"] <= 60 and worst_route <= 10 and pace_timing["median_ms"] <= 3
          and result["one_thin_batch"]["max_ms"] <= 20 and result["file_mb_after_thinning_and_vacuum"] <= 25)
    print(f"history per page load {result['history_per_page_load_kib']} KiB (<= 60); route {worst_route} ms (<= 10); "
          f"pace {pace_timing['median_ms']} ms (<= 3); thin batch max {result['one_thin_batch']['max_ms']} ms (<= 20); "
          f"file {result['file_mb_after_thinning_and_vacuum']} MB (<= 25)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
