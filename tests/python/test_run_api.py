"""run_api.py as a process: demo fallback, and the debugger (debugpy) path VS Code attaches to."""

import json
import os
import socket
import subprocess
import sys
import time
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


def test_non_loopback_host_warns(start):
    process, url = start("--demo", API_HOST="0.0.0.0")
    wait_for(f"{url}/api/health", process)
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert "WARNING: listening on 0.0.0.0" in output
