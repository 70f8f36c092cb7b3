"""What a fresh process imports on the way to listening, and for the statusline: only what that needs."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(code, env_extra=None, tmp_path=None):
    """The names of the modules a fresh interpreter holds after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "absent.properties"),
           **(env_extra or {})}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_api_is_built_without_what_only_upstream_reads_and_scrapes_need(tmp_path):
    modules = loaded_after(
        "from backend.config import load_dotenv_file, load_settings\n"
        "from backend.providers import any_configured\n"
        "from backend.app import create_app\n"
        "load_dotenv_file(); settings = load_settings(); any_configured(settings)\n"
        "create_app({'SETTINGS': settings})",
        {"OPENROUTER_API_KEY": "sk-or-test", "DASHBOARD_DB": str(tmp_path / "h.sqlite3")}, tmp_path)
    assert "flask" in modules and "backend.app" in modules
    # (whitenoise is not in the list: where the page is built it serves the page's first requests, so it loads at start)
    assert not modules & {"requests", "urllib3", "prometheus_client", "apprise", "rich"}


def test_the_statusline_module_needs_no_click_nor_urllib(tmp_path):
    modules = loaded_after("import backend.cli", tmp_path=tmp_path)
    assert not modules & {"click", "urllib.request", "http.client", "concurrent.futures", "flask", "rich", "dotenv",
                          "backend.config"}
