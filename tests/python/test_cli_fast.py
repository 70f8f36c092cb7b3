"""`ai-usage statusline`'s fast path (backend/cli.py without click or urllib) against the click CLI it stands in for."""

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port
from test_cli import running_demo_api

from backend import cli, cli_commands

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "ai-usage"
# The same run() with the fast path switched off: what the click CLI alone answers.
CLICK_ONLY = ("import sys, backend.cli as cli; cli.statusline_options = lambda argv, environ: None; "
              "sys.argv[0] = 'ai-usage'; cli.run()")
# The fast path, reporting on stderr whether click was imported on the way.
FAST_ONLY = ("import sys, backend.cli as cli\nsys.argv[0] = 'ai-usage'\n"
             "try:\n    cli.run()\nfinally:\n    print('click imported' if 'click' in sys.modules else '', file=sys.stderr)")


# ---- argv: the fast path takes exactly what click would parse the same way ------------------------------------

ACCEPTED = [
    ["statusline"],
    ["statusline", "--color"],
    ["--local", "statusline"],
    ["statusline", "--local"],
    ["--api", "http://127.0.0.1:9/", "statusline"],
    ["--api=http://127.0.0.1:9", "statusline", "--api", "http://127.0.0.1:8"],
    ["--json", "--provider", "openrouter", "statusline", "--account", "work"],
    ["--provider=openrouter", "--account", "a", "statusline", "--provider", "github_copilot", "--account=b"],
    ["statusline", "--format", "{CX} | {OR}", "--format={all}", "--color"],
    ["--provider", "statusline", "statusline"],  # the group's --provider takes the word as its value
]
REFUSED = [
    [], ["status"], ["guard", "--min-left", "5"], ["-h"], ["--help"], ["statusline", "--help"], ["statusline", "-h"],
    ["statusline", "extra"], ["statusline", "statusline"], ["statusline", "--json"], ["statusline", "--format"],
    ["statusline", "--format", "-x"], ["statusline", "--format="], ["statusline", "--local=1"], ["statusline", "--"],
    ["--api", "statusline"], ["statusline", "--colour"], ["--color", "statusline"], ["statusline", "--quota", "x"],
]


@pytest.mark.parametrize("environ", [{}, {"AI_USAGE_API": "http://127.0.0.1:7"}, {"AI_USAGE_API": ""}])
@pytest.mark.parametrize("argv", ACCEPTED)
def test_accepted_arguments_mean_what_click_makes_of_them(argv, environ, monkeypatch):
    seen = {}

    def fake_load(options):
        seen["options"] = options
        return {"accounts": []}

    def fake_text(data, template, color):
        seen.update(template=template, color=color)
        return ""

    monkeypatch.setattr(cli_commands, "load", fake_load)
    monkeypatch.setattr(cli_commands, "statusline_text", fake_text)
    monkeypatch.delenv("AI_USAGE_API", raising=False)
    done = CliRunner().invoke(cli_commands.main, argv, env=environ)
    assert done.exit_code == 0, done.output
    clicked = {**seen["options"], "template": seen["template"], "color": seen["color"]}
    assert cli.statusline_options(argv, environ) == clicked


@pytest.mark.parametrize("argv", REFUSED)
def test_anything_else_is_left_to_click(argv):
    assert cli.statusline_options(argv, {}) is None


# ---- HTTP: the socket GET answers as urllib does, and hands it everything unusual --------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Handler.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        if self.path == "/moved":
            return self._send(302, b"", {"Location": "/json"})
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"7\r\n{\"a\": 1\r\n1\r\n}\r\n0\r\n\r\n")
            return None
        if self.path == "/notjson":
            return self._send(200, b"<html>")
        if self.path == "/broken":
            return self._send(500, b"<html>oops</html>")
        if self.path == "/missing":
            return self._send(404, b'{"error": {"code": "not_found"}}')
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        return self._send(200, json.dumps({"path": self.path, "auth": self.headers.get("Authorization")}).encode())

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def by_urllib(monkeypatch, url, timeout=3):
    with monkeypatch.context() as patch:
        patch.setattr(cli, "_plain_target", lambda url: None)
        return cli._get(url, timeout)


@pytest.mark.parametrize("path", ["/json?account=work", "/missing", "/broken", "/moved", "/chunked"])
def test_the_socket_get_answers_what_urllib_answers(server, path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_TOKEN", " t0ken ")
    fast_answer = cli._get(server + path, 3)
    first = len(Handler.seen)
    assert fast_answer == by_urllib(monkeypatch, server + path)
    fast, slow = Handler.seen[0], Handler.seen[first]
    assert fast["path"] == path and fast["authorization"] == "Bearer t0ken"
    assert fast == slow  # the same request line and headers as urllib's, Host and User-Agent included


def test_only_plain_answers_are_parsed_here(server, monkeypatch):
    assert cli._plain_get(server + "/json", {}, 3) == (200, b'{"path": "/json", "auth": null}')
    assert cli._plain_get(server + "/moved", {}, 3) is None  # urllib follows redirects
    assert cli._plain_get(server + "/chunked", {}, 3) is None
    assert cli._plain_get(server + "/json", {"Authorization": "Bearer a\r\nX-Evil: 1"}, 3) is None
    assert cli._parse_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}") is None  # cut short
    assert cli._parse_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}xx") == (200, b"{}")
    assert cli._parse_answer(b"HTTP/1.0 404 Not Found\r\n\r\nno") == (404, b"no")
    assert cli._parse_answer(b"HTTP/1.1 100 Continue\r\n\r\n") is None
    assert cli._parse_answer(b"garbage") is None


def test_errors_become_unreachable_the_same_way(server, monkeypatch):
    closed = f"http://127.0.0.1:{free_port()}/api/accounts"
    with pytest.raises(cli.Unreachable) as fast:
        cli._get(closed, 3)
    with pytest.raises(cli.Unreachable) as slow:
        by_urllib(monkeypatch, closed)
    assert str(fast.value) == str(slow.value) and "refused" in str(fast.value).lower()
    with pytest.raises(cli.Unreachable, match="timed out"):
        cli._get(server + "/slow", 0.3)
    for get in (cli._get, lambda url, timeout: by_urllib(monkeypatch, url, timeout)):
        with pytest.raises(ValueError):  # a 200 that is not JSON is an unexpected error (exit 70) either way
            get(server + "/notjson", 3)


@pytest.mark.parametrize(("url", "target"), [
    ("http://127.0.0.1:4000/api/accounts", ("127.0.0.1", 4000, "127.0.0.1:4000", "/api/accounts")),
    ("http://localhost/api", ("localhost", 80, "localhost", "/api")),
    ("http://[::1]:4000/x?account=a", ("::1", 4000, "[::1]:4000", "/x?account=a")),
    ("http://127.0.0.1:4000", ("127.0.0.1", 4000, "127.0.0.1:4000", "/")),
    ("https://team.example/api", None),
    ("http://user:pw@127.0.0.1:4000/api", None),
    ("http://127.0.0.1:4000/a b", None),
    ("http://127.0.0.1:4000/caf\u00e9", None),
    ("http://127.0.0.1:/api", None),
    ("http://127.0.0.1:99999/api", None),
    ("http://h\u00f6st/api", None),
    ("http://127.0.0.1:4000/api#frag", None),
])
def test_which_urls_the_socket_takes(url, target, monkeypatch):
    for name in [n for n in os.environ if n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    assert cli._plain_target(url) == target


def test_a_proxy_setting_leaves_it_to_urllib(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    assert cli._plain_target("http://127.0.0.1:4000/api") is None


def test_at_most_eight_at_once_in_order_and_the_first_failure_is_raised():
    running, peak, lock = [0], [0], threading.Lock()
    together = threading.Barrier(2, timeout=10)  # items 0 and 1 meet here, which they can only if both run at once

    def work(item):
        if item in (0, 1):
            together.wait()
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        if item in (5, 7):
            raise KeyError(item)
        return item * 2

    assert cli._parallel(work, list(range(5))) == [0, 2, 4, 6, 8]
    with pytest.raises(KeyError, match="5"):
        cli._parallel(work, list(range(20)))
    assert peak[0] <= 8
    assert cli._parallel(work, []) == []


# ---- the whole console script: the fast path prints what click prints, with the same exit code ---------------------

@pytest.fixture
def token_api(base_env):
    """A demo API that wants DASHBOARD_TOKEN=t0ken on every request."""
    process, url = running_demo_api(base_env, token="t0ken")
    yield url
    process.terminate()
    process.wait(10)


def both(args, env):
    """(fast path, click alone): each (exit code, stdout, stderr), and whether the fast path imported click."""
    fast = subprocess.run([sys.executable, "-c", FAST_ONLY, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    click_only = subprocess.run([sys.executable, "-c", CLICK_ONLY, *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=60)
    err, _, imported = fast.stderr[:-1].rpartition("\n")  # FAST_ONLY's own last line says whether click came in
    return (fast.returncode, fast.stdout, err + ("\n" if err else "")), \
        (click_only.returncode, click_only.stdout, click_only.stderr), imported


@pytest.mark.parametrize("args", [
    ["statusline"],
    ["statusline", "--color"],
    ["--provider", "openrouter", "statusline", "--format", "[{OR_work}] {all}"],
    ["statusline", "--account", "work", "--format={OR_work}"],
    ["statusline", "--format", "{XX}"],
    ["statusline", "--format", "{0}"],
    ["statusline", "--provider", "nope"],
])
def test_the_fast_path_prints_what_click_prints(token_api, base_env, args):
    fast, click_only, imported = both(args, {**base_env, "AI_USAGE_API": token_api, "DASHBOARD_TOKEN": "t0ken"})
    assert fast == click_only
    assert imported == ""
    assert "Traceback" not in fast[2]


def test_without_the_token_both_say_so(token_api, base_env):
    fast, click_only, imported = both(["statusline"], {**base_env, "AI_USAGE_API": token_api})
    assert fast == click_only == (2, "", f"ai-usage: the API at {token_api} needs its token: set DASHBOARD_TOKEN "
                                         "in your environment.\n")
    assert imported == ""


def test_with_no_api_both_read_the_providers_here(base_env):
    env = {**base_env, "AI_USAGE_API": f"http://127.0.0.1:{free_port()}", "DASHBOARD_DEMO": "1"}
    fast, click_only, _ = both(["statusline"], env)
    assert fast == click_only and fast[0] == 0 and fast[1].startswith("OR $51 · OR·work $51 · CP ")
    unconfigured = {**base_env, "AI_USAGE_API": env["AI_USAGE_API"]}
    fast, click_only, _ = both(["statusline", "--local", "--format", "{CP}|{all}"], unconfigured)
    assert fast == click_only and fast[0] == 0 and fast[1].startswith("CP ?|")


def test_the_console_script_takes_the_fast_path(token_api, base_env):
    env = {**base_env, "AI_USAGE_API": token_api, "DASHBOARD_TOKEN": "t0ken"}
    done = subprocess.run([str(SCRIPT), "statusline"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("OR $51 · OR·work $51 · CP ")
    helped = subprocess.run([str(SCRIPT), "statusline", "--help"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert helped.returncode == 0 and "--format TEMPLATE" in helped.stdout


@pytest.mark.parametrize(("environ", "api"), [
    ({}, "http://127.0.0.1:4000"),
    ({"API_PORT": "4001"}, "http://127.0.0.1:4001"),  # the port the API itself was told to use
    ({"API_PORT": "4001", "AI_USAGE_API": "http://10.0.0.2:4000"}, "http://10.0.0.2:4000"),
    # Not a port number: the API says so at start and listens on 4000, so that is where the CLI asks.
    ({"API_PORT": "four"}, "http://127.0.0.1:4000"), ({"API_PORT": "0"}, "http://127.0.0.1:4000"),
    ({"API_PORT": "70000"}, "http://127.0.0.1:4000"), ({"API_PORT": "04001"}, "http://127.0.0.1:4001"),
])
def test_without_api_the_cli_asks_the_api_this_project_starts(environ, api):
    assert cli.default_api(environ) == api


def test_api_port_from_dot_env_reaches_the_cli(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for name in ("API_PORT", "AI_USAGE_API"):  # set, then removed: the test's end restores them, whatever .env set
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    (tmp_path / ".env").write_text("API_PORT=4123\n")

    def from_api(api, provider, account):
        seen.append(api)
        return {"accounts": []}

    monkeypatch.setattr(cli, "from_api", from_api)
    cli.load({"api": None, "local": False, "provider": None, "account": None})
    assert seen == ["http://127.0.0.1:4123"]
