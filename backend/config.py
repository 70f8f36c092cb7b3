"""Settings from the environment (secrets) and config/dashboard.properties (everything else)."""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .helpers.common import ProviderError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROPERTIES = ROOT / "config" / "dashboard.properties"

# Keys the properties file may set; the environment overrides each of them.
PROPERTY_KEYS = {
    "GITHUB_USERNAME",
    "COPILOT_PRO_MONTHLY_LIMIT",
    "CACHE_TTL_SECONDS",
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS",
    "UPSTREAM_READ_TIMEOUT_SECONDS",
    "SAMPLE_INTERVAL_SECONDS",
    "HISTORY_FULL_RESOLUTION_DAYS",
}
SECRET_KEYS = {
    "OPENROUTER_API_KEY", "ANTHROPIC_AUTH_TOKEN", "GITHUB_PAT",
    "CHATGPT_ACCESS_TOKEN", "CHATGPT_ACCOUNT_ID",
}


@dataclass(frozen=True)
class Settings:
    """Everything the API needs; secrets are kept out of repr() so they never reach a log."""

    openrouter_key: str | None = field(default=None, repr=False)
    openrouter_key_source: str = "OPENROUTER_API_KEY"
    github_pat: str | None = field(default=None, repr=False)
    github_username: str | None = None
    copilot_limit: int | None = 300
    copilot_limit_problem: str | None = None
    chatgpt_access_token: str | None = field(default=None, repr=False)
    chatgpt_account_id: str | None = field(default=None, repr=False)
    codex_auth_path: Path = Path.home() / ".codex" / "auth.json"
    openrouter_base: str = "https://openrouter.ai/api/v1"
    github_base: str = "https://api.github.com"
    chatgpt_base: str = "https://chatgpt.com/backend-api"
    timeout: tuple = (3.0, 10.0)
    cache_ttl: float = 60.0
    demo: bool = False
    cors_origins: tuple = ("http://localhost:5173", "http://127.0.0.1:5173")
    allowed_hosts: tuple = ()
    api_host: str = "127.0.0.1"
    api_port: int = 4000
    db_path: Path | None = None
    sample_interval: float = 300.0
    history_full_days: float = 35.0
    properties_path: Path = DEFAULT_PROPERTIES
    properties_problem: str | None = None
    problems: tuple = ()

    def require_openrouter(self):
        if not self.openrouter_key:
            raise _missing(
                "openrouter",
                "OpenRouter is not configured: set OPENROUTER_API_KEY (or ANTHROPIC_AUTH_TOKEN) in your "
                "environment or .env. Create a key at https://openrouter.ai/settings/keys.",
            )
        return self.openrouter_key

    def require_copilot(self):
        """(token, username, monthly_limit), or the reason they cannot be used."""
        if self.properties_problem:
            raise _missing("github_copilot", self.properties_problem)
        if not self.github_pat:
            raise _missing(
                "github_copilot",
                "GitHub Copilot is not configured: set GITHUB_PAT in your environment or .env "
                "(a fine-grained token with the account permission \"Plan: read\", or a classic token).",
            )
        if not self.github_username:
            raise _missing(
                "github_copilot",
                f"GitHub Copilot needs your username: set GITHUB_USERNAME in {self.properties_path} "
                "(or the GITHUB_USERNAME environment variable).",
            )
        if self.copilot_limit_problem:
            raise _missing("github_copilot", self.copilot_limit_problem)
        return self.github_pat, self.github_username, self.copilot_limit

    def require_codex(self):
        """(access_token, account_id) from the environment, else from the Codex CLI's auth.json."""
        from .helpers.codex_helper import read_codex_auth

        if self.chatgpt_access_token:
            return self.chatgpt_access_token, self.chatgpt_account_id
        token, account_id = read_codex_auth(self.codex_auth_path)
        return token, self.chatgpt_account_id or account_id


    def provider_problems(self):
        """{provider: None when usable, else the message saying what to set}."""
        problems = {}
        for name, check in (
            ("openrouter", self.require_openrouter),
            ("github_copilot", self.require_copilot),
            ("openai_codex", self.require_codex),
        ):
            try:
                check()
                problems[name] = None
            except ProviderError as exc:
                problems[name] = exc.message
        return problems


def _missing(provider, message):
    return ProviderError("not_configured", message, provider)


def parse_properties(text):
    """Java-style `key = value` lines; returns (values, problems)."""
    values, problems = {}, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, value = _split_property(line)
        if not key:
            problems.append(f"line {number} has no key before its separator")
            continue
        values[key] = value
    return values, problems


def _split_property(line):
    for index, char in enumerate(line):
        if char in "=:" or char.isspace():
            rest = line[index + 1:].lstrip()
            if char.isspace() and rest[:1] in ("=", ":"):
                rest = rest[1:].lstrip()
            return line[:index].strip(), rest
    return line, ""


def read_properties(path, explicit):
    """(values, fatal problem or None, warnings) for the properties file at path."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            return {}, f"The settings file {path} (DASHBOARD_CONFIG) does not exist. Fix the path or unset DASHBOARD_CONFIG.", []
        return {}, None, []
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        return {}, f"The settings file {path} cannot be read ({reason}). Fix its permissions or contents.", []
    values, problems = parse_properties(text)
    if problems:
        return values, f"The settings file {path} is malformed: {'; '.join(problems)}. Use `KEY = value` lines.", []
    warnings = []
    for key in sorted(set(values) - PROPERTY_KEYS):
        if key in SECRET_KEYS:
            warnings.append(f"{key} in {path} is ignored: secrets belong in the environment or .env, not in this file.")
        else:
            warnings.append(f"Unknown key {key} in {path} is ignored (known: {', '.join(sorted(PROPERTY_KEYS))}).")
    return {k: v for k, v in values.items() if k in PROPERTY_KEYS}, None, warnings


def _positive_int(raw, name, where):
    """(value, problem) for a setting that must be a whole number above zero."""
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None, f"{name} must be a whole number, but {where} sets it to {str(raw)[:40]!r}."
    if value <= 0:
        return None, f"{name} must be above zero, but {where} sets it to {value}."
    return value, None


def _positive_float(raw, name, default, problems):
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = -1.0
    if not value > 0 or value > 86400:
        problems.append(f"{name}={str(raw)[:40]!r} is not a positive number of seconds; using {default:g}.")
        return default
    return value


def _seconds_or_off(raw, name, default, problems):
    """A positive number of seconds, or 0 to turn the feature off."""
    if raw is not None and str(raw).strip() in ("0", "off", "false"):
        return 0.0
    return _positive_float(raw, name, default, problems)


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
        return 4000
    if raw.strip().isdigit() and 0 < int(raw) < 65536:
        return int(raw)
    problems.append(f"API_PORT={raw[:20]!r} is not a port number; using 4000.")
    return 4000


def load_settings(environ=None, **overrides):
    """Build Settings from an environment mapping (default os.environ) and the properties file."""
    env = dict(os.environ if environ is None else environ)
    explicit = bool(env.get("DASHBOARD_CONFIG"))
    properties_path = Path(env.get("DASHBOARD_CONFIG") or DEFAULT_PROPERTIES)
    props, properties_problem, problems = read_properties(properties_path, explicit)

    def setting(name):
        value = env.get(name)
        if value is not None and value.strip() != "":
            return value.strip(), f"the environment variable {name}"
        if name in props and props[name] != "":
            return props[name], f"{properties_path}"
        return None, None

    limit_raw, limit_where = setting("COPILOT_PRO_MONTHLY_LIMIT")
    copilot_limit, limit_problem = (300, None) if limit_raw is None else _positive_int(
        limit_raw, "COPILOT_PRO_MONTHLY_LIMIT", limit_where)
    if limit_problem:
        limit_problem += " Set it to your plan's monthly premium requests (Copilot Pro: 300, Pro+: 1500)."

    openrouter_key, key_source = env.get("OPENROUTER_API_KEY"), "OPENROUTER_API_KEY"
    if not openrouter_key:
        openrouter_key, key_source = env.get("ANTHROPIC_AUTH_TOKEN"), "ANTHROPIC_AUTH_TOKEN"
    codex_home = Path(env.get("CODEX_HOME") or Path(env.get("HOME") or Path.home()) / ".codex")
    cors_extra = tuple(o.strip().rstrip("/") for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
    values = dict(
        openrouter_key=(openrouter_key or "").strip() or None,
        openrouter_key_source=key_source,
        github_pat=(env.get("GITHUB_PAT") or "").strip() or None,
        github_username=setting("GITHUB_USERNAME")[0],
        copilot_limit=copilot_limit,
        copilot_limit_problem=limit_problem,
        chatgpt_access_token=(env.get("CHATGPT_ACCESS_TOKEN") or "").strip() or None,
        chatgpt_account_id=(env.get("CHATGPT_ACCOUNT_ID") or "").strip() or None,
        codex_auth_path=codex_home / "auth.json",
        openrouter_base=env.get("OPENROUTER_API_BASE") or Settings.openrouter_base,
        github_base=env.get("GITHUB_API_BASE") or Settings.github_base,
        chatgpt_base=env.get("CHATGPT_API_BASE") or Settings.chatgpt_base,
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
            setting("HISTORY_FULL_RESOLUTION_DAYS")[0], "HISTORY_FULL_RESOLUTION_DAYS", 35.0, problems),
        properties_path=properties_path,
        properties_problem=properties_problem,
        problems=tuple(problems),
    )
    values.update(overrides)
    return Settings(**values)


def load_dotenv_file(path=ROOT / ".env"):
    """Load the git-ignored .env; variables already set in the environment win."""
    from dotenv import load_dotenv

    return load_dotenv(path, override=False)
