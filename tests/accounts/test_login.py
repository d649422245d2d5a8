import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _login(client, phone, password, **extra):
    return client.post("/api/v1/auth/login", {"phone": phone, "password": password, **extra},
                       content_type="application/json")


def test_password_login_sets_a_session_and_me_shows_masked_phone(client):
    make_user(phone="13811112222")
    response = _login(client, "138 1111 2222", PASSWORD)
    assert response.status_code == 200
    me = client.get("/api/v1/auth/me").json()
    assert me["phone"] == "138****2222" and me["role"] == "patient"
    assert "13811112222" not in response.content.decode()


def test_wrong_password_answers_401_with_the_envelope(client):
    make_user(phone="13811112222")
    response = _login(client, "13811112222", "wrong-password")
    assert response.status_code == 401
    assert response.json() == {"code": "login_failed", "message": "手机号或密码错误",
                               "message_en": "Wrong mobile number or password", "fields": {}}


def test_five_wrong_passwords_lock_password_login(client):
    make_user(phone="13811112222")
    for _ in range(5):
        assert _login(client, "13811112222", "wrong-password").status_code == 401
    locked = _login(client, "13811112222", PASSWORD)
    assert locked.status_code == 429 and locked.json()["code"] == "login_locked"
    assert int(locked["Retry-After"]) > 0


def test_validation_errors_name_the_field(client):
    response = client.post("/api/v1/auth/login", {"phone": "13811112222"}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"password"}
    response = _login(client, "12345", PASSWORD)
    assert response.status_code == 422 and set(response.json()["fields"]) == {"phone"}


def test_bearer_token_login_and_logout_revokes_it():
    make_user(phone="13811112222")
    token = _login(Client(), "13811112222", PASSWORD, issue_token=True).json()["token"]
    assert token.startswith("yy_")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/auth/me").status_code == 200
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/auth/me").status_code == 401


def test_anonymous_requests_are_denied_by_default(client):
    response = client.get("/api/v1/patients")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_session_writes_need_the_csrf_token():
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="yiyun.accounts.backends.PhonePasswordBackend")
    assert strict.post("/api/v1/patients", {}, content_type="application/json").status_code in (401, 403)


def test_elder_mode_preference_is_remembered_on_the_account(client):
    user = make_user(phone="13811112222")
    _login(client, "13811112222", PASSWORD)
    response = client.patch("/api/v1/auth/me", {"elder_mode": True}, content_type="application/json")
    assert response.json()["elder_mode"] is True
    user.refresh_from_db()
    assert user.elder_mode is True
    page = Client()
    page.force_login(user, backend="yiyun.accounts.backends.PhonePasswordBackend")
    assert 'class="elder"' in page.get("/").content.decode()


def test_admin_login_form_accepts_phone_and_password():
    make_user(phone="13711110000", role="operator")
    c = Client()
    response = c.post("/admin/login/", {"username": "13711110000", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
