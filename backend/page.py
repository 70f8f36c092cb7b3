"""The built page (npm run build) served from the API's own origin, streamed so its scripts load while reads finish."""

import json
import logging
import re

from flask import Response, send_from_directory

from . import providers
from .config import ROOT
from .get_model_limit_balances import accounts_body

DIST = ROOT / "dist"
log = logging.getLogger("usage_dashboard")
INLINE_WAIT_SECONDS = 0.15  # how long the end of the page may wait for reads under way (its scripts load meanwhile)
# The build asks for the account list from the HTML (for a page on another origin); here the list is inside the page.
ACCOUNTS_PRELOAD = re.compile(r'<link rel="preload" as="fetch" href="/api/accounts"[^>]*>\s*')


def register_page(app, not_found):
    """GET / (the page, with the answers at hand inside it), its hashed assets and its other files."""
    state = app.extensions["usage_dashboard"]
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

        def stream():
            # The head first, before the reads' threads compete for the interpreter, so the browser fetches the
            # scripts while the reads run; whatever is ready within a moment follows inside the page, so its first
            # render already has numbers.
            yield head
            try:
                configured = providers.configured_accounts(state)
                providers.prefetch(state, configured)
                initial = providers.ready_answers(state, INLINE_WAIT_SECONDS, configured)
                initial["/api/accounts"] = accounts_body(state)
                payload = json.dumps(initial, separators=(",", ":")).replace("<", "\\u003c")
                data = f'<script type="application/json" id="initial-data">{payload}</script>'
            except Exception:  # the head is out: finish the page, which then asks for everything itself
                log.exception("page: the answers at hand could not be put into the page")
                data = ""
            yield f"{data}</head>{rest}"

        return Response(stream(), mimetype="text/html", headers={"Cache-Control": "no-store"})

    @app.get("/<path:name>")
    def page_file(name):
        if name.startswith("api/"):
            return not_found(f"There is no /{name}. See /api/openapi.json for the routes.")
        return send_from_directory(DIST, name)

