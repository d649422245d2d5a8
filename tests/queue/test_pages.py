"""The queue pages: doctor (HTMX buttons), patient (check-in and place), public screen."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login_client
from tests.factories import make_user
from tests.queue.helpers import at, book_in, doctor_with_login, make_clinic
from yiyun.audit.models import AccessLog

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = at(7, 40)

        def set(self, hour, minute=0):
            self.now = at(hour, minute)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


@pytest.fixture
def waiting(clock):
    clinic = make_clinic()
    bookings = [book_in(clinic, name=n) for n in ("王小明", "李秀英", "欧阳娜娜")]
    for booking in bookings:
        login_client(booking.account).post(f"/me/bookings/{booking.external_id}/queue/check-in/")
    return clinic, bookings


def test_doctor_page_shows_the_queue_and_the_buttons_work(waiting, clock):
    clinic, bookings = waiting
    doctor = login_client(clinic.doctor_user)
    home = doctor.get("/doctor/queue/")
    page_url = f"/doctor/queue/{clinic.session.external_id}/"
    assert home.status_code == 302 and home["Location"] == page_url
    page = doctor.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "王小明" in html and "李秀英" in html and 'data-testid="call-next"' in html
    assert f'data-ws="/ws/queue/sessions/{clinic.session.external_id}/"' in html
    clock.set(8, 0)
    panel = doctor.post(f"{page_url}call-next/", **HTMX)
    html = panel.content.decode()
    assert panel.status_code == 200 and html.startswith('<section id="queue-panel"')
    assert 'data-testid="current-number">1<' in html and 'data-testid="recall"' in html
    again = doctor.post(f"{page_url}call-next/", **HTMX).content.decode()
    assert "请先完成或过号当前患者" in again  # the refusal shows in the panel
    entry = bookings[0].queue_entry
    done = doctor.post(f"/doctor/queue-entries/{entry.external_id}/finish/", **HTMX).content.decode()
    assert "请叫下一位" in done
    plain = doctor.post(f"{page_url}call-next/")  # without JavaScript: post, redirect, get
    assert plain.status_code == 302 and plain["Location"] == page_url
    logged = AccessLog.objects.filter(actor=clinic.doctor_user, channel="page", outcome="allowed")
    assert set(logged.values_list("hospital_id", flat=True)) == {clinic.hospital.pk}
    assert set(logged.values_list("patient_id", flat=True)) == {b.patient_id for b in bookings}


def test_doctor_pages_of_another_doctor_are_404_and_logged(waiting):
    clinic, bookings = waiting
    _, other_user = doctor_with_login(clinic.hospital, clinic.department, name="李娜")
    other = login_client(other_user)
    assert other.get(f"/doctor/queue/{clinic.session.external_id}/").status_code == 404
    assert other.post(f"/doctor/queue/{clinic.session.external_id}/call-next/", **HTMX).status_code == 404
    entry = bookings[0].queue_entry
    assert other.post(f"/doctor/queue-entries/{entry.external_id}/finish/").status_code == 404
    assert AccessLog.objects.filter(actor=other_user, outcome="denied").count() == 3
    assert login_client(bookings[0].account).get("/doctor/queue/").status_code == 403
    assert Client().get("/doctor/queue/").status_code == 302  # to the login page
    assert "今日没有出诊安排" in other.get("/doctor/queue/").content.decode()


def test_patient_checks_in_and_sees_their_place(clock):
    clinic = make_clinic()
    first, mine = book_in(clinic), book_in(clinic)
    client = login_client(mine.account)
    url = f"/me/bookings/{mine.external_id}/queue/"
    clock.set(6, 0)
    assert "起可签到" in client.get(url).content.decode()
    clock.set(7, 40)
    page = client.get(url).content.decode()
    assert 'data-testid="check-in"' in page and f'data-ws="/ws/queue/bookings/{mine.external_id}/"' in page
    login_client(first.account).post(f"/me/bookings/{first.external_id}/queue/check-in/")
    panel = client.post(f"{url}check-in/", **HTMX).content.decode()
    assert 'data-testid="ahead">1<' in panel and "预计等待约 <strong>28</strong> 分钟" in panel
    assert client.post(f"{url}check-in/").status_code == 302  # again, without JavaScript: same place
    stranger = make_user()
    assert login_client(stranger).get(url).status_code == 404
    assert login_client(stranger).get(f"{url}panel/").status_code == 404
    assert AccessLog.objects.filter(actor=stranger, outcome="denied", record_type="booking").count() == 2


def test_the_screen_is_public_and_shows_masked_names_only(waiting, clock):
    clinic, _ = waiting
    clock.set(8, 0)
    login_client(clinic.doctor_user).post(f"/doctor/queue/{clinic.session.external_id}/call-next/")
    screen = Client().get(f"/screens/departments/{clinic.department.external_id}/")
    html = screen.content.decode()
    assert screen.status_code == 200
    assert 'data-testid="calling-number">1<' in html and "王*明" in html and "李*英" in html and "欧**娜" in html
    assert "王小明" not in html and "李秀英" not in html
    assert f'data-ws="/ws/queue/departments/{clinic.department.external_id}/"' in html
    assert Client().get("/screens/departments/not-a-uuid/").status_code == 404
    board = Client().get(f"/screens/departments/{clinic.department.external_id}/board/").content.decode()
    assert board.startswith('<section id="board"')
