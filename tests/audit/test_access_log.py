import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from tests.conftest import login_client
from tests.factories import make_patient, make_user
from yiyun.audit.models import AccessLog
from yiyun.audit.services import AccessContext, record_access

pytestmark = pytest.mark.django_db


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    account = make_user()
    patient = make_patient(account)
    row = AccessLog.objects.filter(patient=patient).first()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(action="view")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_postgres_refuses_raw_updates_and_deletes():
    patient = make_patient(make_user())
    row = AccessLog.objects.filter(patient=patient).first()
    for sql in ("UPDATE audit_accesslog SET action = 'view' WHERE id = %s", "DELETE FROM audit_accesslog WHERE id = %s"):
        with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])


def test_a_patient_sees_who_viewed_their_record():
    owner = make_user(display_name="王小明")
    patient = make_patient(owner, name="李秀英", relationship="parent")
    doctor = make_user(role="doctor", display_name="张医生")
    record_access(AccessContext(actor=doctor, channel="page", ip="10.1.2.3"), patient=patient, action="view")
    client = login_client(owner)
    api = client.get("/api/v1/me/access-log?others_only=true").json()
    assert [(r["actor"], r["actor_role"], r["patient"], r["action"]) for r in api] == [
        ("张医生", "doctor", "李秀英", "view")]
    html = client.get("/me/access-log/?others=1").content.decode()
    assert "张医生" in html and "李秀英" in html
    everything = client.get("/api/v1/me/access-log").json()
    assert {"本人", "张医生"} <= {r["actor"] for r in everything}


def test_one_account_does_not_see_another_accounts_log():
    a, b = make_user(), make_user()
    make_patient(a, name="甲某")
    make_patient(b, name="乙某")
    rows = login_client(a).get("/api/v1/me/access-log").json()
    assert rows and {r["patient"] for r in rows} == {"甲某"}
