import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_department, make_doctor, make_hospital, make_patient, make_session, make_user
from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext
from yiyun.booking import errors, services
from yiyun.booking.models import Booking, BookingEvent, Ticket
from yiyun.booking.states import Status
from yiyun.scheduling.models import BookingPolicy, DepartmentBookingLimit

pytestmark = pytest.mark.django_db


def ctx_for(user, ip="10.0.0.1"):
    return AccessContext(actor=user, channel="api", ip=ip)


@pytest.fixture
def family():
    account = make_user()
    return account, make_patient(account, name="王大明", birth=dt.date(1980, 1, 1))


def first_window(session):
    return session.windows.order_by("starts_at").first()


def test_booking_takes_the_lowest_number_and_holds_it_for_payment(family):
    account, patient = family
    session = make_session(fee_fen=1500)
    window = first_window(session)
    result = services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    booking = Booking.objects.get(pk=result.booking_id)
    assert (booking.number, booking.status, booking.fee_fen) == (window.first_number, Status.HELD, 1500)
    assert booking.hold_expires_at - booking.created_at == dt.timedelta(minutes=15)
    assert Ticket.objects.get(number=booking.number, session=session).booking_id == booking.pk
    assert list(BookingEvent.objects.filter(booking=booking).values_list("to_status", flat=True)) == ["held"]
    assert AccessLog.objects.filter(record_type="booking", record_id=str(booking.external_id),
                                    action="create", actor=account, patient=patient).exists()


def test_free_visit_is_confirmed_at_once_and_notified(family, django_capture_on_commit_callbacks, sms_outbox):
    account, patient = family
    window = first_window(make_session(fee_fen=0))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    assert result.status == Status.CONFIRMED and result.hold_expires_at is None
    assert account.notifications.filter(kind="booking_confirmed").count() == 1
    assert len(sms_outbox) == 1 and "王**" in sms_outbox[0].text and patient.id_number not in sms_outbox[0].text


def test_numbers_are_handed_out_in_order_and_never_twice():
    session = make_session(online=3, windows=1)
    window = first_window(session)
    numbers = []
    for n in range(3):
        account = make_user()
        patient = make_patient(account, name=f"患者{'甲乙丙'[n]}")
        numbers.append(services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                                     window_id=window.external_id).number)
    assert numbers == [window.first_number, window.first_number + 1, window.first_number + 2]
    late = make_user()
    with pytest.raises(errors.WindowFull) as err:
        services.book(ctx=ctx_for(late), patient_id=make_patient(late, name="迟到者").external_id,
                      window_id=window.external_id)
    assert err.value.status == 409 and err.value.envelope()["actions"][0]["kind"] == "join_waitlist"
    assert Booking.objects.filter(window=window).count() == 3


def test_the_booking_that_takes_the_last_number_marks_the_window_sold_out(django_capture_on_commit_callbacks):
    from yiyun.booking import gate

    window = first_window(make_session(online=2, windows=1))
    for n in range(2):
        account = make_user()
        patient = make_patient(account, name=f"患者{'甲乙'[n]}")
        gate.forget_local()
        with django_capture_on_commit_callbacks(execute=True):
            services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
        gate.forget_local()  # ask the shared mark, not this process's memory
        assert gate.is_sold_out(window.pk) is (n == 1)


def test_a_retry_with_the_same_idempotency_key_books_nothing_new(family):
    account, patient = family
    window = first_window(make_session())
    first = services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id,
                          idempotency_key="k-1")
    again = services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id,
                          idempotency_key="k-1")
    assert (first.created, again.created) == (True, False)
    assert first.external_id == again.external_id
    assert Booking.objects.count() == 1


def test_one_booking_per_patient_per_doctor_per_day(family):
    account, patient = family
    session = make_session(windows=2)
    windows = list(session.windows.order_by("starts_at"))
    services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=windows[0].external_id)
    with pytest.raises(errors.DuplicateBooking):
        services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=windows[1].external_id)


def test_daily_and_weekly_limits_are_the_hospitals_data(family):
    account, patient = family
    hospital = make_hospital()
    department = make_department(hospital)
    doctors = [make_doctor(hospital, department, name=n) for n in ("甲医生", "乙医生", "丙医生")]
    BookingPolicy.objects.update_or_create(hospital=hospital, defaults={"max_active_per_day": 2,
                                                                        "max_active_per_week": 10})
    day = timezone.localdate() + dt.timedelta(days=2)
    sessions = [make_session(d, department=department, day=day) for d in doctors]
    for session in sessions[:2]:
        services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                      window_id=first_window(session).external_id)
    with pytest.raises(errors.BookingLimit) as err:
        services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                      window_id=first_window(sessions[2]).external_id)
    assert err.value.code == "booking_limit_day"
    BookingPolicy.objects.filter(hospital=hospital).update(max_active_per_day=5, max_active_per_week=2)
    from yiyun.booking import facts

    facts.forget_all()
    with pytest.raises(errors.BookingLimit) as err:
        services.book(ctx=ctx_for(account), patient_id=patient.external_id,
                      window_id=first_window(sessions[2]).external_id)
    assert err.value.code == "booking_limit_week"


def test_department_age_and_sex_limits():
    hospital = make_hospital()
    paediatrics = make_department(hospital, name="儿科", code="07")
    gynaecology = make_department(hospital, name="妇科", code="05.01")
    DepartmentBookingLimit.objects.create(department=paediatrics, max_age=14)
    DepartmentBookingLimit.objects.create(department=gynaecology, sex="F")
    child_window = first_window(make_session(make_doctor(hospital, paediatrics, name="儿医"), department=paediatrics))
    gyn_window = first_window(make_session(make_doctor(hospital, gynaecology, name="妇医"), department=gynaecology))
    account = make_user()
    father = make_patient(account, name="王父", sex="M", birth=dt.date(1980, 5, 5))
    daughter = make_patient(account, name="王女", sex="F", birth=dt.date(2019, 5, 5), relationship="child")
    with pytest.raises(errors.NotEligible) as err:
        services.book(ctx=ctx_for(account), patient_id=father.external_id, window_id=child_window.external_id)
    assert err.value.code == "age_restricted"
    with pytest.raises(errors.NotEligible) as err:
        services.book(ctx=ctx_for(account), patient_id=father.external_id, window_id=gyn_window.external_id)
    assert err.value.code == "sex_restricted"
    assert services.book(ctx=ctx_for(account), patient_id=daughter.external_id,
                         window_id=child_window.external_id).created


def test_not_bookable_before_release_or_after_the_window(family):
    account, patient = family
    hospital = make_hospital()
    BookingPolicy.objects.create(hospital=hospital, horizon_days=7, release_time=dt.time(7, 0))
    department = make_department(hospital)
    doctor = make_doctor(hospital, department)
    far = timezone.localdate() + dt.timedelta(days=8)
    window = first_window(make_session(doctor, department=department, day=far))
    with pytest.raises(errors.NotReleased) as err:
        services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    assert "release_at" in err.value.fields
    release = window.session.release_at
    assert timezone.localtime(release).time() == dt.time(7, 0)
    assert timezone.localtime(release).date() == far - dt.timedelta(days=7)
    just_after = release + dt.timedelta(seconds=1)
    assert services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id,
                         now=just_after).created
    with pytest.raises(errors.WindowClosed):
        other = make_user()
        services.book(ctx=ctx_for(other), patient_id=make_patient(other).external_id,
                      window_id=window.external_id, now=window.ends_at + dt.timedelta(seconds=1))


def test_someone_elses_patient_is_404_and_logged(family):
    account, patient = family
    intruder = make_user()
    window = first_window(make_session())
    with pytest.raises(errors.NotFound):
        services.book(ctx=ctx_for(intruder), patient_id=patient.external_id, window_id=window.external_id)
    assert AccessLog.objects.filter(patient=patient, actor=intruder, outcome="denied").exists()
    assert not Booking.objects.exists()


def test_rate_limits_per_patient_answer_429(family, settings):
    account, patient = family
    settings.BOOKING_RATE_PER_PATIENT = (2, 60)
    window = first_window(make_session())
    services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    with pytest.raises(errors.DuplicateBooking):
        services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    from yiyun.core.errors import RateLimited

    with pytest.raises(RateLimited) as err:
        services.book(ctx=ctx_for(account), patient_id=patient.external_id, window_id=window.external_id)
    assert err.value.retry_after >= 1
