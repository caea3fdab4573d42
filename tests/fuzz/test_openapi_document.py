"""docs/openapi.json says what the API really answers: its status codes, and one error body."""

import json

import pytest

from local import infra

pytestmark = pytest.mark.integration
DOC = json.loads((infra.ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
ERROR_REF = "#/components/schemas/ErrorOut"
# not UTF-8 or too deep, too large, not JSON, invalid; throttled (API Gateway, the WAF)
BEFORE_ANY_ROUTE = {400, 413, 415, 422, 429}
OPERATIONS = {(method.upper(), path): op for path, item in DOC["paths"].items() for method, op in item.items()}


def statuses(method: str, path: str) -> set[int]:
    return {int(code) for code in OPERATIONS[(method, path)]["responses"]}


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_every_error_of_every_operation_has_the_error_body(method, path):
    responses = OPERATIONS[(method, path)]["responses"]
    errors = {code: r for code, r in responses.items() if code[0] in "45" and code != "429"}
    assert "422" in errors
    for code, response in errors.items():
        assert response["content"] == {"application/json": {"schema": {"$ref": ERROR_REF}}}, code


def test_the_error_body_is_what_the_api_sends():
    schemas = DOC["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["error"]
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "details"}
    assert schemas["ErrorDetail"]["required"] == ["code", "message"]
    assert not {"HTTPValidationError", "ValidationError"} & set(schemas), "powertools' 422 body is not ours"
    assert "detail" not in json.dumps(DOC["paths"]).replace("details", "")


def test_filing_answers_201_and_409_while_the_same_key_is_in_progress():
    # 401: a bad staff token (the optional-identity authorizer); no token at all is a citizen
    assert statuses("POST", "/complaints") == {201, 401, 409, 503} | BEFORE_ANY_ROUTE


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_every_operation_documents_what_is_refused_before_it_runs(method, path):
    assert statuses(method, path) >= BEFORE_ANY_ROUTE


@pytest.mark.parametrize(
    "route", [r for r in infra.routes() if r.function == "IntakeFunction" and r.authorizer == "CognitoStaff"]
)
def test_staff_routes_document_401_and_403(route):
    assert {401, 403} <= statuses(route.method, route.path)


@pytest.mark.parametrize(("method", "path"), [k for k in sorted(OPERATIONS) if "{case_id}" in k[1]])
def test_routes_on_a_case_document_404_for_an_unknown_case(method, path):
    assert 404 in statuses(method, path)


def test_a_busy_store_is_503_with_retry_after_wherever_the_table_is_used():
    for (method, path), op in OPERATIONS.items():  # the reference data too: its version is in the table (#12)
        assert "Retry-After" in op["responses"]["503"]["headers"], (method, path)


def test_a_months_report_documents_its_three_formats():
    content = OPERATIONS[("GET", "/reports/monthly/{month}")]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv", "text/html"}
