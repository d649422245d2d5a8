"""Users, one-time SMS codes and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from yiyun.core.crypto import EncryptedTextField, lookup_hash
from yiyun.core.ids import ExternalIdField
from yiyun.core.validators import normalize_phone

PHONE_HASH_PURPOSE = "phone"


def phone_lookup(phone: str) -> str:
    return lookup_hash(normalize_phone(phone), purpose=PHONE_HASH_PURPOSE)


class Role(models.TextChoices):
    PATIENT = "patient", "患者"
    DOCTOR = "doctor", "医生"
    PHARMACIST = "pharmacist", "药师"
    NURSE = "nurse", "护士"
    OPERATOR = "operator", "医院运营"
    PLATFORM_ADMIN = "platform_admin", "平台管理员"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra) -> User:
        phone = normalize_phone(phone)
        user = self.model(phone=phone, phone_hash=phone_lookup(phone), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("primary_role", Role.PLATFORM_ADMIN)
        return self.create_user(phone, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        """`username` is a phone number (admin login form) or already its look-up hash."""
        key = username if len(username) == 64 else phone_lookup(username)
        return self.get(phone_hash=key)


class User(AbstractBaseUser, PermissionsMixin):
    external_id = ExternalIdField()
    phone = EncryptedTextField("手机号")
    phone_hash = models.CharField("手机号索引", max_length=64, unique=True, editable=False)
    display_name = models.CharField("显示名", max_length=50, blank=True)
    primary_role = models.CharField("主要角色", max_length=20, choices=Role.choices, default=Role.PATIENT)
    is_active = models.BooleanField("启用", default=True)
    is_staff = models.BooleanField("可进入后台", default=False)
    elder_mode = models.BooleanField("长辈模式", default=False)
    language = models.CharField("界面语言", max_length=10, default="zh-hans")
    date_joined = models.DateTimeField("注册时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone_hash"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        from yiyun.core.masking import mask_phone

        return self.display_name or mask_phone(self.phone)

    @property
    def masked_phone(self) -> str:
        from yiyun.core.masking import mask_phone

        return mask_phone(self.phone)

    def has_role(self, role: str) -> bool:
        if role == Role.PLATFORM_ADMIN and self.is_superuser:
            return True
        return self.primary_role == role or self.groups.filter(name=role).exists()


class SmsCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is stored."""

    class Purpose(models.TextChoices):
        LOGIN = "login", "登录"

    phone_hash = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.LOGIN)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone_hash", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code {self.pk}"


class ApiToken(models.Model):
    """A bearer token for non-browser clients (apps, kiosks). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"
