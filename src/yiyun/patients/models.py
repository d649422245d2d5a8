"""The 就诊人 record. ID and mobile numbers are sealed at rest (yiyun.core.crypto) with a keyed hash
beside each for exact-match look-ups; they are shown only masked."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiyun.catalog.models import Sex
from yiyun.core.crypto import EncryptedTextField
from yiyun.core.ids import ExternalIdField
from yiyun.core.masking import mask_id_number, mask_phone


class Relationship(models.TextChoices):
    SELF = "self", "本人"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    SIBLING = "sibling", "兄弟姐妹"
    GRANDPARENT = "grandparent", "祖父母/外祖父母"
    GRANDCHILD = "grandchild", "孙子女/外孙子女"
    OTHER = "other", "其他"


class Patient(models.Model):
    external_id = ExternalIdField()
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="所属账户", on_delete=models.PROTECT,
                                related_name="patients")
    relationship = models.CharField("与账户本人关系", max_length=20, choices=Relationship.choices)
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    id_number = EncryptedTextField("身份证号")
    id_number_hash = models.CharField("身份证号索引", max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("手机号", blank=True)
    phone_hash = models.CharField("手机号索引", max_length=64, blank=True, db_index=True, editable=False)
    allergies = models.TextField("过敏史", blank=True)
    chronic_conditions = models.TextField("慢性病史", blank=True)
    is_default = models.BooleanField("默认就诊人", default=False)
    verified_at = models.DateTimeField("实名核验时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "就诊人"
        verbose_name_plural = "就诊人"
        ordering = ["-is_default", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "id_number_hash"], condition=Q(removed_at__isnull=True),
                                    name="patient_unique_id_per_account"),
            models.UniqueConstraint(fields=["account"], condition=Q(removed_at__isnull=True, relationship="self"),
                                    name="patient_one_self_per_account"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())
