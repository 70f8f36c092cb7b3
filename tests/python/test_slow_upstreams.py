"""Real sockets: upstreams that hang or trickle can't hold a request past its deadline."""

import socket
import threading
import time

import pytest

from backend.helpers.common import ProviderError, get_json, new_session


class SlowServer:
    """A TCP server that answers every connection with `behaviour(conn)`."""

    def __init__(self, behaviour):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.behaviour = behaviour
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            conn.recv(65536)
            self.behaviour(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


def hang(conn, stop):
    stop.wait(30)


def trickle_body(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    while not stop.wait(0.05):
        conn.sendall(b" ")


def trickle_headers(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stop.wait(0.05):
        conn.sendall(b"X-Slow: a\r\n")


@pytest.fixture
def slow_server():
    servers = []

    def start(behaviour):
        server = SlowServer(behaviour)
        servers.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for server in servers:
        server.close()


def timed_fetch(url, timeout=(0.5, 0.5)):
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        get_json(new_session(), url, headers={}, timeout=timeout, provider="p", label="Upstream", auth_hint="X")
    return caught.value, time.monotonic() - started


def test_an_upstream_that_never_answers_times_out(slow_server):
    error, elapsed = timed_fetch(slow_server(hang) + "/x")
    assert error.code == "upstream_timeout"
    assert elapsed < 2.0


def test_a_trickled_body_is_cut_at_the_deadline(slow_server):
    error, elapsed = timed_fetch(slow_server(trickle_body) + "/x")
    assert error.code == "upstream_timeout"
    assert 0.9 <= elapsed < 2.5  # connect + read timeouts, whatever arrives meanwhile


@pytest.mark.parametrize("behaviour", [hang, trickle_body, trickle_headers])
def test_the_api_answers_within_its_deadline_whatever_the_upstream_does(slow_server, make_client, env, behaviour):
    base = slow_server(behaviour)
    env.update(OPENROUTER_API_BASE=base, UPSTREAM_CONNECT_TIMEOUT_SECONDS="0.5", UPSTREAM_READ_TIMEOUT_SECONDS="0.5")
    client = make_client(env)
    # The history file is made first (the answer looks up the last good one): creating it waits on the disk, which
    # on a busy machine has taken seconds (a CI run: 8 s), and that is not what this test is about.
    client.application.extensions["usage_dashboard"].history.last_good("openrouter")
    started = time.monotonic()
    response = client.get("/api/openrouter/balance")
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert response.get_json()["error"]["code"] == "upstream_timeout"
    assert elapsed < 0.5 + 0.5 + 1.0 + 0.5  # the waiter's deadline plus a small margin
