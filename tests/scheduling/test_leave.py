"""停诊多天: an operator stops every session of one doctor over several days (leave, a conference) in one go; the page
shows what will be cancelled first, every booking is cancelled and its patient told, sessions already over and other
doctors' are untouched, and a bad range or a missing reason stops nothing."""

import datetime as dt

import pytest

from tests.conftest import login_client
from tests.factories import make_doctor, make_hospital, make_operator, make_patient, make_session, make_user
from tests.scheduling.helpers import NOW, make_clinic
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.booking.models import Booking
from yiyun.scheduling import services
from yiyun.scheduling.models import Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_nine")]
TODAY = NOW.date()


@pytest.fixture
def week():
    clinic = make_clinic()
    doctor = clinic["doctor"]
    sessions = {n: make_session(doctor, day=TODAY + dt.timedelta(days=n), fee_fen=0) for n in (1, 2, 5)}
    sessions[0] = make_session(doctor, day=TODAY, period="pm", start=dt.time(14, 0), fee_fen=0)
    over = make_session(doctor, day=TODAY, fee_fen=0)  # 08:00–09:00 today: over at 09:00
    colleague = make_session(make_clinic()["doctor"], day=TODAY + dt.timedelta(days=1), fee_fen=0)
    accounts = []
    for n in (1, 2):
        account = make_user()
        booking.book(ctx=AccessContext(actor=account, channel="api"), patient_id=make_patient(account).external_id,
                     window_id=sessions[n].windows.first().external_id)
        accounts.append(account)
    return {**clinic, "sessions": sessions, "over": over, "colleague": colleague, "accounts": accounts}


def test_the_page_shows_what_stops_and_then_stops_it(week, django_capture_on_commit_callbacks):
    client = login_client(make_operator(week["hospital"]))
    url = f"/ops/doctors/{week['doctor'].external_id}/leave/"
    first, last = f"{TODAY:%Y-%m-%d}", f"{TODAY + dt.timedelta(days=3):%Y-%m-%d}"
    stop_page = client.get(f"/ops/sessions/{week['sessions'][1].external_id}/stop/").content.decode()
    assert f"{url}?first={TODAY + dt.timedelta(days=1):%Y-%m-%d}" in stop_page
    preview = client.get(f"{url}?first={first}&last={last}").content.decode()
    assert preview.count('<li class="row">') == 3  # this afternoon, +1, +2: not this morning's (over), not +5
    assert "将停诊3个出诊：2个有效预约将被取消" in preview
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"first": first, "last": last, "reason": "外出参加学术会议"})
    assert done.status_code == 302
    stopped = set(Session.objects.filter(status="stopped").values_list("pk", flat=True))
    assert stopped == {week["sessions"][n].pk for n in (0, 1, 2)}
    assert set(Booking.objects.values_list("status", flat=True)) == {"stopped"}
    for account in week["accounts"]:
        assert account.notifications.filter(kind="session_stopped").exists()
    assert Session.objects.get(pk=week["over"].pk).status == "open"
    assert Session.objects.get(pk=week["colleague"].pk).status == "open"


def test_a_bad_range_or_no_reason_stops_nothing(week):
    doctor = week["doctor"]
    with pytest.raises(services.ValidationFailed) as refused:
        services.stop_doctor_between(doctor=doctor, first_day=TODAY + dt.timedelta(days=2), last_day=TODAY,
                                     reason="会议")
    assert refused.value.code == "leave_dates"
    with pytest.raises(services.ValidationFailed):
        services.stop_doctor_between(doctor=doctor, first_day=TODAY, last_day=TODAY + dt.timedelta(days=90),
                                     reason="会议")
    client = login_client(make_operator(week["hospital"]))
    client.post(f"/ops/doctors/{doctor.external_id}/leave/", {"first": f"{TODAY:%Y-%m-%d}",
                                                               "last": f"{TODAY:%Y-%m-%d}", "reason": " "})
    assert not Session.objects.filter(status="stopped").exists()


def test_only_the_doctors_hospital_may_stop_their_days(week):
    url = f"/ops/doctors/{week['doctor'].external_id}/leave/"
    assert login_client(make_operator(make_hospital(name="乙院"))).get(url).status_code == 404
    assert login_client(make_user()).get(url).status_code == 403
    assert login_client(make_operator(week["hospital"])).get("/ops/doctors/nobody/leave/").status_code == 404


def test_no_patient_is_offered_another_day_of_the_same_leave(week, django_capture_on_commit_callbacks):
    colleague = make_doctor(week["hospital"], week["department"], name="李娜")
    make_session(colleague, day=TODAY + dt.timedelta(days=3), fee_fen=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_doctor_between(doctor=week["doctor"], first_day=TODAY, last_day=TODAY + dt.timedelta(days=5),
                                     reason="进修")
    for account in week["accounts"]:
        body = account.notifications.get(kind="session_stopped").body
        assert "李娜" in body and "张伟" not in body.split("可改约以下号源", 1)[1]
