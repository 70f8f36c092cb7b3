"""The OpenAPI 3.1 description of the public API, served at /api/openapi.json."""

NUM = {"type": "number"}
NULL_NUM = {"type": ["number", "null"]}
NULL_STR = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time"}
COUNT = {"type": "number", "minimum": 0}


def _obj(properties, required=None):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required if required is not None else properties),
        "properties": properties,
    }


COMMON = {
    "source": {"type": "string", "enum": ["live", "demo"]},
    "fetched_at": TIME,
    "stale": {"type": "boolean", "description": "true when this is the last good result and a refresh failed"},
}
STALE_ERROR = {"error": {"$ref": "#/components/schemas/ErrorDetail"}}


def _success(properties, forecast):
    schema = _obj({**properties, **COMMON, **STALE_ERROR, "forecast": {"oneOf": [{"type": "null"}, forecast]}})
    schema["required"].remove("error")
    return schema


BASIS = _obj({
    "method": {"type": "string", "enum": ["history", "usage_weekly", "month_to_date", "window_average"]},
    "points": {"type": "integer", "minimum": 1, "description": "readings the pace was computed from"},
    "period_days": {"type": "number", "minimum": 0, "description": "the time those readings span"},
})
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}
OPENROUTER_FORECAST = _obj({
    "spend_rate_usd_per_day": NUM,
    "balance_usd": NULL_NUM,
    "runs_out_at": {**NULL_TIME, "description": "when the balance reaches 0 at this rate; null if not spending or no limit"},
    "basis": BASIS,
})
COPILOT_FORECAST = _obj({
    "requests_per_day": NUM,
    "projected_month_end": COUNT,
    "projected_overage": COUNT,
    "exceeds_limit_on": {"type": ["string", "null"], "format": "date", "description": "the day the allowance is used up"},
    "basis": BASIS,
})
CODEX_FORECAST = _obj({"windows": {"type": "array", "items": _obj({
    "id": {"type": "string"},
    "projected_used_percent": {"type": "number", "minimum": 0},
    "hits_limit_at": {**NULL_TIME, "description": "when 100 % is reached, if before the reset"},
    "basis": BASIS,
})}})


SCHEMAS = {
    "OpenRouterBalance": _success({
        "provider": {"const": "openrouter"},
        "key_label": NULL_STR,
        "limit_usd": {**NULL_NUM, "description": "null: the key has no spending limit"},
        "limit_reset": NULL_STR,
        "usage_usd": NUM,
        "remaining_usd": {**NULL_NUM, "description": "null when the key is unlimited"},
        "usage_daily_usd": NULL_NUM,
        "usage_weekly_usd": NULL_NUM,
        "usage_monthly_usd": NULL_NUM,
        "is_free_tier": {"type": "boolean"},
        "account": {"oneOf": [
            {"type": "null"},
            _obj({"total_credits_usd": NUM, "total_usage_usd": NUM, "balance_usd": NUM}),
        ]},
    }, OPENROUTER_FORECAST),
    "CopilotPremiumUsage": _success({
        "provider": {"const": "github_copilot"},
        "username": {"type": "string"},
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "monthly_limit": {"type": "integer", "minimum": 1},
        "used": COUNT,
        "remaining": COUNT,
        "percent_used": {"type": "number", "minimum": 0, "description": "may pass 100"},
        "overage": COUNT,
        "billed_usd": NUM,
        "resets_at": TIME,
        "models": {"type": "array", "items": _obj({"model": {"type": "string"}, "requests": COUNT, "billed_usd": NUM})},
    }, COPILOT_FORECAST),
    "CodexLimits": _success({
        "provider": {"const": "openai_codex"},
        "plan_type": NULL_STR,
        "limit_reached": {"type": "boolean"},
        "windows": {"type": "array", "items": _obj({
            "id": {"type": "string", "description": "primary, secondary, or <limit>:primary|secondary"},
            "label": {"type": "string"},
            "used_percent": {"type": "number", "minimum": 0},
            "window_seconds": {"type": ["integer", "null"]},
            "resets_at": {"type": ["string", "null"], "format": "date-time"},
            "resets_in_seconds": {"type": ["integer", "null"], "minimum": 0},
        })},
        "credits": {"oneOf": [
            {"type": "null"},
            _obj({"has_credits": {"type": "boolean"}, "unlimited": {"type": "boolean"}, "balance": NULL_NUM}),
        ]},
    }, CODEX_FORECAST),
    "ErrorDetail": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "message", "provider"],
        "properties": {
            "code": {"type": "string", "enum": [
                "not_configured", "unauthorized", "rate_limited", "upstream_timeout", "upstream_error",
                "bad_upstream_payload", "bad_request", "not_found", "method_not_allowed",
                "forbidden_host", "internal_error", "history_unavailable",
            ]},
            "message": {"type": "string"},
            "provider": NULL_STR,
            "retry_after_seconds": {"type": "integer", "minimum": 0},
        },
    },
    "Error": _obj({"error": {"$ref": "#/components/schemas/ErrorDetail"}}),
    "History": _obj({
        "provider": {"type": "string", "enum": ["openrouter", "github_copilot", "openai_codex"]},
        "since": TIME,
        "until": TIME,
        "points": {"type": "array", "maxItems": 2000, "items": {
            "type": "object",
            "required": ["t"],
            "description": "openrouter: usage_usd, balance_usd; github_copilot: used, monthly_limit, period; "
                           "openai_codex: windows {id: used_percent}, resets {id: Unix seconds}",
            "properties": {
                "t": TIME,
                "usage_usd": NUM, "balance_usd": NULL_NUM,
                "used": COUNT, "monthly_limit": {"type": "integer"}, "period": {"type": "string"},
                "windows": {"type": "object", "additionalProperties": NUM},
                "resets": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        }},
    }),
    "Health": _obj({
        "status": {"const": "ok"},
        "demo": {"type": "boolean"},
        "providers": {"type": "object", "additionalProperties": _obj({"configured": {"type": "boolean"}, "problem": NULL_STR})},
        "config_problems": {"type": "array", "items": {"type": "string"}},
    }),
}

REFRESH = {
    "name": "refresh", "in": "query", "required": False,
    "description": "1 bypasses the cache and reads the provider now",
    "schema": {"type": "string", "enum": ["0", "1", "true", "false"]},
}


def _error_response(description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _provider_route(summary, schema):
    return {"get": {
        "summary": summary,
        "parameters": [REFRESH],
        "responses": {
            "200": {
                "description": "the normalized figures",
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
            },
            "400": _error_response("not_configured (the message names the setting to fix) or bad_request"),
            "429": _error_response("rate_limited: the provider asked us to wait retry_after_seconds"),
            "502": _error_response("unauthorized, upstream_error or bad_upstream_payload"),
            "504": _error_response("upstream_timeout"),
        },
    }}


def build_spec():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AI usage dashboard API",
            "version": "1.0.0",
            "description": "Local, read-only API: OpenRouter credits, GitHub Copilot premium requests "
                           "and ChatGPT Codex limits, normalized. Errors are always JSON.",
        },
        "servers": [{"url": "http://localhost:4000"}],
        "paths": {
            "/api/openrouter/balance": _provider_route("OpenRouter key limit and account balance", "OpenRouterBalance"),
            "/api/github/copilot/premium-usage": _provider_route("Copilot premium requests this month", "CopilotPremiumUsage"),
            "/api/openai/codex/limits": _provider_route("Codex 5-hour, weekly and model limits", "CodexLimits"),
            "/api/history/{provider}": {"get": {
                "summary": "Recorded readings of one provider, downsampled to at most 2000 points",
                "parameters": [
                    {"name": "provider", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": ["openrouter", "github_copilot", "openai_codex"]}},
                    {"name": "since", "in": "query", "required": False, "description": "ISO-8601; default until - 7 days",
                     "schema": {"type": "string", "format": "date-time"}},
                    {"name": "until", "in": "query", "required": False, "description": "ISO-8601; default now",
                     "schema": {"type": "string", "format": "date-time"}},
                ],
                "responses": {
                    "200": {"description": "the readings", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/History"}}}},
                    "400": _error_response("bad_request: since or until is not an ISO-8601 time"),
                    "404": _error_response("not_found: unknown provider"),
                    "503": _error_response("history_unavailable: the history database cannot be used"),
                },
            }},
            "/api/health": {"get": {"summary": "Which providers are configured", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
            }}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
            }}},
        },
        "components": {"schemas": SCHEMAS},
    }
