"""A patient describes a complaint in everyday words, answers the follow-up chips and gets a result card
with a care level, the hospital's clinics (挂号) and doctors; an emergency shows 120 instead."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from yiyun.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_to_result_card(live_server, phone_page):
    seed_demo()
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.click("[data-testid=triage-entry]")
    page.fill("#message", "孩子发烧三天了，最高烧到39度，咳嗽有痰")
    page.fill("#age", "4")
    page.select_option("#sex", "M")
    shot(page, "triage-01-complaint")
    page.click("[data-testid=triage-submit]")
    page.wait_for_url("**/triage/*/")
    answered = 0
    while page.locator("[data-testid=chips]").count() and answered < 6:
        if answered == 0:
            shot(page, "triage-02-question")
        bubbles = page.locator(".bubble").count()
        page.click("[data-testid=answer-no]" if answered % 2 else "[data-testid=answer-yes]")
        # HTMX swaps the chat in place: wait until the answer shows as a new bubble.
        page.wait_for_function(f"document.querySelectorAll('.bubble').length > {bubbles}")
        answered += 1
    assert 1 <= answered <= 5
    card = page.locator("[data-testid=result-card]")
    assert "由AI生成，仅供参考" in card.inner_text()
    assert page.locator("[data-testid=book-1]").count() == 1
    assert "儿科" in card.inner_text() or "小儿" in card.inner_text()
    shot(page, "triage-03-result")
    page.click("[data-testid=book-1]")
    page.wait_for_url("**/book/departments/**")
    shot(page, "triage-04-booking-from-triage")


def test_emergency_shows_120_and_no_consultation(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/triage/")
    page.fill("#message", "胸口压得喘不过气，出了一身冷汗，左边胳膊也麻")
    page.fill("#age", "62")
    page.select_option("#sex", "M")
    page.click("[data-testid=triage-submit]")
    page.wait_for_url("**/triage/*/")
    assert page.locator("[data-testid=emergency]").is_visible()
    assert page.locator("a[href='tel:120']").count() == 1
    assert page.locator("[data-testid=consult]").count() == 0
    assert page.inner_text("[data-testid=care-level]") == "立即急诊"
    shot(page, "triage-05-emergency")
