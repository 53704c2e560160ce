"""Vigil settings: one module, driven by the environment.

Defaults are safe for production (DEBUG off, secure cookies, strict headers);
`make run` and the test suite opt into relaxed values explicitly.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from vigil.lib.env import ConfigError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VIGIL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("VIGIL_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG or TESTING else None)
if not (DEBUG or TESTING) and len(SECRET_KEY) < 50:
    raise ConfigError("SECRET_KEY must be at least 50 characters in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Public base URL used in emails (reminders carry a link, never content).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "vigil.accounts",
    "vigil.vault",
    "vigil.audit",
    "vigil.vocab",
    "vigil.incidents",
    "vigil.cases",
    "vigil.intake",
    "vigil.stats",
    "vigil.complaints",
    "vigil.matching",
    "vigil.referrals",
    "vigil.alerts",
    "vigil.engagement",
    "vigil.imports",
    "vigil.api",
    "vigil.officers",
    "vigil.odk",
]

MIDDLEWARE = [
    "vigil.intake.privacy.ReporterPrivacyMiddleware",
    "vigil.lib.pools.PoolMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "vigil.lib.middleware.SecurityHeadersMiddleware",
    "vigil.lib.middleware.MethodAllowListMiddleware",
    "vigil.intake.abuse.TicketlessLaneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigil.accounts.middleware.SessionLifetimeMiddleware",
    "vigil.accounts.middleware.ActiveMembershipMiddleware",
    "vigil.vault.middleware.VaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vigil.urls"
# "intake": this process serves only the public report (vigil/lib/pools.py).
VIGIL_POOL = env_str("VIGIL_POOL", "all")
if VIGIL_POOL not in ("all", "intake"):
    raise ConfigError(f"VIGIL_POOL must be 'all' or 'intake', not {VIGIL_POOL!r}")
WSGI_APPLICATION = "vigil.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vigil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.accounts.context_processors.navigation",
            ],
            "libraries": {"switcher": "vigil.lib.switcher_tags"},
        },
    },
    {
        # The reporter's pages, the public layout and the language switcher
        # (vigil/lib/jinja.py says why they are Jinja2).
        "NAME": "public",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "vigil" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "vigil.lib.jinja.environment"},
    },
]

# --- Database ---------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}"
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; the busy timeout makes a second
    # writer wait instead of failing with "database is locked". synchronous=FULL:
    # an acknowledged report must survive a power cut, not only a process crash.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
# Persistent connections on both engines: opening one costs about 1.7 ms of CPU
# on SQLite (file, PRAGMAs, Django's SQL functions), more than most public pages.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups (manage.py backup): JSON with times to the microsecond, so the audit chain verifies.
SERIALIZATION_MODULES = {"vigiljson": "vigil.vault.fullprecision"}

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["vigil.accounts.hashers.VigilArgon2PasswordHasher"]
if TESTING:
    # Argon2 at production cost would dominate the suite; the hasher stays the same.
    PASSWORD_HASHERS = ["vigil.accounts.hashers.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
OTP_TOTP_ISSUER = "Vigil"

# django-axes: lock by account only. Client addresses are never recorded.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = "vigil.accounts.lockout.cooloff"
AXES_CLIENT_IP_CALLABLE = "vigil.accounts.lockout.no_client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vigil.accounts.lockout.locked_out"
AXES_USERNAME_FORM_FIELD = "username"

# --- Sessions ---------------------------------------------------------------
# The table keeps only HMAC(SESSION_KEY_SECRET, cookie value): a copied row is no session.
SESSION_ENGINE = "vigil.accounts.session_store"
SESSION_KEY_SECRET = env_str("SESSION_KEY_SECRET", "")
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "vigil_session"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
# A browser-session cookie: not left for a year on a reporter's phone.
CSRF_COOKIE_AGE = None
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Step-up for changes that can hurt reporters: password and a fresh TOTP code,
# valid this long; the session ends after this many wrong attempts.
STEP_UP_SECONDS = env_int("STEP_UP_SECONDS", 5 * 60, minimum=60)
STEP_UP_MAX_FAILURES = env_int("STEP_UP_MAX_FAILURES", 5, minimum=1)
# The cookie that carries the key protecting the unlocked organisation key.
VAULT_COOKIE_NAME = "vigil_vault"

# --- Transport security ------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 63072000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer Chromium sends "Origin: null" on
# form posts and Django's CSRF origin check refuses them. Nothing leaks cross-origin.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
# Each language names itself, as a language switcher shows it to someone who reads only it.
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("ro", "Română"),
    ("ka", "ქართული"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
    ("be", "Беларуская"),
]
# dd.mm.yyyy and the other local formats where Django has none (kk, be) or another one.
FORMAT_MODULE_PATH = ["vigil.formats"]
LOCALE_PATHS = [BASE_DIR / "vigil" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "vigil" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Email -------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vigil@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

# --- Vault (key hierarchy) ----------------------------------------------------
# Argon2id cost for unlocking a member's private key. Production: ~0.5-1 s
# (8 passes over 128 MiB measured 0.47 s on a 2-core server; docs/performance.md).
VAULT_KDF_OPSLIMIT = env_int("VAULT_KDF_OPSLIMIT", 8, minimum=1)
VAULT_KDF_MEMLIMIT = env_int("VAULT_KDF_MEMLIMIT", 128 * 1024 * 1024, minimum=8192)
if TESTING:
    VAULT_KDF_OPSLIMIT = 1
    VAULT_KDF_MEMLIMIT = 8192

# --- Public reporting ------------------------------------------------------------
# Peppers for receipt lookup and wrapping; default derived from SECRET_KEY.
RECEIPT_PEPPER = env_str("RECEIPT_PEPPER", "")
RECEIPT_WRAP_PEPPER = env_str("RECEIPT_WRAP_PEPPER", "")
RECEIPT_KDF_OPSLIMIT = env_int("RECEIPT_KDF_OPSLIMIT", 2, minimum=1)
RECEIPT_KDF_MEMLIMIT = env_int("RECEIPT_KDF_MEMLIMIT", 16 * 1024 * 1024, minimum=8192)
if TESTING:
    RECEIPT_KDF_OPSLIMIT = 1
    RECEIPT_KDF_MEMLIMIT = 8192
# Where the quick-exit button leaves to (a neutral page); reached via /report/exit/.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.wikipedia.org/")
SUBMISSION_EXPIRY_DAYS = env_int("SUBMISSION_EXPIRY_DAYS", 90, minimum=1)
# Abuse resistance without addresses: per-session and global counters in the cache.
REPORT_MIN_FILL_SECONDS = env_int("REPORT_MIN_FILL_SECONDS", 5, minimum=0)
REPORT_SESSION_LIMIT_PER_HOUR = env_int("REPORT_SESSION_LIMIT_PER_HOUR", 5, minimum=1)
REPORT_GLOBAL_LIMIT_PER_MINUTE = env_int("REPORT_GLOBAL_LIMIT_PER_MINUTE", 120, minimum=1)
# How long a stored report's receipt can be shown again (reload, crash, restart)
# until she confirms she saved it; the browser's cookie key is needed to read it.
RECEIPT_PENDING_HOURS = env_int("RECEIPT_PENDING_HOURS", 24, minimum=1)
RECEIPT_SESSION_FAILURES = env_int("RECEIPT_SESSION_FAILURES", 5, minimum=1)
# A mailbox page's ticket is good only after this many seconds (a person reads
# and types; a script waits). RECEIPT_GLOBAL_FAILURES_PER_MINUTE only bounds
# POSTs without a ticket (per process without Redis), which never come from
# the page: the lane is small so a script cannot spend the server's CPU.
RECEIPT_GLOBAL_FAILURES_PER_MINUTE = env_int(
    "RECEIPT_GLOBAL_FAILURES_PER_MINUTE", 60 if TESTING else 6, minimum=1
)
RECEIPT_TICKET_MIN_SECONDS = env_int("RECEIPT_TICKET_MIN_SECONDS", 0 if TESTING else 2, minimum=0)
# Files reporters send: bytes stored per report, and bytes received per
# session per hour and by the whole site per minute (cache counters).
REPORT_STORAGE_QUOTA = env_int("REPORT_STORAGE_QUOTA", 100 * 1024 * 1024, minimum=1024)
REPORT_UPLOAD_BYTES_PER_SESSION_HOUR = env_int(
    "REPORT_UPLOAD_BYTES_PER_SESSION_HOUR", 100 * 1024 * 1024, minimum=1024
)
REPORT_UPLOAD_BYTES_PER_MINUTE = env_int(
    "REPORT_UPLOAD_BYTES_PER_MINUTE", 400 * 1024 * 1024, minimum=1024
)
# Evidence uploads; the reverse proxy's body limit should be a little above this.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
REPORT_MAX_BYTES = env_int("REPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Repeat-perpetrator matching ---------------------------------------------------
# The separate matching service (matchsvc, docs/deployment.md); empty: matching off.
# Vigil holds no OPRF key, only each organisation's token sealed to its key.
MATCHING_SERVICE_URL = env_str("MATCHING_SERVICE_URL", "")
MATCHING_TIMEOUT = env_int("MATCHING_TIMEOUT", 10, minimum=1)

# --- Offline intake from ODK Collect (vigil/odk) -------------------------------------
# Largest encrypted record (manifest, form and photos) a phone may send in one request.
ODK_MAX_SUBMISSION_BYTES = env_int("ODK_MAX_SUBMISSION_BYTES", 10 * 1024 * 1024, minimum=1024)
# Requests per phone per minute, and failed sign-ins per organisation per minute.
ODK_DEVICE_LIMIT_PER_MINUTE = env_int("ODK_DEVICE_LIMIT_PER_MINUTE", 60, minimum=1)
ODK_AUTH_FAILURES_PER_MINUTE = env_int("ODK_AUTH_FAILURES_PER_MINUTE", 20, minimum=1)

# --- Statistics -------------------------------------------------------------------
# Smallest count shown in statistics; smaller non-zero counts are suppressed.
STATS_MIN_CELL = env_int("STATS_MIN_CELL", 5, minimum=3)
# Generated advocacy reports (aggregates only) are deleted after this many days.
STATS_REPORT_KEEP_DAYS = env_int("STATS_REPORT_KEEP_DAYS", 7, minimum=1)

# --- Audit checkpoints ---------------------------------------------------------------
# Signed heads of the audit chain, kept outside the database (section 9 of
# docs/threat-model.md). Put the directory on storage the app cannot rewrite, and
# keep the key file out of database backups; it is generated on first use.
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))
AUDIT_SIGNING_KEY_FILE = Path(
    env_str("AUDIT_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "audit-checkpoint.key"))
)
if TESTING and "AUDIT_CHECKPOINT_DIR" not in os.environ:
    # Never mix a test run's checkpoints with a development database's.
    AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="vigil-test-audit-"))
    AUDIT_SIGNING_KEY_FILE = AUDIT_CHECKPOINT_DIR / "audit-checkpoint.key"
# --- Imports and API ---------------------------------------------------------------
# Lines committed together by the importer (a crash loses at most one chunk).
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 500, minimum=1)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# Larger files are checked (dry run) by the background worker, not in the request.
IMPORT_INLINE_CHECK_BYTES = env_int("IMPORT_INLINE_CHECK_BYTES", 1024 * 1024, minimum=0)
# Uploads of imports left unfinished are destroyed after this many days.
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 7, minimum=1)
# Records exports: incidents per chunk the worker writes between progress updates,
# and hours a finished (sealed) export file is kept before the purge deletes it.
EXPORT_CHUNK_EVENTS = env_int("EXPORT_CHUNK_EVENTS", 500, minimum=1)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24, minimum=1)
# Requests per minute per API token (and per Kobo hook); counted in the cache.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 60, minimum=1)

# --- Logging ------------------------------------------------------------------
# No handler prints client addresses: the request filter strips them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_data": {"()": "vigil.lib.logging.DropClientDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_client_data"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint narrates every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS = [
    # Lockout is keyed by account on purpose: we never record client addresses.
    "axes.W006",
]

# --- Alerts (Ugly Mugs) -------------------------------------------------------------
# Server-held secrets for released alerts, the checker and sending (default derived
# from SECRET_KEY; see vigil/alerts/keys.py and docs/threat-model.md).
ALERTS_RELEASE_SECRET = env_str("ALERTS_RELEASE_SECRET", "")
ALERTS_DISPATCH_SECRET = env_str("ALERTS_DISPATCH_SECRET", "")
ALERTS_EMAIL_PEPPER = env_str("ALERTS_EMAIL_PEPPER", "")
ALERTS_SITE_URL = env_str("ALERTS_SITE_URL", "http://127.0.0.1:8000")
ALERTS_LINK_MINUTES = env_int("ALERTS_LINK_MINUTES", 15, minimum=1)
ALERTS_CHECKER_PER_HOUR = env_int("ALERTS_CHECKER_PER_HOUR", 20, minimum=1)
ALERTS_DISPATCH_MAX_MINUTES = env_int("ALERTS_DISPATCH_MAX_MINUTES", 60, minimum=1)
ALERTS_SMS_BACKEND = env_str("ALERTS_SMS_BACKEND", "dryrun")
ALERTS_SMS_URL = env_str("ALERTS_SMS_URL", "")
ALERTS_SMS_TOKEN = env_str("ALERTS_SMS_TOKEN", "")
