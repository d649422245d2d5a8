"""What every django-ninja router shares: authentication (session cookie with CSRF, or bearer token),
the one error envelope, and helpers for access contexts."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer

from yiyun.core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied

logger = logging.getLogger("yiyun.api")


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not ASCII escapes: half the bytes on the wire, readable in logs and curl."""

    media_type = "application/json"  # ninja appends the charset
    json_dumps_params = {"ensure_ascii": False}


class ErrorOut(Schema):
    code: str
    message: str
    message_en: str
    fields: dict[str, str] = {}
    actions: list[dict] = []


ERROR_RESPONSES = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
                   429: ErrorOut}


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        from yiyun.accounts.selectors import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.auth_token = token
        return user


class SessionAuth(APIKeyCookie):
    """The browser session; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


AUTH = [BearerTokenAuth(), SessionAuth(csrf=True)]


class Anonymous:
    """Marker for endpoints open to everyone: `request.auth` is this when nobody is logged in."""

    is_authenticated = False

    def __bool__(self) -> bool:
        return True  # ninja treats a falsy result as "not authenticated"


def _anonymous_if_no_credentials(request):
    if request.headers.get("Authorization") or request.COOKIES.get("sessionid"):
        return None  # credentials were given and did not check out: 401, not anonymous
    return Anonymous()


# Logged in (bearer token or session with CSRF) or nobody at all; bad credentials still get 401.
OPTIONAL_AUTH = [BearerTokenAuth(), SessionAuth(csrf=True), _anonymous_if_no_credentials]


def error_response(api, request, error: DomainError):
    response = api.create_response(request, error.envelope(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是/否（true/false）",
    "bool_type": "应为是/否（true/false）",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "json_invalid": "JSON 格式错误",
    "uuid_parsing": "编号格式错误",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
}


def _field_message(err: dict) -> str:
    return _PYDANTIC_MESSAGES.get(err.get("type", ""), "格式不正确")


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "request"


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return error_response(api, request, exc)

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request, exc: NinjaValidationError):
        fields = {}
        for err in exc.errors:
            fields[_field_name(err.get("loc", ()))] = _field_message(err)
        return error_response(api, request, DomainError(
            "提交的信息有误，请检查后重试", "Some fields are invalid", code="validation_error", status=422,
            fields=fields))

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        return error_response(api, request, NotAuthenticated())

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return error_response(api, request, NotFound())

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 403:
            return error_response(api, request, PermissionDenied())
        return error_response(api, request, DomainError(str(exc), str(exc), code="http_error",
                                                        status=exc.status_code))

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("unhandled API error on %s", request.path)
        return error_response(api, request, DomainError("服务暂时不可用，请稍后重试", "Internal error, please retry",
                                                        code="internal_error", status=500))
