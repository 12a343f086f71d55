import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from .base import *  # noqa: F403
from .base import STORAGES
from .base import env

# GENERAL
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["shelf.example.com"])

# CACHES: one cache per container unless a cache URL is configured.
CACHES = {"default": env.cache_url("DJANGO_CACHE_URL", default="locmemcache://")}

# STORAGES: S3 when the deployment asks for it.
if env.bool("DJANGO_USE_S3", default=False):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env("DJANGO_AWS_STORAGE_BUCKET_NAME")

# STATIC: served by WhiteNoise
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# EMAIL
EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"

# Sentry
sentry_sdk.init(dsn=env("SENTRY_DSN"), integrations=[DjangoIntegration()])
