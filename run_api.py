"""Start the dashboard API: `python run_api.py [--demo] [--debug]`."""

import argparse
import logging
import os
import sys
import threading
from dataclasses import replace


def main(argv=None):
    parser = argparse.ArgumentParser(description="AI usage dashboard API")
    parser.add_argument("--demo", action="store_true", help="serve demo data (no credentials needed)")
    parser.add_argument("--auto-demo", action="store_true", help="serve demo data when no provider is configured")
    parser.add_argument("--debug", action="store_true", help="listen for a debugger (debugpy) on 127.0.0.1:5678")
    parser.add_argument("--test-alert", action="store_true",
                        help="send one sample alert to every channel (ALERT_URLS, ALERT_COMMAND), say what worked, exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from backend.config import load_dotenv_file, load_settings
    from backend.providers import any_configured

    load_dotenv_file()
    if args.demo:
        os.environ["DASHBOARD_DEMO"] = "1"
    settings = load_settings()
    if args.test_alert:
        return test_alert(settings)
    if args.auto_demo and not settings.demo and not any_configured(settings):
        settings = replace(settings, demo=True)
        print(
            "No provider is configured yet, so the API serves demo data. Put your tokens and your GitHub username "
            "(GITHUB_USERNAME) in .env (copy .env.example), then restart.",
            flush=True,
        )
    problem = settings.exposure_problem()
    if problem:
        print(f"Not starting: {problem}", file=sys.stderr, flush=True)
        return 2
    debug = args.debug or os.environ.get("API_DEBUG", "").strip() in ("1", "true")
    if debug:
        import debugpy

        debug_port = int(os.environ.get("DEBUGPY_PORT", "5678"))
        debugpy.listen(("127.0.0.1", debug_port))
        print(f"debugpy listening on 127.0.0.1:{debug_port}; attach with VS Code's \"API: attach\"", flush=True)

    from backend.app import create_app

    app = create_app({"SETTINGS": settings})
    if not settings.loopback_only:
        print(f"Listening on {settings.api_host}: every request needs DASHBOARD_TOKEN (sign in at /login).", flush=True)
    mode = "demo data" if settings.demo else "live data"
    print(f"API on http://localhost:{settings.api_port} ({mode})", flush=True)
    sampler = None
    try:
        if debug:
            threading.Thread(target=warm_up, args=(app,), name="warm-up", daemon=True).start()
            sampler = start_background(app, settings)
            # Werkzeug under debugpy; its reloader would fork a second process, which breaks debugpy: keep it off.
            app.run(host=settings.api_host, port=settings.api_port, threaded=True, debug=False, use_reloader=False)
        else:
            from waitress import create_server

            # A production server: a fixed pool of threads, idle connections time out and cost no thread.
            # (waitress.serve(..., _quiet=True) is exactly create_server() then run(); split to act in between.)
            server = create_server(app, host=settings.api_host, port=settings.api_port, threads=8, connection_limit=500,
                                   channel_timeout=30, cleanup_interval=10, ident="ai-usage-dashboard")
            # Listening now: what only upstream reads need loads while the first requests are already accepted.
            threading.Thread(target=warm_up, args=(app,), name="warm-up", daemon=True).start()
            sampler = start_background(app, settings)
            server.run()
    finally:
        if sampler:
            sampler.stop()
        app.extensions["usage_dashboard"].page_renderer.close()
    return 0


def start_background(app, settings):
    """The sampler (returned), when SAMPLE_INTERVAL_SECONDS is above 0: its first round starts at once, and its
    thinning moves history saved by an older version to compact readings. Without it, that move runs on its own."""
    if settings.sample_interval <= 0:
        app.extensions["usage_dashboard"].history.start_upgrade()
        return None
    from backend.sampler import Sampler

    return Sampler(app.extensions["usage_dashboard"], settings.sample_interval, settings.history_full_days).start()


def warm_up(app):
    """Import what the first upstream read needs (requests), so no request waits for it; then start the page's
    server rendering, so the first page is not its worker's first (slowest) render."""
    try:
        import requests  # noqa: F401
    except Exception:  # the read that needs it will say what is wrong
        logging.getLogger("usage_dashboard").exception("warm-up import failed")
    from backend.page import warm_up as warm_up_page

    warm_up_page(app.extensions["usage_dashboard"])


def test_alert(settings):
    """Send a sample event to each channel once (no retries) and print which took it; exit 1 if any did not."""
    from backend.alert_channels import build_channels, deliver
    from backend.helpers.common import iso, utc_now

    channels = build_channels(settings.alert_urls, settings.alert_command)
    if not channels:
        print("No alert channel is set up: set ALERT_URLS (Apprise URLs) and/or ALERT_COMMAND in .env, then try again.")
        return 1
    event = {"id": 0, "event": "threshold", "provider": "test", "account": "default", "quota": "weekly",
             "label": "Weekly", "used_percent": 95.0, "threshold": 95, "resets_at": None, "runs_out_at": None,
             "message": "Test alert from the AI usage dashboard: if you read this, alerts reach you.", "at": iso(utc_now())}
    failed = 0
    for channel in channels:
        if deliver(channel, event, delays=()):
            print(f"  ok      {channel.name}")
        else:
            failed += 1
            print(f"  failed  {channel.name}: {channel.last_error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
