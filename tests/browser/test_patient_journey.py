"""A demo patient logs in, adds a family member, sees the masked ID, and switches to elder mode."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import shot
from tests.factories import valid_id_number
from yiyun.demo.seed import DEMO_PASSWORD, seed_demo
from yiyun.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_adds_family_member_sees_masked_id_and_turns_on_elder_mode(live_server, phone_page):
    seed_demo()
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/me/patients/")
    page.fill("#id_phone", "13800000001")
    page.fill("#id_password", DEMO_PASSWORD)
    shot(page, "01-login")
    page.click("[data-testid=login-submit]")
    page.wait_for_url("**/me/patients/")
    assert page.locator("[data-testid=patient-list] li.patient").count() == 3
    shot(page, "02-my-patients")

    birth = dt.date(1958, 4, 12)
    number = valid_id_number(birth, "M", seq=77)
    page.click("[data-testid=add-patient]")
    page.select_option("#id_relationship", "parent")
    page.fill("#id_name", "王建国")
    page.fill("#id_id_number", number)  # the page fills birth date and sex from the number
    assert page.input_value("#id_birth_date") == birth.isoformat()
    assert page.input_value("#id_sex") == "M"
    page.fill("#id_allergies", "磺胺类药物")
    shot(page, "03-add-family-member")
    page.click("[data-testid=save-patient]")
    page.wait_for_url("**/me/patients/")

    row = page.locator("[data-testid=patient-王建国]")
    masked = number[:6] + "********" + number[-4:]
    assert masked in row.locator("[data-testid=masked-id]").inner_text()
    assert number not in page.content()
    assert Patient.objects.filter(name="王建国", relationship="parent", removed_at__isnull=True).count() == 1
    shot(page, "04-masked-id")

    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    assert "elder" in (page.get_attribute("html", "class") or "")
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= 20 > normal_size
    shot(page, "05-elder-mode")

    page.goto(f"{live_server.url}/")  # remembered on the next page
    assert "elder" in (page.get_attribute("html", "class") or "")
    shot(page, "06-home-elder")
