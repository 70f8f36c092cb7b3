"""The built page (npm run build) served from the API's own origin, streamed so its scripts load while reads finish."""

import base64
import hashlib
import html
import json
import logging
import re
import time

from flask import Response, request, send_from_directory

from . import providers
from .config import ROOT
from .get_model_limit_balances import accounts_body
from .page_render import PageRenderer, locale_of, time_zone_of

DIST = ROOT / "dist"
RENDER_WORKER = ROOT / "dist-server" / "worker.mjs"  # built beside the page, never served (backend/page_render.py)
log = logging.getLogger("usage_dashboard")
INLINE_WAIT_SECONDS = 0.15  # how long the end of the page may wait for reads under way (its scripts load meanwhile)
# The build asks for the account list from the HTML (for a page on another origin); here the list is inside the page.
ACCOUNTS_PRELOAD = re.compile(r'<link rel="preload" as="fetch" href="/api/accounts"[^>]*>\s*')
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)
# How long the page may wait for its server-rendered cards; slower, and the browser renders them (which takes longer).
RENDER_WAIT_SECONDS = 0.3
EMPTY_ROOT = '<div id="root"></div>'
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hashes(head):
    """CSP sources for the page's own inline scripts (the colour mode, set before the first paint)."""
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in INLINE_SCRIPT.findall(head)
    )


def rendered_parts(rendered):
    """(style tag for the head, the root's inner HTML) of a server render, or None if it cannot go into the page."""
    css, ids, markup = rendered.get("css"), rendered.get("ids"), rendered.get("html")
    if not (isinstance(css, str) and isinstance(markup, str) and isinstance(ids, list)) or "</style" in css.lower():
        return None
    if not all(isinstance(i, str) and re.fullmatch(r"[\w-]+", i) for i in ids):
        return None
    # Emotion in the browser adopts these rules by their ids instead of inserting them again.
    return f'<style data-emotion="css {" ".join(ids)}">{css}</style>', markup


def server_rendered(renderer, initial, now_ms, locale, time_zone, rest):
    """The end of the page: the cards already rendered when the worker can (in time), else (or with no renderer)
    the empty root."""
    try:
        rendered = renderer and EMPTY_ROOT in rest and renderer.render(initial, now_ms, locale, RENDER_WAIT_SECONDS,
                                                                      time_zone)
        parts = rendered and rendered_parts(rendered)
    except Exception:  # the head is out: the browser renders this page
        log.exception("page: the server-rendered cards could not be put into the page")
        parts = None
    if not parts:
        return f"</head>{rest}"
    style, markup = parts
    root = f'<div id="root" data-rendered="server">{markup}</div>'
    return f"{style}</head>{rest.replace(EMPTY_ROOT, root, 1)}"


def warm_up(state):
    """Start the page's server rendering with the page as it would look (sample figures, every account set up)."""
    renderer = state.page_renderer
    if not (DIST / "index.html").is_file():
        return  # no built page served from here (make dev: Vite serves it): nothing to draw, and nothing to say about it
    if renderer.off_reason:
        log.info("page: server rendering is off (%s); the browser renders the page", renderer.off_reason)
        return
    try:
        answers = providers.sample_answers(state)
        listed = accounts_body(state)
        listed["accounts"] = [{**a, "configured": True, "problem": None} for a in listed["accounts"]]
        answers["/api/accounts"] = listed
    except Exception:  # sample figures are only a warm-up: render an empty page instead
        log.exception("page: the sample figures for the render warm-up failed")
        answers = {}
    renderer.start(answers)


def register_page(app, not_found):
    """GET / (the page, with the answers at hand inside it), its hashed assets and its other files."""
    state = app.extensions["usage_dashboard"]
    renderer = state.page_renderer = PageRenderer(RENDER_WORKER, enabled=state.settings.page_server_render)
    if (DIST / "assets").is_dir():
        from whitenoise import WhiteNoise

        # Hashed assets: precompressed at build (brotli, gzip), cached for a year, served before Flask.
        app.wsgi_app = WhiteNoise(app.wsgi_app, root=DIST / "assets", prefix="assets/", max_age=31536000,
                                  immutable_file_test=lambda path, url: True)

    @app.get("/")
    def index():
        if not (DIST / "index.html").is_file():
            return not_found("The page is not built. Run `npm run build`, or use the dev server on port 5173 (make dev).")
        head, _, rest = ACCOUNTS_PRELOAD.sub("", (DIST / "index.html").read_text(encoding="utf-8")).partition("</head>")
        locale = locale_of(request.headers.get("Accept-Language"))
        time_zone = time_zone_of(request.cookies)

        def stream():
            # The head first, before the reads' threads compete for the interpreter, so the browser fetches the
            # scripts while the reads run; whatever is ready within a moment follows inside the page, so its first
            # render already has numbers.
            yield head
            try:
                configured = providers.configured_accounts(state)
                providers.prefetch(state, configured)
                initial = providers.ready_answers(state, INLINE_WAIT_SECONDS, configured)
                missing = [route for route in (providers.page_route(p, a) for p, a, _ in configured) if route not in initial]
                # Nothing but loading cards to draw (every read still under way): the browser draws those as soon.
                draw = not configured or len(missing) < len(configured)
                # A first visit does not say its time zone yet: on this machine it is the server's own; a browser
                # elsewhere (an API open to the network) draws that one page itself rather than see times change.
                draw = draw and (time_zone is not None or state.settings.loopback_only)
                initial["/api/accounts"] = accounts_body(state)
                now_ms = round(time.time() * 1000)
                payload = json.dumps(initial, separators=(",", ":")).replace("<", "\\u003c")
                # The language the page is written in, the one the browser asked for (a checked tag, safe as is).
                said = f' data-locale="{locale}"' if locale else ""
                data = f'<script type="application/json" id="initial-data" data-now="{now_ms}"{said}>{payload}</script>'
                # The answers still being read: the browser asks for them from here, so they are at hand (or on their
                # way, joining the reads under way) when the page's script asks, instead of only then.
                data += "".join(f'<link rel="preload" as="fetch" href="{html.escape(route)}" crossorigin="anonymous">'
                                for route in missing)
            except Exception:  # the head is out: finish the page, which then asks for everything itself
                log.exception("page: the answers at hand could not be put into the page")
                yield f"</head>{rest}"
                return
            yield data + server_rendered(renderer if draw else None, initial, now_ms, locale, time_zone, rest)

        csp = PAGE_CSP.replace("script-src 'self'", f"script-src 'self' {script_hashes(head)}".rstrip())
        return Response(stream(), mimetype="text/html", headers={"Cache-Control": "no-store", "Content-Security-Policy": csp})


    @app.get("/<path:name>")
    def page_file(name):
        if name.startswith("api/"):
            return not_found(f"There is no /{name}. See /api/openapi.json for the routes.")
        return send_from_directory(DIST, name)

