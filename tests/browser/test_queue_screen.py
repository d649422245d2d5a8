"""A doctor calls the next patient; the department's waiting-room screen and the patient's phone show it.

Two servers, as in production: the live path runs the ASGI app (HTTP + WebSocket in one uvicorn, as
`yiyun serve` does), because Django's `live_server` speaks WSGI only and cannot carry a WebSocket; the
fallback path uses `live_server`, where the socket fails and the screen must catch up by polling."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, shot
from tests.queue.helpers import at, book_in, ctx_for, make_clinic, short_lived_connections
from yiyun.queue import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen(monkeypatch):
    """"Now" is 08:10 today for the app (the server threads share this process)."""
    short_lived_connections(monkeypatch)
    moment = at(8, 10)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def asgi_server(transactional_db):
    import uvicorn

    from yiyun.config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off",
                                          log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def screen_page(browser):
    """A landscape 1080p waiting-room television."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desk_page(browser):
    """The doctor's desktop."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def waiting_room():
    clinic = make_clinic(windows=2, online=4)
    department = clinic.department
    department.location = "门诊楼3层 心内科2诊室"
    department.save(update_fields=["location"])
    names = ["王小明", "李秀英", "欧阳娜娜", "陈静"]
    bookings = [book_in(clinic, name=name, sex="F" if name in ("李秀英", "欧阳娜娜", "陈静") else "M")
                for name in names]
    for minute, booking in zip((40, 45, 50, 55), bookings, strict=True):
        services.check_in(ctx=ctx_for(booking.account), booking_id=booking.external_id, now=at(7, minute))
    return clinic, bookings


def test_doctor_calls_next_and_screen_and_phone_show_it_live(asgi_server, frozen, screen_page, desk_page,
                                                             phone_page):
    clinic, bookings = waiting_room()
    base = asgi_server

    screen = screen_page
    screen.goto(f"{base}/screens/departments/{clinic.department.external_id}/")
    screen.wait_for_selector("#queue-live[data-live='1']")  # the WebSocket is open
    board = screen.locator(f"[data-testid=board-{clinic.session.external_id}]")
    assert "王*明" in board.inner_text() and "王小明" not in screen.content()
    shot(screen, "queue-01-screen-waiting")

    second = bookings[1]
    log_in(phone_page, base, second.account, f"/me/bookings/{second.external_id}/queue/")
    phone_page.wait_for_selector("#queue-live[data-live='1']")
    assert phone_page.inner_text("[data-testid=ahead]").startswith("1")
    shot(phone_page, "queue-02-patient-waiting")

    desk = desk_page
    log_in(desk, base, clinic.doctor_user, "/doctor/queue/")
    desk.wait_for_selector("[data-testid=waiting-1]")
    shot(desk, "queue-03-doctor-before-call")
    desk.click("[data-testid=call-next]")
    desk.wait_for_selector("[data-testid=current-number]")
    assert desk.inner_text("[data-testid=current-number]").startswith("1")
    shot(desk, "queue-04-doctor-calling")

    banner = screen.locator("[data-testid=call-banner]")
    banner.wait_for(state="visible")
    assert banner.inner_text().split("\n") == ["请 1 号 王*明", "到 门诊楼3层 心内科2诊室 就诊 · 张伟 医生"]
    screen.wait_for_selector("[data-testid=calling-number]")
    assert board.locator("[data-testid=calling-name]").inner_text() == "王*明"
    shot(screen, "queue-05-screen-call-banner")
    screen.wait_for_function("document.querySelector('[data-testid=call-banner]').hidden", timeout=20000)
    shot(screen, "queue-06-screen-calling")

    phone_page.wait_for_function(
        "document.querySelector('[data-testid=ahead]') && "
        "document.querySelector('[data-testid=ahead]').innerText.trim().startsWith('0')")
    assert "正在叫号：1 号" in phone_page.inner_text("[data-testid=patient-panel]")
    shot(phone_page, "queue-07-patient-next")

    desk.click("[data-testid=finish]")
    desk.wait_for_selector("[data-testid=current] >> text=请叫下一位")
    desk.click("[data-testid=call-next]")
    desk.wait_for_function("document.querySelector('[data-testid=current-number]')?.innerText.startsWith('2')")
    phone_page.wait_for_selector("[data-testid=your-turn]")
    shot(phone_page, "queue-08-patient-your-turn")
    screen.wait_for_function(
        "document.querySelector('[data-testid=calling-number]')?.innerText.startsWith('2')")

    desk.set_viewport_size({"width": 390, "height": 844})  # the same page on the doctor's phone
    shot(desk, "queue-09-doctor-mobile")


def test_screen_falls_back_to_polling_without_websockets(live_server, frozen, screen_page, settings):
    settings.QUEUE_POLL_SECONDS = 1
    clinic, _ = waiting_room()
    screen_page.goto(f"{live_server.url}/screens/departments/{clinic.department.external_id}/")
    screen_page.wait_for_selector("[data-testid=board]")
    assert screen_page.get_attribute("#queue-live", "data-live") == "0"  # WSGI: no socket, polling
    services.call_next(ctx=ctx_for(clinic.doctor_user), session_id=clinic.session.external_id,
                       now=frozen + dt.timedelta(minutes=1))
    screen_page.wait_for_selector("[data-testid=calling-number]", timeout=10000)
    assert screen_page.inner_text("[data-testid=calling-name]") == "王*明"
    shot(screen_page, "queue-10-screen-polling-fallback")
