"""The API as run_api.py serves it, plus one bare Flask JSON route to compare the cache against."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import jsonify  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.config import load_settings  # noqa: E402

if __name__ == "__main__":
    settings = load_settings()
    app = create_app({"SETTINGS": settings})

    @app.get("/api/bench/bare")
    def bare():
        return jsonify(ok=True)

    app.run(host="127.0.0.1", port=settings.api_port, threaded=True, debug=False, use_reloader=False)
