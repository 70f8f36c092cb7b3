"""`ai-usage`: the dashboard's numbers in a terminal, a statusline and a guard for scripts.

It asks the running API (AI_USAGE_API, default http://127.0.0.1:4000) and, when none answers, reads the
providers itself with the same settings, cache and history (--local forces that). Exit codes: 0 fine,
1 a guard found too little left, 2 a usage or settings error, 69 the state is unknown.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import click

from .words import amount, pace_text, percent, status_label

SCHEMA_VERSION = 1
DEFAULT_API = "http://127.0.0.1:4000"
UNKNOWN = 69  # EX_UNAVAILABLE: the provider is down, not configured, or the data is stale
COLORS = {"ok": "\x1b[32m", "warning": "\x1b[33m", "critical": "\x1b[31m", "unknown": "\x1b[2m"}
SEVERITY = {"critical": 3, "warning": 2, "unknown": 1, "ok": 0}


class Unreachable(Exception):
    """No API answered at that address."""


class Fail(click.ClickException):
    """A one-line error and an exit code, never a traceback."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.exit_code = code

    def show(self, file=None):
        click.echo(f"ai-usage: {self.message}", err=True)


# ---- getting the data -------------------------------------------------------------------------------------

def _dotenv():
    """The project's .env (or one in the current folder), so DASHBOARD_TOKEN set there reaches the API too."""
    from dotenv import load_dotenv

    from .config import ROOT

    for path in (ROOT / ".env", os.path.join(os.getcwd(), ".env")):
        if os.path.isfile(path):
            load_dotenv(path, override=False)


def _get(url, timeout):
    headers = {"Accept": "application/json"}
    token = os.environ.get("DASHBOARD_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, {"error": {"code": "http_error", "message": f"HTTP {error.code}"}}
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise Unreachable(str(getattr(error, "reason", error))) from None


def from_api(api, provider=None, account=None):
    """Every selected account's answer, from a running API."""
    base = api.rstrip("/")
    status, listed = _get(f"{base}/api/accounts", timeout=3)
    if status == 401:
        raise Fail(f"the API at {base} needs its token: set DASHBOARD_TOKEN in your environment.")
    if status != 200:
        raise Fail(f"the API at {base} answered HTTP {status} to /api/accounts.")
    accounts = [a for a in listed["accounts"] if _selected(a, provider, account)]

    def one(entry):
        route = entry["route"] + ("" if entry["account"] == "default" else f"?account={entry['account']}")
        try:
            code, body = _get(f"{base}{route}", timeout=30)
        except Unreachable as error:
            return entry, None, {"code": "api_unreachable", "message": f"The API stopped answering ({error})."}
        return (entry, body, None) if code == 200 else (entry, None, body.get("error"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, accounts))
    return snapshot(results, via="api", stale_after=None)


def from_local(provider=None, account=None):
    """Every selected account's answer, read here with the API's own settings, cache semantics and history."""
    from . import providers
    from .app import DashboardState
    from .config import load_dotenv_file, load_settings
    from .errors import ProviderError

    load_dotenv_file()
    settings = load_settings()
    state = DashboardState(settings)
    results = []
    for descriptor in settings.providers:
        for name in settings.accounts(descriptor):
            entry = {"provider": descriptor.id, "account": name, "title": descriptor.title, "short": descriptor.short}
            if not _selected(entry, provider, account):
                continue
            try:
                loader = providers.loader_for(state, descriptor, name)
            except ProviderError as error:
                results.append((entry, None, error.to_dict()))
                continue
            value, error = providers.read(state, descriptor, name, loader)
            results.append((entry, value, error.to_dict() if error is not None and value is None else
                            (value or {}).get("error")))
    return snapshot(results, via="local", stale_after=settings.cache_ttl)


def _selected(entry, provider, account):
    return (provider is None or entry["provider"] == provider) and (account is None or entry["account"] == account)


def snapshot(results, via, stale_after):
    """The versioned JSON snapshot: {schema_version, generated_at, stale_after_seconds, accounts: [...]}."""
    accounts = []
    for entry, body, error in results:
        body = body or {}
        accounts.append({
            "provider": entry["provider"],
            "account": entry["account"],
            "title": entry["title"],
            "short": entry.get("short") or entry["provider"][:2].upper(),
            "source": body.get("source"),
            "fetched_at": body.get("fetched_at"),
            "stale": bool(body.get("stale")),
            "error": error or body.get("error"),
            "quotas": body.get("quotas", []),
        })
    return {"schema_version": SCHEMA_VERSION, "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "stale_after_seconds": stale_after, "via": via, "accounts": accounts}


def load(ctx_options):
    """The snapshot from the API, or read locally when no API answers (or --local)."""
    _dotenv()
    api, local = ctx_options["api"], ctx_options["local"]
    provider, account = ctx_options["provider"], ctx_options["account"]
    if not local:
        try:
            return from_api(api, provider, account)
        except Unreachable:
            pass
    try:
        return from_local(provider, account)
    except Fail:
        raise
    except Exception as error:  # a local read must end in a clear line, whatever broke
        raise Fail(f"could not read the providers here ({type(error).__name__}: {error}).", code=UNKNOWN) from None


# ---- the commands ---------------------------------------------------------------------------------------

def shared(function, top=False):
    """The options every command takes; given before the command (ai-usage --local status) or after it."""
    api = (click.option("--api", envvar="AI_USAGE_API", default=DEFAULT_API, show_default=True,
                        help="the dashboard API to ask (env AI_USAGE_API)") if top else
           click.option("--api", default=None, help="the dashboard API to ask (env AI_USAGE_API)"))
    for option in reversed([
        api,
        click.option("--local", is_flag=True, help="read the providers here, without asking a running API"),
        click.option("--provider", metavar="ID", help="only this provider (openrouter, github_copilot, openai_codex, …)"),
        click.option("--account", metavar="NAME", help="only this account (default, or a __NAME suffix)"),
    ]):
        function = option(function)
    return function


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@lambda function: shared(function, top=True)
@click.option("--json", "as_json", is_flag=True, help="print the versioned JSON snapshot")
@click.pass_context
def main(ctx, api, local, provider, account, as_json):
    """How much is left of your AI coding quotas, and will it last until the reset."""
    ctx.obj = {"api": api, "local": local, "provider": provider, "account": account}
    if ctx.invoked_subcommand is None:
        ctx.invoke(status, as_json=as_json)


def _options(ctx, **given):
    options = dict(ctx.obj or {})
    options.update({k: v for k, v in given.items() if v not in (None, False)})
    options.setdefault("api", DEFAULT_API)
    options.setdefault("local", False)
    return options


@main.command()
@shared
@click.option("--json", "as_json", is_flag=True, help="print the versioned JSON snapshot")
@click.pass_context
def status(ctx, as_json, api=None, local=False, provider=None, account=None):
    """One table of every account's quotas (the default command)."""
    data = load(_options(ctx, api=api, local=local, provider=provider, account=account))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    _table(data)
    if any(a["error"] and not a["quotas"] for a in data["accounts"]):
        ctx.exit(UNKNOWN)


def _table(data):
    from rich.console import Console
    from rich.table import Table

    now = time.time()
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for column in ("Account", "Quota", "Used", "Left", "Resets", "Pace", "Status"):
        table.add_column(column, overflow="fold", no_wrap=column in ("Used", "Left", "Status"),
                         ratio=2 if column == "Pace" else None)
    styles = {"ok": "green", "warning": "yellow", "critical": "red", "unknown": "dim"}
    for entry in data["accounts"]:
        name = entry["title"] + ("" if entry["account"] == "default" else f" · {entry['account']}")
        if not entry["quotas"]:
            reason = (entry["error"] or {}).get("message", "no quota reported")
            table.add_row(name, "", "", "", "", reason, "[red]error[/red]" if entry["error"] else "")
            continue
        for quota in entry["quotas"]:
            style = styles.get(quota["status"], "dim")
            bar = _bar(quota["used_percent"])
            label = status_label(quota) + (" (stale)" if entry["stale"] else "")
            table.add_row(name, quota["label"], f"{bar} {percent(quota['used_percent'])}",
                          amount(quota["remaining"], quota["unit"]), _reset(quota, now),
                          pace_text(quota, now) or "", f"[{style}]{label}[/{style}]")
            name = ""
        if entry["stale"] and entry["error"]:
            table.add_row("", "", "", "", "", f"[yellow]stale: {entry['error'].get('message', '')}[/yellow]", "")
    Console(width=None if sys.stdout.isatty() else 140).print(table)


def _bar(used_percent, width=10):
    if used_percent is None:
        return "·" * width
    filled = min(max(round(used_percent / 100 * width), 0), width)
    return "█" * filled + "░" * (width - filled)


def _reset(quota, now):
    from .words import duration, parse_iso

    if not quota["resets_at"]:
        return "—"
    moment = parse_iso(quota["resets_at"])
    return f"{moment.astimezone().strftime('%a %H:%M')} · in {duration(moment.timestamp() - now)}"


def short_label(quota):
    """"5h", "wk", "30d", "mo", or "" for a balance: a quota's name in a few letters."""
    seconds = quota.get("window_seconds")
    if not seconds:
        return ""
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    if seconds == 604800:
        return "wk"
    if 28 * 86400 <= seconds <= 31 * 86400 and quota.get("unit") != "percent":
        return "mo"
    return f"{round(seconds / 86400)}d"


def segment(entry):
    """"CX 5h 37% wk 58%", "OR $31", "CP 231/300": one account, short."""
    name = entry["short"] + ("" if entry["account"] == "default" else f"·{entry['account']}")
    if not entry["quotas"]:
        return name + " ?"
    parts = []
    for quota in entry["quotas"]:
        if ":" in quota["id"]:
            continue  # per-model and code review windows: the page has them, a statusline has no room
        if quota["unit"] == "percent":
            parts.append(f"{short_label(quota)} {quota['used_percent']:.0f}%".strip())
        elif quota["unit"] == "usd":
            if quota["remaining"] is not None and (quota["kind"] == "balance" or not parts):
                parts.append(f"${quota['remaining']:.0f}")
        elif quota["used"] is not None:
            limit = f"/{quota['limit']:.0f}" if quota["limit"] is not None else ""
            parts.append(f"{quota['used']:.0f}{limit}")
    text = " ".join([name, *parts[:2]])
    return text + ("*" if entry["stale"] else "")


@main.command()
@shared
@click.option("--format", "template", metavar="TEMPLATE",
              help="e.g. '{CX} | {OR}': each provider's two letters (CX, OR, CP; CX_work for an account) and {all}")
@click.option("--color", is_flag=True, help="colour each part by its status (ANSI)")
@click.pass_context
def statusline(ctx, template, color, api=None, local=False, provider=None, account=None):
    """One short line for tmux, starship and agent statuslines: OR $31 · CP 231/300 · CX 5h 37% wk 58%."""
    data = load(_options(ctx, api=api, local=local, provider=provider, account=account))
    parts = {}
    for entry in data["accounts"]:
        text = segment(entry)
        if color:
            worst = max((q["status"] for q in entry["quotas"]), key=SEVERITY.get, default="unknown")
            text = f"{COLORS[worst]}{text}\x1b[0m"
        key = entry["short"] + ("" if entry["account"] == "default" else f"_{entry['account'].replace('-', '_')}")
        parts[key] = text
    everything = " · ".join(parts.values())
    if not template:
        click.echo(everything, color=color or None)
        return
    try:
        click.echo(template.format(all=everything, **parts), color=color or None)
    except (KeyError, IndexError, ValueError) as error:
        raise Fail(f"--format names {error} but the parts are: all, {', '.join(parts) or 'none'}.") from None


@main.command()
@shared
@click.option("--quota", metavar="ID", help="only this quota (primary, secondary, monthly, balance, key_limit, …)")
@click.option("--min-left", type=click.FloatRange(0, 100), required=True, metavar="PERCENT",
              help="fail unless every selected quota has at least this much left")
@click.pass_context
def guard(ctx, quota, min_left, api=None, local=False, provider=None, account=None):
    """Exit 0 when every selected quota has at least --min-left % left, 1 when one has less, 69 when unknown.

    Example: ai-usage guard --provider openai_codex --min-left 15 && codex exec "…"
    """
    data = load(_options(ctx, api=api, local=local, provider=provider, account=account))
    short, unknown, checked = [], [], 0
    for entry in data["accounts"]:
        name = entry["title"] + ("" if entry["account"] == "default" else f" · {entry['account']}")
        if entry["error"] and not entry["quotas"]:
            unknown.append(f"{name}: {entry['error'].get('message', entry['error'].get('code'))}")
            continue
        if entry["stale"]:
            unknown.append(f"{name}: the figures are stale ({(entry['error'] or {}).get('message', 'the last read failed')})")
            continue
        for found in entry["quotas"]:
            if quota and found["id"] != quota:
                continue
            checked += 1
            if found["used_percent"] is None:
                unknown.append(f"{name} {found['label']}: how much is used is unknown")
            elif 100 - found["used_percent"] < min_left:
                short.append(f"{name} {found['label']}: {percent(max(100 - found['used_percent'], 0))} left "
                             f"(needs {percent(min_left)})")
    if short:
        click.echo("\n".join(short), err=True)
        ctx.exit(1)
    if unknown or not checked:
        click.echo("\n".join(unknown) or "no quota matched --provider/--account/--quota", err=True)
        ctx.exit(UNKNOWN)
    click.echo(f"ok: {checked} quota{'s' if checked != 1 else ''} with at least {percent(min_left)} left")


def run():
    """The console script: click's own errors stay one line; anything else too, never a traceback."""
    try:
        main.main(standalone_mode=True, prog_name="ai-usage")
    except SystemExit:
        raise
    except Exception as error:
        click.echo(f"ai-usage: unexpected error ({type(error).__name__}: {error})", err=True)
        sys.exit(70)


if __name__ == "__main__":
    run()
