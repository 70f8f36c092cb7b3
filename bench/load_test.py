"""Load and fault test: 20,000 requests at 64 connections across the three routes, upstream failing.

The fake upstream answers 10 % of calls with HTTP 500 and 5 % after a 2 s stall; the API's cache
lives 0.2 s and 5 % of requests ask for ?refresh=1, so the upstream is really exercised.
Run: .venv/bin/python bench/load_test.py [--requests 20000] [--connections 64]
"""

import argparse
import http.client
import json
import threading
import time
from collections import Counter

from common import control, percentile, rss_mb, save, start_api, start_fake_upstream

ROUTES = ["/api/openrouter/balance", "/api/github/copilot/premium-usage", "/api/openai/codex/limits"]
UPSTREAM_FAULTS = {"unauthorized", "rate_limited", "upstream_timeout", "upstream_error", "bad_upstream_payload"}


def worker(port, jobs, lock, latencies, statuses, ours):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        with lock:
            if not jobs:
                break
            index = jobs.pop()
        path = ROUTES[index % 3] + ("?refresh=1" if index % 20 == 0 else "")
        started = time.perf_counter()
        try:
            # As the dashboard asks: a forced refresh carries its header (at most one per account per 10 s counts).
            conn.request("GET", path, headers={"Host": f"localhost:{port}", "X-Dashboard-Refresh": "1"})
            response = conn.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, body = 0, b""
        elapsed = time.perf_counter() - started
        code = None
        if status >= 500:
            try:
                code = json.loads(body)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = "not-json"
        with lock:
            latencies.append(elapsed)
            statuses[status] += 1
            if status == 0 or (status >= 500 and code not in UPSTREAM_FAULTS):
                ours[f"{status} {code}"] += 1
    conn.close()


def run_round(port, requests, connections):
    jobs, lock = list(range(requests)), threading.Lock()
    latencies, statuses, ours = [], Counter(), Counter()
    threads = [threading.Thread(target=worker, args=(port, jobs, lock, latencies, statuses, ours)) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": round(wall, 2),
        "requests_per_second": round(len(latencies) / wall),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 1),
        "statuses": dict(sorted(statuses.items())),
        "our_5xx": sum(ours.values()),
        "our_5xx_detail": dict(ours),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()

    fake, upstream = start_fake_upstream()
    api, base, _ = start_api(upstream, CACHE_TTL_SECONDS="0.2", UPSTREAM_READ_TIMEOUT_SECONDS="1.5")
    try:
        for provider in ("openrouter", "github_copilot", "openai_codex"):
            control(upstream, provider, error_rate=0.1, slow_rate=0.05, slow_ms=2000, delay_ms=20)
        port = int(base.rsplit(":", 1)[1])
        rss_start = rss_mb(api.pid)
        first = run_round(port, args.requests, args.connections)
        rss_after_first = rss_mb(api.pid)
        second = run_round(port, args.requests, args.connections)
        rss_after_second = rss_mb(api.pid)
        upstream_calls = json.loads(__import__("urllib.request").request.urlopen(f"{upstream}/_stats").read())["calls"]
    finally:
        api.terminate()
        fake.terminate()
    result = {
        "round_1": first, "round_2": second, "upstream_calls": upstream_calls,
        "rss_mb": {"start": round(rss_start, 1), "after_round_1": round(rss_after_first, 1),
                   "after_round_2": round(rss_after_second, 1)},
    }
    save("load_test", result)
    print(json.dumps(result, indent=2))
    ok = first["our_5xx"] == 0 and second["our_5xx"] == 0 and rss_after_second < 80
    print("PASS: no 5xx of ours, RSS under 80 MB" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
