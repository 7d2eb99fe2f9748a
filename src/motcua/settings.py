"""Settings for motcua, driven by environment variables only.

Embedded default: SQLite (WAL) under ``var/``, local files, database task queue.
Scale-out: ``DATABASE_URL=postgres://…``, ``REDIS_URL`` for cache, S3 storage (see docs/deployment.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MOTCUA_PROJECT_DIR", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# The demo and the tests (``make demo``/``setup``, scripts/serve-demo, test_settings, benches) set
# MOTCUA_DEMO=1: only they may run with the published key. Anything else refuses to start without a key
# of its own, so a forgotten variable in production is a crash, not a forgeable session.
DEMO = env_bool("MOTCUA_DEMO", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEMO or DEBUG):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: set it to a long random value (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or MOTCUA_DEMO=1 for the demo and the tests only."
        )
    SECRET_KEY = "insecure-demo-key-change-me-" + "x" * 24  # demo and tests only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "motcua.identity.admin_apps.MotcuaAdminConfig",  # Django's admin, behind our login and second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.agencies",
    "motcua.identity",
    "motcua.signing",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.workflow",
    "motcua.notifications",
    "motcua.integrations",
    "motcua.payments",
    "motcua.feedback",
    "motcua.satisfaction",
    "motcua.queueing",
    "motcua.reports",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.identity.staff_session.StaffSessionMiddleware",
    "motcua.identity.middleware.ForcePasswordChangeMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.identity.context_processors.staff_navigation",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MOTCUA_SQLITE_PATH", str(VAR_DIR / "motcua.sqlite3")),
            "OPTIONS": {
                # WAL lets the web server and the worker read while the other writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("MOTCUA_TEST_DB", "test_motcua")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (rate limits, sessions stay in the database) -----------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache"}}

# --- tasks ----------------------------------------------------------------------------------------
TASKS: dict[str, dict[str, Any]] = {
    "default": {
        # django_tasks_db's queue (core/task_queue.py writes its rows); any django-tasks backend works.
        "BACKEND": os.environ.get("MOTCUA_TASK_BACKEND", "motcua.core.task_queue.DatabaseQueue"),
    }
}
# With the database queue, side-effect tasks are enqueued inside the transaction that causes them
# (their rows commit or roll back together); with any other queue, after the commit.
MOTCUA_TASKS_IN_TRANSACTION = TASKS["default"]["BACKEND"] in (
    "motcua.core.task_queue.DatabaseQueue",
    "django_tasks_db.DatabaseBackend",
)
# The worker (core/task_worker.py, `manage.py run_worker`) claims a task with a lease it renews every
# WORKER_HEARTBEAT_SECONDS (or a third of the lease if shorter); a task whose lease expired (its worker
# died) is put back in the queue by the next worker. A failed task runs again after
# base × 2^(attempt - 1) seconds (capped), up to MAX_ATTEMPTS attempts in all, then stays FAILED.
MOTCUA_TASK_LEASE_SECONDS = int(os.environ.get("MOTCUA_TASK_LEASE_SECONDS", "30"))
MOTCUA_TASK_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_TASK_MAX_ATTEMPTS", "5"))
MOTCUA_TASK_RETRY_BASE_SECONDS = int(os.environ.get("MOTCUA_TASK_RETRY_BASE_SECONDS", "30"))
MOTCUA_TASK_RETRY_MAX_SECONDS = int(os.environ.get("MOTCUA_TASK_RETRY_MAX_SECONDS", "3600"))
# /healthz: a READY task due for longer than this is overdue; more overdue tasks and expired leases
# than MOTCUA_TASKS_STUCK_MAX answer 503.
MOTCUA_TASK_OVERDUE_SECONDS = int(os.environ.get("MOTCUA_TASK_OVERDUE_SECONDS", "300"))
MOTCUA_TASKS_STUCK_MAX = int(os.environ.get("MOTCUA_TASKS_STUCK_MAX", "0"))
# Notifications whose sending failed are sent again by a periodic job of the worker, after
# base × 2^(attempt - 1) seconds, up to MAX_ATTEMPTS sends. A send started less than IN_FLIGHT seconds
# ago (longer than any channel's timeout) is never started a second time.
MOTCUA_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFICATION_MAX_ATTEMPTS", "5"))
MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS", "60"))
MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS = int(os.environ.get("MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS", "120"))
# Exports of the indicators over periods longer than this many days are built by a background task.
MOTCUA_EXPORT_SYNC_DAYS = int(os.environ.get("MOTCUA_EXPORT_SYNC_DAYS", "92"))

# --- auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "motcua.identity.backends.LoginBackend",
    "motcua.identity.national_login.NationalIdBackend",  # national identity (VNeID) login
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "identity:after-login"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per (login, client address) before a pause; the pause then doubles at each failure up to
# the maximum (see identity.ratelimit). The address's wide allowance only slows that address.
LOGIN_FAILURES_BEFORE_PAUSE = int(os.environ.get("MOTCUA_LOGIN_FAILURES_BEFORE_PAUSE", "5"))
LOGIN_PAUSE_SECONDS = int(os.environ.get("MOTCUA_LOGIN_PAUSE_SECONDS", "60"))
LOGIN_PAUSE_MAX_SECONDS = int(os.environ.get("MOTCUA_LOGIN_PAUSE_MAX_SECONDS", "3600"))
LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("MOTCUA_LOGIN_ADDRESS_RATE_LIMIT", "50/5m")
# Failed look-ups on the public tracking page per client address, and per dossier code (guessing its 4
# digits from many addresses): after TRACKING_CODE_FAILURES, pauses as for logins.
TRACKING_RATE_LIMIT = os.environ.get("MOTCUA_TRACKING_RATE_LIMIT", "10/10m")
TRACKING_CODE_FAILURES = int(os.environ.get("MOTCUA_TRACKING_CODE_FAILURES", "10"))
# Unknown share-link tokens tried per client address before its share pages answer 429 for the window.
SHARE_LINK_RATE_LIMIT = os.environ.get("MOTCUA_SHARE_LINK_RATE_LIMIT", "20/10m")
# Password-reset requests and registrations per typed identifier and per client address.
PASSWORD_RESET_RATE_LIMIT = os.environ.get("MOTCUA_PASSWORD_RESET_RATE_LIMIT", "3/h")
PASSWORD_RESET_ADDRESS_RATE_LIMIT = os.environ.get("MOTCUA_PASSWORD_RESET_ADDRESS_RATE_LIMIT", "20/h")
REGISTER_RATE_LIMIT = os.environ.get("MOTCUA_REGISTER_RATE_LIMIT", "5/h")
REGISTER_ADDRESS_RATE_LIMIT = os.environ.get("MOTCUA_REGISTER_ADDRESS_RATE_LIMIT", "20/h")
# Feedback sent from the portal without an account, per client address (portal.feedback_views).
FEEDBACK_RATE_LIMIT = os.environ.get("MOTCUA_FEEDBACK_RATE_LIMIT", "10/h")
# Load balancers and reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
# CIDRs, e.g. "10.0.0.0/8"); empty: the client is REMOTE_ADDR (core.ratelimit.client_address).
MOTCUA_TRUSTED_PROXIES = os.environ.get("MOTCUA_TRUSTED_PROXIES", "")
RATELIMIT_ENABLE = env_bool("MOTCUA_RATELIMIT_ENABLE", True)
# Staff sessions (identity.staff_session): at most one working day from the login, ended after idle
# time, and the second factor typed within a few minutes of the password. Citizens keep SESSION_COOKIE_AGE.
MOTCUA_STAFF_SESSION_HOURS = float(os.environ.get("MOTCUA_STAFF_SESSION_HOURS", "9"))
MOTCUA_STAFF_IDLE_MINUTES = float(os.environ.get("MOTCUA_STAFF_IDLE_MINUTES", "30"))
MOTCUA_SECOND_FACTOR_MINUTES = float(os.environ.get("MOTCUA_SECOND_FACTOR_MINUTES", "15"))
# The name authenticator apps show beside the login name.
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_OTP_ISSUER", "motcua")
# API tokens (identity.tokens) stop working this many days after they are made or rotated.
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "90"))

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": os.environ.get("MOTCUA_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("MOTCUA_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024  # API submissions carry base64 files of up to 10 MB each
CATALOG_TEMPLATE_MAX_BYTES = 10 * 1024 * 1024

# --- mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_FROM_EMAIL", "motcua@localhost")
# SMTP (production) and the SMS gateway: under "external services" below.


# --- external services (docs/integrations.md) ------------------------------------------------------------
# Every adapter reads its URL and secrets here. The defaults point at the local fakes that
# ``manage.py run_fakes`` serves for the demo (core/fakes.py); production sets the real services.
# Demo ports: 8101 national portal, 8102 national identity (OIDC), 8103 population database, 8104 post,
# 8105 SMS gateway, 8106 payment sandbox (both online payment providers).
MOTCUA_OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_OUTBOUND_TIMEOUT_SECONDS", "10"))

# National public-service portal: dossier and progress sync, catalog pull, national intake.
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get("MOTCUA_NATIONAL_PORTAL_URL", "http://127.0.0.1:8101").rstrip("/")
# The province's account on the portal; requests are signed with the secret (integrations/national).
MOTCUA_NATIONAL_PORTAL_CLIENT_ID = os.environ.get("MOTCUA_NATIONAL_PORTAL_CLIENT_ID", "demo-province")
MOTCUA_NATIONAL_PORTAL_SECRET = os.environ.get("MOTCUA_NATIONAL_PORTAL_SECRET", "demo-national-portal-secret")
# Off: dossiers and events are not queued for the portal (the test settings; a test turns it on).
MOTCUA_NATIONAL_SYNC_ENABLED = env_bool("MOTCUA_NATIONAL_SYNC_ENABLED", True)
# Sync retries (integrations/national/sync.py): base × 2^(attempt-1) seconds, capped; a dead letter after the
# last attempt. Defaults: 10 s, 20 s, … 1 h, twelve attempts (about 5 h before a dead letter).
MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS = float(os.environ.get("MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS", "10"))
MOTCUA_NATIONAL_SYNC_RETRY_MAX_SECONDS = float(os.environ.get("MOTCUA_NATIONAL_SYNC_RETRY_MAX_SECONDS", "3600"))
MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS", "12"))
MOTCUA_NATIONAL_SYNC_TIMEOUT_SECONDS = float(
    os.environ.get("MOTCUA_NATIONAL_SYNC_TIMEOUT_SECONDS", str(MOTCUA_OUTBOUND_TIMEOUT_SECONDS))
)
# The periodic job (every worker) sends what is due every so many seconds, at most so many messages a run.
MOTCUA_NATIONAL_SYNC_INTERVAL_SECONDS = float(os.environ.get("MOTCUA_NATIONAL_SYNC_INTERVAL_SECONDS", "5"))
MOTCUA_NATIONAL_SYNC_BATCH = int(os.environ.get("MOTCUA_NATIONAL_SYNC_BATCH", "500"))
# Pull side (integrations/intake_services.py): the periodic pulls of the catalog and of the dossiers
# submitted on the portal (off: only the back office's "pull now"), how often, and dossiers per page.
MOTCUA_NATIONAL_INTAKE_ENABLED = env_bool("MOTCUA_NATIONAL_INTAKE_ENABLED", True)
MOTCUA_NATIONAL_INTAKE_EVERY_MINUTES = int(os.environ.get("MOTCUA_NATIONAL_INTAKE_EVERY_MINUTES", "5"))
MOTCUA_NATIONAL_CATALOG_EVERY_HOURS = int(os.environ.get("MOTCUA_NATIONAL_CATALOG_EVERY_HOURS", "24"))
MOTCUA_NATIONAL_INTAKE_PAGE_SIZE = int(os.environ.get("MOTCUA_NATIONAL_INTAKE_PAGE_SIZE", "50"))

# Online payment of fees (payments/providers, docs/payments/online.md; Nghị định 45/2020/NĐ-CP). The providers
# offered to the payer, by code: "national" (the national payment platform) and "gateway" (a commercial gateway).
MOTCUA_PAYMENT_PROVIDERS = [
    code.strip() for code in os.environ.get("MOTCUA_PAYMENT_PROVIDERS", "national,gateway").split(",") if code.strip()
]
# The national payment platform: where the payer is sent with the signed INIT message, our partner code and the
# secret of the SHA-256 checksum (given by the platform at registration).
MOTCUA_PAYMENT_NATIONAL_URL = os.environ.get("MOTCUA_PAYMENT_NATIONAL_URL", "http://127.0.0.1:8106/national/pay")
MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE = os.environ.get("MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE", "demo-province")
MOTCUA_PAYMENT_NATIONAL_SECRET = os.environ.get("MOTCUA_PAYMENT_NATIONAL_SECRET", "demo-national-payment-secret")
# The commercial gateway: its payment page, our merchant code and the HMAC-SHA512 secret.
MOTCUA_PAYMENT_GATEWAY_URL = os.environ.get("MOTCUA_PAYMENT_GATEWAY_URL", "http://127.0.0.1:8106/gateway/pay")
MOTCUA_PAYMENT_GATEWAY_MERCHANT = os.environ.get("MOTCUA_PAYMENT_GATEWAY_MERCHANT", "DEMOMERCHANT")
MOTCUA_PAYMENT_GATEWAY_SECRET = os.environ.get("MOTCUA_PAYMENT_GATEWAY_SECRET", "demo-gateway-payment-secret")
# A payer who taps "pay" again within this many minutes is sent back to the attempt already started.
MOTCUA_PAYMENT_ATTEMPT_REUSE_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_ATTEMPT_REUSE_MINUTES", "15"))

# National identity (VNeID) login through OpenID Connect.
# mozilla-django-oidc reads the OIDC_* names (identity/national_login.py). Register this site with the provider
# with the redirect URI <SITE_URL>/dang-nhap/vneid/ket-qua/ (docs/integrations/national-identity.md).
MOTCUA_NATIONAL_ID_LOGIN_ENABLED = env_bool("MOTCUA_NATIONAL_ID_LOGIN_ENABLED", True)
MOTCUA_NATIONAL_ID_ISSUER = os.environ.get("MOTCUA_NATIONAL_ID_ISSUER", "http://127.0.0.1:8102").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("MOTCUA_NATIONAL_ID_CLIENT_ID", "motcua-demo")
OIDC_RP_CLIENT_SECRET = os.environ.get("MOTCUA_NATIONAL_ID_CLIENT_SECRET", "demo-national-id-secret")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "MOTCUA_NATIONAL_ID_AUTHORIZE_URL", f"{MOTCUA_NATIONAL_ID_ISSUER}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ID_TOKEN_URL", f"{MOTCUA_NATIONAL_ID_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ID_USERINFO_URL", f"{MOTCUA_NATIONAL_ID_ISSUER}/userinfo")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTCUA_NATIONAL_ID_JWKS_URL", f"{MOTCUA_NATIONAL_ID_ISSUER}/jwks")
# Logging out here also ends the provider's session there; empty: only ours ends.
MOTCUA_NATIONAL_ID_END_SESSION_URL = os.environ.get(
    "MOTCUA_NATIONAL_ID_END_SESSION_URL", f"{MOTCUA_NATIONAL_ID_ISSUER}/logout"
)
# The claim that carries the 12-digit personal identification number (the provider's own name for it).
MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM = os.environ.get("MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM", "citizen_id")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_NATIONAL_ID_SCOPES", "openid profile email phone")
OIDC_RP_SIGN_ALGO = "RS256"  # ID tokens signed with the provider's key, checked against its JWKS
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider logout
OIDC_TIMEOUT = MOTCUA_OUTBOUND_TIMEOUT_SECONDS
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:national-login-callback"

# Population database: look-up and verification of a person by personal ID.
MOTCUA_POPULATION_URL = os.environ.get("MOTCUA_POPULATION_URL", "http://127.0.0.1:8103").rstrip("/")
# The province's account at the population database; each request is signed (integrations/population.py).
MOTCUA_POPULATION_CLIENT_ID = os.environ.get("MOTCUA_POPULATION_CLIENT_ID", "demo-province")
MOTCUA_POPULATION_SECRET = os.environ.get("MOTCUA_POPULATION_SECRET", "demo-population-secret")

# Public postal service: postal submission, return of results by post, tracking.
MOTCUA_POST_URL = os.environ.get("MOTCUA_POST_URL", "http://127.0.0.1:8104").rstrip("/")
# The province's customer account at the carrier; orders and tracking are signed with the secret, and the
# carrier's status callbacks (POST /api/v1/postal/status) must carry its signature too (integrations/postal.py).
MOTCUA_POST_CLIENT_ID = os.environ.get("MOTCUA_POST_CLIENT_ID", "demo-province")
MOTCUA_POST_SECRET = os.environ.get("MOTCUA_POST_SECRET", "demo-post-secret")
# Where the carrier sends status updates; "" = SITE_URL + the API's postal status path.
MOTCUA_POST_CALLBACK_URL = os.environ.get("MOTCUA_POST_CALLBACK_URL", "")
# How often the task worker polls tracking and orders pickups that failed for a passing reason.
MOTCUA_POST_POLL_MINUTES = int(os.environ.get("MOTCUA_POST_POLL_MINUTES", "10"))

# SMS gateway (brand-name SMS) and e-mail.
# The SMS channel class (notifications.channels.Channel): the brand-name gateway (notifications.sms_gateway),
# or "motcua.notifications.channels.OutboxSmsChannel" to keep messages in the outbox only (the test settings).
MOTCUA_SMS_CHANNEL = os.environ.get("MOTCUA_SMS_CHANNEL", "motcua.notifications.sms_gateway.GatewaySmsChannel")
MOTCUA_SMS_GATEWAY_URL = os.environ.get("MOTCUA_SMS_GATEWAY_URL", "http://127.0.0.1:8105").rstrip("/")
MOTCUA_SMS_GATEWAY_CLIENT_ID = os.environ.get("MOTCUA_SMS_GATEWAY_CLIENT_ID", "demo-province")
# Signs our requests to the gateway (HMAC-SHA-256); the receipt secret signs its delivery receipts to us.
MOTCUA_SMS_GATEWAY_SECRET = os.environ.get("MOTCUA_SMS_GATEWAY_SECRET", "demo-sms-gateway-secret")
MOTCUA_SMS_RECEIPT_SECRET = os.environ.get("MOTCUA_SMS_RECEIPT_SECRET", "demo-sms-receipt-secret")
# The sender name registered with the carriers (at most 11 characters).
MOTCUA_SMS_BRAND_NAME = os.environ.get("MOTCUA_SMS_BRAND_NAME", "MOTCUA")
# Where the gateway posts delivery receipts; empty: SITE_URL + /api/v1/sms/receipts.
MOTCUA_SMS_RECEIPT_URL = os.environ.get("MOTCUA_SMS_RECEIPT_URL", "")
# A signed request or receipt whose timestamp is further than this from now is refused (no replay).
MOTCUA_SMS_SIGNATURE_MAX_AGE_SECONDS = int(os.environ.get("MOTCUA_SMS_SIGNATURE_MAX_AGE_SECONDS", "300"))
# The fake gateway (port 8105) posts each receipt this many seconds after accepting the message; 0: never.
MOTCUA_SMS_FAKE_RECEIPT_SECONDS = float(os.environ.get("MOTCUA_SMS_FAKE_RECEIPT_SECONDS", "2"))
# E-mail: Django's SMTP backend in production (MOTCUA_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("MOTCUA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("MOTCUA_EMAIL_TIMEOUT", "10"))

# --- security -------------------------------------------------------------------------------------
# Production runs behind HTTPS (docs/deployment.md): MOTCUA_HTTPS=1 turns on secure cookies, the redirect
# to HTTPS and HSTS at once. MOTCUA_SECURE_COOKIES is the older name of the cookie half.
HTTPS = env_bool("MOTCUA_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS or env_bool("MOTCUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", HTTPS)
# /healthz answers the load balancer's plain-HTTP probe instead of redirecting it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_INCLUDE_SUBDOMAINS", True)
# "preload" only makes the domain eligible for the browsers' HTTPS-only list; submitting it is a separate step.
SECURE_HSTS_PRELOAD = env_bool("MOTCUA_HSTS_PRELOAD", HTTPS)
# The proxy that ends TLS says so in X-Forwarded-Proto. Honour it only when the deployment declares such a
# proxy (MOTCUA_PROXY_SSL_HEADER=1) and lets no client reach gunicorn directly: gunicorn itself keeps
# X-Forwarded-Proto only from --forwarded-allow-ips (its default: 127.0.0.1), the trusted proxy's address.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("MOTCUA_PROXY_SSL_HEADER", False) else None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.api.authentication.VerifiedSessionAuthentication",
        "motcua.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "motcua.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["motcua.api.parsers.BoundedJSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "Open one-stop shop (một cửa điện tử): public catalog, agencies and, later, dossiers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "OAS_VERSION": "3.1.0",  # plain JSON Schema, so tests validate responses with jsonschema
    # Stable component names: a new enum elsewhere must not rename these in the published schema.
    "ENUM_NAME_OVERRIDES": {
        "CalendarDayKindEnum": "motcua.agencies.calendar_models.CalendarDayKind",
        "DurationUnitEnum": [
            ("working_days", "working_days"),
            ("working_hours", "working_hours"),
            ("calendar_days", "calendar_days"),
        ],
        "OnlineModeEnum": "motcua.catalog.constants.OnlineMode",
        "DocumentFormEnum": "motcua.catalog.constants.DocumentForm",
        "ImplementingLevelEnum": "motcua.catalog.constants.ImplementingLevel",
        "AgencyLevelEnum": "motcua.agencies.constants.AgencyLevel",
        "IndicatorKeyEnum": "motcua.reports.constants.IndicatorKey",
        "IndicatorUnitEnum": "motcua.reports.constants.Unit",
        "ComparatorEnum": "motcua.reports.constants.Comparator",
        "StatusEnum": "motcua.dossiers.constants.Status",  # the dossier status keeps its name beside the SMS ones
        "SmsReceiptStatusEnum": [("delivered", "delivered"), ("failed", "failed")],
        "NotificationStatusEnum": "motcua.notifications.constants.NotificationStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api.schema.add_problem_responses",
    ],
}

# --- logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_one_line": {"()": "motcua.core.log_filters.ForbiddenOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        # A 403 is one line (method, path, user, client), never a traceback.
        "django.request": {"filters": ["forbidden_one_line"]},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # seven INFO lines per slip PDF otherwise
        # A tampered or untrusted PDF is an answer, not an incident: no traceback per public check.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# Worker heartbeat older than this makes /healthz report the worker as down.
WORKER_HEARTBEAT_SECONDS = 10
WORKER_STALE_AFTER_SECONDS = 60

# Daily working periods, local time (DOMAIN.md §6); one working day is their total length (8 h here).
# Timeliness of finished dossiers (DOMAIN.md §6): "timestamp" compares instants, "date" local dates.
MOTCUA_TIMELINESS_COMPARE = os.environ.get("MOTCUA_TIMELINESS_COMPARE", "timestamp")
MOTCUA_WORKING_PERIODS = os.environ.get("MOTCUA_WORKING_PERIODS", "07:30-11:30,13:00-17:00")

# --- digital signatures (motcua.signing) -----------------------------------------------------------
# Keys and certificates of the local key store (<username>.key.pem, <username>.cert.pem, ca/ca.cert.pem).
MOTCUA_SIGNING_DIR = Path(os.environ.get("MOTCUA_SIGNING_DIR", VAR_DIR / "signing"))
# Class handing out signers (motcua.signing.provider.SignerProvider); the default reads MOTCUA_SIGNING_DIR.
MOTCUA_SIGNING_PROVIDER = os.environ.get("MOTCUA_SIGNING_PROVIDER", "motcua.signing.provider.LocalKeyStore")
# PEM files of further trusted roots (e.g. the licensed certification providers), besides the local CA.
MOTCUA_SIGNING_TRUST_ROOTS = env_list("MOTCUA_SIGNING_TRUST_ROOTS")

# --- scanned paper made searchable (motcua.documents.scan) ---------------------------------------------
# OCRmyPDF's command (the one installed beside this Python by default) with Tesseract's language data; a
# missing command or Tesseract turns OCR off (the scan is kept as scanned and still signed).
MOTCUA_OCR_COMMAND = os.environ.get("MOTCUA_OCR_COMMAND", str(Path(sys.executable).with_name("ocrmypdf")))
MOTCUA_OCR_LANGUAGES = os.environ.get("MOTCUA_OCR_LANGUAGES", "vie+eng")
MOTCUA_OCR_TIMEOUT_SECONDS = int(os.environ.get("MOTCUA_OCR_TIMEOUT_SECONDS", "600"))

# --- fees and payments: requests and the desk (motcua.payments.requests) ------------------------------------
# Working days the applicant has to pay an amount the competent authority asked (national status 6).
MOTCUA_PAYMENT_DUE_WORKING_DAYS = int(os.environ.get("MOTCUA_PAYMENT_DUE_WORKING_DAYS", "5"))
