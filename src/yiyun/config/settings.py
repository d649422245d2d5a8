"""Django settings. Every knob comes from the environment; the defaults run the embedded demo
(SQLite, in-memory channel layer, eager Celery tasks). Production sets DATABASE_URL and REDIS_URL."""

import sys
import warnings

import dj_database_url

from yiyun.config.env import env_bool, env_dict, env_int, env_list, env_str, project_root

BASE_DIR = project_root()
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("YIYUN_DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("YIYUN_TESTING", False)
DEMO_MODE = env_bool("YIYUN_DEMO", False)

_DEV_SECRET = "yiyun-insecure-development-secret-key-change-me-in-production"  # noqa: S105
SECRET_KEY = env_str("YIYUN_SECRET_KEY", _DEV_SECRET)
if SECRET_KEY == _DEV_SECRET and not (DEBUG or TESTING or DEMO_MODE):
    warnings.warn("YIYUN_SECRET_KEY is not set: using the development key", stacklevel=1)

ALLOWED_HOSTS = env_list("YIYUN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("YIYUN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",  # serves Swagger UI from local static files (no CDN)
    "yiyun.core",
    "yiyun.accounts",
    "yiyun.audit",
    "yiyun.catalog",
    "yiyun.patients",
    "yiyun.notifications",
    "yiyun.scheduling",
    "yiyun.booking",
    "yiyun.triage",
    "yiyun.payments",
    "yiyun.payments.sandbox",
    "yiyun.queue",
    "yiyun.web",
    "yiyun.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiyun.core.middleware.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "yiyun.config.urls"
WSGI_APPLICATION = "yiyun.config.wsgi.application"
ASGI_APPLICATION = "yiyun.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiyun.web.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("YIYUN_DB_CONN_MAX_AGE", 60))}
    DATABASES["default"].setdefault("OPTIONS", {})
    # Django's own queries bind on the client and are never prepared; the booking hot path's few plain-SQL
    # statements are (yiyun.core.pgsql). 0 turns that off (e.g. behind a transaction-mode PgBouncer).
    _prepare = env_int("YIYUN_DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", _prepare or None)
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("YIYUN_SQLITE_PATH", str(VAR_DIR / "yiyun.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN,
                # so two booking transactions queue instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if not DATABASE_URL:
    # A file, not :memory:, so tests see SQLite as the demo runs it (WAL, one writer, busy timeout) and
    # threads can race in the concurrency tests.
    DATABASES["default"]["TEST"]["NAME"] = str(VAR_DIR / "test.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Redis: cache, channel layer, Celery broker ----------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("YIYUN_CACHE_PREFIX", "yiyun"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("YIYUN_CACHE_PREFIX", "yiyun")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yiyun"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

REDIS_MAX_CONNECTIONS = env_int("YIYUN_REDIS_MAX_CONNECTIONS", 50)
REDIS_POOL_TIMEOUT = env_int("YIYUN_REDIS_POOL_TIMEOUT", 5)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("YIYUN_EAGER_TASKS", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}  # filled from PERIODIC_TASKS below

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yiyun.accounts.backends.PhonePasswordBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("YIYUN_SESSION_SECONDS", 7 * 24 * 3600)
SESSION_COOKIE_SECURE = env_bool("YIYUN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Field encryption and look-up hashes (see yiyun.core.crypto) --------------------------------------
# YIYUN_FIELD_KEYS: comma-separated "key_id:base64(32 bytes)"; the first encrypts, all decrypt.
# YIYUN_LOOKUP_KEY: base64 secret for the keyed hash (HMAC-SHA256) used for exact-match look-ups.
FIELD_ENCRYPTION_KEYS = env_list("YIYUN_FIELD_KEYS", [])
LOOKUP_HASH_KEY = env_str("YIYUN_LOOKUP_KEY", "")
ALLOW_DEV_KEYS = DEBUG or TESTING or DEMO_MODE or env_bool("YIYUN_ALLOW_DEV_KEYS", False)

# --- SMS ------------------------------------------------------------------------------------------
SMS_SENDER = env_str("YIYUN_SMS_SENDER", "yiyun.core.sms.ConsoleSmsSender")
SMS_CODE_TTL_SECONDS = 300
SMS_CODE_MAX_ATTEMPTS = 5
SMS_RATE_PER_PHONE = (1, 60)  # one code a minute per number
SMS_RATE_PER_PHONE_DAY = (10, 24 * 3600)
SMS_RATE_PER_IP = (20, 3600)
LOGIN_FAILURE_LIMIT = (5, 15 * 60)  # five wrong passwords lock the account's password login for 15 min

# --- Booking -------------------------------------------------------------------------------------
# Rate limits on the booking call (count, seconds) — per account, per real-name patient, per client IP.
BOOKING_RATE_PER_ACCOUNT = (env_int("YIYUN_BOOKING_RATE_ACCOUNT", 10), 60)
BOOKING_RATE_PER_PATIENT = (env_int("YIYUN_BOOKING_RATE_PATIENT", 6), 60)
BOOKING_RATE_PER_IP = (env_int("YIYUN_BOOKING_RATE_IP", 300), 60)
BOOKING_FACTS_TTL = float(env_str("YIYUN_BOOKING_FACTS_TTL", "5"))
# Queue pages poll every N seconds while their WebSocket is down (they are pushed otherwise).
QUEUE_POLL_SECONDS = env_int("YIYUN_QUEUE_POLL_SECONDS", 15)
# A resolved API token is trusted for this long in each process (the revocation delay across processes).
API_TOKEN_CACHE_SECONDS = float(env_str("YIYUN_API_TOKEN_CACHE_SECONDS", "10"))
# Periodic work by Celery task name → seconds (Celery beat in production; the in-process ticker in the demo).
PERIODIC_TASKS = {
    "yiyun.booking.tasks.expire_holds": 30,
    "yiyun.booking.tasks.mark_no_shows": 600,
    "yiyun.booking.tasks.send_reminders": 600,
    "yiyun.scheduling.tasks.generate_sessions": 3600,
    "payments.sync_stale": 60,
    "sandboxpay.run_due_work": 5,
}

# --- Payments (yiyun.payments) ------------------------------------------------------------------------
# Gateways by name → adapter class. Real gateways (微信支付, 支付宝) are added here when their adapters land.
PAYMENTS_PROVIDERS = {"sandbox": "yiyun.payments.providers.sandbox.SandboxProvider"}
PAYMENTS_DEFAULT_PROVIDER = env_str("YIYUN_PAYMENT_PROVIDER", "sandbox")
PAYMENTS_NOTIFY_MAX_SKEW_SECONDS = 300  # a notification signed longer ago than this is refused (replay)
PAYMENTS_SYNC_AFTER_SECONDS = env_int("YIYUN_PAYMENTS_SYNC_AFTER", 120)  # no news this long → ask the gateway
PAYMENTS_CLOSE_GRACE_SECONDS = 60  # unpaid this long past expires_at → the sync closes the payment
# The sandbox gateway lets anyone "pay" with a button: on only where that is harmless, unless asked for.
PAYMENTS_SANDBOX_ENABLED = env_bool("YIYUN_PAYMENTS_SANDBOX", DEBUG or TESTING or DEMO_MODE)
PAYMENTS_SANDBOX_SECRET = env_str("YIYUN_SANDBOX_PAY_SECRET", "")  # merchant key (HMAC-SHA256); unset: dev key
PAYMENTS_SANDBOX_NOTIFY_URL = env_str("YIYUN_SANDBOX_PAY_NOTIFY_URL", "")  # unset: delivered in-process
PAYMENTS_SANDBOX_FAULTS = env_dict("YIYUN_SANDBOX_PAY_FAULTS")  # see yiyun.payments.sandbox.faults
# 微信支付's notification retry intervals (about 24 h in all):
PAYMENTS_SANDBOX_RETRY_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800,
                                  21600, 21600]

# --- Triage --------------------------------------------------------------------------------------
TRIAGE_RATE = (env_int("YIYUN_TRIAGE_RATE", 30), 60)  # turns per minute per account (or per IP when anonymous)

# --- I18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "yiyun" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: always served by the app (hospital intranets are offline) ----------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Security headers -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("YIYUN_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Trust X-Forwarded-For only when a proxy we run sets it (used for the access log and rate limits).
TRUSTED_PROXY_COUNT = env_int("YIYUN_TRUSTED_PROXIES", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("YIYUN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

CELERY_BEAT_SCHEDULE = {name: {"task": name, "schedule": float(seconds)} for name, seconds in PERIODIC_TASKS.items()}
