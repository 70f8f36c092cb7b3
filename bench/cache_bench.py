"""Target 6: a cached answer costs at most 1.3x a truly bare Flask JSON route (a separate app) on the same
production server (waitress), which must serve at least 1,000 cached requests/s here; Werkzeug, the first
release's server, is measured beside it. And 200 concurrent requests for one provider with a cold cache
make exactly one upstream call.

Uses wrk when installed (apt-get install wrk), else a small Python load generator.
Run: .venv/bin/python bench/cache_bench.py [--rounds 5] [--seconds 4] [--connections 8]
"""

import argparse
import http.client
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.request

from common import ROOT, api_env, control, free_port, get_json, median, percentile, save, start_fake_upstream, wait_listening

CACHED = "/api/openai/codex/limits"


def start_bench_server(upstream, server="waitress", kind="api", **extra):
    port = free_port()
    process = subprocess.Popen([".venv/bin/python", "bench/bench_server.py", server, kind], cwd=ROOT,
                               env=api_env(upstream, port, **extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, process)
    return process, port


def wrk(port, path, seconds, connections):
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {path}:\n{out}")
    return rps, float(p50.group(1)) * scale


def python_load(port, path, seconds, connections):
    latencies, lock, stop = [], threading.Lock(), time.perf_counter() + seconds

    def run():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / seconds, percentile(latencies, 50) * 1000


def single_flight(upstream):
    """Cold cache, upstream taking 500 ms, 200 requests at once: count the upstream calls."""
    control(upstream, "openai_codex", delay_ms=500)
    process, port = start_bench_server(upstream)
    before = get_json(f"{upstream}/_stats")["calls"]["openai_codex"]
    barrier, statuses = threading.Barrier(200), []

    def hit():
        barrier.wait()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{CACHED}", timeout=30) as response:
            statuses.append(response.status)

    threads = [threading.Thread(target=hit) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    calls = get_json(f"{upstream}/_stats")["calls"]["openai_codex"] - before
    process.terminate()
    control(upstream, "openai_codex", delay_ms=0)
    return {"requests": len(statuses), "ok": statuses.count(200), "upstream_calls": calls}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    load = wrk if shutil.which("wrk") else python_load

    fake, upstream = start_fake_upstream()
    servers = {}
    try:
        flight = single_flight(upstream)
        for name, server, kind in (("waitress_bare", "waitress", "bare"), ("waitress_cached", "waitress", "api"),
                                   ("werkzeug_bare", "werkzeug", "bare"), ("werkzeug_cached", "werkzeug", "api")):
            servers[name] = start_bench_server(upstream, server, kind, CACHE_TTL_SECONDS="86400")
            get_json(f"http://127.0.0.1:{servers[name][1]}{CACHED}")  # warm the cache
        samples = {name: [] for name in servers}
        for _ in range(args.rounds):  # interleaved, so all see the same machine noise
            for name, (_, port) in servers.items():
                samples[name].append(load(port, CACHED, args.seconds, args.connections))
    finally:
        for process, _ in servers.values():
            process.terminate()
        fake.terminate()
    result = {"load_generator": load.__name__, "connections": args.connections, "rounds": args.rounds,
              "seconds_each": args.seconds, "single_flight": flight}
    for name, runs in samples.items():
        result[name] = {"requests_per_second": round(median([r for r, _ in runs])),
                        "rps_min": round(min(r for r, _ in runs)), "rps_max": round(max(r for r, _ in runs)),
                        "p50_ms": round(median([p for _, p in runs]), 3)}
    result["ratio_p50"] = round(result["waitress_cached"]["p50_ms"] / result["waitress_bare"]["p50_ms"], 3)
    bare, cached = result["waitress_bare"]["requests_per_second"], result["waitress_cached"]["requests_per_second"]
    result["ratio_rps"] = round(bare / cached, 3)
    result["waitress_over_werkzeug"] = round(
        result["waitress_cached"]["requests_per_second"] / result["werkzeug_cached"]["requests_per_second"], 3)
    save("cache", result)
    print(json.dumps(result, indent=2))
    rps = result["waitress_cached"]["requests_per_second"]
    ok = (result["ratio_p50"] <= 1.3 and result["ratio_rps"] <= 1.3 and rps >= 1000
          and flight["upstream_calls"] == 1 and flight["ok"] == 200)
    print(f"cached/bare on waitress: p50 x{result['ratio_p50']}, throughput x{result['ratio_rps']} (target <= 1.3); "
          f"{rps} cached requests/s (target >= 1000); waitress/werkzeug throughput x{result['waitress_over_werkzeug']}; "
          f"200 concurrent cold requests -> {flight['upstream_calls']} upstream call(s) (target 1)")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
