"""Property tests: any payload around the real shapes gives a valid answer or bad_upstream_payload."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from backend.config import Settings
from backend.helpers.codex_helper import normalize_limits
from backend.helpers.common import ProviderError, _parse_json
from backend.helpers.copilot_helper import normalize_usage
from backend.helpers.openrouter_helper import normalize_balance
from backend.openapi import build_spec
from backend.providers import complete
from backend.registry import by_id

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "upstream"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SAMPLES = {name: json.loads((FIXTURES / name).read_text()) for name in (
    "openrouter-key.json", "openrouter-credits.json", "copilot-premium-usage.json", "codex-wham-usage.json",
    "codex/live-business-enterprise-spend-control-individual-limit.json",
    "codex/openai-codex-pro-credits-9.99-spend-control-member-credits-depleted.json",
    "codex/live-team-5h-weekly-code-review-rate-limit.json")}
COPILOT = {"username": "octocat", "plan": "pro", "allowance": {}}
SPEC = build_spec()

# Values an upstream might send where we expect something else.
odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["12.5", "NaN", "1e400", "", " 7 ", "-1"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def paths(node, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


@st.composite
def mutated(draw, name):
    """The sample with a few values replaced by odd ones, or removed."""
    document = copy.deepcopy(SAMPLES[name])
    candidates = [p for p in paths(document) if p]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(candidates))
        parent = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(odd_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation already changed this branch
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        document = draw(odd_values)  # the whole answer is the wrong kind of thing
    return document


def check(provider, schema_name, normalize):
    """normalize() either fails as bad_upstream_payload or gives a body that matches the contract."""
    try:
        value = normalize()
    except ProviderError as exc:
        assert exc.code == "bad_upstream_payload"
        return
    value.update(account_name="default", title="T", source="live", stale=False)
    body = complete(by_id(provider), value, [], NOW, Settings())
    json.dumps(body, allow_nan=False)  # valid JSON: no NaN or Infinity slipped through
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]})
    errors = [e.message for e in validator.iter_errors(body)]
    assert errors == []


COMMON = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(key=mutated("openrouter-key.json"), credits=st.one_of(st.none(), mutated("openrouter-credits.json")))
def test_openrouter_payloads(key, credits):
    check("openrouter", "OpenRouterBalance", lambda: normalize_balance(key, credits, NOW))


@COMMON
@given(payload=mutated("copilot-premium-usage.json"), limit=st.integers(min_value=1, max_value=10**6),
       unit=st.sampled_from(["ai_credits", "premium_requests"]))
def test_copilot_payloads(payload, limit, unit):
    creds = {**COPILOT, "allowance": {"COPILOT_MONTHLY_ALLOWANCE": (limit, None)}}
    check("github_copilot", "CopilotPremiumUsage", lambda: normalize_usage(payload, creds, 2026, 11, NOW, unit=unit))


@COMMON
@given(payload=st.one_of(mutated("codex-wham-usage.json"),
                         mutated("codex/live-business-enterprise-spend-control-individual-limit.json"),
                         mutated("codex/openai-codex-pro-credits-9.99-spend-control-member-credits-depleted.json"),
                         mutated("codex/live-team-5h-weekly-code-review-rate-limit.json")))
def test_codex_payloads(payload):
    check("openai_codex", "CodexLimits", lambda: normalize_limits(payload, NOW))


@settings(max_examples=600, deadline=None)
@given(body=st.one_of(st.binary(max_size=64), st.text(max_size=64).map(str.encode),
                      st.sampled_from([b"", b"<html>502</html>", b"[1,2", b"NaN", b"-Infinity", b"{\"a\": 1e999}"])))
def test_any_body_parses_or_is_a_bad_payload(body):
    try:
        _parse_json(body, "p", "Upstream")
    except ProviderError as exc:
        assert exc.code == "bad_upstream_payload"
