"""API requests that used to be server errors are clear problem+json 4xx answers."""

import json

import pytest
from django.test import Client

from dontpay.help.uploads import max_request_bytes

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

DEEP = 5000


def test_a_vpdq_line_nested_thousands_deep_is_a_problem_naming_the_line(api: ApiClient) -> None:
    line = "vpdq " + "[" * DEEP + "]" * DEEP
    response = api.post("/api/v1/bank/import", line + "\n", "text/plain")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "line 1" in json.dumps(response.json())


def test_an_api_body_nested_thousands_deep_is_a_400_problem(api: ApiClient) -> None:
    response = api.post("/api/v1/match", '{"signals":' + "[" * DEEP + "]" * DEEP + "}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "nested more than" in response.json()["detail"]


def test_an_api_body_larger_than_accepted_is_a_413_problem(api: ApiClient) -> None:
    response = Client().post(
        "/api/v1/match",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(max_request_bytes() + 1),
        headers=api.headers(),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
