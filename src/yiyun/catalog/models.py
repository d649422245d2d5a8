"""Catalogue models. Departments point to the national 诊疗科目 list (StandardDepartment) so that
triage, statistics and regulators speak the same codes whatever a hospital calls its clinic."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiyun.core.ids import ExternalIdField


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Hospital(models.Model):
    class Tier(models.TextChoices):
        TIER3A = "3A", "三级甲等"
        TIER3 = "3", "三级"
        TIER2 = "2", "二级"
        TIER1 = "1", "一级"
        COMMUNITY = "C", "社区卫生服务中心"

    external_id = ExternalIdField()
    code = models.CharField("机构编码", max_length=32, unique=True)
    name = models.CharField("医院名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    tier = models.CharField("等级", max_length=2, choices=Tier.choices)
    city = models.CharField("城市", max_length=30, blank=True)
    district = models.CharField("区县", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    intro = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "医院"
        verbose_name_plural = "医院"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Campus(models.Model):
    external_id = ExternalIdField()
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField("院区名称", max_length=60)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "院区"
        verbose_name_plural = "院区"
        constraints = [models.UniqueConstraint(fields=["hospital", "name"], name="campus_unique_name")]

    def __str__(self) -> str:
        return f"{self.hospital.short_name or self.hospital.name}·{self.name}"


class StandardDepartment(models.Model):
    """One row of the national 医疗机构诊疗科目名录 (e.g. 03 内科, 03.01 呼吸内科专业)."""

    code = models.CharField("科目代码", max_length=10, unique=True)
    name = models.CharField("科目名称", max_length=40)
    patient_name = models.CharField("通俗名称", max_length=40)
    parent = models.ForeignKey("self", verbose_name="一级科目", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = "标准诊疗科目"
        verbose_name_plural = "标准诊疗科目"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.patient_name}"

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


class Department(models.Model):
    """A hospital's own clinical department, mapped to a standard 诊疗科目."""

    external_id = ExternalIdField()
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="departments")
    campus = models.ForeignKey(Campus, verbose_name="院区", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="departments")
    standard = models.ForeignKey(StandardDepartment, verbose_name="标准科目", on_delete=models.PROTECT,
                                 related_name="hospital_departments")
    name = models.CharField("科室名称", max_length=60)
    intro = models.TextField("科室简介", blank=True)
    location = models.CharField("就诊位置", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["hospital_id", "sort_order", "standard__code", "id"]
        constraints = [models.UniqueConstraint(fields=["hospital", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return f"{self.hospital.short_name or self.hospital.name}·{self.name}"


class StaffBase(models.Model):
    external_id = ExternalIdField()
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    licence_number = models.CharField("执业证书编号", max_length=40, unique=True)
    years_of_practice = models.PositiveSmallIntegerField("从业年限", default=0)
    intro = models.TextField("简介", blank=True)
    is_active = models.BooleanField("在职", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Doctor(StaffBase):
    class Title(models.TextChoices):
        CHIEF = "chief", "主任医师"
        ASSOCIATE_CHIEF = "associate_chief", "副主任医师"
        ATTENDING = "attending", "主治医师"
        RESIDENT = "resident", "住院医师"

    TITLE_RANK = {Title.CHIEF: 4, Title.ASSOCIATE_CHIEF: 3, Title.ATTENDING: 2, Title.RESIDENT: 1}

    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="doctors")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="doctor_profile")
    title = models.CharField("职称", max_length=20, choices=Title.choices)
    departments = models.ManyToManyField(Department, verbose_name="出诊科室", related_name="doctors")
    specialty = models.TextField("擅长", blank=True)
    rating = models.DecimalField("评分", max_digits=3, decimal_places=2, default=5)
    rating_count = models.PositiveIntegerField("评价数", default=0)
    name_pinyin = models.CharField("姓名拼音", max_length=80, blank=True, editable=False)
    name_initials = models.CharField("拼音首字母", max_length=20, blank=True, editable=False)
    search_text = models.CharField("检索词", max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "医生"
        verbose_name_plural = "医生"
        ordering = ["hospital_id", "id"]
        indexes = [models.Index(fields=["name_initials"]), models.Index(fields=["name_pinyin"])]

    @property
    def title_rank(self) -> int:
        return self.TITLE_RANK.get(self.title, 0)


class Pharmacist(StaffBase):
    class Title(models.TextChoices):
        CHIEF = "chief", "主任药师"
        ASSOCIATE_CHIEF = "associate_chief", "副主任药师"
        SUPERVISING = "supervising", "主管药师"
        PHARMACIST = "pharmacist", "药师"
        ASSISTANT = "assistant", "药士"

    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE,
                                 related_name="pharmacists")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="pharmacist_profile")
    title = models.CharField("职称", max_length=20, choices=Title.choices)
    can_review = models.BooleanField("审方资格", default=False,
                                     help_text="药师及以上职称、3年以上调剂经验并通过审方培训")

    class Meta:
        verbose_name = "药师"
        verbose_name_plural = "药师"
        ordering = ["hospital_id", "id"]


class Nurse(StaffBase):
    class Title(models.TextChoices):
        CHIEF = "chief", "主任护师"
        ASSOCIATE_CHIEF = "associate_chief", "副主任护师"
        SUPERVISING = "supervising", "主管护师"
        SENIOR = "senior", "护师"
        NURSE = "nurse", "护士"

    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="nurses")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="nurse_profile")
    department = models.ForeignKey(Department, verbose_name="所在科室", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="nurses")
    title = models.CharField("职称", max_length=20, choices=Title.choices)
    home_visits = models.BooleanField("可上门护理", default=False)

    class Meta:
        verbose_name = "护士"
        verbose_name_plural = "护士"
        ordering = ["hospital_id", "id"]


class OperatorAssignment(models.Model):
    """Which hospital(s) an operator account runs; it sees only their data in the back-office."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="运营账户", on_delete=models.CASCADE,
                             related_name="operator_assignments")
    hospital = models.ForeignKey(Hospital, verbose_name="医院", on_delete=models.CASCADE, related_name="operators")

    class Meta:
        verbose_name = "运营人员"
        verbose_name_plural = "运营人员"
        constraints = [models.UniqueConstraint(fields=["user", "hospital"], name="operator_unique_hospital")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.hospital}"
