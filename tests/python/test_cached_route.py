"""A cached answer is served as bytes encoded once, with every per-request check and header still applied."""

import json

from conftest import CHATGPT
from werkzeug.datastructures import Headers

from backend.app import API_HEADERS, add_missing

ROUTE = "/api/openai/codex/limits"
REFRESH = {"X-Dashboard-Refresh": "1"}


def test_repeat_answers_are_the_same_json_and_a_failed_refresh_never_leaks_into_them(env, make_client, upstream, sample):
    upstream.get(f"{CHATGPT}/wham/usage", json=sample("codex-wham-usage.json"))
    upstream.get(f"{CHATGPT}/wham/usage", status=503)
    client = make_client(env)
    first, second = client.get(ROUTE), client.get(ROUTE)
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert first.mimetype == "application/json" and first.data.endswith(b"\n")
    body = json.loads(first.data)
    assert body["stale"] is False and "error" not in body
    failed = client.get(f"{ROUTE}?refresh=1", headers=REFRESH).get_json()
    assert failed["stale"] is True and failed["error"]["code"] == "upstream_error"
    assert client.get(ROUTE).data == first.data  # the stored answer again: no error, not stale


def test_a_cached_answer_still_carries_the_security_and_cors_headers(env, make_client, mock_all):
    mock_all()
    client = make_client(env)
    client.get(ROUTE)
    response = client.get(ROUTE, headers={"Origin": "http://localhost:5173"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert response.headers["Vary"] == "Origin" and response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert client.get(ROUTE, headers={"Host": "evil.example:4000"}).status_code == 403


def test_the_defaults_never_replace_a_header_the_view_set_whatever_its_case():
    headers = Headers([("cache-control", "private, no-cache"), ("Content-Type", "application/json")])
    add_missing(headers, API_HEADERS)
    assert headers.getlist("Cache-Control") == ["private, no-cache"]
    assert [name for name, _ in headers] == ["cache-control", "Content-Type", "X-Content-Type-Options",
                                             "Referrer-Policy", "Content-Security-Policy"]


def test_the_same_answer_after_a_failure_is_evaluated_again(store):
    from test_alerts import CODEX, T0, engine_for
    from test_alerts import codex_body as body_of

    from backend.errors import ProviderError

    engine = engine_for(store)
    body = body_of(10, T0, "t1")
    engine.observe(CODEX, "default", body, None)
    assert engine.observe(CODEX, "default", body, None) == []  # the cached answer again: nothing to do
    refused = ProviderError("unauthorized", "token refused", "openai_codex")
    assert [e["event"] for e in engine.observe(CODEX, "default", {**body, "stale": True}, refused)] == ["credentials_failed"]
    assert [e["event"] for e in engine.observe(CODEX, "default", body, None)] == ["recovered"]  # same object, seen anew
