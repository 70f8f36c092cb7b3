"""Settings from the environment (secrets) and config/dashboard.properties (everything else)."""

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .files import FileProblem, read_regular_file
from .helpers.descriptor import ACCOUNT_NAME, DEFAULT_ACCOUNT, AccountConfig
from .ports import DEFAULT_PORT, port_number

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROPERTIES = ROOT / "config" / "dashboard.properties"
MAX_PROPERTIES_BYTES = 1024 * 1024

# Global keys the properties file may set; the environment overrides each of them. Each provider's
# non-secret settings (with or without an __ACCOUNT suffix) are allowed there too.
PROPERTY_KEYS = {
    "CACHE_TTL_SECONDS",
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS",
    "UPSTREAM_READ_TIMEOUT_SECONDS",
    "SAMPLE_INTERVAL_SECONDS",
    "HISTORY_FULL_RESOLUTION_DAYS",
    "WARNING_PERCENT",
    "PACE_MARGIN_PERCENT",
    "RUNWAY_WARNING_DAYS",
    "PAGE_SERVER_RENDER",
}
# Alert settings: each may also be set per account (ALERT_THRESHOLDS__WORK); URLs and commands are secrets.
ALERT_KEYS = {"ALERT_THRESHOLDS", "ALERT_BALANCE_USD", "ALERT_RUNWAY_DAYS", "ALERT_UNAVAILABLE_MINUTES"}
ALERT_SECRETS = {"ALERT_URLS", "ALERT_COMMAND", "DASHBOARD_TOKEN"}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]{1,80}$")


def _registry():
    from .registry import PROVIDERS

    return PROVIDERS


@dataclass(frozen=True)
class Settings:
    """Everything the API needs; provider values (secrets among them) are kept out of repr() so they never reach a log."""

    values: Mapping = field(default_factory=dict, repr=False)  # provider settings: NAME[__ACCOUNT] -> (value, where)
    providers: tuple = field(default=(), repr=False)
    bases: Mapping = field(default_factory=dict)
    home: str = ""
    timeout: tuple = (3.0, 10.0)
    cache_ttl: float = 60.0
    demo: bool = False
    cors_origins: tuple = ("http://localhost:5173", "http://127.0.0.1:5173")
    allowed_hosts: tuple = ()
    api_host: str = "127.0.0.1"
    api_port: int = DEFAULT_PORT
    db_path: Path | None = None
    sample_interval: float = 300.0
    history_full_days: float = 35.0
    warning_percent: float = 80.0
    pace_margin_percent: float = 10.0
    runway_warning_days: float = 7.0
    page_server_render: bool = True
    dashboard_token: str | None = field(default=None, repr=False)
    alert_urls: tuple = field(default=(), repr=False)
    alert_command: str | None = field(default=None, repr=False)
    alert_thresholds: tuple = (80.0, 95.0)
    alert_unavailable_minutes: float = 30.0
    alert_values: Mapping = field(default_factory=dict)  # ALERT_*[__ACCOUNT] -> number or tuple, already checked
    properties_path: Path = DEFAULT_PROPERTIES
    properties_problem: str | None = None
    problems: tuple = ()
    # Secrets read at run time from a login file (the Codex CLI's auth.json), not from a setting: scrubbed the same.
    read_secrets: set = field(default_factory=set, repr=False, compare=False)

    def provider(self, provider_id):
        return next((p for p in self.providers if p.id == provider_id), None)

    def accounts(self, provider):
        """The provider's account names: `default` first, then each __NAME suffix in use, sorted."""
        names = {DEFAULT_ACCOUNT}
        if self.demo:
            return list(provider.demo_accounts)
        per_account = {s.name for s in provider.settings if s.per_account}
        for key in self.values:
            setting, _, suffix = key.partition("__")
            if suffix and setting in per_account:
                names.add(account_name(suffix))
        return [DEFAULT_ACCOUNT] + sorted(names - {DEFAULT_ACCOUNT})

    def account_config(self, provider, account):
        """The settings of one account, as the provider's credentials() reads them."""
        values = {}
        for name in provider.setting_names:
            key = name if account == DEFAULT_ACCOUNT else None
            for candidate in self.values:
                setting, _, suffix = candidate.partition("__")
                if setting == name and (account_name(suffix) if suffix else DEFAULT_ACCOUNT) == account:
                    key = candidate
                    break
            if key in self.values:
                values[name] = self.values[key]
        return AccountConfig(provider.id, account, values, {"HOME": self.home})

    def secrets(self):
        """Every secret value configured, so answers and logs can be scrubbed of them."""
        secret_names = {s.name for p in self.providers for s in p.settings if s.secret}
        found = {v for k, (v, _) in self.values.items() if k.partition("__")[0] in secret_names and len(v) >= 8}
        found |= {url for url in self.alert_urls if len(url) >= 8}
        if self.alert_command and len(self.alert_command) >= 8:
            found.add(self.alert_command)
        if self.dashboard_token:
            found.add(self.dashboard_token)
        found |= {value for value in self.read_secrets.copy() if len(value) >= 8}  # copied in one step: a read may add
        return sorted(found, key=len, reverse=True)

    @property
    def loopback_only(self):
        return self.api_host in LOOPBACK_HOSTS

    def exposure_problem(self):
        """Why the server must not start as configured, or None."""
        if self.loopback_only:
            return None
        if not self.dashboard_token:
            return (f"API_HOST={self.api_host} lets other machines reach this API, which holds your tokens and usage: "
                    "set DASHBOARD_TOKEN in .env (a long random string, e.g. from `python -c \"import secrets; "
                    "print(secrets.token_urlsafe(32))\"`), or unset API_HOST to stay on 127.0.0.1.")
        if len(self.dashboard_token) < 16:
            return "DASHBOARD_TOKEN is too short to guard a server on the network: use at least 16 characters."
        return None

    def alert_thresholds_for(self, account):
        return self.alert_values.get(f"ALERT_THRESHOLDS__{account}", self.alert_thresholds)

    def alert_value_for(self, name, account):
        """A per-account alert number (ALERT_BALANCE_USD__WORK), else the global one, else None (off)."""
        return self.alert_values.get(f"{name}__{account}", self.alert_values.get(name))


def account_name(suffix):
    """`WORK` -> `work`, `MY_WORK` -> `my-work`; invalid names are kept verbatim so they can be reported."""
    return suffix.lower().replace("_", "-")


def parse_properties(text):
    """Java-style `key = value` lines; returns (values, problems)."""
    values, problems = {}, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, value = _split_property(line)
        if not key or not SETTING_NAME.match(key):
            # Never echo the line: it may be a token pasted on a line of its own.
            problems.append(f"line {number} is not a `KEY = value` setting")
            continue
        values[key] = (value, number)
    return values, problems


def _split_property(line):
    for index, char in enumerate(line):
        if char in "=:" or char.isspace():
            rest = line[index + 1:].lstrip()
            if char.isspace() and rest[:1] in ("=", ":"):
                rest = rest[1:].lstrip()
            return line[:index].strip(), rest
    return line, ""


def read_properties(path, explicit, allowed):
    """(values, problem or None, warnings) for the properties file at path; allowed(key) says which keys it may set."""
    try:
        text = read_regular_file(path, MAX_PROPERTIES_BYTES).decode("utf-8")
    except FileNotFoundError:
        if explicit:
            return {}, f"The settings file {path} (DASHBOARD_CONFIG) does not exist. Fix the path or unset DASHBOARD_CONFIG.", []
        return {}, None, []
    except FileProblem as exc:
        return {}, f"The settings file {path} cannot be read ({exc}). Fix it and restart.", []
    except UnicodeDecodeError:
        return {}, f"The settings file {path} cannot be read (not UTF-8 text). Fix it and restart.", []
    values, problems = parse_properties(text)
    warnings = []
    kept = {}
    for key, (value, number) in values.items():
        if allowed(key) == "secret":
            warnings.append(f"{key} on line {number} of {path} is ignored: secrets belong in the environment or .env.")
        elif allowed(key):
            kept[key] = value
        else:
            warnings.append(f"Line {number} of {path} sets an unknown key, which is ignored (see the README's table).")
    problem = None
    if problems:
        problem = f"The settings file {path} is malformed: {'; '.join(problems)}. Use `KEY = value` lines, then restart."
    return kept, problem, warnings


def _positive_float(raw, name, default, problems, unit="seconds", most=86400):
    return _bounded(raw, name, default, problems, most, f"a positive number of {unit} (at most {most:g})")


def _bounded(raw, name, default, problems, most, wanted):
    """A number above 0 and at most `most`, else the default and a problem that says what was wanted."""
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = -1.0
    if not 0 < value <= most:
        problems.append(f"{name}={str(raw)[:40]!r} is not {wanted}; using {default:g}.")
        return default
    return value


def _seconds_or_off(raw, name, default, problems):
    """A positive number of seconds, or 0 to turn the feature off."""
    if raw is not None and str(raw).strip() in ("0", "off", "false"):
        return 0.0
    return _positive_float(raw, name, default, problems)


def _on_off(raw, name, default, problems):
    """on/off (also true/false, yes/no, 1/0); anything else keeps the default and says so."""
    if raw is None:
        return default
    value = str(raw).strip().lower()
    if value in ("on", "true", "yes", "1"):
        return True
    if value in ("off", "false", "no", "0"):
        return False
    problems.append(f"{name}: use on or off (got {str(raw)[:40]!r}); kept {'on' if default else 'off'}.")
    return default


def default_db_path(env):
    """The per-user data folder: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    home = Path(env.get("HOME") or Path.home())
    if env.get("XDG_DATA_HOME"):
        base = Path(env["XDG_DATA_HOME"])
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    elif sys.platform == "win32" and env.get("LOCALAPPDATA"):
        base = Path(env["LOCALAPPDATA"])
    else:
        base = home / ".local" / "share"
    return base / "ai-usage-dashboard" / "history.sqlite3"


def _port(raw, problems):
    if raw is None or not raw.strip():
        return DEFAULT_PORT
    port = port_number(raw)
    if port is None:
        problems.append(f"API_PORT={raw[:20]!r} is not a port number; using {DEFAULT_PORT}.")
        return DEFAULT_PORT
    return port


def _provider_keys(providers):
    """{setting name: "secret" or True} for every provider setting."""
    return {s.name: ("secret" if s.secret else True) for p in providers for s in p.settings}


def load_settings(environ=None, providers=None, **overrides):
    """Build Settings from an environment mapping (default os.environ) and the properties file."""
    env = dict(os.environ if environ is None else environ)
    providers = tuple(providers or _registry())
    provider_keys = _provider_keys(providers)
    explicit = bool(env.get("DASHBOARD_CONFIG"))
    properties_path = Path(env.get("DASHBOARD_CONFIG") or DEFAULT_PROPERTIES)

    def allowed(key):
        name = key.partition("__")[0]
        if key in PROPERTY_KEYS or name in ALERT_KEYS:
            return True
        if name in ALERT_SECRETS:
            return "secret"
        return provider_keys.get(name, False)

    props, properties_problem, problems = read_properties(properties_path, explicit, allowed)

    def setting(name):
        value = env.get(name)
        if value is not None and value.strip() != "":
            return value.strip(), f"the environment variable {name}"
        if name in props and props[name] != "":
            return props[name], f"{properties_path}"
        return None, None

    values = {}
    for key in sorted(set(env) | set(props)):
        kind = provider_keys.get(key.partition("__")[0])
        if kind is None or key in (p.base_setting for p in providers):
            continue
        suffix = key.partition("__")[2]
        if suffix and not ACCOUNT_NAME.match(account_name(suffix)):
            problems.append(f"{key}: the account name after __ must be letters, digits and dashes (up to 40); ignored.")
            continue
        value, where = (env.get(key), f"the environment variable {key}") if kind == "secret" else setting(key)
        if value is not None and str(value).strip():
            values[key] = (str(value).strip(), where)
    alerts = _alert_settings(env, props, setting, problems)
    cors_extra = tuple(o.strip().rstrip("/") for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
    fields = dict(
        values=values,
        providers=providers,
        bases={p.id: (env.get(p.base_setting) or p.default_base) for p in providers},
        home=env.get("HOME") or str(Path.home()),
        timeout=(
            _positive_float(setting("UPSTREAM_CONNECT_TIMEOUT_SECONDS")[0], "UPSTREAM_CONNECT_TIMEOUT_SECONDS", 3.0, problems),
            _positive_float(setting("UPSTREAM_READ_TIMEOUT_SECONDS")[0], "UPSTREAM_READ_TIMEOUT_SECONDS", 10.0, problems),
        ),
        cache_ttl=_positive_float(setting("CACHE_TTL_SECONDS")[0], "CACHE_TTL_SECONDS", 60.0, problems),
        demo=env.get("DASHBOARD_DEMO", "").strip().lower() in ("1", "true", "yes", "on"),
        cors_origins=Settings.cors_origins + cors_extra,
        api_host=(env.get("API_HOST") or "127.0.0.1").strip(),
        api_port=_port(env.get("API_PORT"), problems),
        allowed_hosts=tuple(h.strip().lower() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()),
        db_path=Path(env["DASHBOARD_DB"]) if env.get("DASHBOARD_DB") else default_db_path(env),
        sample_interval=_seconds_or_off(setting("SAMPLE_INTERVAL_SECONDS")[0], "SAMPLE_INTERVAL_SECONDS", 300.0, problems),
        history_full_days=_positive_float(
            setting("HISTORY_FULL_RESOLUTION_DAYS")[0], "HISTORY_FULL_RESOLUTION_DAYS", 35.0, problems, unit="days", most=3650),
        warning_percent=_percent(setting("WARNING_PERCENT")[0], "WARNING_PERCENT", 80.0, problems),
        pace_margin_percent=_percent(setting("PACE_MARGIN_PERCENT")[0], "PACE_MARGIN_PERCENT", 10.0, problems),
        runway_warning_days=_positive_float(setting("RUNWAY_WARNING_DAYS")[0], "RUNWAY_WARNING_DAYS", 7.0, problems,
                                            unit="days", most=3650),
        page_server_render=_on_off(setting("PAGE_SERVER_RENDER")[0], "PAGE_SERVER_RENDER", True, problems),
        properties_path=properties_path,
        properties_problem=properties_problem,
        problems=tuple(problems) + ((properties_problem,) if properties_problem else ()),
        **alerts,
    )
    fields.update(overrides)
    return Settings(**fields)


def _alert_settings(env, props, setting, problems):
    """ALERT_URLS and ALERT_COMMAND (environment only), and the alert numbers, each maybe per account."""
    urls = tuple(u.strip() for u in (env.get("ALERT_URLS") or "").split(",") if u.strip())
    values = {}
    for key in sorted(set(env) | set(props)):
        name, _, suffix = key.partition("__")
        if name not in ALERT_KEYS:
            continue
        raw, where = setting(key)
        if raw is None:
            continue
        account = account_name(suffix) if suffix else None
        parsed = _thresholds(raw) if name == "ALERT_THRESHOLDS" else _number(raw)
        if parsed is None:
            # Never echo the value: it may be a webhook pasted on the wrong line.
            wanted = "a list of percentages such as 80,95" if name == "ALERT_THRESHOLDS" else "a positive number"
            problems.append(f"{key} in {where} is not {wanted}; ignored.")
            continue
        values[f"{name}__{account}" if account else name] = parsed
    return {
        "alert_urls": urls,
        "alert_command": (env.get("ALERT_COMMAND") or "").strip() or None,
        "dashboard_token": (env.get("DASHBOARD_TOKEN") or "").strip() or None,
        "alert_thresholds": values.pop("ALERT_THRESHOLDS", (80.0, 95.0)),
        "alert_unavailable_minutes": values.pop("ALERT_UNAVAILABLE_MINUTES", 30.0),
        "alert_values": values,
    }


def _thresholds(raw):
    try:
        found = sorted({float(part) for part in str(raw).split(",") if part.strip()})
    except ValueError:
        return None
    return tuple(found) if found and all(0 < t <= 100 for t in found) else None


def _number(raw):
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if 0 < value < 1e9 else None


def _percent(raw, name, default, problems):
    return _bounded(raw, name, default, problems, 100, "a percentage between 0 and 100")


def load_dotenv_file(path=ROOT / ".env"):
    """Load the git-ignored .env; variables already set in the environment win."""
    if not os.path.exists(path):
        return False  # what load_dotenv answers for a missing file, without importing it at every start
    from dotenv import load_dotenv

    return load_dotenv(path, override=False)
