"""A local stand-in for OpenRouter, GitHub and ChatGPT, for browser tests, demos and benchmarks.

Run: python tests/fake_upstream.py --port 4900, then point the API at it:
  OPENROUTER_API_BASE=http://127.0.0.1:4900/openrouter/api/v1
  GITHUB_API_BASE=http://127.0.0.1:4900/github
  CHATGPT_API_BASE=http://127.0.0.1:4900/chatgpt/backend-api
Each provider's behaviour is set with GET /_control/<provider>?mode=ok|500|401|429|timeout|html
&delay_ms=N&error_rate=0.1&slow_rate=0.05&slow_ms=2000; GET /_control/reset restores all;
GET /_stats counts the calls.
"""

import argparse
import contextlib
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upstream"
ROUTES = [
    (re.compile(r"^/openrouter/api/v1/key$"), "openrouter", "openrouter-key.json"),
    (re.compile(r"^/openrouter/api/v1/credits$"), "openrouter", "openrouter-credits.json"),
    (re.compile(r"^/github/users/[^/]+/settings/billing/premium_request/usage$"), "github_copilot",
     "copilot-premium-usage.json"),
    (re.compile(r"^/github/users/[^/]+/settings/billing/ai_credit/usage$"), "github_copilot",
     "copilot/docs-user-ai-credit-usage.json"),
    (re.compile(r"^/chatgpt/backend-api/wham/usage$"), "openai_codex", "codex-wham-usage.json"),
]
PROVIDERS = ("openrouter", "github_copilot", "openai_codex")


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.behaviour = {
                p: {"mode": "ok", "delay_ms": 0, "error_rate": 0.0, "slow_rate": 0.0, "slow_ms": 0} for p in PROVIDERS
            }
            self.payloads = {}
            self.calls = {p: 0 for p in PROVIDERS}


STATE = State()


def payload(name):
    if name in STATE.payloads:
        return STATE.payloads[name]
    data = json.loads((FIXTURES / name).read_text())
    if name == "codex-wham-usage.json":
        # Keep resets in the future, as the real service does.
        now = int(time.time())
        for window in data["rate_limit"].values():
            if isinstance(window, dict):
                window["reset_at"] = now + window["reset_after_seconds"]
    if name.startswith("copilot"):
        today = time.gmtime()
        data["timePeriod"] = {"year": today.tm_year, "month": today.tm_mon}
    return data


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: without it, Nagle plus delayed ACK add ~40 ms to every call on a reused connection.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        # Headers and body in one send, as a real server's buffered response would go out.
        self._headers_buffer.append(b"\r\n")
        self.wfile.write(b"".join(self._headers_buffer) + data)
        self._headers_buffer = []

    def do_GET(self):
        url = urlparse(self.path)
        if url.path.startswith("/_control"):
            return self._control(url)
        if url.path == "/_stats":
            return self._send(200, {"calls": STATE.calls})
        for pattern, provider, name in ROUTES:
            if pattern.match(url.path):
                return self._provider(provider, name)
        return self._send(404, {"message": "Not Found"})

    def do_POST(self):
        # POST /_control/payload/<fixture name> replaces a fixture's JSON until reset.
        url = urlparse(self.path)
        name = url.path.split("/_control/payload/", 1)[-1]
        length = int(self.headers.get("Content-Length") or 0)
        STATE.payloads[name] = json.loads(self.rfile.read(length) or b"null")
        return self._send(200, {"ok": True})

    def _control(self, url):
        parts = url.path.strip("/").split("/")
        if parts[-1] == "reset":
            STATE.reset()
            return self._send(200, {"ok": True})
        provider = parts[-1]
        if provider not in PROVIDERS:
            return self._send(404, {"message": f"unknown provider {provider}"})
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with STATE.lock:
            behaviour = STATE.behaviour[provider]
            behaviour["mode"] = query.get("mode", behaviour["mode"])
            behaviour["delay_ms"] = int(query.get("delay_ms", behaviour["delay_ms"]))
            behaviour["error_rate"] = float(query.get("error_rate", behaviour["error_rate"]))
            behaviour["slow_rate"] = float(query.get("slow_rate", behaviour["slow_rate"]))
            behaviour["slow_ms"] = int(query.get("slow_ms", behaviour["slow_ms"]))
        return self._send(200, {"ok": True, provider: behaviour})

    def _provider(self, provider, name):
        with STATE.lock:
            STATE.calls[provider] += 1
            behaviour = dict(STATE.behaviour[provider])
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            return self._send(401, {"message": "Requires authentication"})
        if behaviour["delay_ms"]:
            time.sleep(behaviour["delay_ms"] / 1000)
        if behaviour["slow_rate"] and random.random() < behaviour["slow_rate"]:
            time.sleep(behaviour["slow_ms"] / 1000)
        mode = behaviour["mode"]
        if behaviour["error_rate"] and random.random() < behaviour["error_rate"]:
            mode = "500"
        if mode == "timeout":
            time.sleep(30)
            mode = "ok"
        if mode == "401":
            return self._send(401, {"message": "Bad credentials"})
        if mode == "429":
            return self._send(429, {"message": "slow down"}, headers={"Retry-After": "30"})
        if mode == "500":
            return self._send(500, {"message": "Internal error"})
        if mode == "html":
            return self._send(200, b"<html><body>Maintenance</body></html>", "text/html")
        return self._send(200, payload(name))


def serve(port, host="127.0.0.1"):
    """Start the fake upstream in a background thread; returns the server."""
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=4900)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"fake upstream on http://127.0.0.1:{args.port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
