"""Weekly templates (排班模板) on the operator page and in the back-office: a new one publishes its sessions at once,
the checks refuse what cannot hold, retiring says what it will do and never drops a booked session."""

import datetime as dt

import pytest

from tests.conftest import login_client
from tests.factories import (
    make_department,
    make_doctor,
    make_hospital,
    make_operator,
    make_patient,
    make_user,
)
from tests.scheduling.helpers import NOW, make_clinic
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.core.errors import Conflict, ValidationFailed
from yiyun.scheduling import services
from yiyun.scheduling.models import ScheduleTemplate, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_nine")]
TOMORROW = NOW.date() + dt.timedelta(days=1)


@pytest.fixture
def clinic():
    return make_clinic()


def _template(clinic, *, weekday=None, **changes) -> ScheduleTemplate:
    values = {"hospital": clinic["hospital"], "doctor": clinic["doctor"], "department": clinic["department"],
              "weekday": TOMORROW.weekday() if weekday is None else weekday, "period": "am",
              "start_time": dt.time(8, 0), "end_time": dt.time(9, 0), "window_minutes": 30, "online_per_window": 3,
              "onsite_per_window": 1, "visit_type": clinic["types"]["general"], "valid_from": dt.date(2026, 1, 1)}
    return ScheduleTemplate(**(values | changes))


def test_a_new_template_publishes_its_sessions_at_once(clinic):
    published = services.add_template(template=_template(clinic), today=NOW.date())
    sessions = Session.objects.filter(doctor=clinic["doctor"]).order_by("date")
    assert published == 2 and [s.date for s in sessions] == [TOMORROW, TOMORROW + dt.timedelta(days=7)]
    assert sessions[0].windows.count() == 2
    with pytest.raises(Conflict) as twice:
        services.add_template(template=_template(clinic, start_time=dt.time(10, 0), end_time=dt.time(11, 0)))
    assert twice.value.code == "template_exists"


@pytest.mark.parametrize(("changes", "code"), [
    ({"end_time": dt.time(7, 0)}, "clinic_times"),
    ({"online_per_window": 0, "onsite_per_window": 0}, "clinic_places"),
    ({"window_minutes": 2}, "clinic_window"),
    ({"valid_until": dt.date(2025, 12, 31)}, "template_dates"),
])
def test_templates_that_cannot_hold_are_refused(clinic, changes, code):
    with pytest.raises(ValidationFailed) as refused:
        services.add_template(template=_template(clinic, **changes))
    assert refused.value.code == code
    assert not ScheduleTemplate.objects.exists() and not Session.objects.exists()


def test_the_doctor_must_work_in_the_department_of_the_hospital(clinic):
    elsewhere = make_doctor(make_hospital(name="乙院"), name="外院医生")
    with pytest.raises(ValidationFailed) as refused:
        services.add_template(template=_template(clinic, doctor=elsewhere))
    assert refused.value.code == "hospital_mismatch"
    other_department = make_department(clinic["hospital"], name="呼吸内科", code="03.01")
    with pytest.raises(ValidationFailed) as refused:
        services.add_template(template=_template(clinic, department=other_department))
    assert refused.value.code == "doctor_not_in_department"


def _form(clinic, **changes) -> dict:
    data = {"department": clinic["department"].pk, "doctor": clinic["doctor"].pk, "campus": "",
            "weekday": TOMORROW.weekday(), "period": "pm", "start_time": "13:30", "end_time": "15:30",
            "window_minutes": 30, "online_per_window": 4, "onsite_per_window": 1,
            "visit_type": clinic["types"]["expert"].pk, "fee_fen": "", "valid_from": "2026-01-01", "valid_until": ""}
    return data | changes


def test_the_operator_adds_a_template_from_the_page(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    assert 'data-testid="no-templates"' in client.get("/ops/templates/").content.decode()
    form = client.get(f"/ops/templates/new/?hospital={clinic['hospital'].external_id}").content.decode()
    assert "张伟" in form
    done = client.post(f"/ops/templates/new/?hospital={clinic['hospital'].external_id}", _form(clinic))
    assert done.status_code == 302
    template = ScheduleTemplate.objects.get()
    assert template.hospital == clinic["hospital"] and template.period == "pm"
    assert Session.objects.filter(template=template, date=TOMORROW).exists()
    listing = client.get("/ops/templates/").content.decode()
    assert listing.count('data-testid="template-row"') == 1 and "每30分钟线上4·现场1" in listing


def test_the_page_shows_a_refusal_and_saves_nothing(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    refused = client.post("/ops/templates/new/", _form(clinic, end_time="12:00"))
    assert refused.status_code == 200 and "结束时间须晚于开始时间" in refused.content.decode()
    outsider = make_doctor(make_hospital(name="乙院"), name="外院医生")
    refused = client.post("/ops/templates/new/", _form(clinic, doctor=outsider.pk))
    assert refused.status_code == 200 and not ScheduleTemplate.objects.exists()


def test_operators_see_only_their_hospitals_templates(clinic):
    services.add_template(template=_template(clinic), today=NOW.date())
    other = make_hospital(name="乙院")
    client = login_client(make_operator(other))
    assert 'data-testid="no-templates"' in client.get("/ops/templates/").content.decode()
    assert client.get(f"/ops/templates/?hospital={clinic['hospital'].external_id}").status_code == 404
    template = ScheduleTemplate.objects.get()
    assert client.get(f"/ops/templates/{template.pk}/retire/").status_code == 404
    assert login_client(make_user()).get("/ops/templates/").status_code == 403


def test_retiring_says_what_it_does_and_keeps_the_booked_session(clinic):
    services.add_template(template=_template(clinic), today=NOW.date())
    booked, unbooked = Session.objects.filter(doctor=clinic["doctor"]).order_by("date")
    account = make_user()
    booking.book(ctx=AccessContext(actor=account, channel="api"), patient_id=make_patient(account).external_id,
                 window_id=booked.windows.first().external_id)
    template = ScheduleTemplate.objects.get()
    client = login_client(make_operator(clinic["hospital"]))
    preview = client.get(f"/ops/templates/{template.pk}/retire/").content.decode()
    assert "尚无预约的1个出诊将撤下" in preview and "已有预约的1个出诊保留" in preview
    assert client.post(f"/ops/templates/{template.pk}/retire/").status_code == 302
    assert not ScheduleTemplate.objects.get().is_active
    assert Session.objects.filter(pk=booked.pk).exists() and not Session.objects.filter(pk=unbooked.pk).exists()
    assert client.get(f"/ops/templates/{template.pk}/retire/").status_code == 404  # already retired


def test_the_back_office_publishes_and_retires_through_the_same_services(clinic):
    client = login_client(make_operator(clinic["hospital"]))
    data = _form(clinic) | {"hospital": clinic["hospital"].pk, "is_active": "on"}
    created = client.post("/admin/scheduling/scheduletemplate/add/", data)
    assert created.status_code == 302, created.content.decode()[:1500]
    template = ScheduleTemplate.objects.get()
    assert Session.objects.filter(template=template).count() == 2
    retired = client.post(f"/admin/scheduling/scheduletemplate/{template.pk}/change/", data | {"is_active": ""})
    assert retired.status_code == 302
    assert not Session.objects.filter(template=template).exists()  # nobody had booked: withdrawn
    refused = client.post("/admin/scheduling/scheduletemplate/add/", data | {"end_time": "12:00"})
    assert refused.status_code == 200 and ScheduleTemplate.objects.count() == 1
