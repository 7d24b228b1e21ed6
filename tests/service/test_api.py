"""Every endpoint through the app, on the open (loopback, no keys) configuration."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "scam" / "02-hinge-romance-whatsapp-ios.txt"
SCAM = (
    "Hi dear, my uncle works at the exchange. Invest in USDT now, deposit 5000 on "
    "btc-globalpro.net and send it to TXdkaQf8VrDsonz5fEcFbxSnTC6nY8d8bp"
)
MESSAGES = [
    {"sender": "Daniel", "text": "Good morning my love", "timestamp": "2024-01-20T09:15:00Z"},
    {"sender": "Rachel", "text": "morning!", "timestamp": "2024-01-20T09:20:00Z"},
    {"sender": "Daniel", "text": SCAM, "timestamp": "2024-01-29T21:15:00Z"},
]

BENIGN_MESSAGES = [
    {"sender": "Daniel", "text": "Dinner at 7?", "timestamp": "2024-01-20T09:15:00Z"},
    {"sender": "Rachel", "text": "yes! see you there", "timestamp": "2024-01-20T09:20:00Z"},
]


def _err(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def test_health_version_openapi(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    v = client.get("/api/v1/version").json()
    assert v["api"] == "v1" and "rules" in v["engine"]
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/v1/analyze",
        "/api/v1/analyze/upload",
        "/api/v1/cases/{case_id}",
        "/api/v1/profiles/score",
        "/api/v1/jobads/score",
        "/api/v1/stats",
    ):
        assert p in paths


def test_analyze_messages_returns_scan_document(client: TestClient) -> None:
    r = client.post("/api/v1/analyze", json={"messages": MESSAGES, "me": "Rachel"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["schema_version"] == "1.0" and "case_id" not in doc
    res = doc["results"][0]
    assert res["path"] == "request" and res["me"] == "Rachel" and res["message_count"] == 3
    assert res["verdict"]["label"] in ("scam", "suspicious", "benign")
    assert any(i["type"] == "wallet" for i in res["verdict"]["indicators"])
    assert client.get("/api/v1/cases").json()["total"] == 0  # save_case defaults to false


def test_analyze_text_save_and_redact(client: TestClient) -> None:
    r = client.post(
        "/api/v1/analyze", json={"text": SCAM, "save_case": True, "redact": True, "title": "pasted"}
    )
    doc = r.json()
    assert r.status_code == 200 and len(doc["case_id"]) == 32
    assert SCAM[:20] not in json.dumps(doc)
    case = client.get(f"/api/v1/cases/{doc['case_id']}").json()
    assert case["title"] == "pasted" and case["status"] == "new"
    assert SCAM[:20] in json.dumps(case["verdict"])  # the store keeps it, redact is the reply


def test_analyze_bad_inputs_are_422_with_messages(client: TestClient) -> None:
    e = _err(client.post("/api/v1/analyze", json={}), 422, "invalid_request")
    assert "exactly one" in e["message"]
    e = _err(client.post("/api/v1/analyze", json={"text": 5}), 422, "invalid_request")
    assert e["details"][0]["loc"] == ["body", "text"] and "string" in e["message"]
    e = _err(
        client.post("/api/v1/analyze", json={"text": "x", "save_case": "yes"}),
        422,
        "invalid_request",
    )
    e = _err(client.post("/api/v1/analyze", json={"text": "x", "extra": 1}), 422, "invalid_request")
    assert "extra" in e["message"].lower()
    e = _err(
        client.post(
            "/api/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid_request",
    )
    e = _err(
        client.post("/api/v1/analyze", json={"messages": MESSAGES, "me": "Nobody"}),
        422,
        "invalid_input",
    )
    assert "Nobody" in e["message"]
    # Validation errors never echo the input back.
    r = client.post("/api/v1/analyze", json={"text": {"secret": "my phone 555-0100"}})
    assert "555-0100" not in r.text


def test_upload_any_format_and_filename_is_label_only(client: TestClient, tmp_path: Path) -> None:
    data = EXAMPLE.read_bytes()
    r = client.post(
        "/api/v1/analyze/upload",
        files={"file": ("../../../../etc/cron.d/evil", data, "text/plain")},
        data={"me": "Rachel Owens", "save_case": "true"},
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["results"][0]["format"] == "whatsapp-ios"
    assert doc["results"][0]["path"] == "request"
    case = client.get(f"/api/v1/cases/{doc['case_id']}").json()
    assert case["source_name"] == "evil"
    assert not (tmp_path / "evil").exists() and not Path("/etc/cron.d/evil").exists()
    # A zip of the export works from memory too.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("WhatsApp Chat with Daniel.txt", data)
    r = client.post("/api/v1/analyze/upload", files={"file": ("..\\x.zip", buf.getvalue())})
    assert r.status_code == 200, r.text


def test_upload_hostile_inputs_are_4xx(client: TestClient) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("chat.txt", b"\x00" * (8 * 1024 * 1024))
    r = client.post("/api/v1/analyze/upload", files={"file": ("bomb.zip", bomb.getvalue())})
    assert 400 <= r.status_code < 500 and "error" in r.json()
    _err(
        client.post("/api/v1/analyze/upload", files={"file": ("e.txt", b"")}), 422, "invalid_input"
    )
    _err(
        client.post(
            "/api/v1/analyze/upload",
            files={"file": ("x", b"\xff\xfe\x00garbage")},
            data={"format": "nonsense"},
        ),
        422,
        "invalid_input",
    )
    _err(client.post("/api/v1/analyze/upload", data={"me": "x"}), 422, "invalid_request")


def test_score_kinds(client: TestClient) -> None:
    r = client.post("/api/v1/score", json={"texts": [SCAM, "see you at lunch"]}).json()
    assert [x["index"] for x in r["results"]] == [0, 1]
    assert r["results"][0]["risk"] > r["results"][1]["risk"]
    assert r["results"][0]["language"] == "en" and r["results"][0]["language_note"] is None
    fr = "Bonjour mon amour, tu me manques. Il faut payer la taxe avant de retirer ton argent"
    other = client.post("/api/v1/score", json={"texts": [fr]}).json()["results"][0]
    assert other["language"] == "other" and "English and Chinese" in other["language_note"]
    r = client.post("/api/v1/score", json={"texts": ["crypto mentor, DM me"], "kind": "profile"})
    assert r.json()["results"][0]["kind"] == "profile"
    r = client.post(
        "/api/v1/score", json={"texts": ["Easy job abroad, visa free"], "kind": "job_ad"}
    )
    assert r.json()["results"][0]["kind"] == "job_ad"
    _err(client.post("/api/v1/score", json={"texts": []}), 422, "invalid_request")
    _err(client.post("/api/v1/score", json={"texts": ["a"] * 1001}), 422, "invalid_request")
    _err(
        client.post("/api/v1/score", json={"texts": ["a"], "kind": "tweet"}), 422, "invalid_request"
    )


def test_profiles_and_jobads(client: TestClient) -> None:
    r = client.post(
        "/api/v1/profiles/score",
        json={"records": [{"id": "p1", "bio": "Crypto trader, let me teach you"}]},
    )
    assert r.status_code == 200 and r.json()["results"][0]["id"] == "p1"
    r = client.post(
        "/api/v1/jobads/score",
        json={
            "records": [
                {
                    "id": "j1",
                    "title": "Typist",
                    "description": "High salary in Cambodia, visa paid",
                },
                {"id": "j2"},
            ]
        },
    )
    out = r.json()["results"]
    assert out[0]["kind"] == "job_ad" and "error" in out[1]


def test_indicators(client: TestClient) -> None:
    r = client.post("/api/v1/indicators/extract", json={"text": SCAM}).json()
    types = {i["type"] for i in r["indicators"]}
    assert {"wallet", "domain"} <= types and all("intel_hits" in i for i in r["indicators"])
    r = client.post("/api/v1/indicators/check", json={"values": ["btc-globalpro.net", "zz"]})
    res = r.json()["results"]
    assert res[0]["type"] == "domain" and res[0]["hits"] == [] and res[1]["error"]


def test_intel_hits_show_up(client: TestClient, settings: Any) -> None:
    from scamlens.intel import IntelStore

    with IntelStore.open(settings.intel_url) as intel:
        intel.add("domain", "btc-globalpro.net", labels=["scam"])
    r = client.post("/api/v1/indicators/check", json={"values": ["btc-globalpro.net"]})
    assert r.json()["results"][0]["hits"][0]["source"] == "analyst"


def test_case_lifecycle(client: TestClient) -> None:
    r = client.post(
        "/api/v1/cases",
        json={"messages": MESSAGES, "me": "Rachel", "title": "Daniel", "platform": "whatsapp"},
    )
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["verdict"]["results"][0]["message_count"] == 3
    listed = client.get("/api/v1/cases", params={"q": "dan", "platform": "whatsapp"}).json()
    assert listed["total"] == 1 and listed["cases"][0]["id"] == cid
    assert client.get("/api/v1/cases", params={"status": "closed"}).json()["total"] == 0
    _err(client.get("/api/v1/cases", params={"status": "nope"}), 422, "invalid_request")
    _err(client.get("/api/v1/cases", params={"limit": 0}), 422, "invalid_request")
    r = client.patch(f"/api/v1/cases/{cid}", json={"status": "confirmed_scam", "notes": "n"})
    assert r.json()["status"] == "confirmed_scam"
    _err(client.patch(f"/api/v1/cases/{cid}", json={}), 422, "invalid_request")
    _err(client.patch(f"/api/v1/cases/{cid}", json={"status": "bogus"}), 422, "invalid_request")
    r = client.post(
        f"/api/v1/cases/{cid}/feedback", json={"target": "verdict", "decision": "confirm"}
    )
    assert r.status_code == 201 and r.json()["actor"] == "local"
    _err(
        client.post(
            f"/api/v1/cases/{cid}/feedback", json={"target": "evidence:999", "decision": "confirm"}
        ),
        422,
        "invalid_input",
    )
    _err(
        client.post(f"/api/v1/cases/{cid}/feedback", json={"target": "all", "decision": "confirm"}),
        422,
        "invalid_request",
    )
    assert len(client.get(f"/api/v1/cases/{cid}/feedback").json()["feedback"]) == 1
    lean = client.get(f"/api/v1/cases/{cid}", params={"messages": "false"}).json()
    assert lean["verdict"]["results"][0]["messages"] == []
    export = client.get("/api/v1/feedback/export")
    assert export.headers["content-type"].startswith("application/x-ndjson")
    assert json.loads(export.text.splitlines()[0])["label"] in ("scam", "benign")
    stats = client.get("/api/v1/stats").json()
    assert stats["total"] == 1 and stats["by_status"]["confirmed_scam"] == 1
    assert client.get("/api/v1/campaigns").status_code == 200
    assert client.delete(f"/api/v1/cases/{cid}").status_code == 204
    _err(client.get(f"/api/v1/cases/{cid}"), 404, "case_not_found")
    _err(client.delete(f"/api/v1/cases/{cid}"), 404, "case_not_found")
    audit = client.get(f"/api/v1/cases/{cid}/audit").json()["events"]
    assert [e["action"] for e in audit] == ["created", "updated", "feedback", "deleted"]
    _err(client.get("/api/v1/cases/" + "a" * 40), 404, "case_not_found")
    assert client.post("/api/v1/cases/purge", json={"older_than_days": 0}).json() == {"deleted": 0}


def test_campaigns_post(client: TestClient) -> None:
    script = (
        "Hello dear, I am a senior analyst at a big exchange and my uncle gives me "
        "inside signals for USDT contracts, let me show you how to earn"
    )
    records = [{"account": f"acct{i}", "text": script + ("!" * i)} for i in range(4)]
    r = client.post("/api/v1/campaigns", json={"records": records})
    assert r.status_code == 200, r.text
    assert r.json()["stats"]["messages"] == 4
    _err(
        client.post("/api/v1/campaigns", json={"records": [{"text": "x"}]}), 422, "invalid_request"
    )


def test_campaigns_post_with_link_targets(client: TestClient) -> None:
    # Two accounts, nothing shared in their texts: only the site behind their links ties them.
    records = [
        {"account": "lena", "text": "Register here", "links": ["https://coinbase-pro-vip.com/r?a=1"]},
        {"account": "mia", "text": "Sign up with this", "links": ["https://coinbase-pro-vip.com/r?a=2"]},
        {"account": "lena", "text": "and this one", "links": ["https://coinbase-pro-vip.com/r?a=3"]},
    ]  # fmt: skip
    doc = client.post("/api/v1/campaigns", json={"records": records}).json()
    assert [c["accounts"] for c in doc["campaigns"]] == [["lena", "mia"]]
    bad = [{"account": "x", "text": "hi", "links": ["not a link"]}]
    _err(client.post("/api/v1/campaigns", json={"records": bad}), 422, "invalid_input")


def test_errors_are_structured(client: TestClient) -> None:
    _err(client.get("/api/v1/nothing"), 404, "not_found")
    _err(client.put("/api/v1/health"), 405, "method_not_allowed")


def test_body_limit_while_reading(make_client: Any) -> None:
    c = make_client(max_json_bytes=4096, max_upload_bytes=4096)
    big = json.dumps({"text": "x" * 10_000})
    _err(
        c.post("/api/v1/analyze", content=big, headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )

    def chunks() -> Any:  # no Content-Length: the limit is counted as the body arrives
        for _ in range(10):
            yield b" " * 1024

    _err(
        c.post("/api/v1/analyze", content=chunks(), headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )
    r = c.post("/api/v1/analyze/upload", files={"file": ("a.txt", b"A: hi\n" * 2000)})
    _err(r, 413, "payload_too_large")


def test_unexpected_error_is_500_without_internals(client: TestClient) -> None:
    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internals /etc/shadow")

    client.app.state.store.stats = boom  # type: ignore[attr-defined]
    e = _err(client.get("/api/v1/stats"), 500, "internal_error")
    assert "secret" not in json.dumps(e)


def test_logs_hold_no_message_text(client: TestClient, caplog: Any) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="scamlens.service"):
        r = client.post("/api/v1/analyze", json={"text": SCAM, "save_case": True})
        client.get("/api/v1/cases", params={"q": "privatesearch"})
    cid = r.json()["case_id"]
    text = caplog.text
    assert "POST /api/v1/analyze 200" in text and f"case={cid}" in text
    assert "GET /api/v1/cases 200" in text
    assert "uncle" not in text and "privatesearch" not in text


def test_cors_off_by_default(client: TestClient, make_client: Any) -> None:
    h = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    r = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    c = make_client(cors_origins=("https://ui.example",))
    r = c.options("/api/v1/health", headers=h | {"Origin": "https://ui.example"})
    assert r.headers.get("access-control-allow-origin") == "https://ui.example"


def test_cases_sorted_by_risk(client: TestClient) -> None:
    ids = {}
    for title, msgs in (("scam chat", MESSAGES), ("small talk", BENIGN_MESSAGES)):
        r = client.post("/api/v1/cases", json={"messages": msgs, "me": "Rachel", "title": title})
        assert r.status_code == 201, r.text
        ids[title] = r.json()["id"]
    by_risk = client.get("/api/v1/cases", params={"sort": "risk"}).json()["cases"]
    risks = [c["risk"] for c in by_risk]
    assert risks == sorted(risks, reverse=True) and risks[0] > risks[-1]
    assert by_risk[0]["id"] == ids["scam chat"]
    _err(client.get("/api/v1/cases", params={"sort": "oldest"}), 422, "invalid_request")
