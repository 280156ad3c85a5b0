"""Settings for dontpay, read from the environment.

Two modes, chosen by ``DONTPAY_MODE``:

* ``demo`` (the default): everything works out of the box on one machine with an embedded
  SQLite database in the data directory and a fixed, public secret key. Never for real victims.
* ``production``: refuses to start unless ``SECRET_KEY`` is set to a real secret and
  ``DONTPAY_ALLOWED_HOSTS`` names the hosts served; cookies are marked secure.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_noop

#: The key used when none is configured. Public, so only the demo may use it.
DEMO_SECRET_KEY = "dontpay-demo-key-not-secret-do-not-use-in-production"  # noqa: S105

MODE = os.environ.get("DONTPAY_MODE", "demo")
if MODE not in ("demo", "production"):
    raise ImproperlyConfigured(f"DONTPAY_MODE must be 'demo' or 'production', not {MODE!r}")
PRODUCTION = MODE == "production"

#: Where the embedded database, keys and evidence live. Created on first use.
DATA_DIR = Path(os.environ.get("DONTPAY_DATA_DIR", "data")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "Refusing to start in production with the demo secret key: "
        "set SECRET_KEY to a random value of at least 32 characters."
    )

#: Only for local development: shows tracebacks in the browser.
DEBUG = os.environ.get("DONTPAY_DEBUG", "") == "1" and not PRODUCTION

_hosts = os.environ.get("DONTPAY_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [host.strip() for host in _hosts.split(",") if host.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Refusing to start in production without DONTPAY_ALLOWED_HOSTS "
            "(comma-separated host names this server answers to)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dontpay.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server's threads and the task worker write at once. Taking SQLite's write lock
    # when a transaction begins, and waiting for it, makes them queue instead of failing with
    # "database is locked" when a transaction that began by reading goes on to write.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dontpay.site",
    "dontpay.accounts",
    "dontpay.cases",
    "dontpay.help",
    "dontpay.intel",
    "dontpay.bank",
]

# The headers every response needs (frame refusal, no caching, CSP) are set by the outermost
# middleware, so that static files and the 400 for a wrong Host header carry them too.
MIDDLEWARE = [
    "dontpay.site.metrics.MetricsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dontpay.site.middleware.PrivateResponseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Just inside SessionMiddleware: decides, after everything else, whether it writes.
    "dontpay.site.session_renewal.SessionRenewalMiddleware",
    # After the session (which holds a chosen language); staff pages stay in English.
    "dontpay.help.language.VictimLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dontpay.site.middleware.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before any view (or CSRF's check) reads a body: refuses bodies too large to accept.
    "dontpay.site.middleware.RequestSizeMiddleware",
]

# Staff sign in with a password and a TOTP code. Failures slow the address they come from, never
# the account (`accounts.sign_in`), so nobody can keep a staff member out by guessing.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
OTP_TOTP_ISSUER = "dontpay"

ROOT_URLCONF = "dontpay.site.urls"
WSGI_APPLICATION = "dontpay.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent.parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dontpay.help.context_processors.crisis_support",
                "dontpay.help.context_processors.page_language",
                "dontpay.help.context_processors.record_pages",
                "dontpay.accounts.context_processors.staff_home",
                "dontpay.accounts.context_processors.sign_in_alerts",
            ],
        },
    },
]

# Privacy: session cookies only (gone when the browser closes), no separate CSRF cookie, no
# referrer sent anywhere, and a Content-Security-Policy that allows nothing from another origin.
# Sessions live on the server, so Exit, closing a record and idle time really end them: a copied
# cookie opens nothing afterwards. They expire at most two hours after the last request (written
# when they change, and every few minutes otherwise: site/session_renewal.py), and the worker
# deletes expired ones (see site/housekeeping.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: a link from another site (a helpline's page, a search result) must arrive with
# the person's session, or the page's form starts a new one whose cookie replaces theirs and
# wipes their answers. Another site's posts still carry no cookie; the record's own key cookie
# (help/record_session.py) stays Strict.
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "session"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_USE_SESSIONS = True
#: "Saved" and "Uploaded" confirmations wait in the server-side session, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "dontpay.help.views.csrf_failure"
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Videos the person chooses are decoded from a blob: URL on their own device, to make
    # fingerprints without uploading them; nothing is fetched from anywhere.
    "media-src": ["blob:"],
    "worker-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("DONTPAY_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: The organisation's master secret (base64 of 32 bytes). Without it, a key file is created in
#: the data directory (mode 0600) on first run. Everything in the vault depends on it: back it up.
DONTPAY_MASTER_KEY = os.environ.get("DONTPAY_MASTER_KEY") or None

#: Where encrypted evidence and report records are stored.
DONTPAY_VAULT_DIR = Path(os.environ.get("DONTPAY_VAULT_DIR", DATA_DIR / "vault")).resolve()

#: Passphrases (reports) and passwords (staff) are hashed with Argon2.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

#: Evidence limits, in megabytes: per file, and in total per report.
DONTPAY_EVIDENCE_MAX_FILE_MB = int(os.environ.get("DONTPAY_EVIDENCE_MAX_FILE_MB", "20"))
DONTPAY_EVIDENCE_MAX_REPORT_MB = int(os.environ.get("DONTPAY_EVIDENCE_MAX_REPORT_MB", "200"))

# Uploads are held in memory only (never spooled to disk in the clear) and size-limited as they
# arrive; more than 10 files at once is refused by the view, with a message.
FILE_UPLOAD_HANDLERS = ["dontpay.help.uploads.EvidenceUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 50

#: Where "Exit this page" sends the person: a busy, ordinary site that looks innocent on screen.
DONTPAY_EXIT_URL = os.environ.get("DONTPAY_EXIT_URL", "https://www.bbc.co.uk/weather")

#: The organisation running this instance: who a person sends their record to, as the "Send to
#: …" page names it, and the maker named in STIX and MISP exports. The defaults are translated
#: on the victim pages; an organisation's own words are shown as it wrote them.
DONTPAY_ORGANISATION_NAME = os.environ.get(
    "DONTPAY_ORGANISATION_NAME", gettext_noop("the helpline")
)
#: What the organisation does with a record it is sent, in the organisation's own words; shown
#: on the "Send" page beside what the product itself guarantees.
DONTPAY_ORGANISATION_USE = os.environ.get(
    "DONTPAY_ORGANISATION_USE",
    gettext_noop(
        "A caseworker reads what you send, to understand what is happening to you and to decide "
        "with you what to do next, such as helping you report it to the police."
    ),
)

#: The guidance pack shown before the person says where they are.
DONTPAY_DEFAULT_JURISDICTION = os.environ.get("DONTPAY_DEFAULT_JURISDICTION", "GB")

#: An indicator mentioned by more reports than this is flagged for an analyst to check that it
#: is not a common value that belongs on the warninglist. It goes on linking meanwhile.
DONTPAY_COMMON_INDICATOR_REPORTS = int(os.environ.get("DONTPAY_COMMON_INDICATOR_REPORTS", "25"))
#: Requests per minute each platform token may make to the API. Counted in Django's cache (see
#: DONTPAY_REDIS_URL): per process by default, shared by every process once Redis holds it.
#: Failed sign-ins at one staff account within an hour, from all addresses together, after which
#: admins are told that someone is guessing at it (the account is never locked).
DONTPAY_SIGN_IN_ALERT_AFTER = int(os.environ.get("DONTPAY_SIGN_IN_ALERT_AFTER", "10"))
DONTPAY_API_RATE = int(os.environ.get("DONTPAY_API_RATE", "600"))
#: Bits within which a platform's image hash matches a bank entry (0 to 31; the index is exact up
#: to 31, the distance ThreatExchange recommends for PDQ).
DONTPAY_PDQ_DISTANCE = int(os.environ.get("DONTPAY_PDQ_DISTANCE", "31"))
#: A video matches a bank video when at least these shares of the distinct good frames of the
#: query, and of the bank video, have a counterpart within DONTPAY_VPDQ_DISTANCE bits.
DONTPAY_VPDQ_QUERY_SHARE = float(os.environ.get("DONTPAY_VPDQ_QUERY_SHARE", "0.8"))
DONTPAY_VPDQ_BANK_SHARE = float(os.environ.get("DONTPAY_VPDQ_BANK_SHARE", "0.8"))
DONTPAY_VPDQ_DISTANCE = int(os.environ.get("DONTPAY_VPDQ_DISTANCE", "31"))
for _name in ("DONTPAY_PDQ_DISTANCE", "DONTPAY_VPDQ_DISTANCE"):
    if not 0 <= globals()[_name] <= 31:
        raise ImproperlyConfigured(f"{_name} must be a number of bits from 0 to 31")
#: Flood protection: a bank entry that matches more than this many uploads within
#: DONTPAY_FLOOD_WINDOW seconds is quarantined (stops matching) until an administrator releases
#: it. Counted in Django's cache, so across processes once Redis holds it (DONTPAY_REDIS_URL).
DONTPAY_FLOOD_MATCHES = int(os.environ.get("DONTPAY_FLOOD_MATCHES", "1000"))
DONTPAY_FLOOD_WINDOW = int(os.environ.get("DONTPAY_FLOOD_WINDOW", "600"))
for _name in ("DONTPAY_FLOOD_MATCHES", "DONTPAY_FLOOD_WINDOW"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a whole number of at least 1")

STATIC_URL = "/static/"
#: Where `collectstatic` puts the files a production server serves.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed copies made by `collectstatic` (run by `dontpay
    # serve`); the demo and tests serve straight from the package, with no build step.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_DIRS = [Path(__file__).resolve().parent.parent / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

#: Every limit and short-lived count (API rate, web submissions per hour) lives in Django's cache.
#: Without DONTPAY_REDIS_URL it is in each process's memory, which is right for one process (the
#: demo) but lets N processes behind a proxy each allow the full rate. With it (for example
#: ``redis://127.0.0.1:6379/0``), every process and machine counts in the same Redis.
DONTPAY_REDIS_URL = os.environ.get("DONTPAY_REDIS_URL", "")
if DONTPAY_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DONTPAY_REDIS_URL,
            "KEY_PREFIX": "dontpay",
            # A Redis that cannot be reached fails the request quickly rather than hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif PRODUCTION:
    # Several production processes share nothing through a local-memory cache; the docs say to
    # set DONTPAY_REDIS_URL as soon as there is more than one.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

#: Where the vault keeps its blobs when they go to object storage instead of DONTPAY_VAULT_DIR:
#: ``s3://bucket/prefix``. The endpoint, region and credentials come from the usual AWS
#: variables (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
DONTPAY_VAULT_URL = os.environ.get("DONTPAY_VAULT_URL", "")
if DONTPAY_VAULT_URL and not DONTPAY_VAULT_URL.startswith("s3://"):
    raise ImproperlyConfigured("DONTPAY_VAULT_URL must look like s3://bucket/prefix")

#: Who may read /metrics (Prometheus). A scraper sends ``Authorization: Bearer <token>`` with
#: DONTPAY_METRICS_TOKEN, or connects from an address in DONTPAY_METRICS_ADDRESSES (comma-
#: separated). With neither set, only the demo answers, and only to the machine itself.
DONTPAY_METRICS_TOKEN = os.environ.get("DONTPAY_METRICS_TOKEN", "")
DONTPAY_METRICS_ADDRESSES = [
    address.strip()
    for address in os.environ.get(
        "DONTPAY_METRICS_ADDRESSES", "" if PRODUCTION else "127.0.0.1,::1"
    ).split(",")
    if address.strip()
]

#: Seconds a stopping `serve` or `worker` gives in-flight requests and tasks to finish.
DONTPAY_SHUTDOWN_GRACE = float(os.environ.get("DONTPAY_SHUTDOWN_GRACE", "20"))

#: Seconds the worker's OCR process waits for another screenshot before exiting, handing the
#: engine's 300 to 400 MB back to the system (see dontpay.intel.ocr_process).
DONTPAY_OCR_IDLE_SECONDS = float(os.environ.get("DONTPAY_OCR_IDLE_SECONDS", "120"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-gb"
#: The languages the victim side speaks, each named in itself (the chooser shows these names).
#: Staff pages stay in English. docs/languages.md says who translated each and whether a native
#: speaker has reviewed it. Urdu is right-to-left (Django's LANGUAGES_BIDI names it).
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("es", "Español"),
    ("fr", "Français"),
    ("hi", "हिन्दी"),
    ("ur", "اردو"),
]
#: The compiled catalogues (``.mo``) are committed, so running the product needs no gettext.
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Logs hold no content: requests are not logged (the web server keeps no access log, see
# site/server.py), and errors go to stderr only.
# PDF rendering quotes content in its warnings (a missing glyph, an image), so its records lose
# their arguments before they are written (see site/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "without_arguments": {"()": "dontpay.site.logs.WithoutArguments"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler"},
        "stderr_without_content": {
            "class": "logging.StreamHandler",
            "filters": ["without_arguments"],
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "weasyprint": {
            "handlers": ["stderr_without_content"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
