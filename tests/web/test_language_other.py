"""The analyst pages with a chat in a language scamlens does not read ("other")."""

from __future__ import annotations

from html import unescape
from pathlib import Path
from typing import Any

from scamlens.text.language import OTHER_LANGUAGE_NOTE
from tests.web.conftest import EXAMPLES, csrf_of, upload

FOREIGN = Path(__file__).resolve().parents[1] / "text/fixtures/other_languages"
FRENCH = FOREIGN / "fr-wrong-number-scam.txt"
ENGLISH = EXAMPLES / "scam" / "02-hinge-romance-whatsapp-ios.txt"


def test_case_page_list_filter_and_stats(client: Any) -> None:
    other = upload(client, FRENCH, title="French chat")
    english = upload(client, ENGLISH, me="Rachel Owens", title="English chat")

    page = unescape(client.get(other).text)
    assert 'id="language-note"' in page and OTHER_LANGUAGE_NOTE in page
    assert "language other" in page
    assert 'id="language-note"' not in client.get(english).text

    listing = client.get("/cases?language=other").text
    assert '<option value="other" selected>' in listing
    assert "French chat" in listing and "English chat" not in listing
    assert "(not read)" in listing
    assert "English chat" in client.get("/cases?language=en").text

    stats = client.get("/stats").text
    assert "other (not English or Chinese)" in stats


def test_score_page_shows_the_note(client: Any) -> None:
    token = csrf_of(client.get("/score").text)
    resp = client.post(
        "/score",
        data={"csrf_token": token, "kind": "message", "text": FRENCH.read_text(encoding="utf-8")},
    )
    assert resp.status_code == 200
    html = unescape(resp.text)
    assert "Language: other" in html and OTHER_LANGUAGE_NOTE in html
    resp = client.post(
        "/score",
        data={"csrf_token": token, "kind": "message", "text": "Pay the tax before you withdraw"},
    )
    assert 'id="language-note"' not in resp.text


def test_case_list_sorted_by_risk(client: Any) -> None:
    upload(client, FRENCH, title="French chat")
    upload(client, ENGLISH, me="Rachel Owens", title="English chat")
    listing = client.get("/cases?sort=risk").text
    assert '<option value="risk" selected>' in listing
    assert listing.index("English chat") < listing.index("French chat")  # higher risk first
    assert '<option value="risk" selected>' not in client.get("/cases?sort=bogus").text
