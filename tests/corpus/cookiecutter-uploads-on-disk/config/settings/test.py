from .base import *  # noqa: F403

SECRET_KEY = "test"
TEST_RUNNER = "django.test.runner.DiscoverRunner"
