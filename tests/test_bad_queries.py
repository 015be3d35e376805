"""Bad input through HTTP: malformed queries are 400 problems in Vietnamese and English (never
a 500), over-long queries and page sizes are bounded, auth failures say nothing about who
exists, and OCR text stays inert wherever it is shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from storage.s3 import S3Config
from tests.test_openapi import Live, live_app

MALFORMED = [
    ("/api/search", {"page": "abc"}), ("/api/search", {"page_size": "1e3"}),
    ("/api/search", {"page": "0"}), ("/api/search", {"page": "-2"}),
    ("/api/search", {"page_size": "0"}), ("/api/search", {"from": "2026-02-30"}),
    ("/api/search", {"to": "hôm qua"}), ("/api/search", {"q": 'khai "sinh'}),
    ("/api/search", {"q": "x" * 201}), ("/api/search", {"q": "x" * 5000}),
    ("/api/search", {"name": "x" * 101}), ("/api/search", {"page": "100000"}),
    ("/api/search", {"q": " ".join(f"w{i}" for i in range(40))}),
    ("/api/audit", {"limit": "abc"}), ("/api/audit", {"offset": "-1"}),
    ("/api/audit", {"from": "2026-13-45"}), ("/api/audit", {"to": "x" * 500}),
    ("/api/audit", {"dossier": "x" * 65}), ("/api/audit/export", {"from": "nope"}),
    ("/api/procedures", {"q": "x" * 5000}),
    ("/api/metrics/766", {"from": "2026-99"}), ("/api/metrics/766.csv", {"to": "abc"}),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Config) -> Iterator[Live]:
    yield from live_app(tmp_path_factory, s3_server)


def problem_of(live: Live, path: str, query: dict[str, str], status: int) -> dict[str, Any]:
    response = live.app.test_client().get(path, query_string=query, headers=live.bearer)
    assert response.status_code == status, (path, query, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    return body


@pytest.mark.parametrize(("path", "query"), MALFORMED)
def test_malformed_queries_are_400_with_both_messages(live: Live, path: str,
                                                      query: dict[str, str]) -> None:
    body = problem_of(live, path, query, 400)
    assert body["code"] in ("invalid_query", "invalid_request")
    assert body["message_vi"] and body["message_en"] and body["message_vi"] != body["message_en"]
    assert "x" * 100 not in body["detail"]  # the over-long value is not echoed back whole


def test_page_size_is_capped(live: Live) -> None:
    client = live.app.test_client()
    found = client.get("/api/search", query_string={"page_size": "100000"},
                       headers=live.bearer).get_json()
    assert found["page_size"] == 100
    audit = client.get("/api/audit", query_string={"limit": "501"}, headers=live.bearer)
    assert audit.status_code == 400  # the audit log refuses more than 500 a page
    queue = client.get("/api/review", query_string={"limit": "100000"},
                       headers=live.bearer).get_json()
    assert queue["limit"] == 200


def test_a_query_at_the_cap_is_accepted(live: Live) -> None:
    client = live.app.test_client()
    for path, query in (("/api/search", {"q": "lúa " * 50}),
                        ("/api/procedures", {"q": "khai sinh " * 22})):
        response = client.get(path, query_string={"q": query["q"][:200]}, headers=live.bearer)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])


def test_bodies_of_the_wrong_shape_are_400(live: Live) -> None:
    client = live.app.test_client()
    for body in ([], "x", 3, ["username", "password"]):
        assert client.post("/api/auth/login", json=body).status_code == 400, body
    answers = f"/api/dossiers/{live.dossier_id}/answers"
    for body in ([], {"answers": []}, {"answers": "có"}, 7):
        response = client.put(answers, json=body, headers=live.bearer)
        assert response.status_code == 400, (body, response.get_data(as_text=True)[:300])
    assert client.post("/api/dossiers", json=[], headers=live.bearer).status_code == 400


def test_token_failures_all_look_the_same(live: Live) -> None:
    client = live.app.test_client()
    answers = [client.get("/api/auth/me", headers={"Authorization": value})
               for value in ("Bearer sohoa_" + "a" * 43, "Bearer nonsense", "Bearer ",
                             f"Bearer {live.token}x", f"Basic {live.token}")]
    assert {r.status_code for r in answers} == {401}
    assert len({r.get_data() for r in answers}) == 1
    assert len({r.headers["WWW-Authenticate"] for r in answers}) == 1


def test_input_echoed_on_pages_and_ocr_text_in_json_stay_inert(live: Live) -> None:
    client = live.app.test_client()
    hostile = '<script>alert("x")</script>'
    for path, query in (("/tiep-nhan", {"thu_tuc": hostile, "q": hostile}),
                        ("/tra-cuu", {"q": hostile, "from": hostile}),
                        ("/bang-dieu-khien", {"from": hostile, "unit": hostile}),
                        ("/dang-nhap", {"next": hostile})):
        response = client.get(path, query_string=query, headers=live.bearer)
        assert response.mimetype == "text/html", path
        assert "<script>alert" not in response.get_data(as_text=True), path
    queue = client.get("/api/review", headers=live.bearer)
    assert queue.mimetype == "application/json"
    assert queue.headers["X-Content-Type-Options"] == "nosniff"
    assert any("<script>" in item["text"] for item in queue.get_json()["items"])  # data, as is
    missing = client.get(f"/api/procedures/{hostile}", headers=live.bearer)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
