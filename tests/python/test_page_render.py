"""The page's server-rendered first paint: how the API runs its worker, puts the cards into the page, and falls back.

The worker here is a stand-in written in Python (the protocol is one JSON line each way); the real one, the page's own
React tree in Node, is held to the browser's render by tests/js/hydration.test.jsx and by the end-to-end tests.
"""

import base64
import functools
import hashlib
import json
import logging
import re
import sys
import textwrap

import pytest
import responses

from backend import page as page_module
from backend.config import load_settings
from backend.page_render import PageRenderer, locale_of

SCRIPT = "(function () { document.documentElement.classList.add('dark') })()"
INDEX = (f"<!doctype html><html><head><title>x</title><script>{SCRIPT}</script></head>"
         '<body><div id="root"></div></body></html>')

# The stand-in worker: answers each request with markup naming what it was given, and what its environment holds.
ECHO = """
import json, os, sys
for line in sys.stdin:
    request = json.loads(line)
    paths = ",".join(sorted(request["answers"]))
    said = f'{paths}|{request["locale"]}|{request["timeZone"]}'
    sys.stdout.write(json.dumps({"id": request["id"], "html": f'<p data-testid="ssr">{said}</p>',
                                 "css": ".css-a1{color:red}", "ids": ["a1"], "env": sorted(os.environ)}) + "\\n")
    sys.stdout.flush()
"""
# A worker that takes the first request and never answers (stuck), then a worker that writes something else.
STUCK = "import sys, time\nsys.stdin.readline()\ntime.sleep(60)\n"
NOT_A_REPLY = "import sys\nsys.stdin.readline()\nsys.stdout.write('42\\n')\nsys.stdout.flush()\nsys.stdin.readline()\n"


def worker(tmp_path, body, name="worker.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A built page whose render worker is `body` (default: ECHO), run by this Python instead of Node."""
    def build(body=ECHO):
        dist = tmp_path / "dist"
        dist.mkdir(exist_ok=True)
        (dist / "index.html").write_text(INDEX)
        monkeypatch.setattr(page_module, "DIST", dist)
        monkeypatch.setattr(page_module, "RENDER_WORKER", worker(tmp_path, body, "worker.mjs"))
        monkeypatch.setattr(page_module, "PageRenderer", functools.partial(PageRenderer, node=sys.executable))
    return build


@pytest.fixture
def page_client(make_client, env, mock_all, built, monkeypatch):
    made = []
    # Ample on any machine (a stand-in worker answers in a few ms): the tests of a slow render set their own.
    monkeypatch.setattr(page_module, "RENDER_WAIT_SECONDS", 10)

    def start(body=ECHO, **environ):
        mock_all()
        built(body)
        client = make_client({**env, **environ})
        made.append(client.application.extensions["usage_dashboard"].page_renderer)
        return client
    yield start
    for renderer in made:
        renderer.close()


def test_the_page_arrives_with_its_cards_drawn_their_css_and_a_csp_that_allows_its_own_script(page_client):
    client = page_client()
    client.set_cookie("ai-usage-tz", "Europe/Berlin")
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    html = page.data.decode()
    root = re.search(r'<div id="root" data-rendered="server">(.*?)</div>', html).group(1)
    # The worker had every answer at hand (read while the page was asked for), the browser's language and time zone.
    assert root == ('<p data-testid="ssr">/api/accounts,/api/github/copilot/premium-usage,'
                    '/api/openai/codex/limits,/api/openrouter/balance|de-DE|Europe/Berlin</p>')
    assert '<style data-emotion="css a1">.css-a1{color:red}</style></head>' in html
    # The same clock and language for the answers and the render: the browser adopts the HTML with them.
    assert re.search(r'id="initial-data" data-now="\d{13}" data-locale="de-DE">', html)
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in page.headers["Content-Security-Policy"]
    assert client.get("/api/health").get_json()["page_render"] == {"state": "ready", "reason": None, "renders": 1, "late": 0}


def test_with_every_read_still_under_way_the_browser_draws_the_loading_cards_itself(page_client, upstream, monkeypatch):
    import threading

    from conftest import CHATGPT, GITHUB, OPENROUTER

    monkeypatch.setattr(page_module, "INLINE_WAIT_SECONDS", 0.05)
    release = threading.Event()
    client = page_client()
    for url in (f"{OPENROUTER}/key", f"{GITHUB}/users/octocat/settings/billing/ai_credit/usage", f"{CHATGPT}/wham/usage"):
        upstream.remove(responses.GET, url)
        upstream.add_callback(responses.GET, url, callback=lambda request: (release.wait(5), (200, {}, "{}"))[1])
    try:
        html = client.get("/").data.decode()
    finally:
        release.set()
    assert '<div id="root"></div>' in html and "data-rendered" not in html  # nothing to draw but skeletons
    assert client.application.extensions["usage_dashboard"].page_renderer.renders == 0
    assert len(re.findall(r'<link rel="preload" as="fetch"', html)) == 3


def test_on_an_api_open_to_the_network_a_first_visit_is_drawn_by_its_browser_then_by_the_server(page_client):
    token = "a-long-enough-dashboard-token-0123"
    client = page_client(API_HOST="0.0.0.0", DASHBOARD_TOKEN=token)
    signed_in = {"Authorization": f"Bearer {token}"}
    # The server's time zone need not be the browser's: without the browser's own (its first visit), no drawing.
    assert 'data-rendered="server"' not in client.get("/", headers=signed_in).data.decode()
    client.set_cookie("ai-usage-tz", "America/New_York")
    assert "|America/New_York</p>" in client.get("/", headers=signed_in).data.decode()


def test_the_worker_never_sees_the_apis_secrets(page_client, env):
    renderer = page_client().application.extensions["usage_dashboard"].page_renderer
    seen = renderer.render({}, 0, None, timeout=10)["env"]
    assert "NODE_ENV" in seen
    assert not {"OPENROUTER_API_KEY", "GITHUB_PAT", "CHATGPT_ACCESS_TOKEN", "DASHBOARD_CONFIG", "HOME"} & set(seen)
    assert all(name in env for name in ("OPENROUTER_API_KEY", "GITHUB_PAT"))  # (they were set, and not passed on)


def test_a_slow_render_leaves_the_page_to_the_browser_and_its_late_reply_is_not_taken_for_the_next(
        page_client, monkeypatch):
    slow_first = ECHO.replace('    request = json.loads(line)\n',
                              '    request = json.loads(line)\n    if request["id"] == 1:\n        __import__("time").sleep(1.0)\n')
    monkeypatch.setattr(page_module, "RENDER_WAIT_SECONDS", 0.2)
    client = page_client(slow_first)
    html = client.get("/").data.decode()
    assert '<div id="root"></div>' in html and "data-rendered" not in html and "<style" not in html
    renderer = client.application.extensions["usage_dashboard"].page_renderer
    assert renderer.status()["late"] == 1
    reply = renderer.render({"/api/only-this": {}}, 0, "fr", timeout=10)
    assert reply["id"] == 2 and "/api/only-this|fr|None" in reply["html"]


def test_a_stuck_worker_never_blocks_a_page_it_is_stopped_and_started_again(tmp_path, caplog):
    renderer = PageRenderer(worker(tmp_path, STUCK), node=sys.executable)
    try:
        with caplog.at_level(logging.WARNING, logger="usage_dashboard"):
            assert renderer.render({}, 0, None, timeout=0.3) is None  # taken, never answered
            first = renderer._proc
            assert renderer.render({}, 0, None, timeout=0.3) is None  # waits for that answer, then stops the worker
        assert first.poll() is not None and renderer.status()["state"] == "idle"
        assert "did not answer within 0.3 s of the next page asking" in caplog.text
        assert renderer.render({}, 0, None, timeout=0.3) is None and renderer._proc is not first  # a new worker
    finally:
        renderer.close()


def test_a_line_that_is_not_a_reply_is_a_failure_and_the_page_still_arrives(page_client, caplog):
    client = page_client(NOT_A_REPLY)
    with caplog.at_level(logging.WARNING, logger="usage_dashboard"):
        page = client.get("/")
    assert page.status_code == 200 and '<div id="root"></div>' in page.data.decode() and page.data.endswith(b"</html>")
    assert "wrote something that is not a reply" in caplog.text


def test_a_worker_that_keeps_crashing_is_turned_off_with_the_reason_and_pages_still_arrive(page_client, caplog):
    client = page_client("import sys\nsys.stdin.readline()\nsys.exit(3)\n")
    with caplog.at_level(logging.WARNING, logger="usage_dashboard"):
        for _ in range(3):
            page = client.get("/")
            assert page.status_code == 200 and '<div id="root"></div>' in page.data.decode()
    status = client.get("/api/health").get_json()["page_render"]
    assert status["state"] == "off" and "failed 3 times in a row" in status["reason"]
    assert "the browser renders the page" in caplog.text and "Traceback" not in caplog.text
    assert client.get("/").status_code == 200  # off now: no more tries


def test_a_render_error_is_logged_and_the_browser_renders_that_page(page_client, caplog):
    failing = ECHO.replace('sys.stdout.write(json.dumps({"id": request["id"], "html"',
                           'sys.stdout.write(json.dumps({"id": request["id"], "error": "TypeError: boom", "html"')
    client = page_client(failing)
    with caplog.at_level(logging.WARNING, logger="usage_dashboard"):
        html = client.get("/").data.decode()
    assert '<div id="root"></div>' in html
    assert "it could not render the page: TypeError: boom" in caplog.text


def test_server_rendering_off_by_setting_without_node_or_without_its_build(page_client, tmp_path):
    client = page_client(PAGE_SERVER_RENDER="off")
    assert '<div id="root"></div>' in client.get("/").data.decode()
    assert client.get("/api/health").get_json()["page_render"] == {
        "state": "off", "reason": "PAGE_SERVER_RENDER is off", "renders": 0, "late": 0}
    assert PageRenderer(tmp_path / "missing.js", node=sys.executable).status()["reason"].endswith(
        "missing.js is missing (npm run build)")
    assert "PAGE_SERVER_RENDER: use on or off" in " ".join(load_settings({"PAGE_SERVER_RENDER": "maybe"}).problems)


def test_the_warm_up_renders_every_listed_account_from_sample_figures(page_client):
    state = page_client().application.extensions["usage_dashboard"]
    page_module.warm_up(state)
    assert state.page_renderer.status() == {"state": "ready", "reason": None, "renders": 4, "late": 0}
    sample = state.page_renderer.render({}, 0, None, timeout=10)  # (the stand-in says what it was given)
    assert sample["id"] == 5 and "|None|None" in sample["html"]
    from backend import providers

    answers = providers.sample_answers(state)
    assert sorted(answers) == ["/api/github/copilot/premium-usage", "/api/openai/codex/limits", "/api/openrouter/balance"]
    assert all(body["quotas"] and body["source"] == "demo" for body in answers.values())


def test_no_built_page_means_no_warm_up_and_no_word_about_server_rendering(page_client, caplog):
    client = page_client()
    (page_module.DIST / "index.html").unlink()  # as under make dev, where Vite serves the page
    state = client.application.extensions["usage_dashboard"]
    state.page_renderer.off_reason = "dist-server/worker.mjs is missing (npm run build)"
    with caplog.at_level(logging.INFO, logger="usage_dashboard"):
        page_module.warm_up(state)
    assert state.page_renderer.status()["renders"] == 0 and "server rendering" not in caplog.text


@pytest.mark.parametrize(("css", "ids", "ok"), [
    (".css-a{color:red}", ["a"], True),
    (".css-a{color:red}</style><script>x</script>", ["a"], False),
    (".css-a{color:red}", ['a" onload="x'], False),
    (None, ["a"], False),
])
def test_only_well_formed_renders_go_into_the_page(css, ids, ok):
    assert (page_module.rendered_parts({"css": css, "ids": ids, "html": "<p></p>"}) is not None) is ok


@pytest.mark.parametrize(("cookie", "zone"), [
    ("Europe/Berlin", "Europe/Berlin"), ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("Etc/GMT+5", "Etc/GMT+5"), ("", None), ("x\"><script>", None), ("../../etc", None),
])
def test_time_zone_is_the_browsers_own_from_its_cookie_when_well_formed(cookie, zone):
    from backend.page_render import time_zone_of

    assert time_zone_of({"ai-usage-tz": cookie}) == zone


@pytest.mark.parametrize(("header", "locale"), [
    ("de-DE,de;q=0.9", "de-DE"), ("en", "en"), ("", None), (None, None), ("*", None), ("x'><script>", None),
])
def test_locale_is_the_first_well_formed_language_asked_for(header, locale):
    assert locale_of(header) == locale


def test_the_reply_protocol_is_one_json_line_each_way(tmp_path):
    renderer = PageRenderer(worker(tmp_path, ECHO), node=sys.executable)
    try:
        reply = renderer.render({"/api/accounts": {"accounts": []}}, 1, "en-US", timeout=10)
        assert json.loads(json.dumps(reply))["html"] == '<p data-testid="ssr">/api/accounts|en-US|None</p>'
    finally:
        renderer.close()
    assert renderer.status()["state"] == "idle"
