import re

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_password_login_page_redirects_to_next():
    make_user(phone="13811112222")
    client = Client()
    response = client.post("/accounts/login/", {"mode": "password", "phone": "13811112222", "password": PASSWORD,
                                                "next": "/me/patients/"})
    assert response.status_code == 302 and response["Location"] == "/me/patients/"
    bad = Client().post("/accounts/login/", {"mode": "password", "phone": "13811112222", "password": "nope",
                                             "next": "https://evil.example/"})
    assert bad.status_code == 200 and "手机号或密码错误" in bad.content.decode()


def test_sms_login_page_sends_a_code_and_logs_in(sms_outbox):
    client = Client()
    sent = client.post("/accounts/login/sms-code/", {"phone": "13811113333"})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    again = client.post("/accounts/login/sms-code/", {"phone": "13811113333"})
    assert again.status_code == 429 and "Retry-After" in again
    code = re.search(r"验证码为(\d{6})", sms_outbox[-1].text).group(1)
    response = client.post("/accounts/login/", {"mode": "sms", "phone": "13811113333", "code": code, "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert "138****3333" in client.get("/me/").content.decode()
