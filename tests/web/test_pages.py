import pytest
from django.test import Client

from tests.conftest import login_client
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_chinese_by_default_and_english_on_request():
    client = Client()
    assert "找医生" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Doctors" in html and 'lang="en"' in html


def test_elder_mode_switch_is_remembered_for_anonymous_visitors():
    client = Client()
    response = client.post("/prefs/elder/", {"enabled": "1", "next": "/doctors/"})
    assert response.status_code == 302 and response["Location"] == "/doctors/"
    assert 'class="elder"' in client.get("/").content.decode()
    client.post("/prefs/elder/", {"enabled": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").content.decode()


def test_elder_switch_refuses_foreign_redirects():
    response = Client().post("/prefs/elder/", {"enabled": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_all_assets_are_local():
    html = login_client(make_user()).get("/").content.decode()
    docs = Client().get("/api/docs").content.decode()
    for page in (html, docs):
        assert "cdn." not in page and "https://" not in page.split("<body")[0]
    assert Client().get("/static/web/vendor/htmx-2.0.11.min.js").status_code == 200


def test_openapi_schema_lists_the_v1_endpoints():
    schema = Client().get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/auth/login", "/api/v1/auth/sms-codes", "/api/v1/auth/sms-login", "/api/v1/auth/me",
            "/api/v1/patients", "/api/v1/patients/{patient_id}", "/api/v1/hospitals", "/api/v1/departments",
            "/api/v1/doctors", "/api/v1/doctors/{doctor_id}"} <= paths
