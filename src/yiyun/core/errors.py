"""Domain errors: each has an HTTP status, a stable machine code and a message in Chinese and English.

Services raise them; the API (yiyun.core.api) and pages turn them into the one error envelope:
`{"code": ..., "message": <zh>, "message_en": <en>, "fields": {...}}`.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"
    message = "请求有误"
    message_en = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        actions: list[dict] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if message_en is not None:
            self.message_en = message_en
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields or {}
        self.headers = headers or {}
        self.actions = actions or []
        super().__init__(f"{self.code}: {self.message_en}")

    def envelope(self) -> dict:
        body = {"code": self.code, "message": self.message, "message_en": self.message_en, "fields": self.fields}
        if self.actions:  # what the client can do next, e.g. join the waitlist of a full window
            body["actions"] = self.actions
        return body


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"
    message = "提交的信息有误，请检查后重试"
    message_en = "Some fields are invalid"

    @classmethod
    def field(cls, name: str, message: str, message_en: str, code: str = "validation_error") -> ValidationFailed:
        return cls(message, message_en, code=code, fields={name: message})


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message = "请先登录"
    message_en = "Please log in first"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    message = "您没有权限执行此操作"
    message_en = "You are not allowed to do this"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "未找到该记录"
    message_en = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = "与现有数据冲突"
    message_en = "Conflicts with existing data"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    message = "操作过于频繁，请稍后再试"
    message_en = "Too many requests, please try again later"

    def __init__(self, retry_after: int, **kwargs) -> None:
        super().__init__(headers={"Retry-After": str(max(1, int(retry_after)))}, **kwargs)
        self.retry_after = max(1, int(retry_after))
