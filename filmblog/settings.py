"""
filmblog settings.

Every value that differs between a laptop and a production deploy is read from
the environment, with a development default that needs nothing installed:
SQLite, a local media folder, the local-memory cache and e-mail printed to the
console. Production sets DATABASE_URL, CACHE_URL (or REDIS_URL), the S3 media
variables and EMAIL_HOST; see docs/deploy.md.
"""

import multiprocessing
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from filmblog.environment import cache_settings, env, env_bool, env_int, env_list, origin, purgers
from reviews.body_blocks import prose_editor_extensions

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off filmblog refuses to start without "
            "a secret key: set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env("SITE_NAME", "filmblog")
# The public address of the site, used in feeds, e-mails and canonical links.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # The trigram lookups of search/postgresql.py (inert on SQLite).
    "django.contrib.postgres",
    # Django's own form and widget templates, in both template languages, for
    # FORM_RENDERER below.
    "django.forms",
    "taggit",
    "django_countries",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "adminsortable2",
    "reversion",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "people",
    "reviews",
    "subscriptions",
    "federation",
    # The content API at /api/v1/ (api/), built on django-ninja; its docs page
    # uses ninja's bundled Swagger UI, and its CORS is per key (api/cors.py).
    "ninja",
    "api",
    "addresses",
    "search",
    "filmblog",
]

MIDDLEWARE = [
    # Answers load-balancer probes before host checks and the HTTPS redirect.
    "core.health.HealthCheckMiddleware",
    # ETag on every response, stored pages included, and 304 for a conditional GET.
    "django.middleware.http.ConditionalGetMiddleware",
    # The API's keys, rate limits, CORS and cached answers (api/middleware.py),
    # served from the page cache's store as a page is, by the same rules.
    "api.middleware.ApiMiddleware",
    # A stored page is served before anything else runs, with the headers that
    # the middleware below added when it was stored (security headers, ETag,
    # compression, CSP). Outside the session, CSRF and messages middleware, so
    # that it sees every cookie they set (a response that sets one is never
    # cached). A request the HTTPS redirect, the host check or the NUL check
    # would refuse finds nothing stored: those answers are never a cached 200.
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.security.RejectNulMiddleware",
    "core.security.SecureCookiesMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "core.compression.BrotliMiddleware",
    # Again, inside compression: the ETag is made from the plain body, which
    # compression then marks weak. Django's gzip output differs on every
    # response (a defence against BREACH), so an ETag made from it would too.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    # Link: rel=alternate to the ActivityPub actor or Article (FEDERATION=1).
    "federation.middleware.AlternateLinkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: asked only when a view answered 404 (an address that moved: 301,
    # one that is gone: 410), inside the page cache, which answers hits first.
    "addresses.middleware.OldAddressMiddleware",
]

ROOT_URLCONF = "filmblog.urls"
WSGI_APPLICATION = "filmblog.wsgi.application"

# The site's own pages are Jinja2 templates in templates/ (filmblog/jinja2.py
# says why); Django's template language renders the admin, its overrides in
# the apps' templates/ folders, and the libraries' templates (crispy's layouts).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        # An app's own pages sit in its jinja2/ folder (subscriptions/jinja2/).
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "filmblog.jinja2.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "filmblog.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin's site-wide look (base_site, the desk on the index, named
        # inline rows) overrides Django's from here: a project's DIRS come
        # before every app's templates, whatever the order of INSTALLED_APPS.
        "DIRS": [BASE_DIR / "filmblog" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "filmblog.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", default=True),
    )
}
# PostgreSQL plans a page's queries once per connection rather than on every
# request: psycopg prepares a statement the second time a connection runs it,
# which saves the planning of the queries every page repeats. Turn it off
# (DATABASE_PREPARED_STATEMENTS=0) behind a pooler that cannot keep prepared
# statements, such as PgBouncer in transaction mode without max_prepared_statements.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=1
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

# Redis (redis://), locmem:// (the default) or dummy://: filmblog/environment.py.
CACHES = cache_settings(env("CACHE_URL") or env("REDIS_URL"))

# Public pages (home, reviews, films, people, archives, search) are kept in
# that cache for anonymous readers for up to this many seconds, and dropped at
# once when anything they show changes (core/pagecache.py). 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 60 * 60)
# A purged page is kept this long as its previous copy, served (marked stale)
# while the database is unreachable; caches in front are told the same
# (stale-if-error).
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 24 * 60 * 60)

# The caches a change purges, by tag, once it commits (core/purges.py): this
# site's own, then Varnish (VARNISH_PURGE_URLS: the Varnish servers running
# deploy/varnish/filmblog.vcl, comma-separated), Cloudflare (CLOUDFLARE_ZONE_ID
# and CLOUDFLARE_API_TOKEN) and Fastly (FASTLY_SERVICE_ID and FASTLY_API_TOKEN).
PAGE_CACHE_PURGERS = purgers()

# How long a shared cache in front of the site may keep a public page
# (s-maxage). Browsers always revalidate (max-age=0, answered with 304). A
# cache that the site purges (above) may keep pages as long as the site does.
PAGE_CACHE_SHARED_SECONDS = env_int(
    "PAGE_CACHE_SHARED_SECONDS", PAGE_CACHE_SECONDS if len(PAGE_CACHE_PURGERS) > 1 else 60
)

# gunicorn's worker processes (filmblog/gunicorn.conf.py reads the same
# variable): with more than one, the cache must be shared (filmblog/checks.py).
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "account:profile"
LOGOUT_REDIRECT_URL = "reviews:home"

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date style everywhere ("23 November 2012, 15:29 UTC"): core/dates.py.
FORMAT_MODULE_PATH = ["filmblog.formats"]

# Country rows (reviews.Country) are seeded from django-countries' ISO 3166
# list; these names are the ones the site has always shown where the library
# words a country differently.
COUNTRIES_OVERRIDE = {
    "BN": "Brunei Darussalam",
    "BS": "Bahamas",
    "CD": "Congo, The Democratic Republic of the",
    "FM": "Micronesia, Federated States of",
    "GS": "South Georgia and the South Sandwich Islands",
    "NR": "Nauru",
    "PS": "Palestine, State of",
    "RU": "Russian Federation",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "US": "United States",
    "VA": "Holy See (Vatican City State)",
    "VG": "Virgin Islands, British",
    "VI": "Virgin Islands, U.S.",
}

# --- Static files and media -------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploaded images larger than this (bytes or pixels) are refused with a message.
MAX_IMAGE_UPLOAD_BYTES = env_int("MAX_IMAGE_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)

# One app server without object storage: it serves MEDIA_ROOT at MEDIA_URL
# itself (Django's static view, through the page cache's process), so posters
# and photos work. Only for a single server: others would not have the files.
SINGLE_SERVER_MEDIA = env_bool("SINGLE_SERVER_MEDIA", default=False)

if env("AWS_STORAGE_BUCKET_NAME"):
    # Object storage (S3 or any S3-compatible service) through django-storages.
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": env("AWS_LOCATION", "media"),
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=False),
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail -----------------------------------------------------------------

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "filmblog <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# --- Background tasks -------------------------------------------------------

# Mail and other slow work runs as tasks (core/tasks.py). "immediate" runs
# each one at once inside the request (development: no worker to start);
# "database" queues them for `manage.py db_worker` and retries failed mail.
TASKS_BACKEND = env("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be immediate or database, not {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- Reader contributions --------------------------------------------------

# A comment form older than this many seconds must be sent again: its timing
# token cannot be kept and replayed. Cached pages carry one up to
# PAGE_CACHE_SECONDS old (the page's script fetches a fresh one).
COMMENT_FORM_MAX_AGE = env_int("COMMENT_FORM_MAX_AGE", 2 * 24 * 60 * 60)
# A person takes longer than this to read a review and write a comment; a form
# sent back sooner is returned to its writer with the text, to send again.
COMMENT_FORM_MIN_SECONDS = env_int("COMMENT_FORM_MIN_SECONDS", 3)

# --- Subscriptions ----------------------------------------------------------

# Sign-up attempts allowed per client address in each window (seconds).
SUBSCRIBE_RATE_LIMIT = env_int("SUBSCRIBE_RATE_LIMIT", 5)
SUBSCRIBE_RATE_WINDOW = env_int("SUBSCRIBE_RATE_WINDOW", 60 * 60)

# --- Content API (api/) ------------------------------------------------------

# Requests a minute per key, unless the key says otherwise (ApiKey.rate_limit).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
# How long a server trusts a key it has checked: a key revoked on one server
# stops working on the others within this many seconds.
API_KEY_CACHE_SECONDS = env_int("API_KEY_CACHE_SECONDS", 10)
# At most one sign-up mail per address in this many seconds, whoever asks.
SUBSCRIBE_ADDRESS_WINDOW = env_int("SUBSCRIBE_ADDRESS_WINDOW", 10 * 60)
# How long a confirmation link works, in seconds.
SUBSCRIBE_CONFIRM_MAX_AGE = env_int("SUBSCRIBE_CONFIRM_MAX_AGE", 3 * 24 * 60 * 60)
# Trusted reverse proxies in front of the app (their X-Forwarded-For entries
# name the client); 0 means clients connect directly.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
# Subscribers per digest batch (one mail-server connection each).
DIGEST_BATCH_SIZE = env_int("DIGEST_BATCH_SIZE", 500)

# --- Security ---------------------------------------------------------------

if not DEBUG:
    # Behind a load balancer that terminates TLS, set SECURE_PROXY_SSL_HEADER=1
    # so that X-Forwarded-Proto tells Django the request came over HTTPS. Only
    # do so when the proxy overwrites that header: clients could forge it.
    if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # The header only allows a submission to the browsers' preload list; nothing
    # is preloaded until an operator submits the domain (docs/deploy.md).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"


# Images come from this site, or from the media host when media lives in
# object storage; CSP_IMG_SRC adds more origins (comma-separated).
_MEDIA_ORIGINS = [
    origin
    for origin in (
        origin(MEDIA_URL),
        origin(env("AWS_S3_ENDPOINT_URL")),
        f"https://{env('AWS_S3_CUSTOM_DOMAIN')}" if env("AWS_S3_CUSTOM_DOMAIN") else None,
        f"https://{env('AWS_STORAGE_BUCKET_NAME')}.s3.amazonaws.com"
        if env("AWS_STORAGE_BUCKET_NAME") and not env("AWS_S3_ENDPOINT_URL")
        else None,
    )
    if origin
]
# Content-Security-Policy (django-csp): scripts, styles, fonts and requests
# only from this site, no inline script, no framing; frames only from the two
# video players. The admin's editors and
# widgets set inline styles, so /admin/ also allows those
# (core/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE becomes 'nonce-…' on pages that use one (the review editor's
        # import map) and disappears from every other page's policy.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS, *env_list("CSP_IMG_SRC")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Trailers in review bodies: the player frame, created only when the
        # reader presses play (static/js/embeds.js), from these two alone.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Importing films (reviews/importing/) -------------------------------------

# A TMDB API v3 read access token turns on importing from TMDB.
TMDB_TOKEN = env("TMDB_TOKEN")
TMDB_API_URL = env("TMDB_API_URL", "https://api.themoviedb.org/3")
TMDB_IMAGE_URL = env("TMDB_IMAGE_URL", "https://image.tmdb.org/t/p/w780")
# Wikidata needs no key; it is off until asked for, so that nothing calls out by surprise.
WIKIDATA_IMPORT = env_bool("WIKIDATA_IMPORT", default=False)
WIKIDATA_API_URL = env("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")

# --- Federation (federation/) ------------------------------------------------

# The blog and its authors as ActivityPub actors (docs/federation.md). Off until
# FEDERATION=1: the well-known addresses answer 404 and nothing is sent.
FEDERATION = env_bool("FEDERATION", default=False)
# The blog's own handle, @<name>@<host>, and the name and summary it shows.
FEDERATION_BLOG_USERNAME = env("FEDERATION_BLOG_USERNAME", "reviews")
FEDERATION_BLOG_NAME = env("FEDERATION_BLOG_NAME", SITE_NAME)
FEDERATION_BLOG_SUMMARY = env("FEDERATION_BLOG_SUMMARY", f"Film reviews from {SITE_NAME}.")
# How far a signed request's Date may be from our clock (seconds); a signature
# seen once inside that window is refused when it comes again.
FEDERATION_SIGNATURE_WINDOW = env_int("FEDERATION_SIGNATURE_WINDOW", 60 * 60)
# Largest activity the inbox reads, and largest remote document fetched (bytes).
FEDERATION_INBOX_MAX_BYTES = env_int("FEDERATION_INBOX_MAX_BYTES", 256 * 1024)
FEDERATION_FETCH_MAX_BYTES = env_int("FEDERATION_FETCH_MAX_BYTES", 1024 * 1024)
FEDERATION_FETCH_TIMEOUT = float(env("FEDERATION_FETCH_TIMEOUT", "10"))
# Requests each client address may make to the inboxes per minute.
FEDERATION_INBOX_RATE_LIMIT = env_int("FEDERATION_INBOX_RATE_LIMIT", 600)
# Fetching remote actors and delivering to inboxes refuses private, loopback
# and link-local addresses (no request forgery into the internal network).
# Only a test against a peer on this machine turns it on.
FEDERATION_ALLOW_PRIVATE_ADDRESSES = env_bool("FEDERATION_ALLOW_PRIVATE_ADDRESSES", default=False)
# Deliveries to one server go on failing for this many days: its followers are dropped.
FEDERATION_DEAD_AFTER_DAYS = env_int("FEDERATION_DEAD_AFTER_DAYS", 7)
# Inboxes reached at once by one delivery run.
FEDERATION_DELIVERY_THREADS = env_int("FEDERATION_DELIVERY_THREADS", 8)

# --- Libraries --------------------------------------------------------------

# Forms find their templates through TEMPLATES, Jinja2 first: Django's widgets
# (django.forms ships them in both languages) render in Jinja2, which takes a
# quarter off each public form, and the admin's own widgets, which exist only
# in Django's language, come from the second engine. crispy still lays out
# every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "reviews.tags.parse_tags"
TAGGIT_STRING_FROM_TAGS = "reviews.tags.join_tags"


# The review body's own blocks (pictures, trailers, pull quotes, spoilers).
DJANGO_PROSE_EDITOR_EXTENSIONS = prose_editor_extensions()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
