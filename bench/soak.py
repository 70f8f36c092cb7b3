"""Soak: the production server under steady load with upstream faults; RSS, threads and file descriptors must stay flat.

Run: .venv/bin/python bench/soak.py [minutes, default 30]. The API (waitress) reads a fake upstream with 10 %
errors and some slow answers, a 0.05 s cache TTL (so nearly every request reaches the upstream path and
writes history), alerts on, and four client threads asking for every route. Every 10 s it samples the
API process; after a warm-up (the first fifth) it fits a line to each series and reports the slope.
Target: RSS grows less than 0.1 MB/min after warm-up, and threads and file descriptors do not grow.
"""

import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

from common import control, rss_mb, save, start_api, start_fake_upstream

ROUTES = ["/api/openrouter/balance", "/api/github/copilot/premium-usage", "/api/openai/codex/limits",
          "/api/history/openai_codex", "/api/accounts", "/api/alerts", "/metrics"]
RSS_SLOPE_TARGET = 0.1  # MB per minute after warm-up


def threads_and_fds(pid):
    threads = int(next(line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                       if line.startswith("Threads:")))
    return threads, len(os.listdir(f"/proc/{pid}/fd"))


def slope(points):
    """Least-squares slope of [(minutes, value)]."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points) or 1.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def main(minutes=30.0):
    upstream, upstream_url = start_fake_upstream()
    for provider in ("openrouter", "github_copilot", "openai_codex"):
        control(upstream_url, provider, error_rate=0.1, slow_rate=0.02, slow_ms=300)
    api, base, _ = start_api(upstream_url, CACHE_TTL_SECONDS="0.05", SAMPLE_INTERVAL_SECONDS="5",
                             ALERT_THRESHOLDS="1,2,3")
    host = base.replace("http://127.0.0.1", "localhost")
    stop = threading.Event()
    counts = {"ok": 0, "error": 0}

    def client(offset):
        index = offset
        while not stop.is_set():
            request = urllib.request.Request(base + ROUTES[index % len(ROUTES)], headers={"Host": host.removeprefix("http://")})
            index += 1
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    counts["ok"] += 1
            except Exception:
                counts["error"] += 1

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(4)]
    for worker in workers:
        worker.start()
    samples = []
    started = time.monotonic()
    try:
        while time.monotonic() - started < minutes * 60:
            elapsed = (time.monotonic() - started) / 60
            threads, fds = threads_and_fds(api.pid)
            samples.append({"minute": round(elapsed, 2), "rss_mb": round(rss_mb(api.pid), 2), "threads": threads, "fds": fds})
            print(f"{elapsed:5.1f} min  rss {samples[-1]['rss_mb']:6.1f} MB  threads {threads:3d}  fds {fds:3d}  "
                  f"requests {counts['ok']}", flush=True)
            time.sleep(10)
    finally:
        stop.set()
        api.terminate()
        upstream.terminate()
    after = [s for s in samples if s["minute"] >= minutes / 5]
    result = {
        "minutes": minutes, "samples": samples, "requests": counts,
        "rss_slope_mb_per_min": round(slope([(s["minute"], s["rss_mb"]) for s in after]), 4),
        "threads_slope_per_min": round(slope([(s["minute"], s["threads"]) for s in after]), 4),
        "fds_slope_per_min": round(slope([(s["minute"], s["fds"]) for s in after]), 4),
        "load_average": os.getloadavg(),
    }
    save("soak", result)
    print(f"after warm-up: RSS {result['rss_slope_mb_per_min']:+.3f} MB/min, threads {result['threads_slope_per_min']:+.3f}/min, "
          f"fds {result['fds_slope_per_min']:+.3f}/min over {minutes:g} min; {counts['ok']} requests, {counts['error']} failed")
    flat = (result["rss_slope_mb_per_min"] < RSS_SLOPE_TARGET and result["threads_slope_per_min"] < 0.05
            and result["fds_slope_per_min"] < 0.05)
    print("✓ flat" if flat else "✗ growing")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0))
