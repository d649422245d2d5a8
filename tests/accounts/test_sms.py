import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import make_user
from yiyun.accounts import services
from yiyun.accounts.models import SmsCode, User, phone_lookup
from yiyun.core.errors import RateLimited

pytestmark = pytest.mark.django_db
PHONE = "13712345678"


def _last_code(outbox) -> str:
    return re.search(r"验证码为(\d{6})", outbox[-1].text).group(1)


def test_code_is_sent_and_only_its_hash_is_stored(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    code = _last_code(sms_outbox)
    assert sms_outbox[-1].phone == PHONE and "5分钟" in sms_outbox[-1].text
    row = SmsCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert (row.expires_at - row.created_at) == dt.timedelta(minutes=5)


def test_sms_login_creates_a_patient_account_then_logs_into_it(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    user = services.login_with_sms(phone=PHONE, code=_last_code(sms_outbox))
    assert user.primary_role == "patient" and user.groups.filter(name="patient").exists()
    assert User.objects.filter(phone_hash=phone_lookup(PHONE)).count() == 1


def test_a_code_works_once(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    code = _last_code(sms_outbox)
    services.login_with_sms(phone=PHONE, code=code)
    with pytest.raises(services.SmsCodeError) as err:
        services.login_with_sms(phone=PHONE, code=code)
    assert err.value.code == "sms_code_missing"


def test_code_expires_after_five_minutes(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    code = _last_code(sms_outbox)
    SmsCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.SmsCodeError) as err:
        services.login_with_sms(phone=PHONE, code=code)
    assert err.value.code == "sms_code_expired"


def test_five_wrong_tries_lock_the_code_even_for_the_right_one(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    code = _last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    codes = []
    for _ in range(5):
        with pytest.raises(services.SmsCodeError) as err:
            services.verify_sms_code(phone=PHONE, code=wrong)
        codes.append(err.value.code)
    assert codes == ["sms_code_invalid"] * 4 + ["sms_code_locked"]
    assert SmsCode.objects.get().attempts == 5
    with pytest.raises(services.SmsCodeError) as err:
        services.verify_sms_code(phone=PHONE, code=code)
    assert err.value.code == "sms_code_locked"


def test_a_new_code_replaces_the_old_one(sms_outbox, settings):
    settings.SMS_RATE_PER_PHONE = (5, 60)
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    first = _last_code(sms_outbox)
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    second = _last_code(sms_outbox)
    if first != second:
        with pytest.raises(services.SmsCodeError):
            services.verify_sms_code(phone=PHONE, code=first)
    services.verify_sms_code(phone=PHONE, code=second)


def test_sending_is_limited_per_number(sms_outbox):
    services.request_sms_code(phone=PHONE, ip="10.0.0.1")
    with pytest.raises(RateLimited) as err:
        services.request_sms_code(phone=PHONE, ip="10.0.0.2")
    assert 1 <= err.value.retry_after <= 61
    assert len(sms_outbox) == 1


def test_sending_is_limited_per_ip(sms_outbox, settings):
    limit, _ = settings.SMS_RATE_PER_IP
    for n in range(limit):
        services.request_sms_code(phone=f"1370000{n:04d}", ip="10.9.9.9")
    with pytest.raises(RateLimited):
        services.request_sms_code(phone="13799999999", ip="10.9.9.9")
    services.request_sms_code(phone="13799999999", ip="10.9.9.10")  # another address still may
    assert len(sms_outbox) == limit + 1


def test_api_answers_429_with_retry_after_and_the_envelope(client, sms_outbox):
    first = client.post("/api/v1/auth/sms-codes", {"phone": PHONE}, content_type="application/json")
    assert first.status_code == 202
    second = client.post("/api/v1/auth/sms-codes", {"phone": PHONE}, content_type="application/json")
    assert second.status_code == 429
    assert int(second["Retry-After"]) >= 1
    body = second.json()
    assert body["code"] == "rate_limited" and body["message"] and body["message_en"]


def test_api_sms_login_flow(client, sms_outbox):
    make_user(phone=PHONE)
    client.post("/api/v1/auth/sms-codes", {"phone": PHONE}, content_type="application/json")
    bad = client.post("/api/v1/auth/sms-login", {"phone": PHONE, "code": "12345x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] in {"sms_code_invalid"}
    ok = client.post("/api/v1/auth/sms-login", {"phone": PHONE, "code": _last_code(sms_outbox)},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["user"]["phone"] == "137****5678"
    assert client.get("/api/v1/auth/me").json()["phone"] == "137****5678"
