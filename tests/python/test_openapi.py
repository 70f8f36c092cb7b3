"""The OpenAPI document itself: valid JSON Schema everywhere, every reference resolvable."""

import json

import pytest
from jsonschema import Draft202012Validator

from backend.openapi import build_spec

SPEC = build_spec()
SCHEMAS = SPEC["components"]["schemas"]


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_component_is_a_valid_json_schema(name):
    Draft202012Validator.check_schema(SCHEMAS[name])


def test_every_reference_points_at_a_component():
    for ref in refs(SPEC):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in SPEC["components"]["schemas"], ref


def test_every_operation_documents_its_success_answer():
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            assert method == "get", f"{path} documents {method}: the API is read-only"
            assert "200" in operation["responses"], path
            assert operation["summary"]


def test_provider_routes_document_every_error_status_they_can_answer():
    from backend.errors import CODES
    from backend.registry import PROVIDERS

    not_from_a_provider_route = {"forbidden_host", "forbidden", "method_not_allowed", "history_unavailable"}
    statuses = {"200"} | {str(c.status) for code, c in CODES.items() if code not in not_from_a_provider_route}
    for provider in PROVIDERS:
        assert set(SPEC["paths"][f"/api{provider.route}"]["get"]["responses"]) == statuses


def test_the_document_is_plain_json_without_secrets():
    text = json.dumps(SPEC)
    assert "Bearer " not in text and "sk-or-" not in text


def test_build_spec_returns_a_fresh_copy_each_time():
    first = build_spec()
    first["paths"].clear()
    assert build_spec()["paths"]
