"""Shared by the benchmarks: start the fake upstream and the API as real processes, read their RSS."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port, process, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"nothing listening on {port}")


def get_json(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def start_fake_upstream():
    port = free_port()
    process = subprocess.Popen([PYTHON, "tests/fake_upstream.py", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, process)
    return process, f"http://127.0.0.1:{port}"


def api_env(upstream_url, port, **extra):
    home = tempfile.mkdtemp(prefix="dash-bench-")
    Path(home, "dashboard.properties").write_text("GITHUB_USERNAME = octocat\n")
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,
        "API_PORT": str(port),
        "DASHBOARD_CONFIG": str(Path(home, "dashboard.properties")),
        "OPENROUTER_API_KEY": "sk-or-bench",
        "GITHUB_PAT": "github_pat_bench",
        "CHATGPT_ACCESS_TOKEN": "chatgpt-bench",
        "CHATGPT_ACCOUNT_ID": "acct-bench",
        "OPENROUTER_API_BASE": f"{upstream_url}/openrouter/api/v1",
        "GITHUB_API_BASE": f"{upstream_url}/github",
        "CHATGPT_API_BASE": f"{upstream_url}/chatgpt/backend-api",
        "SAMPLE_INTERVAL_SECONDS": "0",
        **extra,
    }


def start_api(upstream_url, *args, **extra):
    """(process, base URL, seconds from exec to listening)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "run_api.py", *args], cwd=ROOT, env=api_env(upstream_url, port, **extra),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, process)
    return process, f"http://127.0.0.1:{port}", time.perf_counter() - started


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def control(upstream_url, provider, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return get_json(f"{upstream_url}/_control/{provider}?{params}")


def save(name, result):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p / 100), len(ordered) - 1)]
