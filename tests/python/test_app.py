"""App-wide behaviour: JSON errors, CORS, Host checks, headers, the OpenAPI file, the built page."""

import logging
import re
import time

import pytest
import responses

from backend import page as page_module
from backend.openapi import build_spec


@pytest.fixture
def client(make_client, tmp_path):
    return make_client({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1"})


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_json_405(client, method):
    response = getattr(client, method)("/api/openrouter/balance")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_dashboard_origin_gets_cors(client):
    response = client.get("/api/health", headers={"Origin": "http://localhost:5173"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:5174", "http://localhost:5173.evil.example"])
def test_other_origins_get_no_cors(client, origin):
    response = client.get("/api/health", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_origin_gets_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/api/health").headers


def test_extra_origin_from_cors_origins(make_client, tmp_path):
    client = make_client({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1", "CORS_ORIGINS": "http://localhost:3000"})
    response = client.get("/api/health", headers={"Origin": "http://localhost:3000"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


def test_preflight_allows_get_only(client):
    response = client.options("/api/health", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert response.headers["Access-Control-Allow-Methods"] == "GET"


@pytest.mark.parametrize("host", ["localhost:4000", "127.0.0.1:4000", "[::1]:4000", "LOCALHOST:4000"])
def test_loopback_hosts_are_served(client, host):
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:4000", "localhost:9999", "192.168.1.5:4000",
                                  "localhost:80", "localhost", "127.0.0.1:", "127.0.0.1:abc", "", "[::1]"])
def test_rebinding_hosts_are_refused(client, host):
    response = client.get("/api/openrouter/balance", headers={"Host": host})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden_host"
    assert "ALLOWED_HOSTS" in response.get_json()["error"]["message"]


def test_allowed_hosts_extends_the_list(make_client, tmp_path):
    client = make_client({"HOME": str(tmp_path), "DASHBOARD_DEMO": "1", "ALLOWED_HOSTS": "box.lan"})
    assert client.get("/api/health", headers={"Host": "box.lan:4000"}).status_code == 200


def test_security_headers_on_api_responses(client):
    headers = client.get("/api/openrouter/balance").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_openapi_document_lists_every_api_route(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec == build_spec()
    assert spec["openapi"].startswith("3.1")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
              for rule in client.application.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert set(spec["paths"]) == routes
    assert "/api/openrouter/balance" in routes and "/api/history/{provider}" in routes


def test_page_not_built_says_how_to_build_it(client, monkeypatch, tmp_path):
    monkeypatch.setattr(page_module, "DIST", tmp_path / "dist")
    response = client.get("/")
    assert response.status_code == 404
    assert "npm run build" in response.get_json()["error"]["message"]


def test_built_page_is_served_with_a_csp_its_numbers_inside_and_precompressed_assets(
        make_client, env, mock_all, monkeypatch, tmp_path):
    import json
    import re

    mock_all()
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><html><head><title>x</title></head><body></body></html>")
    (dist / "assets" / "app-abc.js").write_text("console.log(1)")
    (dist / "assets" / "app-abc.js.br").write_bytes(b"brotli bytes")
    monkeypatch.setattr(page_module, "DIST", dist)
    # The page waits for reads under way at most this long, and no longer than they take: ample on any machine.
    monkeypatch.setattr(page_module, "INLINE_WAIT_SECONDS", 30)
    client = make_client(env)
    page = client.get("/")
    assert page.status_code == 200 and b"<title>x</title>" in page.data
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    embedded = re.search(rb'<script type="application/json" id="initial-data" data-now="\d+">(.*?)</script>', page.data).group(1)
    assert b"</" not in embedded
    initial = json.loads(embedded)
    assert initial["/api/accounts"]["accounts"][0]["provider"] == "openrouter"
    assert initial["/api/openrouter/balance"]["quotas"]  # read while the page was asked for: already inside it
    asset = client.get("/assets/app-abc.js", headers={"Accept-Encoding": "br"})
    assert "immutable" in asset.headers["Cache-Control"] and asset.headers["Content-Encoding"] == "br"
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/../secrets").status_code == 404


def test_the_page_head_goes_out_before_slow_reads_finish_and_late_answers_stay_out(
        make_client, env, mock_all, upstream, monkeypatch, tmp_path):
    import json
    import re
    import threading

    from conftest import CHATGPT

    mock_all()
    release = threading.Event()
    upstream.remove(responses.GET, f"{CHATGPT}/wham/usage")
    upstream.add_callback(responses.GET, f"{CHATGPT}/wham/usage", callback=_blocked_until(release, "{}"))
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text(
        '<!doctype html><html><head><link rel="preload" as="fetch" href="/api/accounts" crossorigin="anonymous">'
        '<script type="module" src="/assets/index-x.js"></script></head><body><div id="root"></div></body></html>')
    monkeypatch.setattr(page_module, "DIST", dist)
    client = make_client(env)
    try:
        response = client.get("/", buffered=False)
        chunks = iter(response.response)
        head = next(chunks).decode()
        # The scripts are asked for at once; the numbers come in the same document a moment later.
        assert '<script type="module" src="/assets/index-x.js">' in head and "initial-data" not in head
        assert "/api/accounts" not in head  # the account list is inside the page: no preload for it
        rest = b"".join(chunks).decode()
    finally:
        release.set()
        client.get("/api/openai/codex/limits")  # joins the read, so it ends with this test
    initial = json.loads(re.search(r'id="initial-data" data-now="\d+">(.*?)</script>', rest).group(1))
    assert "/api/openai/codex/limits" not in initial  # still reading when the page went out: the page asks for it
    # ... from its HTML, right away (that request joins the read under way); only for what is missing.
    preloads = re.findall(r'<link rel="preload" as="fetch" href="([^"]+)" crossorigin="anonymous">', rest)
    assert preloads == ["/api/openai/codex/limits"] and rest.index(preloads[0]) < rest.index("</head>")
    assert "/api/accounts" in initial and rest.endswith("</html>")


def test_a_failure_after_the_head_still_finishes_the_page_without_its_numbers(make_client, env, monkeypatch, tmp_path,
                                                                               caplog):
    from backend import providers

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><html><head><title>x</title></head><body><div id=root></div></body></html>")
    monkeypatch.setattr(page_module, "DIST", dist)

    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(providers, "configured_accounts", broken)  # (so no read starts and outlives the test)
    with caplog.at_level(logging.ERROR, logger="usage_dashboard"):
        page = make_client(env).get("/")
    assert page.status_code == 200
    assert page.data.endswith(b"</head><body><div id=root></div></body></html>") and b"initial-data" not in page.data
    assert "could not be put into the page" in caplog.text


def _blocked_until(event, body):
    """A `responses` callback body that waits (bounded) for `event`, like a slow upstream."""
    def wait(request):
        event.wait(5)
        return 200, {}, body
    return wait


def test_a_normalizer_that_raises_is_a_json_500_with_a_traceback_in_the_log(env, make_client, mock_all, monkeypatch,
                                                                              caplog):
    from backend.helpers import openrouter_helper

    mock_all()
    key = env["OPENROUTER_API_KEY"]

    def explode(*args, **kwargs):
        raise RuntimeError(f"secret internals {key}")

    monkeypatch.setattr(openrouter_helper, "normalize_balance", explode)
    with caplog.at_level(logging.ERROR, logger="usage_dashboard"):
        response = make_client(env).get("/api/openrouter/balance")
    body = response.get_json()
    assert response.status_code == 500 and body["error"]["code"] == "internal_error"
    assert "secret internals" not in response.get_data(as_text=True)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "Traceback" in logged and "RuntimeError" in logged and "explode" in logged
    assert key not in logged


def test_serving_the_page_starts_reading_the_providers(make_client, env, mock_all, upstream, monkeypatch, tmp_path):
    mock_all()
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    monkeypatch.setattr(page_module, "DIST", dist)
    client = make_client(env)
    page = client.get("/")
    assert page.status_code == 200 and page.data  # a server sends the whole page; the reads start as it does
    deadline = time.monotonic() + 5
    while len(upstream.calls) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(upstream.calls) == 5  # /key, /credits, Copilot credits and requests, Codex usage, all begun by GET /
    for route in ("/api/openrouter/balance", "/api/github/copilot/premium-usage", "/api/openai/codex/limits"):
        assert client.get(route).status_code == 200
    assert len(upstream.calls) == 5, [c.request.url for c in upstream.calls]  # the page's own requests joined those reads


def test_a_request_with_no_host_header_is_refused(client):
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/api/health").get_environ()
    environ.pop("HTTP_HOST", None)
    response = client.application.response_class.from_app(client.application.wsgi_app, environ)
    assert response.status_code == 403


@pytest.mark.parametrize("origin, granted", [
    ("http://localhost:5173", True), ("http://127.0.0.1:5173", True),
    ("http://LOCALHOST:5173", False), ("http://localhost:5173/", False), ("http://localhost:5174", False),
    ("http://evil.example", False), ("null", False),
])
def test_cors_grants_exactly_the_dashboard_origins(client, origin, granted):
    response = client.get("/api/health", headers={"Origin": origin})
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is granted
    assert "Origin" in response.headers.get("Vary", "")


def test_configured_origins_are_compared_as_browsers_send_them(make_client, env):
    client = make_client({**env, "CORS_ORIGINS": "HTTP://Dash.Example:80/, https://team.example:443"})
    assert client.get("/api/health", headers={"Origin": "http://dash.example"}).headers["Access-Control-Allow-Origin"]
    assert client.get("/api/health", headers={"Origin": "https://team.example"}).headers["Access-Control-Allow-Origin"]


def test_the_preflight_allows_the_refresh_header_and_nothing_more(client):
    response = client.options("/api/openrouter/balance", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "X-Dashboard-Refresh, X-Evil"})
    assert response.headers["Access-Control-Allow-Headers"] == "x-dashboard-refresh"
    refused = client.options("/api/openrouter/balance", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "X-Dashboard-Refresh"})
    assert "Access-Control-Allow-Origin" not in refused.headers
