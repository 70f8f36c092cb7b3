"""`ai-usage`: the dashboard's numbers in a terminal, a statusline and a guard for scripts.

It asks the running API (AI_USAGE_API, default http://127.0.0.1:$API_PORT, 4000) and, when none answers, reads the
providers itself with the same settings, cache and history (--local forces that). Exit codes: 0 fine,
1 a guard found too little left, 2 a usage or settings error, 69 the state is unknown.

This module is what the console script imports, so it stays light: `ai-usage statusline` (run by tmux and
agent statuslines every few seconds) is answered from here without click or urllib; every other command,
and every statusline spelling this module does not recognise, goes to the click CLI in cli_commands.
"""

import json
import os
import sys

from .ports import DEFAULT_PORT, port_number

SCHEMA_VERSION = 1
DEFAULT_API = f"http://127.0.0.1:{DEFAULT_PORT}"
UNKNOWN = 69  # EX_UNAVAILABLE: the provider is down, not configured, or the data is stale
COLORS = {"ok": "\x1b[32m", "warning": "\x1b[33m", "critical": "\x1b[31m", "unknown": "\x1b[2m"}
SEVERITY = {"critical": 3, "warning": 2, "unknown": 1, "ok": 0}
ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # as config.ROOT, without importing it


class Unreachable(Exception):
    """No API answered at that address."""


class Fail(Exception):
    """A one-line error and an exit code, never a traceback (run() prints it, for click's commands too)."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.message = message
        self.exit_code = code


# ---- getting the data -------------------------------------------------------------------------------------

def _dotenv():
    """The project's .env (or one in the current folder), so DASHBOARD_TOKEN set there reaches the API too."""
    for path in (os.path.join(ROOT, ".env"), os.path.join(os.getcwd(), ".env")):
        if os.path.isfile(path):
            from dotenv import load_dotenv

            load_dotenv(path, override=False)


def _get(url, timeout):
    headers = {"Accept": "application/json"}
    token = os.environ.get("DASHBOARD_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        answer = _plain_get(url, headers, timeout)
        if answer is None:
            answer = _urllib_get(url, headers, timeout)
    except OSError as error:  # urllib's URLError, a timeout, a refused or reset connection
        raise Unreachable(str(getattr(error, "reason", error))) from None
    status, body = answer
    if 200 <= status < 300:
        return status, json.loads(body)
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"error": {"code": "http_error", "message": f"HTTP {status}"}}


def _urllib_get(url, headers, timeout):
    """(status, body) by urllib: https, proxies, redirects; an HTTP error status is an answer too."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
IPV6_CHARS = frozenset("0123456789abcdefABCDEF:.")


def _plain_target(url):
    """(host, port, netloc, path) when urllib would send this URL straight to the host over plain HTTP, else None."""
    if not url.startswith("http://") or sys.platform in ("darwin", "win32"):
        return None  # https, or a platform where urllib may take a proxy from the system settings
    if any(name.lower() == "http_proxy" and value for name, value in os.environ.items()):
        return None
    netloc, slash, rest = url[7:].partition("/")
    path = slash + rest or "/"
    if not netloc or "#" in path or any(c <= " " or c > "~" for c in path):
        return None
    if netloc.startswith("["):
        host, _, after = netloc[1:].partition("]")
        allowed, port = IPV6_CHARS, after[1:] if after.startswith(":") else after or "80"
    else:
        host, colon, port = netloc.partition(":")
        allowed, port = HOST_CHARS, port if colon else "80"
    if not host or any(c not in allowed for c in host) or not port.isdigit() or int(port) > 65535:
        return None
    return host, int(port), netloc, path


def _plain_get(url, headers, timeout):
    """(status, body) by one plain HTTP/1.1 GET, the request urllib would send; None to leave it to urllib.

    The statusline runs every few seconds: http.client and urllib.request cost more to import than the
    answer takes, so the common case (the local API over http://) is a socket and a few lines of parsing.
    """
    target = _plain_target(url)
    if target is None:
        return None
    import socket

    host, port, netloc, path = target
    if any(c in "\r\n" or c > "\xff" for value in headers.values() for c in value):
        return None  # http.client refuses such a header value: let it say so
    lines = [f"GET {path} HTTP/1.1", "Accept-Encoding: identity", f"Host: {netloc}",
             f"User-Agent: Python-urllib/{sys.version_info[0]}.{sys.version_info[1]}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((host, port), timeout) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        received = bytearray()
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            head, sep, body = received.partition(b"\r\n\r\n")
            length = _content_length(head) if sep else None
            if length is not None and len(body) >= length:
                break
    return _parse_answer(bytes(received))


def _content_length(head):
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value)
    return None


def _parse_answer(received):
    """(status, body) from a whole HTTP/1.x answer, or None for anything but a plain final one (urllib then asks)."""
    head, sep, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    parts = status_line.split(b" ", 2)
    if not sep or len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        return None
    status = int(parts[1])
    if status < 200 or 300 <= status < 400:
        return None  # informational answers and redirects: urllib's handling is the reference
    headers = {}
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon:
            return None
        headers[name.strip().lower()] = value.strip()
    if b"transfer-encoding" in headers:
        return None
    length = headers.get(b"content-length")
    if length is not None:
        if not length.isdigit() or len(body) < int(length):
            return None
        body = body[: int(length)]
    return status, body


def _parallel(function, items, workers=8):
    """[function(item) for item in items], at most `workers` at a time; the first failure (in order) is raised."""
    import threading

    results, errors = [None] * len(items), [None] * len(items)
    pending = iter(range(len(items)))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = function(items[index])
            except BaseException as error:  # handed to the caller, as ThreadPoolExecutor.map would
                errors[index] = error

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results


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

    return snapshot(_parallel(one, accounts), via="api", stale_after=None)


def from_local(provider=None, account=None):
    """Every selected account's answer, read here with the API's own settings, cache semantics and history."""
    from .app import install_log_filter
    from .config import load_dotenv_file, load_settings

    load_dotenv_file()
    settings = load_settings()
    install_log_filter(settings)  # a read that fails here logs to this terminal: never with a token in it
    try:
        return _read_here(settings, provider, account)
    except Exception as error:  # these settings know the tokens read from login files too (Codex's auth.json)
        raise _crashed(error, settings.secrets()) from None


def _read_here(settings, provider, account):
    """from_local's reads, account by account."""
    from . import providers
    from .app import DashboardState
    from .errors import ProviderError

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
                results.append((entry, None, providers.failure_body(error, descriptor, name, settings)))
                continue
            value, error = providers.read(state, descriptor, name, loader)
            results.append((entry, value, providers.failure_body(error, descriptor, name, settings) if error is not None else None))
    return snapshot(results, via="local", stale_after=settings.cache_ttl)


def _known_secrets():
    """The configured secrets, for a failure's one line (an exception's words may quote one); none if no settings load."""
    try:
        from .config import load_settings

        _dotenv()
        return load_settings().secrets()
    except Exception:  # the settings themselves are what broke: nothing is known to cut
        return []


def _crashed(error, secrets):
    """A local read that broke, as one clear line without any of these secrets."""
    from .scrub import scrub_text

    return Fail(scrub_text(f"could not read the providers here ({type(error).__name__}: {error}).", secrets), code=UNKNOWN)


def _selected(entry, provider, account):
    return (provider is None or entry["provider"] == provider) and (account is None or entry["account"] == account)


def snapshot(results, via, stale_after):
    """The versioned JSON snapshot: {schema_version, generated_at, stale_after_seconds, accounts: [...]}."""
    from datetime import UTC, datetime

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


def default_api(environ):
    """AI_USAGE_API, else the API this project starts: on API_PORT (from the environment or .env) when it is a port
    number, else on 4000, by the rule the API itself follows (backend.ports)."""
    port = port_number(environ.get("API_PORT")) or DEFAULT_PORT
    return environ.get("AI_USAGE_API") or f"http://127.0.0.1:{port}"


def load(options):
    """The snapshot from the API, or read locally when no API answers (or --local)."""
    _dotenv()
    api, local = options["api"] or default_api(os.environ), options["local"]
    provider, account = options["provider"], options["account"]
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
        raise _crashed(error, _known_secrets()) from None


# ---- the statusline -----------------------------------------------------------------------------------------

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


def statusline_text(data, template, color):
    """The statusline for a snapshot: every account's segment, or the --format template filled in."""
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
        return everything
    try:
        return template.format(all=everything, **parts)
    except (KeyError, IndexError, ValueError) as error:
        raise Fail(f"--format names {error} but the parts are: all, {', '.join(parts) or 'none'}.") from None


# ---- the console script ---------------------------------------------------------------------------------------

STATUSLINE_VALUES = {"--api", "--provider", "--account", "--format"}
STATUSLINE_FLAGS = {"--local", "--color"}
TOP_VALUES = {"--api", "--provider", "--account"}
TOP_FLAGS = {"--local", "--json"}


def statusline_options(argv, environ):
    """The statusline's options when argv is plainly `[group options] statusline [its options]`, else None.

    None leaves the arguments to click (help, errors, anything unusual), so an answer from here is always
    the one click would have parsed: the group's --api falls back to AI_USAGE_API, the command's own win.
    """
    top, own = {}, None
    target, values, flags = top, TOP_VALUES, TOP_FLAGS
    tokens = iter(argv)
    for token in tokens:
        if not token.startswith("--"):
            if own is not None or token != "statusline":
                return None
            own = target = {}
            values, flags = STATUSLINE_VALUES, STATUSLINE_FLAGS
            continue
        name, equals, value = token.partition("=")
        if name in flags and not equals:
            target[name] = True
            continue
        if name not in values:
            return None
        if not equals:
            value = next(tokens, "")
        if not value or value.startswith("-"):
            return None
        target[name] = value
    if own is None:
        return None
    # No --api nor AI_USAGE_API: load() picks API_PORT's API once it has read .env.
    return {"api": own.get("--api") or top.get("--api") or environ.get("AI_USAGE_API") or None,
            "local": bool(top.get("--local") or own.get("--local")),
            "provider": own.get("--provider") or top.get("--provider"),
            "account": own.get("--account") or top.get("--account"),
            "template": own.get("--format"), "color": bool(own.get("--color"))}


def echo(text, err=False, color=None):
    """click.echo's output, without importing click for the plain case (UTF-8 stream, nothing to strip)."""
    stream = sys.stderr if err else sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if stream is None or encoding not in ("utf-8", "utf8") or ("\x1b" in text and not color):
        import click  # it strips ANSI codes off a non-terminal and mends a misconfigured stream

        click.echo(text, err=err, color=color)
        return
    stream.write(text + "\n")
    stream.flush()


def _statusline(options):
    data = load(options)
    echo(statusline_text(data, options["template"], options["color"]), color=options["color"] or None)


def _fast_statusline(options):
    """The statusline with click's standalone handling of a broken pipe and Ctrl-C (exit 1 both)."""
    try:
        _statusline(options)
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except BrokenPipeError:
        from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        sys.exit(1)


def run():
    """The console script: click's own errors stay one line; anything else too, never a traceback."""
    try:
        options = statusline_options(sys.argv[1:], os.environ)
        if options is not None:
            _fast_statusline(options)
            return
        from .cli_commands import main

        main.main(standalone_mode=True, prog_name="ai-usage")
    except SystemExit:
        raise
    except Fail as error:
        echo(f"ai-usage: {error.message}", err=True)
        sys.exit(error.exit_code)
    except Exception as error:
        from .scrub import scrub_text

        echo(scrub_text(f"ai-usage: unexpected error ({type(error).__name__}: {error})", _known_secrets()), err=True)
        sys.exit(70)


if __name__ == "__main__":
    from backend.cli import run as package_run  # the package's copy: its Fail is the one cli_commands raises

    package_run()
