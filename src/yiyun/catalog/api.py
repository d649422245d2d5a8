"""Public catalogue endpoints: hospitals, departments and doctors (list, search, detail)."""

from __future__ import annotations

from ninja import Router, Schema

from yiyun.catalog import selectors
from yiyun.core.apikit import ERROR_RESPONSES

router = Router(tags=["医院目录 Catalogue"])

MAX_PAGE = 100


class CampusOut(Schema):
    id: str
    name: str
    address: str


class HospitalOut(Schema):
    id: str
    code: str
    name: str
    short_name: str
    tier: str
    tier_label: str
    city: str
    district: str
    address: str
    phone: str
    intro: str
    campuses: list[CampusOut]


class DepartmentOut(Schema):
    id: str
    name: str
    hospital_id: str
    hospital_name: str
    standard_code: str
    standard_name: str
    location: str
    intro: str


class DoctorDepartmentOut(Schema):
    id: str
    name: str
    standard_code: str


class DoctorOut(Schema):
    id: str
    name: str
    sex: str
    title: str
    title_label: str
    hospital_id: str
    hospital_name: str
    departments: list[DoctorDepartmentOut]
    specialty: str
    years_of_practice: int
    rating: float
    rating_count: int


class DoctorDetailOut(DoctorOut):
    intro: str
    licence_number: str


class DoctorPage(Schema):
    count: int
    items: list[DoctorOut]


def hospital_out(h) -> dict:
    return {"id": str(h.external_id), "code": h.code, "name": h.name, "short_name": h.short_name, "tier": h.tier,
            "tier_label": h.get_tier_display(), "city": h.city, "district": h.district, "address": h.address,
            "phone": h.phone, "intro": h.intro,
            "campuses": [{"id": str(c.external_id), "name": c.name, "address": c.address} for c in h.campuses.all()]}


def department_out(d) -> dict:
    return {"id": str(d.external_id), "name": d.name, "hospital_id": str(d.hospital.external_id),
            "hospital_name": d.hospital.name, "standard_code": d.standard.code,
            "standard_name": d.standard.patient_name, "location": d.location, "intro": d.intro}


def doctor_out(doc, *, detail: bool = False) -> dict:
    out = {
        "id": str(doc.external_id), "name": doc.name, "sex": doc.sex, "title": doc.title,
        "title_label": doc.get_title_display(), "hospital_id": str(doc.hospital.external_id),
        "hospital_name": doc.hospital.name,
        "departments": [{"id": str(d.external_id), "name": d.name, "standard_code": d.standard.code}
                        for d in doc.departments.all()],
        "specialty": doc.specialty, "years_of_practice": doc.years_of_practice, "rating": float(doc.rating),
        "rating_count": doc.rating_count,
    }
    if detail:
        out.update(intro=doc.intro, licence_number=doc.licence_number)
    return out


@router.get("/hospitals", auth=None, response={200: list[HospitalOut], **ERROR_RESPONSES}, summary="医院列表")
def list_hospitals(request, district: str | None = None, tier: str | None = None):
    return [hospital_out(h) for h in selectors.list_hospitals(district=district, tier=tier)]


@router.get("/hospitals/{hospital_id}", auth=None, response={200: HospitalOut, **ERROR_RESPONSES},
            summary="医院详情")
def get_hospital(request, hospital_id: str):
    return hospital_out(selectors.get_hospital(external_id=hospital_id))


@router.get("/departments", auth=None, response={200: list[DepartmentOut], **ERROR_RESPONSES},
            summary="科室列表（可按医院、标准科目筛选）")
def list_departments(request, hospital_id: str | None = None, standard_code: str | None = None):
    hospital = selectors.get_hospital(external_id=hospital_id) if hospital_id else None
    return [department_out(d) for d in selectors.list_departments(hospital=hospital, standard_code=standard_code)]


@router.get("/departments/{department_id}", auth=None, response={200: DepartmentOut, **ERROR_RESPONSES},
            summary="科室详情")
def get_department(request, department_id: str):
    return department_out(selectors.get_department(external_id=department_id))


@router.get("/doctors", auth=None, response={200: DoctorPage, **ERROR_RESPONSES},
            summary="医生列表与搜索（姓名、拼音、首字母、科室、擅长）")
def list_doctors(request, q: str | None = None, hospital_id: str | None = None, department_id: str | None = None,
                 standard_code: str | None = None, title: str | None = None, limit: int = 20, offset: int = 0):
    hospital = selectors.get_hospital(external_id=hospital_id) if hospital_id else None
    department = selectors.get_department(external_id=department_id) if department_id else None
    rows = selectors.search_doctors(q=q, hospital=hospital, department=department, standard_code=standard_code,
                                    title=title)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    return {"count": rows.count(), "items": [doctor_out(d) for d in rows[offset: offset + limit]]}


@router.get("/doctors/{doctor_id}", auth=None, response={200: DoctorDetailOut, **ERROR_RESPONSES},
            summary="医生详情")
def get_doctor(request, doctor_id: str):
    return doctor_out(selectors.get_doctor(external_id=doctor_id), detail=True)
