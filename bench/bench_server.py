"""A server for the benchmarks: our API, or a truly bare Flask app (one JSON route, no hooks of ours),
on waitress (what run_api.py serves with) or Werkzeug (the first release's server, still used under --debug).

Run: python bench/bench_server.py waitress|werkzeug api|bare   (API_PORT from the environment)
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, jsonify  # noqa: E402


def bare_app():
    app = Flask(__name__)

    @app.get("/api/openai/codex/limits")
    def hello():
        return jsonify(ok=True)

    return app


def api_app():
    from backend.app import create_app
    from backend.config import load_settings

    return create_app({"SETTINGS": load_settings()})


if __name__ == "__main__":
    server, kind = sys.argv[1], sys.argv[2]
    app = bare_app() if kind == "bare" else api_app()
    port = int(os.environ["API_PORT"])
    if server == "waitress":
        from waitress import serve

        serve(app, host="127.0.0.1", port=port, threads=8, connection_limit=500, channel_timeout=30, _quiet=True)
    else:
        app.run(host="127.0.0.1", port=port, threaded=True, debug=False, use_reloader=False)
