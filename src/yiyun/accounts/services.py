"""Everything that changes accounts: registration, password and SMS-code login, API tokens.

Login limits: five wrong passwords lock password login for 15 minutes; SMS codes live 5 minutes, lock
after 5 wrong tries, and sending is limited per number and per IP (settings.SMS_RATE_*).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from yiyun.accounts.models import ApiToken, Role, SmsCode, User, phone_lookup
from yiyun.accounts.roles import grant_role
from yiyun.core import ratelimit
from yiyun.core.crypto import lookup_hash
from yiyun.core.errors import DomainError, NotAuthenticated, RateLimited, ValidationFailed
from yiyun.core.sms import get_sender
from yiyun.core.validators import normalize_phone

TOKEN_PREFIX = "yy_"  # noqa: S105 - a label, not a secret
TOKEN_LIFETIME = dt.timedelta(days=30)


class SmsCodeError(DomainError):
    status = 400
    code = "sms_code_invalid"
    message = "验证码错误"
    message_en = "The verification code is wrong"


def register_user(*, phone: str, password: str | None = None, role: str = Role.PATIENT, display_name: str = "",
                  is_staff: bool = False) -> User:
    phone = normalize_phone(phone)
    if User.objects.filter(phone_hash=phone_lookup(phone)).exists():
        raise ValidationFailed.field("phone", "该手机号已注册", "This mobile number is already registered",
                                     code="phone_taken")
    with transaction.atomic():
        user = User.objects.create_user(phone, password, primary_role=role, display_name=display_name,
                                        is_staff=is_staff)
        grant_role(user, role)
    return user


def login_with_password(*, request, phone: str, password: str) -> User:
    phone = normalize_phone(phone)
    key = phone_lookup(phone)
    limit, window = settings.LOGIN_FAILURE_LIMIT
    wait = ratelimit.exceeded("login-fail", key, limit=limit, window=window)
    if wait:
        raise RateLimited(wait, message="密码错误次数过多，请稍后再试或使用短信验证码登录",
                          message_en="Too many wrong passwords; try later or log in with an SMS code",
                          code="login_locked")
    user = authenticate(request, phone=phone, password=password)
    if user is None:
        with contextlib.suppress(RateLimited):  # the next attempt reports the lock
            ratelimit.hit("login-fail", key, limit=limit, window=window)
        raise DomainError("手机号或密码错误", "Wrong mobile number or password", code="login_failed", status=401)
    ratelimit.reset("login-fail", key, window=window)
    return user


def _code_hash(phone_hash: str, code: str) -> str:
    return lookup_hash(f"{phone_hash}:{code}", purpose="sms-code")


def request_sms_code(*, phone: str, ip: str, purpose: str = SmsCode.Purpose.LOGIN) -> None:
    phone = normalize_phone(phone)
    key = phone_lookup(phone)
    limits = (
        ("sms-ip", ip or "unknown", settings.SMS_RATE_PER_IP),
        ("sms-phone", key, settings.SMS_RATE_PER_PHONE),
        ("sms-phone-day", key, settings.SMS_RATE_PER_PHONE_DAY),
    )
    # Check every limit before counting any, so a refused request uses up no other allowance.
    wait = max(ratelimit.exceeded(scope, ident, limit=limit, window=window) for scope, ident, (limit, window) in limits)
    if wait:
        raise RateLimited(wait)
    for scope, ident, (limit, window) in limits:
        ratelimit.hit(scope, ident, limit=limit, window=window)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        SmsCode.objects.filter(phone_hash=key, purpose=purpose, consumed_at__isnull=True).update(consumed_at=now)
        SmsCode.objects.create(
            phone_hash=key, purpose=purpose, code_hash=_code_hash(key, code), created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    get_sender().send(phone=phone, text=f"【医云】您的登录验证码为{code}，{minutes}分钟内有效，请勿告诉他人。")


def verify_sms_code(*, phone: str, code: str, purpose: str = SmsCode.Purpose.LOGIN) -> None:
    """Consume a valid code, or raise. A wrong try is counted even though the call fails."""
    key = phone_lookup(phone)
    error: SmsCodeError | None = None
    with transaction.atomic():
        sms = (SmsCode.objects.select_for_update()
               .filter(phone_hash=key, purpose=purpose, consumed_at__isnull=True)
               .order_by("-created_at").first())
        now = timezone.now()
        if sms is None:
            error = SmsCodeError("请先获取验证码", "Request a verification code first", code="sms_code_missing")
        elif sms.expires_at <= now:
            error = SmsCodeError("验证码已过期，请重新获取", "The code has expired; request a new one",
                                 code="sms_code_expired")
        elif sms.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            error = SmsCodeError("验证码错误次数过多已失效，请重新获取", "Too many wrong tries; request a new code",
                                 code="sms_code_locked")
        elif not hmac.compare_digest(sms.code_hash, _code_hash(key, (code or "").strip())):
            sms.attempts += 1
            sms.save(update_fields=["attempts"])
            left = settings.SMS_CODE_MAX_ATTEMPTS - sms.attempts
            error = SmsCodeError(f"验证码错误，还可尝试{left}次" if left else "验证码错误次数过多已失效，请重新获取",
                                 f"Wrong code, {left} tries left" if left else "Too many wrong tries; request a new code",
                                 code="sms_code_invalid" if left else "sms_code_locked")
        else:
            sms.consumed_at = now
            sms.save(update_fields=["consumed_at"])
    if error is not None:
        raise error


def login_with_sms(*, phone: str, code: str) -> User:
    """Verify the code; a number seen for the first time becomes a new patient account."""
    phone = normalize_phone(phone)
    verify_sms_code(phone=phone, code=code)
    user = User.objects.filter(phone_hash=phone_lookup(phone)).first()
    if user is None:
        user = register_user(phone=phone)
    if not user.is_active:
        raise NotAuthenticated("该账户已停用", "This account is disabled", code="account_disabled")
    return user


def issue_api_token(*, user: User) -> str:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hashlib.sha256(raw.encode()).hexdigest(),
                            expires_at=timezone.now() + TOKEN_LIFETIME)
    return raw


def revoke_api_token(*, raw: str) -> None:
    from yiyun.accounts.selectors import forget_token

    ApiToken.objects.filter(key_hash=hashlib.sha256(raw.encode()).hexdigest(), revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    forget_token(raw)  # other processes stop trusting it within API_TOKEN_CACHE_SECONDS


def set_elder_mode(*, user: User, enabled: bool) -> None:
    if user.elder_mode != enabled:
        user.elder_mode = enabled
        user.save(update_fields=["elder_mode"])


def set_language(*, user: User, language: str) -> None:
    codes = {code for code, _ in settings.LANGUAGES}
    if language not in codes:
        raise ValidationFailed.field("language", "不支持该语言", "Unsupported language", code="language_invalid")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
