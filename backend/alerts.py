"""Alerts: after each reading, decide which events happened (once per episode) and hand them to the channels.

The engine runs in the API process beside the sampler, so it works with no page open. Its state lives
in the history database, so a restart never repeats an alert that was already sent.
"""

import logging
import threading
import time
from datetime import UTC, datetime

from .helpers.common import iso, parse_iso

log = logging.getLogger("usage_dashboard")
EVENTS = ("threshold", "runs_out_before_reset", "limit_reached", "reset", "balance_low", "credentials_failed",
          "provider_unavailable", "recovered")
CREDENTIAL_CODES = ("unauthorized", "no_access")
RESET_TOLERANCE = 120  # providers report the same reset with a little jitter


def when(text, now_ts):
    """"Fri 14:00 UTC" for a reset or run-out moment within the coming week; "Fri 1 Jan 00:00 UTC" further away,
    where a weekday alone would name the wrong one."""
    if not text:
        return None
    moment = parse_iso(text).astimezone(UTC)
    if abs(moment.timestamp() - now_ts) < 6 * 86400:
        return moment.strftime("%a %H:%M UTC")
    return f"{moment:%a} {moment.day} {moment:%b %H:%M} UTC"


def _percent(value):
    return f"{value:.0f} %"


class AlertEngine:
    """Turns readings into events. observe() is cheap when nothing changed, so it can run on every read."""

    def __init__(self, store, settings, dispatcher, clock=time.time):
        self.store = store
        self.settings = settings
        self.dispatcher = dispatcher
        self.clock = clock
        self._lock = threading.Lock()
        self._state = None  # key -> dict, loaded from the store on first use
        self._seen = {}  # account key -> (fetched_at, error code): the fast path
        self._observed = {}  # account key -> the value last observed with no error: the faster path (identity)
        self.counts = {}  # event -> how many fired in this process (for /metrics)

    # ---- state ---------------------------------------------------------------------------------

    def _load(self):
        if self._state is None:
            try:
                self._state = self.store.alert_state()
            except Exception as exc:  # history trouble must not stop readings; alerts start afresh
                log.warning("alerts: cannot read their state (%s); starting afresh", type(exc).__name__)
                self._state = {}
        return self._state

    def _save(self, key):
        try:
            self.store.save_alert_state(key, self._state.get(key))
        except Exception as exc:
            log.warning("alerts: cannot save their state (%s)", type(exc).__name__)

    # ---- observing readings --------------------------------------------------------------------

    def observe(self, provider, account, value, error):
        """Evaluate one account after a read: value is the body (maybe stale), error why a refresh failed."""
        key = f"{provider.id}/{account}"
        if error is None and value is not None and self._observed.get(key) is value:
            return []  # the very answer seen last (a cached one served again): its marker is unchanged too
        marker = (value.get("fetched_at") if value else None, error.code if error is not None else None)
        with self._lock:
            self._observed[key] = value if error is None else None
            if self._seen.get(key) == marker and error is None:
                return []
            self._seen[key] = marker
            state = self._load()
            events = []
            fresh = value is not None and not value.get("stale") and error is None
            events += self._account_events(provider, account, key, state, fresh, error)
            if fresh:
                for quota in value.get("quotas", []):
                    events += self._quota_events(provider, account, value, quota, state)
        for event in events:
            self._emit(event)
        return events

    def _account_events(self, provider, account, key, state, fresh, error):
        entry = state.setdefault(f"{key}#account", {"fired": [], "failing_since": None})
        now = self.clock()
        events = []
        if fresh:
            if entry["fired"]:
                events.append(self._event("recovered", provider, account, None,
                                          f"{self._name(provider, account)}: readings are back."))
            changed = entry["fired"] or entry["failing_since"]
            entry.update(fired=[], failing_since=None)
            if changed:
                self._save(f"{key}#account")
            return events
        if error is None:
            return events
        if entry["failing_since"] is None:
            entry["failing_since"] = now
        if error.code in CREDENTIAL_CODES and "credentials_failed" not in entry["fired"]:
            entry["fired"].append("credentials_failed")
            events.append(self._event("credentials_failed", provider, account, None,
                                      f"{self._name(provider, account)}: the login or token was refused. {error.message}"))
        minutes = self.settings.alert_value_for("ALERT_UNAVAILABLE_MINUTES", account) or self.settings.alert_unavailable_minutes
        if now - entry["failing_since"] >= minutes * 60 and "provider_unavailable" not in entry["fired"]:
            entry["fired"].append("provider_unavailable")
            events.append(self._event("provider_unavailable", provider, account, None,
                                      f"{self._name(provider, account)}: no good reading for {minutes:g} min ({error.code})."))
        self._save(f"{key}#account")
        return events

    def _quota_events(self, provider, account, body, quota, state):
        key = f"{provider.id}/{account}/{quota['id']}"
        entry = state.setdefault(key, {"window": quota["resets_at"], "fired": [], "peak": 0.0})
        percent = quota["used_percent"]
        events = []
        if self._new_episode(entry, quota):
            if entry["fired"]:
                events.append(self._event("reset", provider, account, quota,
                                          f"{self._label(provider, quota)} has reset: {_percent(percent or 0)} used"
                                          + (f", resets {when(quota['resets_at'], self.clock())}." if quota["resets_at"] else ".")))
            entry.update(window=quota["resets_at"], fired=[], peak=0.0)
        if percent is None:
            self._save(key) if events else None
            return events
        entry["peak"] = max(entry["peak"], percent)
        # Money lasts until spent: a balance alerts on what is left (balance_low), not on how much was used.
        thresholds = () if quota["kind"] == "balance" else self.settings.alert_thresholds_for(account)
        for threshold in thresholds:
            name = f"threshold:{threshold:g}"
            if percent >= threshold and name not in entry["fired"] and percent < 100:
                entry["fired"].append(name)
                events.append(self._event("threshold", provider, account, quota,
                                          f"{self._label(provider, quota)}: {_percent(percent)} used"
                                          + (f", resets {when(quota['resets_at'], self.clock())}." if quota["resets_at"] else "."),
                                          threshold=threshold))
        if percent >= 100 or (quota["remaining"] is not None and quota["remaining"] <= 0):
            # Reaching the limit also passes every threshold: mark them, so they do not follow it.
            entry["fired"] += [f"threshold:{t:g}" for t in thresholds if f"threshold:{t:g}" not in entry["fired"]]
            if "limit_reached" not in entry["fired"]:
                entry["fired"].append("limit_reached")
                events.append(self._event("limit_reached", provider, account, quota,
                                          f"{self._label(provider, quota)}: limit reached"
                                          + (f", resets {when(quota['resets_at'], self.clock())}." if quota["resets_at"] else ".")))
        pace = quota.get("pace") or {}
        if (pace.get("lasts_to_reset") is False and percent < 100 and "runs_out_before_reset" not in entry["fired"]
                and "limit_reached" not in entry["fired"]):
            entry["fired"].append("runs_out_before_reset")
            runs_out, resets = when(pace["runs_out_at"], self.clock()), when(quota["resets_at"], self.clock())
            events.append(self._event("runs_out_before_reset", provider, account, quota,
                                      f"{self._label(provider, quota)}: at this pace it runs out {runs_out}, "
                                      f"before the reset {resets}."))
        if quota["kind"] == "balance" and quota["unit"] == "usd":
            events += self._balance_events(provider, account, quota, entry)
        if events or entry["fired"]:
            self._save(key)
        return events

    def _balance_events(self, provider, account, quota, entry):
        low_usd = self.settings.alert_value_for("ALERT_BALANCE_USD", account)
        low_days = self.settings.alert_value_for("ALERT_RUNWAY_DAYS", account)
        left = quota["remaining"]
        eta = (quota.get("pace") or {}).get("eta_seconds")
        low = (low_usd is not None and left is not None and left < low_usd) or (
            low_days is not None and eta is not None and eta < low_days * 86400)
        if not low or "balance_low" in entry["fired"]:
            return []
        entry["fired"].append("balance_low")
        runway = f", about {eta / 86400:.0f} days at the current rate" if eta is not None else ""
        return [self._event("balance_low", provider, account, quota,
                            f"{self._label(provider, quota)}: ${left:,.2f} left{runway}.")]

    @staticmethod
    def _new_episode(entry, quota):
        """A new window (its reset moved on), or a balance topped up well below what had alerted."""
        old, new = entry.get("window"), quota["resets_at"]
        if old and new and abs(parse_iso(old).timestamp() - parse_iso(new).timestamp()) > RESET_TOLERANCE:
            return True
        percent = quota["used_percent"]
        return bool(entry["fired"]) and percent is not None and percent < entry.get("peak", 0) - 20

    # ---- events --------------------------------------------------------------------------------

    def _name(self, provider, account):
        return provider.title if account == "default" else f"{provider.title} ({account})"

    def _label(self, provider, quota):
        if not quota:
            return provider.title
        label = quota["label"]
        # "Weekly" reads "weekly" mid-sentence; "AI credits" keeps its capitals.
        return f"{provider.title} {label[:1].lower() + label[1:] if label[1:2].islower() else label}"

    def _event(self, event, provider, account, quota, message, threshold=None):
        pace = (quota or {}).get("pace") or {}
        return {
            "id": None,
            "event": event,
            "provider": provider.id,
            "account": account,
            "quota": quota["id"] if quota else None,
            "label": quota["label"] if quota else None,
            "used_percent": quota["used_percent"] if quota else None,
            "threshold": threshold,
            "resets_at": quota["resets_at"] if quota else None,
            "runs_out_at": pace.get("runs_out_at"),
            "message": message,
            "at": iso(datetime.fromtimestamp(self.clock(), UTC)),
        }

    def _emit(self, event):
        self.counts[event["event"]] = self.counts.get(event["event"], 0) + 1
        try:
            event["id"] = self.store.record_alert(event)
        except Exception as exc:
            log.warning("alerts: cannot record an event (%s)", type(exc).__name__)
        log.info("alert: %s", event["message"])
        self.dispatcher.send(event)
