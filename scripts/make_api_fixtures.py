"""Regenerate tests/fixtures/api/*.json (the page tests' data) from the upstream samples.

Run: .venv/bin/python scripts/make_api_fixtures.py. A pytest checks the files stay in step.
"""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.config import Settings  # noqa: E402
from backend.helpers import codex_helper, copilot_helper, openrouter_helper  # noqa: E402
from backend.providers import complete  # noqa: E402
from backend.registry import PROVIDERS, by_id  # noqa: E402

UPSTREAM = ROOT / "tests" / "fixtures" / "upstream"
OUT = ROOT / "tests" / "fixtures" / "api"
# A fixed clock: 2 h 1 min before the sample's 5-hour reset.
NOW = datetime.fromtimestamp(1795993260 - 7260, UTC)
COPILOT = {"username": "octocat", "plan": None, "allowance": {"COPILOT_PRO_MONTHLY_LIMIT": (300, "premium_requests")}}


def sample(name):
    return json.loads((UPSTREAM / name).read_text())


def build():
    values = {
        "openrouter.json": openrouter_helper.normalize_balance(
            sample("openrouter-key.json"), sample("openrouter-credits.json"), NOW),
        "copilot.json": copilot_helper.normalize_usage(
            sample("copilot-premium-usage.json"), COPILOT, NOW.year, NOW.month, NOW, unit="premium_requests"),
        "codex.json": codex_helper.normalize_limits(sample("codex-wham-usage.json"), NOW),
    }
    # With no history yet, as on a first start: each pace uses its fallback basis.
    out = {"accounts.json": {"demo": False, "accounts": [
        {"provider": p.id, "account": "default", "title": p.title, "short": p.short, "subtitle": p.subtitle,
         "route": f"/api{p.route}",
         "configured": True, "problem": None} for p in PROVIDERS]}}
    for name, value in values.items():
        value.update(account_name="default", title=by_id(value["provider"]).title, source="live", stale=False)
        out[name] = complete(by_id(value["provider"]), value, [], NOW, Settings())
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, body in build().items():
        (OUT / name).write_text(json.dumps(body, indent=2) + "\n")
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
