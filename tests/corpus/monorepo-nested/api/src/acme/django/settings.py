from model_w.env_manager import EnvManager
from model_w.preset.django import ModelWDjango

DEBUG = False
MIDDLEWARE = []

with EnvManager(ModelWDjango()) as env:
    INSTALLED_APPS = ["acme.apps.orders", "procrastinate.contrib.django"]
    ROOT_URLCONF = "acme.django.urls"
    LANGUAGES = [("en", "English"), ("de", "Deutsch")]
