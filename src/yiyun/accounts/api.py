"""Auth endpoints: password and SMS-code login, logout, the current user."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.middleware.csrf import get_token
from ninja import Router, Schema, Status

from yiyun.accounts import services
from yiyun.core.apikit import ERROR_RESPONSES
from yiyun.core.net import client_ip

router = Router(tags=["账户 Auth"])


class PasswordLoginIn(Schema):
    phone: str
    password: str
    issue_token: bool = False


class SmsRequestIn(Schema):
    phone: str


class SmsLoginIn(Schema):
    phone: str
    code: str
    issue_token: bool = False


class MeOut(Schema):
    id: str
    phone: str
    display_name: str
    role: str
    roles: list[str]
    elder_mode: bool
    language: str


class LoginOut(Schema):
    user: MeOut
    token: str | None = None
    csrf_token: str


class PrefsIn(Schema):
    elder_mode: bool | None = None
    language: str | None = None


def me_out(user) -> dict:
    roles = sorted(set(user.groups.values_list("name", flat=True)) | {user.primary_role})
    return {"id": str(user.external_id), "phone": user.masked_phone, "display_name": user.display_name,
            "role": user.primary_role, "roles": roles, "elder_mode": user.elder_mode, "language": user.language}


def _logged_in(request, user, issue_token: bool) -> dict:
    login(request, user, backend="yiyun.accounts.backends.PhonePasswordBackend")
    token = services.issue_api_token(user=user) if issue_token else None
    return {"user": me_out(user), "token": token, "csrf_token": get_token(request)}


@router.post("/login", auth=None, response={200: LoginOut, **ERROR_RESPONSES}, summary="手机号+密码登录")
def password_login(request, payload: PasswordLoginIn):
    user = services.login_with_password(request=request, phone=payload.phone, password=payload.password)
    return _logged_in(request, user, payload.issue_token)


@router.post("/sms-codes", auth=None, response={202: None, **ERROR_RESPONSES}, summary="发送短信验证码")
def request_sms_code(request, payload: SmsRequestIn):
    services.request_sms_code(phone=payload.phone, ip=client_ip(request))
    return Status(202, None)


@router.post("/sms-login", auth=None, response={200: LoginOut, **ERROR_RESPONSES}, summary="短信验证码登录")
def sms_login(request, payload: SmsLoginIn):
    user = services.login_with_sms(phone=payload.phone, code=payload.code)
    return _logged_in(request, user, payload.issue_token)


@router.post("/logout", response={204: None, **ERROR_RESPONSES}, summary="退出登录")
def do_logout(request):
    token = getattr(request, "auth_token", None)
    if token:
        services.revoke_api_token(raw=token)
    logout(request)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="当前用户")
def me(request):
    return me_out(request.user)


@router.patch("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="修改偏好（长辈模式、语言）")
def update_prefs(request, payload: PrefsIn):
    user = request.user
    if payload.elder_mode is not None:
        services.set_elder_mode(user=user, enabled=payload.elder_mode)
    if payload.language is not None:
        services.set_language(user=user, language=payload.language)
    return me_out(user)
