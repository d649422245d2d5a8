import pytest

from tests.factories import make_department, make_doctor, make_hospital
from yiyun.catalog.models import Doctor
from yiyun.catalog.pinyin import name_keys
from yiyun.catalog.selectors import search_doctors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,full,initials", [
    ("张伟", "zhangwei", "zw"), ("曾国强", "zengguoqiang", "zgq"), ("单雄", "shanxiong", "sx"),
    ("欧阳娜娜", "ouyangnana", "oynn"), ("解明", "xieming", "xm"), ("李长青", "lichangqing", "lcq"),
])
def test_name_keys_read_surnames_as_surnames(name, full, initials):
    assert name_keys(name) == (full, initials)


@pytest.fixture
def doctors():
    hospital = make_hospital()
    cardio = make_department(hospital, name="心血管内科", code="03.04")
    breast = make_department(hospital, name="甲状腺乳腺外科", code="04.01")
    return {
        "zhangwei": make_doctor(hospital, cardio, name="张伟", title=Doctor.Title.CHIEF, specialty="擅长高血压、冠心病。"),
        "zhangwen": make_doctor(hospital, cardio, name="张文", specialty="擅长心律失常。"),
        "wangwei": make_doctor(hospital, breast, name="王伟", specialty="擅长乳腺结节、甲状腺结节的手术治疗。"),
        "zeng": make_doctor(hospital, breast, name="曾国强", specialty="擅长乳腺癌。"),
    }


def names(rows):
    return [d.name for d in rows]


def test_full_pinyin_finds_the_doctor_first(doctors):
    assert names(search_doctors(q="zhangwei"))[0] == "张伟"
    assert names(search_doctors(q="ZhangWei")) == ["张伟"]


def test_initials(doctors):
    assert set(names(search_doctors(q="zw"))) == {"张伟", "张文"}
    assert names(search_doctors(q="zgq")) == ["曾国强"]


def test_pinyin_prefix(doctors):
    assert set(names(search_doctors(q="zhang"))) == {"张伟", "张文"}
    assert names(search_doctors(q="zeng")) == ["曾国强"]


def test_chinese_name_exact_match_ranks_first(doctors):
    assert names(search_doctors(q="张伟"))[0] == "张伟"
    assert set(names(search_doctors(q="伟"))) == {"张伟", "王伟"}


def test_words_in_specialty(doctors):
    assert set(names(search_doctors(q="乳腺结节"))) == {"王伟"}
    assert set(names(search_doctors(q="乳腺"))) == {"王伟", "曾国强"}
    assert names(search_doctors(q="高血压")) == ["张伟"]


def test_by_department_and_standard_code(doctors):
    cardio = doctors["zhangwei"].departments.get()
    assert set(names(search_doctors(department=cardio))) == {"张伟", "张文"}
    assert set(names(search_doctors(standard_code="04"))) == {"王伟", "曾国强"}  # first-level code covers 04.01
    assert names(search_doctors(standard_code="03.04"))[0] == "张伟"  # chief physician first


def test_api_search_and_detail(client, doctors):
    body = client.get("/api/v1/doctors", {"q": "zw"}).json()
    assert body["count"] == 2 and {d["name"] for d in body["items"]} == {"张伟", "张文"}
    detail = client.get(f"/api/v1/doctors/{doctors['zhangwei'].external_id}").json()
    assert detail["title_label"] == "主任医师" and detail["departments"][0]["standard_code"] == "03.04"
    assert client.get("/api/v1/doctors/12345").status_code == 404


def test_search_page_with_htmx_fragment(client, doctors):
    full = client.get("/doctors/", {"q": "zhangwei"}).content.decode()
    assert "<html" in full and "张伟" in full
    fragment = client.get("/doctors/", {"q": "zw"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "张文" in fragment


def test_browse_hospital_department_doctor(client, doctors):
    doctor = doctors["wangwei"]
    department = doctor.departments.get()
    assert "甲状腺乳腺外科" in client.get(f"/hospitals/{doctor.hospital.external_id}/").content.decode()
    assert "王伟" in client.get(f"/departments/{department.external_id}/").content.decode()
    page = client.get(f"/doctors/{doctor.external_id}/").content.decode()
    assert doctor.licence_number in page and "乳腺结节" in page
