"""The JSON API: /api/v1/…, interactive docs at /api/docs and the schema at /api/openapi.json."""

from ninja import NinjaAPI

from yiyun.accounts.api import router as accounts_router
from yiyun.audit.api import router as audit_router
from yiyun.booking.api import router as booking_router
from yiyun.catalog.api import router as catalog_router
from yiyun.core.apikit import AUTH, Utf8JSONRenderer, install_error_handlers
from yiyun.notifications.api import router as notifications_router
from yiyun.patients.api import router as patients_router
from yiyun.payments.api import router as payments_router
from yiyun.queue.api import router as queue_router
from yiyun.triage.api import router as triage_router

api = NinjaAPI(
    title="医云 Yiyun API",
    version="1",
    description="互联网医院平台接口。Errors: HTTP status + {code, message (zh), message_en, fields}.",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
)
install_error_handlers(api)
api.add_router("/v1/auth", accounts_router)
api.add_router("/v1/patients", patients_router)
api.add_router("/v1/me/access-log", audit_router)
api.add_router("/v1/payments", payments_router)
api.add_router("/v1", catalog_router)
api.add_router("/v1", booking_router)
api.add_router("/v1", queue_router)
api.add_router("/v1/triage", triage_router)
api.add_router("/v1/notifications", notifications_router)
