"""The API documents itself: /api/openapi.json and the /docs page."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_spec_lists_the_endpoints(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    expected = {
        "/api/feedback": {"post"},
        "/api/v1/feedback": {"get", "post"},
        "/api/v1/feedback/{item_id}": {"get"},
        "/api/v1/cases": {"get"},
        "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/status": {"post"},
        "/api/v1/cases/{case_id}/assign": {"post"},
        "/api/v1/cases/{case_id}/notes": {"post"},
        "/api/v1/cases/{case_id}/contacts": {"post"},
        "/api/v1/cases/{case_id}/escalations": {"post"},
        "/api/v1/cases/{case_id}/timeline": {"get"},
        "/api/v1/customers/{customer_id}": {"get"},
        "/api/v1/me": {"get"},
        "/api/v1/users": {"get", "post"},
        "/api/v1/users/{user_id}/team": {"put"},
        "/api/v1/tokens": {"get", "post"},
        "/api/v1/tokens/{token_id}": {"delete"},
        "/api/v1/sources": {"get", "post"},
        "/api/v1/me/notifications": {"get", "put"},
        "/api/v1/webhooks": {"get", "post"},
        "/api/v1/webhooks/{webhook_id}": {"delete"},
        "/api/v1/deliveries": {"get"},
        "/api/v1/deliveries/{delivery_id}/retry": {"post"},
        "/api/v1/cases/{case_id}/compensation": {"get", "post"},
        "/api/v1/cases/{case_id}/offers": {"get", "post"},
        "/api/v1/cases/{case_id}/offers/{offer_id}/choice": {"post"},
        "/api/v1/approvals": {"get"},
        "/api/v1/approvals/{approval_id}/approve": {"post"},
        "/api/v1/approvals/{approval_id}/refuse": {"post"},
        "/api/v1/playbooks": {"get"},
        "/api/v1/review": {"get"},
        "/api/v1/cases/{case_id}/review": {"post"},
        "/api/v1/replies/check": {"post"},
        "/api/v1/cases/{case_id}/drafts": {"post"},
        "/api/v1/cases/{case_id}/replies": {"get", "post"},
        "/api/v1/cases/{case_id}/surveys": {"get"},
        "/api/v1/cases/{case_id}/root-cause": {"put"},
        "/api/v1/lessons": {"get"},
        "/api/v1/cases/{case_id}/lessons": {"post"},
        "/api/v1/lessons/{lesson_id}": {"patch", "delete"},
        "/api/v1/cases/{case_id}/lessons/{lesson_id}": {"put"},
    }
    api = {path: set(ops) for path, ops in spec["paths"].items() if path.startswith("/api/")}
    assert api == expected


def test_the_spec_documents_the_webhook_body_and_headers(client: TestClient) -> None:
    webhook = client.get("/api/openapi.json").json()["paths"]["/api/feedback"]["post"]
    headers = {p["name"] for p in webhook["parameters"] if p["in"] == "header"}
    assert headers == {"x-amends-source", "x-amends-timestamp", "x-amends-signature"}
    schema = webhook["requestBody"]["content"]["application/json"]["schema"]
    item = schema["oneOf"][0]
    assert item["required"] == ["text"]
    assert "rating" in item["properties"]


def test_the_spec_offers_bearer_tokens(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/cases"]["get"]["security"] == [{"HTTPBearer": []}]


def test_the_docs_page_serves(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in response.text
