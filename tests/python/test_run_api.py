"""run_api.py as a process: demo fallback, and the debugger (debugpy) path VS Code attaches to."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_ports(count):
    """Distinct free ports (all held open while choosing, so none repeats)."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def wait_for(url, process, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"run_api.py exited: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def start(tmp_path):
    processes = []

    def launch(*args, port=None, **env):
        port = port or free_ports(1)[0]
        # No real upstream is ever reached: the sampler is off and every base points at a closed port.
        closed = f"http://127.0.0.1:{free_ports(1)[0]}"
        environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "API_PORT": str(port),
                       "DASHBOARD_CONFIG": str(tmp_path / "absent.properties"), "SAMPLE_INTERVAL_SECONDS": "0",
                       "OPENROUTER_API_BASE": closed, "GITHUB_API_BASE": closed, "CHATGPT_API_BASE": closed, **env}
        process = subprocess.Popen([sys.executable, "run_api.py", *args], cwd=ROOT, env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        processes.append(process)
        return process, f"http://127.0.0.1:{port}"

    yield launch
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def dap_request(sock, seq, command, arguments):
    body = json.dumps({"seq": seq, "type": "request", "command": command, "arguments": arguments}).encode()
    sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def dap_read(sock):
    """Read one DAP message (Content-Length framed)."""
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        header += sock.recv(1)
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    body = b""
    while len(body) < length:
        body += sock.recv(length - len(body))
    return json.loads(body)


def test_auto_demo_when_nothing_is_configured(start):
    process, url = start("--auto-demo")
    health = wait_for(f"{url}/api/health", process)
    assert health["demo"] is True


def test_auto_demo_stays_live_when_a_provider_is_configured(start):
    process, url = start("--auto-demo", OPENROUTER_API_KEY="sk-or-x")
    assert wait_for(f"{url}/api/health", process)["demo"] is False


def test_debug_mode_speaks_dap_and_the_api_still_answers(start):
    api_port, debug_port = free_ports(2)
    process, url = start("--debug", "--demo", port=api_port, DEBUGPY_PORT=str(debug_port))
    assert wait_for(f"{url}/api/health", process)["status"] == "ok"
    with socket.create_connection(("127.0.0.1", debug_port), timeout=10) as sock:
        dap_request(sock, 1, "initialize", {"adapterID": "debugpy", "clientID": "pytest"})
        message = dap_read(sock)
        while message.get("type") != "response":
            message = dap_read(sock)
        assert message["command"] == "initialize" and message["success"] is True
        assert message["body"]["supportsConfigurationDoneRequest"] is True
    with urllib.request.urlopen(f"{url}/api/openrouter/balance", timeout=5) as response:
        assert json.loads(response.read())["source"] == "demo"


def test_a_server_on_the_network_without_a_token_refuses_to_start(start):
    process, _ = start("--demo", API_HOST="0.0.0.0")
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "Not starting" in output and "DASHBOARD_TOKEN" in output and "127.0.0.1" in output


def test_the_production_server_is_waitress(start):
    process, url = start("--demo")
    wait_for(f"{url}/api/health", process)
    with urllib.request.urlopen(f"{url}/api/health", timeout=5) as response:
        assert response.headers["Server"] == "ai-usage-dashboard"


TOKEN = "a-long-random-dashboard-token-0123456789"


def fetch(url, headers=None, data=None):
    """(status, headers, body) without raising on 4xx and without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
    except urllib.error.URLError:
        return 0, {}, ""  # not listening yet


def test_with_a_token_every_request_needs_it(start):
    process, url = start("--demo", API_HOST="0.0.0.0", DASHBOARD_TOKEN=TOKEN)
    deadline = time.monotonic() + 20
    while fetch(f"{url}/api/health")[0] != 401 and time.monotonic() < deadline:
        time.sleep(0.1)
    for path in ("/api/health", "/api/openrouter/balance", "/metrics"):
        status, headers, body = fetch(f"{url}{path}")
        assert status == 401 and json.loads(body)["error"]["code"] == "auth_required", path
        assert TOKEN not in body
        assert fetch(f"{url}{path}", {"Authorization": f"Bearer {TOKEN}"})[0] == 200, path
    assert fetch(f"{url}/api/health", {"Authorization": "Bearer wrong-token-wrong-token"})[0] == 401
    status, headers, _ = fetch(f"{url}/")
    assert status == 302 and headers["Location"].endswith("/login")


def test_the_login_form_sets_a_strict_httponly_cookie_and_limits_wrong_tries(start):
    process, url = start("--demo", API_HOST="0.0.0.0", DASHBOARD_TOKEN=TOKEN)
    wait_for_login = time.monotonic() + 20
    while fetch(f"{url}/login")[0] != 200 and time.monotonic() < wait_for_login:
        time.sleep(0.1)
    status, headers, body = fetch(f"{url}/login", data=f"token={TOKEN}".encode())
    assert status == 302
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
    session = cookie.split(";")[0]
    assert fetch(f"{url}/api/health", {"Cookie": session})[0] == 200
    codes = [fetch(f"{url}/login", data=b"token=nope")[0] for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    assert fetch(f"{url}/login", data=f"token={TOKEN}".encode())[0] == 429  # locked out for a while, even when right


def test_a_flood_of_idle_connections_leaves_the_api_answering(start):
    process, url = start("--demo")
    wait_for(f"{url}/api/health", process)
    port = int(url.rsplit(":", 1)[1])
    idle = []
    try:
        for _ in range(300):  # half-open: connected, never a byte sent
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        started = time.monotonic()
        status, _, body = fetch(f"{url}/api/health")
        assert status == 200 and json.loads(body)["demo"] is True
        assert time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_settings_file_that_is_not_what_it_seems_never_stops_the_server(start, tmp_path, kind):
    path = tmp_path / "odd.properties"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with open(path, "wb") as handle:
            handle.truncate(20 * 1024 * 1024)
    started = time.monotonic()
    process, url = start("--demo", DASHBOARD_CONFIG=str(path))
    health = wait_for(f"{url}/api/health", process)
    assert time.monotonic() - started < 10
    assert health["status"] in ("ok", "degraded")


@pytest.mark.parametrize("variable", ["API_PORT", "WEB_PORT"])
def test_make_dev_with_a_busy_port_names_it_and_the_way_out(variable):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        other = free_ports(1)[0]
        env = {**os.environ, "API_PORT": str(other), "WEB_PORT": str(other + 1), variable: str(port)}
        done = subprocess.run(["node", "scripts/dev.mjs"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"Port {port}" in done.stderr and "already in use" in done.stderr
    assert f"lsof -i :{port}" in done.stderr and f"{variable}=<port> make dev" in done.stderr


def test_with_the_sampler_off_an_older_history_file_is_still_upgraded_in_the_background(start, tmp_path):
    import sqlite3

    from test_history_reads import old_form

    from backend.history_store import HistoryStore

    path = tmp_path / "old.sqlite3"
    store = HistoryStore(path)
    chart = old_form(store, 50)  # 50 readings as an older version saved them (JSON), one that stays JSON
    store.close()
    process, url = start(DASHBOARD_DB=str(path))  # SAMPLE_INTERVAL_SECONDS=0: no sampler
    wait_for(f"{url}/api/health", process)
    deadline = time.monotonic() + 20
    while sqlite3.connect(path).execute("SELECT COUNT(*) FROM readings").fetchone()[0] < 50:
        assert time.monotonic() < deadline, "the history was not upgraded"
        time.sleep(0.05)
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1
    assert HistoryStore(path).points("p", 0, 10**6, max_points=10**6) == chart
