"""Route tests for the analyst pages against the real service app (TestClient)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import EXAMPLES, csrf_of, make_settings, upload

SCAM = EXAMPLES / "scam" / "02-hinge-romance-whatsapp-ios.txt"
ZH = EXAMPLES / "scam" / "06-shazhupan-whatsapp-android-zh.txt"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def case(client: Any) -> str:
    return upload(client, SCAM, me="Rachel Owens", title="Rachel hinge")


def test_pages_render(client: Any, case: str) -> None:
    for path in (
        "/cases",
        "/upload",
        "/stats",
        "/campaigns",
        "/score",
        "/login",
        case,
        f"{case}/delete",
    ):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in resp.headers["content-security-policy"]
        assert '<html lang="en">' in resp.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/cases"


def test_static_files_are_local(client: Any) -> None:
    for name, kind in (("app.css", "text/css"), ("app.js", "text/javascript")):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith(kind)
        assert "http://" not in resp.text and "https://" not in resp.text
    assert client.get("/static/../routes.py").status_code == 404


def test_case_page_shows_verdict_and_evidence(client: Any, case: str) -> None:
    html = client.get(case).text
    assert re.search(r'id="risk-label"[^>]*>Scam<', html)
    assert 'class="hl-ev"' in html
    assert "Stage" in html and "stage-grooming" in html
    assert "Onboarding and first deposit" in html
    assert "TXdkaQf8VrDsonz5fEcFbxSnTC6nY8d8bp" in html  # the wallet in the indicators table
    assert 'value="evidence:0"' in html


def test_feedback_status_notes_and_audit(client: Any, case: str) -> None:
    token = csrf_of(client.get(case).text)
    resp = client.post(
        f"{case}/feedback",
        data={"csrf_token": token, "target": "evidence:0", "decision": "confirm"},
        headers={"accept": "application/json"},
    )
    assert resp.status_code == 200
    assert resp.json()["decision"] == "confirm"
    resp = client.post(
        f"{case}/feedback",
        data={"csrf_token": token, "target": "evidence:1", "decision": "reject"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    resp = client.post(
        f"{case}/status",
        data={"csrf_token": token, "status": "confirmed_scam", "notes": "called the bank"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    html = client.get(case).text
    assert "Recorded: confirmed" in html and "Recorded: rejected" in html
    assert "called the bank" in html
    assert re.search(r"feedback.*target=evidence:0", html)
    listed = client.get("/cases", params={"status": "confirmed_scam"}).text
    assert "Rachel hinge" in listed
    assert "Rachel hinge" not in client.get("/cases", params={"status": "closed"}).text
    assert "Rachel hinge" in client.get("/cases", params={"q": "bank"}).text


def test_bad_feedback_target_is_refused(client: Any, case: str) -> None:
    token = csrf_of(client.get(case).text)
    resp = client.post(
        f"{case}/feedback",
        data={"csrf_token": token, "target": "evidence:99999", "decision": "confirm"},
    )
    assert resp.status_code == 400


def test_csrf_is_required(client: Any, case: str) -> None:
    token = csrf_of(client.get(case).text)
    data = {"status": "closed", "notes": ""}
    assert client.post(f"{case}/status", data=data).status_code == 403
    assert client.post(f"{case}/status", data=data | {"csrf_token": "x" * 43}).status_code == 403
    resp = client.post(
        f"{case}/status",
        data=data | {"csrf_token": token},
        headers={"origin": "http://evil.example"},
    )
    assert resp.status_code == 403
    resp = client.post(
        f"{case}/status",
        data=data | {"csrf_token": token},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert resp.status_code == 403
    assert "New" in client.get(case).text


def test_browser_errors_are_pages_and_api_errors_json(client: Any, case: str) -> None:
    data = {"status": "closed", "notes": ""}
    html = {"accept": "text/html,application/xhtml+xml"}
    resp = client.post(f"{case}/status", data=data, headers=html)
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("text/html")
    assert "CSRF" in resp.text and "Not allowed" in resp.text
    assert "content-security-policy" in resp.headers
    # Without a browser's Accept header, and always under /api, errors stay JSON.
    resp = client.post(f"{case}/status", data=data, headers={"accept": "application/json"})
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"
    resp = client.get("/api/v1/no-such-endpoint", headers=html)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    resp = client.get("/no-such-page", headers=html)
    assert resp.status_code == 404 and "Not found" in resp.text


def test_hostile_input_is_escaped(client: Any) -> None:
    token = csrf_of(client.get("/upload").text)
    text = (
        f"Anna: hi {HOSTILE}\nBob: my uncle is a crypto analyst, send 5000 USDT to "
        "this platform\u202e for 30% daily profit <img src=x onerror=alert(2)>\n"
    )
    resp = client.post(
        "/upload",
        data={"csrf_token": token, "text": text, "me": "Anna", "title": HOSTILE},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    html = client.get(resp.headers["location"]).text
    assert HOSTILE not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\u202e" not in html
    assert HOSTILE not in client.get("/cases").text


def test_upload_errors_are_shown(client: Any) -> None:
    token = csrf_of(client.get("/upload").text)
    resp = client.post("/upload", data={"csrf_token": token, "text": "  "})
    assert resp.status_code == 400
    assert 'role="alert"' in resp.text


def test_not_found_page(client: Any) -> None:
    resp = client.get("/cases/0123456789abcdef")
    assert resp.status_code == 404
    assert "There is no such case" in resp.text


def test_delete_case(client: Any, case: str) -> None:
    token = csrf_of(client.get(case).text)
    resp = client.post(f"{case}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303
    assert client.get(case).status_code == 404


def test_stats_page_has_charts_and_tables(client: Any, case: str) -> None:
    upload(client, ZH)
    html = client.get("/stats").text
    assert html.count("<svg class='chart'") >= 6
    assert html.count("<table>") >= 6
    assert "zh" in html and "whatsapp" in html


def test_campaigns_from_cases_and_file(client: Any, case: str, tmp_path: Path) -> None:
    token = csrf_of(client.get("/campaigns").text)
    resp = client.post("/campaigns", data={"csrf_token": token, "source": "cases"})
    assert resp.status_code == 200
    assert 'id="campaign-stats"' in resp.text
    script = (
        "Hello, is this Linda? My aunt taught me to trade crypto contracts on "
        "{} and I made 30% this week, you should try it with 500 USDT"
    )
    lines = [
        json.dumps(
            {
                "id": f"m{i}",
                "account": f"acct{i}",
                "conversation": f"c{i}",
                "text": script.format("btc-globalpro.net"),
                "platform": "whatsapp",
            }
        )
        for i in range(12)
    ]
    resp = client.post(
        "/campaigns",
        data={"csrf_token": token, "source": "file"},
        files={"file": ("m.jsonl", "\n".join(lines).encode(), "application/json")},
    )
    assert resp.status_code == 200
    assert "<svg viewBox=" in resp.text and "acct3" in resp.text
    bad = client.post(
        "/campaigns",
        data={"csrf_token": token, "source": "file"},
        files={"file": ("m.jsonl", b"{not json", "application/json")},
    )
    assert bad.status_code == 400 and "m.jsonl" in bad.text


def test_score_message_profile_job_ad(client: Any) -> None:
    token = csrf_of(client.get("/score").text)
    resp = client.post(
        "/score",
        data={
            "csrf_token": token,
            "kind": "message",
            "text": "My uncle is an analyst. Deposit USDT on this platform, 30% daily profit, "
            "pay the tax before you can withdraw",
        },
    )
    assert resp.status_code == 200 and 'id="score-label"' in resp.text
    assert 'class="hl-ev"' in resp.text
    resp = client.post(
        "/score",
        data={
            "csrf_token": token,
            "kind": "job_ad",
            "j_title": "Customer service, Thailand",
            "j_salary": "$3000 a month, free flight and visa",
            "j_contact": "telegram @hr_job",
            "j_description": "No experience needed, typing job, passport required",
        },
    )
    assert resp.status_code == 200 and 'id="score-label"' in resp.text
    resp = client.post(
        "/score",
        data={
            "csrf_token": token,
            "kind": "profile",
            "p_display_name": "Jessica",
            "p_bio": "Crypto investor, I can teach you to earn. Add my WhatsApp",
            "p_job": "Financial analyst at Goldman",
        },
    )
    assert resp.status_code == 200 and 'id="score-label"' in resp.text
    resp = client.post("/score", data={"csrf_token": token, "kind": "profile"})
    assert resp.status_code == 400


def test_victim_report_download(client: Any, case: str) -> None:
    pytest.importorskip("scamlens.casereport")
    resp = client.get(f"{case}/report", params={"fmt": "json", "redact": "1"})
    if resp.status_code == 501:
        pytest.skip("casereport has no render() yet")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["content-disposition"]
    assert "Rachel Owens" not in resp.text
    resp = client.get(f"{case}/report", params={"fmt": "pdf"})
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    assert client.get(f"{case}/report", params={"fmt": "exe"}).status_code == 400


def test_login_with_keys(home: Path) -> None:
    from fastapi.testclient import TestClient

    from scamlens.service.app import create_app
    from scamlens.service.auth import hash_key
    from scamlens.service.settings import ApiKey

    keys = (ApiKey("ann", "write", hash_key("k-write")), ApiKey("rob", "read", hash_key("k-read")))
    with TestClient(
        create_app(make_settings(home, api_keys=keys)), base_url="http://127.0.0.1"
    ) as c:
        resp = c.get("/cases?status=new", follow_redirects=False)
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/login?next=%2Fcases")
        page = c.get("/login").text
        token = csrf_of(page)
        assert 'type="password"' in page
        bad = c.post("/login", data={"csrf_token": token, "key": "nope", "next": "/cases"})
        assert bad.status_code == 401
        resp = c.post(
            "/login",
            data={"csrf_token": token, "key": "k-read", "next": "//evil.example/"},
            follow_redirects=False,
        )
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        cookie = resp.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert c.get("/cases").status_code == 200
        assert c.get("/upload", follow_redirects=False).status_code == 403  # read role
        c.post("/logout", data={"csrf_token": token})
        assert c.get("/cases", follow_redirects=False).status_code == 303


def _long_chat(tmp_path: Path, n: int = 7000, late: int = 6500) -> Path:
    """`n` messages of small talk, with the money talk (and a wallet) only from `late` on."""
    chat = [
        {"sender": "Anna" if i % 2 else "Me", "text": f"good morning, how was your day {i}?"}
        for i in range(n)
    ]
    chat[late] = {
        "sender": "Anna",
        "text": "my uncle's platform shows 30% profit; deposit 5000 USDT to "
        "TXdkaQf8VrDsonz5fEcFbxSnTC6nY8d8bp and I will guide you",
    }
    chat[late + 2] = {
        "sender": "Anna",
        "text": "to withdraw you must first pay the 20% tax to unfreeze your account",
    }
    path = tmp_path / "long-chat.json"
    path.write_text(json.dumps(chat))
    return path


def test_long_case_is_paged_and_late_evidence_reachable(client: Any, tmp_path: Path) -> None:
    """A chat longer than a page: every message is on some page, and the links to evidence
    and stages past the first page lead to the page that holds them."""
    from scamlens.web.views import MAX_MESSAGES

    case = upload(client, _long_chat(tmp_path), me="Me", title="long")
    first = client.get(case).text
    assert f"Page 1 of 3: messages #0–#{MAX_MESSAGES - 1} of 7000" in first
    assert 'id="m0"' in first and f'id="m{MAX_MESSAGES}"' not in first
    assert 'href="?page=2#timeline-h" rel="next"' in first and 'rel="prev"' not in first
    # the findings table and the stage strip link across pages to the late money talk
    assert 'href="?page=3#m6500"' in first
    assert re.search(r'href="\?page=3#f\d+">Review<', first)
    last = client.get(case, params={"page": 3}).text
    assert "Page 3 of 3: messages #6000–#6999 of 7000" in last
    assert 'id="m6500"' in last and 'id="m0"' not in last
    assert 'href="#m6500"' in last  # same page: a plain anchor
    assert '<input type="hidden" name="page" value="3">' in last
    assert client.get(case, params={"page": 99}).text.count("Page 3 of 3") == 2  # clamped
    assert client.get(case, params={"page": 0}).status_code == 422
    target = re.search(r'name="target" value="(evidence:\d+)"', last)
    assert target is not None
    resp = client.post(
        f"{case}/feedback",
        data={
            "csrf_token": csrf_of(last),
            "target": target.group(1),
            "decision": "confirm",
            "page": "3",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert resp.headers["location"].endswith(f"{case}?page=3#f{target.group(1).split(':')[1]}")


def test_short_case_has_no_pager(client: Any, case: str) -> None:
    html = client.get(case).text
    assert "Message pages" not in html and 'name="page"' not in html
