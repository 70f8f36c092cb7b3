"""What a provider is: one descriptor per helper module, registered once in backend/registry.py."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import ProviderError

DEFAULT_ACCOUNT = "default"
HEADER_VALUE = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII: no spaces, line breaks or zero-width characters
ACCOUNT_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


@dataclass(frozen=True)
class Setting:
    """One per-account setting. Secrets come only from the environment (or .env), never the properties file."""

    name: str
    secret: bool = False
    help: str = ""
    per_account: bool = True  # False: only the default account reads it, so NAME__X defines no account


@dataclass(frozen=True)
class AccountConfig:
    """The settings of one account of one provider, with where each value came from (for messages)."""

    provider: str
    account: str
    values: Mapping = field(repr=False)  # name -> (value, where); may hold secrets
    global_values: Mapping = field(default_factory=dict, repr=False)

    def key(self, name):
        """The variable a person sets for this account: GITHUB_PAT, or GITHUB_PAT__WORK."""
        return name if self.account == DEFAULT_ACCOUNT else f"{name}__{self.account.upper().replace('-', '_')}"

    def get(self, name):
        found = self.values.get(name)
        return found[0] if found else None

    def where(self, name):
        found = self.values.get(name)
        return found[1] if found else f"the environment variable {self.key(name)}"

    def token(self, name, fix):
        """A secret that will be sent in a header: refused here, with the fix, if it cannot be one."""
        value = self.get(name)
        if value is not None and not HEADER_VALUE.match(value):
            raise self.invalid(f"{self.key(name)} contains spaces, line breaks or other characters a token cannot have "
                               f"(often a stray character from copying it). {fix}")
        return value

    def missing(self, message):
        return ProviderError("not_configured", message, self.provider, account=self.account)

    def invalid(self, message):
        return ProviderError("config_invalid", message, self.provider, account=self.account)


def reads_no_file(config):
    """login_file of a provider whose credentials come from settings alone (fixed while the app runs)."""
    return None


@dataclass(frozen=True)
class FetchContext:
    """What every upstream read gets besides its credentials."""

    base_url: str
    timeout: tuple
    session: object
    now: object


@dataclass(frozen=True)
class Provider:
    """A provider, described once: routes, settings, OpenAPI, demo, history, pace and the page all read this."""

    id: str
    title: str
    short: str  # two letters for a statusline: OR, CP, CX
    subtitle: str
    route: str  # below /api; the stable public path
    settings: tuple  # of Setting; any of them with the suffix __NAME defines account NAME
    base_setting: str  # the environment variable holding the upstream's base URL (tests point it at a fake)
    default_base: str
    credentials: Callable  # (AccountConfig) -> dict of fetch arguments; raises not_configured / config_invalid
    fetch: Callable  # (credentials dict, FetchContext) -> normalized body with quotas
    demo: Callable  # (account name, now) -> normalized body, through the real normalizer
    schema: dict  # OpenAPI properties of the provider-specific fields
    schema_name: str
    legacy_forecast: Callable  # (body, {quota id: pace}, now) -> the provider's `forecast` object or None
    legacy_forecast_schema: dict
    demo_accounts: tuple = (DEFAULT_ACCOUNT,)
    fallback_rate: Callable | None = None  # (body, quota, now) -> (used per second, basis) when history is short
    upgrade_history: Callable | None = None  # figures saved by an older version -> {"quotas": ...}
    # (AccountConfig) -> the one file credentials() reads, or None when it reads none (reads_no_file): while that
    # file is unchanged, a cached answer needs no fresh credentials check. Left unset, they are checked every request.
    login_file: Callable | None = None
    # Keys of credentials() whose values come from that file, not a setting: scrubbed as the settings' secrets are.
    file_secrets: tuple = ()

    @property
    def setting_names(self):
        return tuple(setting.name for setting in self.settings)
