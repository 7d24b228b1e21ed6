"""End-to-end: the real app under uvicorn, driven in Debian's headless Chromium by Playwright.

Screenshots go to $SCAMLENS_ARTIFACTS (default: a pytest temporary folder), never the repo.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("SCAMLENS_ARTIFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: None if r.url.startswith((live_server, "data:")) else outside.append(r.url),
    )
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    yield pg
    context.close()
    assert not outside, f"requests left the server: {outside}"
    assert not errors, f"browser errors: {errors}"


A11Y_CHECK = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push('unlabelled ' + el.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('img without alt');
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.getAttribute('role') === 'img' && !svg.getAttribute('aria-label')
        && !svg.getAttribute('aria-labelledby')) problems.push('svg image without a name');
  }
  let last = 0;
  const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  if (heads.length && heads[0].tagName !== 'H1') problems.push('first heading is not h1');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  for (const h of heads) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) {
      problems.push('heading jumps to ' + h.tagName + ': ' + h.textContent.slice(0, 40));
    }
    last = level;
  }
  if (!document.documentElement.lang) problems.push('no lang');
  if (!document.querySelector('a.skip[href="#main"]')) problems.push('no skip link');
  return problems;
}"""


def a11y(pg: Any) -> None:
    problems = pg.evaluate(A11Y_CHECK)
    assert not problems, f"{pg.url}: {problems}"


def shot(pg: Any, artifacts: Path, name: str) -> None:
    pg.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def upload(pg: Any, path: Path, me: str | None, title: str) -> str:
    pg.goto("/upload")
    pg.get_by_label("Chat export file").set_input_files(str(path))
    if me:
        pg.get_by_label("My name in this chat").fill(me)
    pg.get_by_label("Case title").fill(title)
    pg.get_by_role("button", name="Analyse and save").click()
    pg.wait_for_url(re.compile(r"/cases/[0-9a-f]+"))
    return str(pg.url)


def test_analyst_journey(page: Any, artifacts: Path) -> None:
    pg = page
    case_url = upload(
        pg, EXAMPLES / "scam" / "02-hinge-romance-whatsapp-ios.txt", "Rachel Owens", "Rachel H."
    )
    assert pg.locator("#risk-label").inner_text() == "Scam"
    assert pg.locator("#stage-reached").inner_text() == "Onboarding and first deposit"
    assert pg.locator("mark.hl-ev").count() > 0
    assert pg.locator("#explanation li").count() >= 2
    assert pg.locator("section.band").count() >= 2
    a11y(pg)
    shot(pg, artifacts, "01-case")

    # Confirm one finding and reject another (fetch, no reload), then check after a reload.
    first = pg.locator("#f0 form.feedback")
    first.get_by_role("button", name=re.compile("^Confirm")).click()
    pg.wait_for_function(
        "() => document.querySelector('#f0 .decision').textContent.includes('confirmed')"
    )
    second = pg.locator("#f1 form.feedback")
    second.get_by_role("button", name=re.compile("^Reject")).click()
    pg.wait_for_function(
        "() => document.querySelector('#f1 .decision').textContent.includes('rejected')"
    )
    pg.reload()
    assert "confirmed" in pg.locator("#f0 .decision").inner_text()
    assert "rejected" in pg.locator("#f1 .decision").inner_text()

    # Change the status and add a note; the audit trail shows both.
    pg.get_by_label("Status", exact=True).select_option("in_review")
    pg.get_by_label("Notes", exact=True).fill("Victim called; bank informed.")
    pg.get_by_role("button", name="Save status and notes").click()
    pg.wait_for_url(re.compile(r"/cases/[0-9a-f]+"))
    assert pg.get_by_label("Status", exact=True).input_value() == "in_review"
    assert "status=" in pg.locator("#audit").inner_text()
    shot(pg, artifacts, "02-case-reviewed")

    # The case list, filtered by status.
    pg.goto("/cases")
    pg.get_by_label("Status").select_option("in_review")
    pg.get_by_role("button", name="Filter").click()
    pg.wait_for_url(re.compile(r"status=in_review"))
    assert pg.get_by_role("link", name="Rachel H.").count() == 1
    a11y(pg)
    shot(pg, artifacts, "03-cases-filtered")
    pg.get_by_label("Status").select_option("closed")
    pg.get_by_role("button", name="Filter").click()
    pg.wait_for_url(re.compile(r"status=closed"))
    assert pg.get_by_role("link", name="Rachel H.").count() == 0

    # A Chinese chat.
    upload(pg, EXAMPLES / "scam" / "06-shazhupan-whatsapp-android-zh.txt", None, "杀猪盘 case")
    assert pg.locator("#risk-label").inner_text() in ("Scam", "Suspicious")
    assert re.search(r"[\u4e00-\u9fff]", pg.locator(".msg-text").first.inner_text())
    shot(pg, artifacts, "04-case-zh")

    # Statistics and campaigns.
    pg.goto("/stats")
    assert pg.locator("svg.chart").count() >= 6
    a11y(pg)
    shot(pg, artifacts, "05-stats")
    pg.goto("/campaigns")
    pg.get_by_role("button", name="Find campaigns in stored cases").click()
    pg.wait_for_selector("#campaign-stats")
    a11y(pg)
    shot(pg, artifacts, "06-campaigns")

    # Scoring a job ad.
    pg.goto("/score")
    pg.get_by_label("A job ad or recruitment message").check()
    assert pg.get_by_label("Text", exact=True).is_hidden()
    pg.get_by_label("Job title").fill("Customer service in Thailand, no experience")
    pg.get_by_label("Salary").fill("$3000 a month, free flight, visa and housing")
    pg.get_by_label("Contact").fill("Telegram @hr_asia_jobs")
    pg.get_by_role("button", name="Score", exact=True).click()
    pg.wait_for_selector("#score-label")
    a11y(pg)
    shot(pg, artifacts, "07-score-job-ad")

    pg.goto(case_url)
    assert pg.locator("#risk-label").inner_text() == "Scam"


def test_phone_and_keyboard(browser: Any, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 375, "height": 812}, is_mobile=True
    )
    pg = context.new_page()
    try:
        upload(
            pg,
            EXAMPLES / "scam" / "01-wrong-number-whatsapp-android.txt",
            "Dave Morrison",
            "Dave phone",
        )
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"the case page scrolls sideways on a phone ({width}px)"
        shot(pg, artifacts, "08-case-phone")
        pg.goto("/cases")
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 375
        shot(pg, artifacts, "09-cases-phone")

        # Keyboard: the skip link comes first, then the form can be reached by Tab alone.
        pg.goto("/upload")
        pg.keyboard.press("Tab")
        assert pg.evaluate("() => document.activeElement.className") == "skip"
        pg.keyboard.press("Enter")
        seen: list[str] = []
        for _ in range(30):
            pg.keyboard.press("Tab")
            seen.append(
                pg.evaluate("() => document.activeElement.id || document.activeElement.textContent")
            )
            if "Analyse and save" in seen[-1]:
                break
        for needed in ("file", "text", "me", "title"):
            assert needed in seen, f"{needed} not reachable by Tab: {seen}"
        assert "Analyse and save" in seen[-1]
        pg.focus("#me")
        outline = pg.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        shot(pg, artifacts, "10-upload-keyboard")
    finally:
        context.close()


def test_long_case_pages(page: Any, artifacts: Path, tmp_path: Path) -> None:
    """A 7,000-message chat: the findings table leads to the page with the late money talk,
    where the red flag can be confirmed in place; the pager moves between pages."""
    from tests.web.test_routes import _long_chat

    pg = page
    upload(pg, _long_chat(tmp_path), "Me", "Long chat")
    assert "Page 1 of 3" in pg.locator("nav.pager").first.inner_text()
    pg.locator("section[aria-labelledby=findings-h] table a", has_text="#6500").first.click()
    pg.wait_for_url(re.compile(r"\?page=3#m6500$"))
    assert pg.locator("#m6500").is_visible()
    assert "Page 3 of 3" in pg.locator("nav.pager").first.inner_text()
    flag = pg.locator("#m6500 form.feedback").first
    flag.get_by_role("button", name=re.compile("^Confirm")).click()
    pg.wait_for_function(
        "() => document.querySelector('#m6500 .decision').textContent.includes('confirmed')"
    )
    a11y(pg)
    # The page is ~76,000 px tall: keep the screenshot to the viewport around the flag.
    pg.screenshot(path=str(artifacts / "11-long-case-page-3.png"))
    pg.get_by_role("link", name="Earlier messages").first.click()
    pg.wait_for_url(re.compile(r"\?page=2#timeline-h$"))
    assert pg.locator("#m3000").count() == 1 and pg.locator("#m6500").count() == 0
