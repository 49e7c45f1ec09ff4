"""Issue 11 (6): an API that matches its contract. The committed document (docs/openapi.json,
`renkei api-schema > docs/openapi.json`) is what the code serves; every operation declares
the errors it can answer with the one error body; patterns and enums are the ones the code
enforces."""

import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

from renkei.portal.management.commands.api_schema import openapi_document

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "docs" / "openapi.json"
DOCUMENT = json.loads(openapi_document())
OPERATIONS = [
    (path, method, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]


def test_the_committed_document_is_what_the_code_serves():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is out of date: run `renkei api-schema > docs/openapi.json`"
    )


def test_the_served_document_is_the_same(client):
    assert client.get("/api/openapi.json").json()["paths"].keys() == DOCUMENT["paths"].keys()


def _error_schema(response):
    schema = response["content"]["application/json"]["schema"]
    return DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _o in OPERATIONS]
)
def test_every_operation_declares_the_errors_it_can_answer(path, method, operation):
    statuses = set(operation["responses"])
    expected = {"200", "400", "403", "429"} | ({"404"} if "{" in path else set())
    assert expected <= statuses
    for status in expected - {"200"}:
        error = _error_schema(operation["responses"][status])
        assert set(error["properties"]) == {"detail"}


def _parameters(name):
    return [
        parameter["schema"]
        for _path, _method, operation in OPERATIONS
        for parameter in operation.get("parameters", [])
        if parameter["name"] == name
    ]


def _pattern(schema):
    options = schema.get("anyOf", [schema])
    return next(option["pattern"] for option in options if "pattern" in option)


def test_the_prefecture_pattern_is_the_one_the_code_enforces(client):
    patterns = {_pattern(schema) for schema in _parameters("prefecture")}
    assert len(patterns) == 1
    pattern = re.compile(patterns.pop())
    assert not pattern.match("00") and not pattern.match("48")
    assert all(pattern.match(f"{n:02d}") for n in range(1, 48))
    for path, _method, operation in OPERATIONS:
        if any(p["name"] == "prefecture" for p in operation.get("parameters", [])):
            assert client.get(path, {"prefecture": "00"}).status_code == 400
            assert client.get(path, {"prefecture": "13"}).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/programs/no-such-program", 404),
        ("/api/needs/999999", 404),
        ("/api/programs?stage=nope", 400),
        ("/api/windows?prefecture=00", 400),
        ("/api/needs/1/matches", 403),
    ],
)
def test_every_error_answers_with_the_one_error_body(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    (item,) = response.json()["detail"][:1]
    assert set(item) == {"field", "message"} and item["message"]


@override_settings(RENKEI_API_RATE_PER_MINUTE=3)
def test_too_many_calls_are_answered_429_with_the_error_body(client):
    answers = [client.get("/api/ministries", REMOTE_ADDR="192.0.2.44") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1]["Retry-After"] == "60"
    assert answers[-1].json()["detail"][0]["message"]
