import os
from pathlib import Path

from model_w.env_manager import EnvManager

from .preset import HarbourPreset

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Locally we keep uploads on MinIO through the same S3 backend: the preset's storages stay on.
LOCAL = os.environ.get("ENVIRONMENT", "") == "local"

model_w_django = HarbourPreset(enable_storages=True, enable_celery=True)

# IDE placeholders, overwritten by the preset.
DEBUG = False
MIDDLEWARE = []
INSTALLED_APPS = []
REST_FRAMEWORK = {}
STORAGES = {}

with EnvManager(model_w_django) as env:
    INSTALLED_APPS = [
        "harbour.apps.people",
        "harbour.apps.cargo",
        "harbour.apps.cms",
        "harbour.apps.notifications",
        "drf_spectacular",
        *INSTALLED_APPS,
    ]

    ROOT_URLCONF = "harbour.django.urls"
    WSGI_APPLICATION = "harbour.django.wsgi.application"
    ASGI_APPLICATION = "harbour.django.asgi.application"

    LANGUAGES = [
        ("en", "English"),
        ("nl", "Nederlands"),
    ]
    AUTH_USER_MODEL = "people.User"

    # Uploads: public media and private documents on Spaces (see storage_backends.py).
    STORAGES["default"] = {"BACKEND": "harbour.django.storage_backends.PublicMediaStorage"}
    PRIVATE_STORAGE = "harbour.django.storage_backends.PrivateDocumentStorage"

    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env.get("REDIS_URL", default="redis://localhost"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Don't fail when Redis is down, see
                # https://github.com/jazzband/django-redis#memcached-exceptions-behavior
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }

    WAILER_EMAIL_TYPES = {
        "welcome": "harbour.apps.notifications.emails.Welcome",
        "cargo-arrived": "harbour.apps.notifications.emails.CargoArrived",
    }
    WAILER_SMS_TYPES = {
        "berth-assigned": "harbour.apps.notifications.sms.BerthAssigned",
    }

    SPECTACULAR_SETTINGS = {"TITLE": "Harbour API", "SERVE_INCLUDE_SCHEMA": False}
    CELERY_BEAT_SCHEDULE = {
        "purge-expired-slots": {"task": "harbour.apps.cargo.tasks.purge_expired_slots", "schedule": 3600},
    }

    # botocore reads the Spaces region from the environment itself.
    os.environ["AWS_DEFAULT_REGION"] = env.get("DO_REGION", default="ams3")

if DEBUG:
    INSTALLED_APPS += ["debug_toolbar", "django_extensions"]
    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]

if LOCAL:
    # MinIO in docker-compose answers on plain HTTP.
    AWS_S3_URL_PROTOCOL = "http:"
    STATIC_URL = "/static/"

# The legacy importer reads this; never leak it to subprocesses.
os.environ.pop("LEGACY_FTP_PASSWORD", None)
