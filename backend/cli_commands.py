"""The click CLI behind `ai-usage`: the table, the statusline, the guard, help and argument errors.

cli.run() answers a plainly spelled statusline itself and hands everything else to main() here; a Fail
raised below is printed by cli.run() as one line with its exit code.
"""

import json
import os
import sys
import time

import click

from .cli import DEFAULT_API, UNKNOWN, default_api, load, statusline_text
from .words import amount, pace_text, percent, status_label

BAR = 10  # characters of a usage bar in the table


def shared(function, top=False):
    """The options every command takes; given before the command (ai-usage --local status) or after it."""
    api = (click.option("--api", envvar="AI_USAGE_API", default=None,
                        help=f"the dashboard API to ask (env AI_USAGE_API; default: http://127.0.0.1:$API_PORT from "
                             f"the environment or .env, else {DEFAULT_API})") if top else
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
    options.setdefault("api", None)  # load() picks AI_USAGE_API or API_PORT, after reading .env
    options.setdefault("local", False)
    return options


@main.command()
@shared
@click.option("--json", "as_json", is_flag=True, help="print the versioned JSON snapshot")
@click.pass_context
def status(ctx, as_json, api=None, local=False, provider=None, account=None):
    """One table of every account's quotas (the default command)."""
    options = _options(ctx, api=api, local=local, provider=provider, account=account)
    data = load(options)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    _table(data)
    if data["via"] == "local" and not options["local"]:
        from .helpers.common import url_origin  # the address's scheme, host and port: never a user part, path or query

        # Said once, on stderr: these figures come from this process (its own reads and cache), not the dashboard's.
        api = url_origin(options["api"] or default_api(os.environ))
        click.echo(f"(No dashboard API answered at {api}: read the providers here.)", err=True)
    if any(a["error"] and not a["quotas"] for a in data["accounts"]):
        ctx.exit(UNKNOWN)


def _table(data):
    """Each account's title, then its quotas a row each; why one has no figures, or only stale ones, as notes below."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text  # plain text: an upstream message or label with [brackets] is not rich markup

    now = time.time()
    styles = {"ok": "green", "warning": "yellow", "critical": "red", "unknown": "dim"}
    rows, notes = [], []  # a row: its cells, the Used cell as (bar, percentage) or None
    for entry in data["accounts"]:
        name = entry["title"] + ("" if entry["account"] == "default" else f" · {entry['account']}")
        error = entry["error"] or {}
        reason = error.get("message") or (f"the read failed ({error['code']})" if error.get("code") else
                                          "the read failed" if entry["error"] else "no quota reported")
        if not entry["quotas"]:
            notes.append((name, reason, "red" if entry["error"] else "dim"))
            rows.append((Text(name, style="bold"), None, "", "", "",
                         Text(f"{'error' if entry['error'] else 'none'} ({len(notes)})", style=notes[-1][2])))
            continue
        rows.append((Text(name, style="bold"), None))
        if entry["stale"] and entry["error"]:
            notes.append((f"{name}, stale figures", reason, "yellow"))
        for quota in entry["quotas"]:
            label = status_label(quota) + (f" (stale, {len(notes)})" if entry["stale"] and entry["error"] else
                                           " (stale)" if entry["stale"] else "")
            rows.append((Padding(Text(quota["label"]), (0, 0, 0, 2)), (_bar(quota["used_percent"]), percent(quota["used_percent"])),
                         Text(amount(quota["remaining"], quota["unit"])), _reset(quota, now), Text(pace_text(quota, now) or ""),
                         Text(label, style=styles.get(quota["status"], "dim"))))

    def table_of(bars):
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        for column in ("Quota", "Used", "Left", "Resets", "Pace", "Status"):
            table.add_column(column, overflow="fold", no_wrap=column in ("Used", "Left", "Status"))
        for first, used, *rest in rows:
            table.add_row(first, "" if used is None else f"{used[0]} {used[1]}" if bars else used[1], *rest)
        return table

    # A terminal's own width, or COLUMNS when set; else (a pipe, a file) 140 columns rather than rich's 80.
    console = Console(width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 140)
    table = table_of(bars=False)
    # A bar beside each percentage only when the table has room for it unwrapped: else its words need the columns.
    if Measurement.get(console, console.options, table).maximum + BAR + 1 <= console.width:
        table = table_of(bars=True)
    console.print(table)
    if notes:
        listed = Table.grid(padding=(0, 1))  # a note's wrapped lines stay under its text, not under its number
        listed.add_column(no_wrap=True)
        listed.add_column(overflow="fold")
        for number, (name, reason, style) in enumerate(notes, 1):
            listed.add_row(f"({number})", Text.assemble((name, style), f": {reason}"))
        console.print()
        console.print(listed)


def _bar(used_percent, width=BAR):
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


@main.command()
@shared
@click.option("--format", "template", metavar="TEMPLATE",
              help="e.g. '{CX} | {OR}': each provider's two letters (CX, OR, CP; CX_work for an account) and {all}")
@click.option("--color", is_flag=True, help="colour each part by its status (ANSI)")
@click.pass_context
def statusline(ctx, template, color, api=None, local=False, provider=None, account=None):
    """One short line for tmux, starship and agent statuslines: OR $31 · CP 231/300 · CX 5h 37% wk 58%."""
    data = load(_options(ctx, api=api, local=local, provider=provider, account=account))
    click.echo(statusline_text(data, template, color), color=color or None)


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
