import pytest

from tests.conftest import login_client
from tests.factories import (
    make_department,
    make_doctor,
    make_hospital,
    make_operator,
    make_patient,
    make_session,
    make_user,
)
from yiyun.audit.services import AccessContext
from yiyun.booking import services as booking
from yiyun.booking.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    hospital = make_hospital(name="甲院")
    department = make_department(hospital)
    doctor = make_doctor(hospital, department, name="甲医生")
    substitute = make_doctor(hospital, department, name="替班医生")
    session = make_session(doctor, department=department, fee_fen=0)
    account = make_user()
    booking.book(ctx=AccessContext(actor=account, channel="api"), patient_id=make_patient(account).external_id,
                 window_id=session.windows.first().external_id)
    other = make_hospital(name="乙院")
    other_session = make_session(make_doctor(other, make_department(other), name="乙医生"))
    return {"hospital": hospital, "session": session, "substitute": substitute, "other_session": other_session,
            "account": account}


def test_operator_sees_own_sessions_and_stops_one(setup, django_capture_on_commit_callbacks):
    client = login_client(make_operator(setup["hospital"]))
    day = setup["session"].date
    page = client.get(f"/ops/sessions/?date={day:%Y-%m-%d}").content.decode()
    assert "甲医生" in page and "乙医生" not in page and "1/" in page
    confirm = client.get(f"/ops/sessions/{setup['session'].external_id}/stop/").content.decode()
    assert "1个有效预约将被取消" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/ops/sessions/{setup['session'].external_id}/stop/", {"reason": "设备检修"})
    assert done.status_code == 302
    assert Booking.objects.get().status == "stopped"
    assert setup["account"].notifications.filter(kind="session_stopped").exists()


def test_stop_needs_a_reason_and_other_hospitals_are_404(setup):
    client = login_client(make_operator(setup["hospital"]))
    client.post(f"/ops/sessions/{setup['session'].external_id}/stop/", {"reason": ""})
    assert Booking.objects.get().status == "confirmed"
    assert client.get(f"/ops/sessions/{setup['other_session'].external_id}/stop/").status_code == 404


def test_substitute_from_the_page(setup):
    client = login_client(make_operator(setup["hospital"]))
    response = client.post(f"/ops/sessions/{setup['session'].external_id}/substitute/",
                           {"doctor_id": str(setup["substitute"].external_id), "reason": "病假"})
    assert response.status_code == 302
    assert Booking.objects.get().doctor == setup["substitute"]


def test_patients_cannot_open_operator_pages(setup):
    response = login_client(setup["account"]).get("/ops/sessions/")
    assert response.status_code == 403


def test_scheduling_admin_pages_load_for_an_operator(setup):
    client = login_client(make_operator(setup["hospital"]))
    for model in ("bookingpolicy", "visittype", "departmentbookinglimit", "scheduletemplate", "session"):
        assert client.get(f"/admin/scheduling/{model}/").status_code == 200, model
    assert client.get("/admin/scheduling/scheduletemplate/add/").status_code == 200
