"""An operator moves the release time and adds a weekly template on a phone; the doctor then finds the sessions it
published, with the new release time, on 我的排班."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, shot
from tests.factories import make_operator
from tests.queue.helpers import doctor_with_login
from tests.scheduling.helpers import make_clinic
from yiyun.scheduling.models import BookingPolicy, ScheduleTemplate, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_sets_the_rules_and_a_template_and_the_doctor_sees_the_timetable(live_server, phone_page, browser):
    clinic = make_clinic()
    doctor, doctor_user = doctor_with_login(clinic["hospital"], clinic["department"], name="李娜")
    page = phone_page
    log_in(page, live_server.url, make_operator(clinic["hospital"]), "/ops/sessions/")

    page.click("[data-testid=edit-rules]")
    page.fill("#id_release_time", "08:30")
    shot(page, "ops-01-release-rules")
    page.click("[data-testid=save-rules]")
    page.wait_for_url("**/ops/sessions/**")
    assert "规则已保存" in page.inner_text("body")
    assert BookingPolicy.objects.get(hospital=clinic["hospital"]).release_time == dt.time(8, 30)

    page.click("[data-testid=templates]")
    page.click("[data-testid=new-template]")
    page.select_option("#id_department", str(clinic["department"].pk))
    page.select_option("#id_doctor", str(doctor.pk))
    farthest = timezone.localdate() + dt.timedelta(days=8)  # the published day not yet released
    page.select_option("#id_weekday", str(farthest.weekday()))
    page.select_option("#id_visit_type", str(clinic["types"]["expert"].pk))
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=template-row]")
    assert "李娜" in page.inner_text("[data-testid=template-row]")
    shot(page, "ops-02-templates")
    template = ScheduleTemplate.objects.get(doctor=doctor)
    published = Session.objects.filter(template=template).order_by("date")
    assert published.last().date == farthest

    desk = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True).new_page()
    log_in(desk, live_server.url, doctor_user, "/doctor/timetable/")
    assert desk.locator("[data-testid=timetable-session]").count() == published.count()
    farthest_day = desk.locator(f"[data-testid=timetable-day-{farthest:%Y-%m-%d}]")
    assert f"{farthest - dt.timedelta(days=7):%m月%d日} 08:30 放号" in farthest_day.inner_text()
    shot(desk, "ops-03-doctor-timetable")
    desk.context.close()
