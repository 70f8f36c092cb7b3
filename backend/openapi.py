"""The OpenAPI 3.1 description of the public API, served at /api/openapi.json, built from the registry."""

from .alerts import EVENTS
from .errors import CODES
from .quotas import STATUSES, UNITS

NUM = {"type": "number"}
NULL_NUM = {"type": ["number", "null"]}
NULL_STR = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time"}
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}
COUNT = {"type": "number", "minimum": 0}
NULL_COUNT = {"type": ["number", "null"], "minimum": 0}


def _obj(properties, required=None):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required if required is not None else properties),
        "properties": properties,
    }


BASIS = _obj({
    "method": {"type": "string", "enum": ["history", "usage_weekly", "month_to_date", "window_average"]},
    "points": {"type": "integer", "minimum": 1, "description": "readings the pace was computed from"},
    "period_days": {"type": "number", "minimum": 0, "description": "the time those readings span"},
})
PACE = _obj({
    "expected_used_percent": {**NULL_NUM, "description": "use at an even pace by now; null for a balance"},
    "delta_percent": {**NULL_NUM, "description": "> 0: ahead of an even pace (spending too fast)"},
    "eta_seconds": {"type": ["integer", "null"], "minimum": 0, "description": "until it runs out at the current rate"},
    "runs_out_at": NULL_TIME,
    "lasts_to_reset": {"type": ["boolean", "null"], "description": "null for a balance (no reset)"},
    "projected_used_percent": {**NULL_NUM, "description": "use at the reset at the current rate"},
    "rate_per_day": {"type": "number", "minimum": 0, "description": "in the quota's unit"},
    "ahead_of_pace": {"type": "boolean", "description": "delta_percent is past PACE_MARGIN_PERCENT"},
    "basis": {"$ref": "#/components/schemas/Basis"},
})
QUOTA = _obj({
    "id": {"type": "string", "description": "unique in the answer, stable across reads"},
    "label": {"type": "string"},
    "unit": {"type": "string", "enum": list(UNITS)},
    "kind": {"type": "string", "enum": ["window", "balance"], "description": "balance: lasts until spent, no reset"},
    "used": NULL_NUM,
    "limit": NULL_NUM,
    "remaining": NULL_NUM,
    "used_percent": NULL_NUM,
    "window_seconds": {"type": ["integer", "null"]},
    "resets_at": NULL_TIME,
    "resets_in_seconds": {"type": ["integer", "null"], "minimum": 0},
    "status": {"type": "string", "enum": list(STATUSES)},
    "pace": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Pace"}]},
})
COMMON = {
    "account_name": {"type": "string", "description": "the account this answer is for (`default` unless ?account=)"},
    "title": {"type": "string"},
    "source": {"type": "string", "enum": ["live", "demo"]},
    "fetched_at": TIME,
    "stale": {"type": "boolean", "description": "true when this is the last good result and a refresh failed"},
    "quotas": {"type": "array", "items": {"$ref": "#/components/schemas/Quota"}},
    "status": {"type": "string", "enum": list(STATUSES), "description": "the worst quota's status"},
    "headline_quota": {**NULL_STR, "description": "the id of the quota that matters most now"},
    "partial": {"type": "boolean", "description": "true when a malformed field was left out; see notes"},
    "refresh_note": {"type": "string", "description": "why ?refresh=1 was answered from the cache"},
    "notes": {"type": "array", "items": {"type": "string"}},
    "error": {"$ref": "#/components/schemas/ErrorDetail"},
}


def _optional(schema, *names):
    """The same object schema with some properties not required."""
    schema["required"] = [name for name in schema["required"] if name not in names]
    return schema


def _success(provider):
    properties = {"provider": {"const": provider.id}, **provider.schema, **COMMON,
                  "forecast": {"oneOf": [{"type": "null"}, provider.legacy_forecast_schema]}}
    schema = _obj(properties)
    schema["required"].remove("error")
    schema["required"].remove("refresh_note")
    return schema


ERROR_DETAIL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "message", "provider", "title", "transient"],
    "properties": {
        "code": {"type": "string", "enum": list(CODES)},
        "message": {"type": "string"},
        "provider": NULL_STR,
        "account": {"type": "string"},
        "title": {"type": "string", "description": "a short heading for the code"},
        "transient": {"type": "boolean", "description": "false: retrying cannot help until a setting is fixed"},
        "retry_after_seconds": {"type": "integer", "minimum": 0},
    },
}
ACCOUNT_QUERY = {
    "name": "account", "in": "query", "required": False,
    "description": "the account (default: `default`); see /api/accounts",
    "schema": {"type": "string"},
}
REFRESH = {
    "name": "refresh", "in": "query", "required": False,
    "description": "1 bypasses the cache and reads the provider now",
    "schema": {"type": "string", "enum": ["0", "1", "true", "false"]},
}


def _error_response(description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(description, ref):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _provider_route(provider):
    return {"get": {
        "summary": f"{provider.title}: {provider.subtitle.lower()}",
        "parameters": [ACCOUNT_QUERY, REFRESH],
        "responses": {
            "200": _json("the normalized figures", provider.schema_name),
            "400": _error_response("not_configured or config_invalid (the message names the setting to fix), or bad_request"),
            "401": _error_response("auth_required: DASHBOARD_TOKEN is set and the request did not carry it"),
            "404": _error_response("not_found: no such account"),
            "429": _error_response("rate_limited: the provider asked us to wait retry_after_seconds"),
            "502": _error_response("unauthorized, no_access, upstream_error or bad_upstream_payload"),
            "500": _error_response("internal_error: a bug of ours, logged with its traceback"),
            "504": _error_response("upstream_timeout"),
        },
    }}


def build_spec(providers=None):
    if providers is None:
        from .registry import PROVIDERS as providers
    ids = [p.id for p in providers]
    schemas = {p.schema_name: _success(p) for p in providers}
    schemas.update({
        "Basis": BASIS,
        "Pace": PACE,
        "Quota": QUOTA,
        "ErrorDetail": ERROR_DETAIL,
        "Error": _obj({"error": {"$ref": "#/components/schemas/ErrorDetail"}}),
        "Accounts": _obj({"demo": {"type": "boolean"}, "accounts": {"type": "array", "items": _obj({
            "provider": {"type": "string", "enum": ids},
            "account": {"type": "string"},
            "title": {"type": "string"},
            "short": {"type": "string", "description": "two letters for a statusline"},
            "subtitle": {"type": "string"},
            "route": {"type": "string"},
            "configured": {"type": "boolean"},
            "problem": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/ErrorDetail"}]},
        })}}),
        "History": _optional(_obj({
            "provider": {"type": "string", "enum": ids},
            "account": {"type": "string"},
            "since": TIME,
            "until": TIME,
            "unreadable": {"type": "integer", "minimum": 0,
                           "description": "stored readings in the range that were damaged and left out"},
            "series": {"type": "array", "items": _obj({"id": {"type": "string"}, "label": {"type": "string"},
                                                       "unit": {"oneOf": [{"type": "null"}, {"type": "string"}]}})},
            "quota": {"type": "string", "description": "with ?quota=: the one quota the rows are of"},
            "rows": {"type": "array", "maxItems": 2000, "description": "with ?quota=: [Unix s, used, reset Unix s or null]",
                     "items": {"type": "array", "minItems": 3, "maxItems": 3, "items": {"type": ["number", "null"]}}},
            "points": {"type": "array", "maxItems": 2000, "items": _obj({
                "t": TIME,
                "quotas": {"type": "object", "additionalProperties": _obj(
                    {"used": NUM, "limit": NULL_NUM, "resets_at": NULL_TIME})},
            })},
        }), "quota", "rows", "points"),
        "Health": _obj({
            "status": {"type": "string", "enum": ["ok", "degraded"]},
            "demo": {"type": "boolean"},
            "providers": {"type": "object", "additionalProperties": _obj({"configured": {"type": "boolean"}, "problem": NULL_STR})},
            "alert_channels": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
            "config_problems": {"type": "array", "items": {"type": "string"}},
            "page_render": _obj({
                "state": {"type": "string", "enum": ["off", "idle", "warming", "ready"]}, "reason": NULL_STR,
                "renders": {"type": "integer", "minimum": 0}, "late": {"type": "integer", "minimum": 0},
            }),
        }),
        "Channel": _obj({
            "name": {"type": "string", "description": "its kind and position only, never the URL or command"},
            "sent": {"type": "integer"}, "failures": {"type": "integer"}, "last_error": NULL_STR,
            "last_ok_at": {"type": ["number", "null"]},
        }),
        "Alert": _obj({
            "id": {"type": "integer"},
            "event": {"type": "string", "enum": list(EVENTS)},
            "provider": {"type": "string"}, "account": {"type": "string"},
            "quota": NULL_STR, "label": NULL_STR, "used_percent": NULL_NUM, "threshold": NULL_NUM,
            "resets_at": NULL_TIME, "runs_out_at": NULL_TIME, "message": {"type": "string"}, "at": TIME,
        }),
        "Alerts": _obj({
            "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}},
            "channels": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
            "demo": {"type": "boolean"},
        }),
    })
    paths = {f"/api{p.route}": _provider_route(p) for p in providers}
    paths.update({
        "/api/accounts": {"get": {"summary": "Every provider account, configured or not", "responses": {
            "200": _json("the accounts", "Accounts")}}},
        "/api/history/{provider}": {"get": {
            "summary": "Recorded readings of one account, downsampled to at most 2000 points",
            "parameters": [
                {"name": "provider", "in": "path", "required": True, "schema": {"type": "string", "enum": ids}},
                ACCOUNT_QUERY,
                {"name": "quota", "in": "query", "required": False,
                 "description": "one quota's compact rows instead of points", "schema": {"type": "string"}},
                {"name": "points", "in": "query", "required": False, "description": "at most this many (2..2000)",
                 "schema": {"type": "integer", "minimum": 2, "maximum": 2000}},
                {"name": "since", "in": "query", "required": False, "description": "ISO-8601; default until - 7 days",
                 "schema": {"type": "string", "format": "date-time"}},
                {"name": "until", "in": "query", "required": False, "description": "ISO-8601; default now",
                 "schema": {"type": "string", "format": "date-time"}},
            ],
            "responses": {
                "200": _json("the readings", "History"),
                "400": _error_response("bad_request: since or until is not an ISO-8601 time"),
                "404": _error_response("not_found: unknown provider or account"),
                "503": _error_response("history_unavailable: the history database cannot be used"),
            },
        }},
        "/api/alerts": {"get": {
            "summary": "Recent alert events, newest first",
            "parameters": [
                {"name": "since", "in": "query", "required": False, "description": "ISO-8601; default 30 days ago",
                 "schema": {"type": "string", "format": "date-time"}},
                {"name": "limit", "in": "query", "required": False, "description": "1 to 500, default 50",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
            ],
            "responses": {"200": _json("the events", "Alerts"),
                          "400": _error_response("bad_request: since or limit is not valid"),
                          "503": _error_response("history_unavailable")},
        }},
        "/api/health": {"get": {"summary": "Which accounts are configured", "responses": {"200": _json("ok", "Health")}}},
        "/api/openapi.json": {"get": {"summary": "This document", "responses": {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
        }}},
    })
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AI usage dashboard API",
            "version": "1.1.0",
            "description": "Local, read-only API: " + ", ".join(p.title for p in providers)
                           + ", normalized into quotas. Errors are always JSON.",
        },
        "servers": [{"url": "http://localhost:4000"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
