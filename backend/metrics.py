"""GET /metrics: the same cached state as the page, in the Prometheus text format.

A custom collector reads each configured account through the cache, so a scrape never calls an
upstream more often than the cache allows. Labels are ids only: no usernames, emails or free text.
"""

import threading

from . import providers
from .helpers.common import parse_iso

VERSION = "0.4.0"  # as in pyproject.toml


class UsageCollector:
    def __init__(self, state):
        self.state = state

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        labels = ["provider", "account", "quota"]
        ratio = GaugeMetricFamily("ai_usage_quota_used_ratio", "Share of the quota used (0..1, may pass 1).",
                                  labels=[*labels, "unit"])
        limit = GaugeMetricFamily("ai_usage_quota_limit", "The quota's limit, in its unit.", labels=[*labels, "unit"])
        used = GaugeMetricFamily("ai_usage_quota_used", "How much of the quota is used, in its unit.", labels=[*labels, "unit"])
        resets = GaugeMetricFamily("ai_usage_quota_reset_timestamp_seconds", "When the quota resets.", labels=labels)
        runs_out = GaugeMetricFamily("ai_usage_quota_runs_out_timestamp_seconds",
                                     "When the quota runs out at the current pace.", labels=labels)
        lasts = GaugeMetricFamily("ai_usage_quota_lasts_to_reset", "1 when the quota lasts until its reset at this pace.",
                                  labels=labels)
        balance = GaugeMetricFamily("ai_usage_balance_usd", "Money left (OpenRouter).", labels=["provider", "account"])
        up = GaugeMetricFamily("ai_usage_provider_up", "1 when the account's last reading succeeded.",
                               labels=["provider", "account"])
        last_ok = GaugeMetricFamily("ai_usage_last_success_timestamp_seconds", "When the account was last read.",
                                    labels=["provider", "account"])
        errors = CounterMetricFamily("ai_usage_upstream_errors", "Failed upstream reads, by error code.",
                                     labels=["provider", "account", "code"])
        alerts = CounterMetricFamily("ai_usage_alerts", "Alert events, by kind.", labels=["event"])
        info = GaugeMetricFamily("ai_usage_build_info", "The dashboard's version.", labels=["version"])
        info.add_metric([VERSION], 1)
        for provider, account, loader in providers.configured_accounts(self.state):
            value, _error = providers.read(self.state, provider, account, loader)
            key = providers.cache_key(provider, account)
            outcome = self.state.cache.outcomes.get(key, {})
            pair = [provider.id, account]
            up.add_metric(pair, 1 if value is not None and not value.get("stale") else 0)
            if outcome.get("ok_at"):
                last_ok.add_metric(pair, outcome["ok_at"])
            for code, count in sorted(outcome.get("errors", {}).items()):
                errors.add_metric([*pair, code], count)
            if value is None:
                continue
            if value.get("balance_usd") is not None:
                balance.add_metric(pair, value["balance_usd"])
            for quota in value.get("quotas", []):
                names = [*pair, quota["id"]]
                unit = [*names, quota["unit"]]
                if quota["used_percent"] is not None:
                    ratio.add_metric(unit, quota["used_percent"] / 100)
                if quota["limit"] is not None:
                    limit.add_metric(unit, quota["limit"])
                if quota["used"] is not None:
                    used.add_metric(unit, quota["used"])
                if quota["resets_at"]:
                    resets.add_metric(names, parse_iso(quota["resets_at"]).timestamp())
                pace = quota.get("pace") or {}
                if pace.get("runs_out_at"):
                    runs_out.add_metric(names, parse_iso(pace["runs_out_at"]).timestamp())
                if pace.get("lasts_to_reset") is not None:
                    lasts.add_metric(names, 1 if pace["lasts_to_reset"] else 0)
        if self.state.alerts is not None:
            for event, count in sorted(self.state.alerts.counts.items()):
                alerts.add_metric([event], count)
        yield from (ratio, limit, used, resets, runs_out, lasts, balance, up, last_ok, errors, alerts, info)


class LazyRegistry:
    """Our own CollectorRegistry, built at the first scrape: prometheus_client is not imported before the API listens."""

    def __init__(self, state):
        self.state = state
        self._registry = None
        self._lock = threading.Lock()

    def registry(self):
        with self._lock:
            if self._registry is None:
                from prometheus_client.registry import CollectorRegistry

                self._registry = CollectorRegistry(auto_describe=False)
                self._registry.register(UsageCollector(self.state))
            return self._registry

    def collect(self):
        """What generate_latest() reads: the real registry's metrics."""
        return self.registry().collect()


def registry_for(state):
    """A registry of our own (not the process-wide default), so tests and apps never share metrics."""
    return LazyRegistry(state)
