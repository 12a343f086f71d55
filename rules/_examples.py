"""Small Model W repositories that rule examples start from (a compliant baseline)."""

from __future__ import annotations

import textwrap

MANAGE_PY = '''\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

SETTINGS_PY = '''\
from model_w.env_manager import EnvManager
from model_w.preset.django import ModelWDjango

DEBUG = False
MIDDLEWARE = []
REST_FRAMEWORK = {}

with EnvManager(ModelWDjango()) as env:
    INSTALLED_APPS = ["acme.apps.people"]
    ROOT_URLCONF = "acme.django.urls"
    AUTH_USER_MODEL = "people.User"
    LANGUAGES = [("en", "English")]
'''

PYPROJECT = '''\
[tool.poetry]
name = "acme"
version = "0.1.0"
packages = [{include = "acme"}]

[tool.poetry.dependencies]
python = "~3.14"
modelw-preset-django = {extras = ["psycopg", "health", "ninja", "procrastinate"], version = ">=2026.7.0,<2026.8.0"}
'''

# The same back-end declared the PEP 621 way, as uv projects do.
UV_PYPROJECT = '''\
[project]
name = "acme"
version = "0.1.0"
requires-python = "~=3.14.0"
dependencies = [
    "modelw-preset-django[psycopg,health,ninja,procrastinate]>=2026.7.0,<2026.8.0",
]

[tool.uv]
package = true

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["acme"]
'''

PACKAGE_JSON = '''\
{
  "name": "acme-front",
  "private": true,
  "dependencies": {
    "@model-w/preset-sveltekit": "~2026.7.0",
    "@sentry/sveltekit": "^8.0.0"
  },
  "devDependencies": {
    "@sveltejs/kit": "*",
    "svelte": "*",
    "vite": "*"
  }
}
'''

SETTINGS_PATH = "api/acme/django/settings.py"
ENV_TEMPLATE = "DEBUG=yes\nSECRET_KEY=change-me\nDATABASE_URL=postgres://acme:acme@localhost/acme\n"
# A project whose configuration says where its Redis is (fixes that move onto Redis need one).
WITH_REDIS = {"api/.env-template": ENV_TEMPLATE + "REDIS_URL=redis://localhost:6379\n"}

# -- shared by several rules' examples ---------------------------------------------------------

API_DOCKERFILE = """\
FROM modelw/base:2026.07

COPY --chown=user pyproject.toml poetry.lock ./
RUN modelw-docker install

COPY --chown=user . .
RUN modelw-docker build

CMD ["modelw-docker", "serve"]
"""

# One-off jobs first, so that examples can append services at the end.
DOGEFILE_OK = """\
jobs:
  - name: migrate
    command: modelw-docker run python manage.py migrate
services:
  - name: api
    port: 8000
    route_prefixes: ["/back"]
  - name: front
    port: 3000
    route_prefixes: ["/"]
"""

# The same deployment as snow.yml is really written (model-w-reference §6.3): what is built
# (`images`), what runs (`components`, keyed `id`), routes (`ingresses`), one-off commands
# (`hooks`), variable groups (`envs`, whose values are references) and `resources`.
SNOW_YML = """\
images:
  - {id: front, context: front, dockerfile: Dockerfile}
  - {id: api, context: api, dockerfile: Dockerfile}
components:
  - {id: front, image: front, envs: [front], size_hint: ram >= 512m}
  - {id: api, image: api, envs: [api], size_hint: ram >= 1g}
  - {id: migrate, image: api, envs: [api]}
ingresses:
  - {match: {prefix: '/'}, target: {component: front, port: 3000}}
  - {match: {prefix: '/back/'}, target: {component: api, port: 8000}}
hooks:
  - {when: pre-deploy, component: migrate, run_command: modelw-docker run python manage.py migrate}
domains: [{id: api}]
resources:
  redis_clusters: [{id: redis, version: '7'}]
  pg_clusters: [{id: psql, version: '15'}]
  pg_databases: [{id: psql, cluster: psql}]
envs:
  api:
    SECRET_KEY: '${{ secrets::SECRET_KEY }}'
    DATABASE_URL: '${{ resources::pg_databases.psql.url }}'
    REDIS_URL: '${{ resources::redis_clusters.redis.url }}'
    SENTRY_DSN: '${{ vars::SENTRY_DSN_BACK }}'
  front:
    PUBLIC_API_URL: '${{ vars::PUBLIC_API_URL }}'
"""

PLAIN_SETTINGS = 'INSTALLED_APPS = ["acme.apps.people"]\n'
SENTRY_INIT = """\
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

sentry_sdk.init(integrations=[DjangoIntegration()])
INSTALLED_APPS = ["acme.apps.people"]
"""



class ExampleRepo(dict):
    """A repository for an example; ``changed`` lists the files the docs show."""

    changed: tuple[str, ...] = ()


def model_w_repo() -> dict[str, str]:
    """A compliant Model W repository: api/ on the preset, front/ on SvelteKit."""
    return {
        ".gitignore": ".env\nnode_modules/\n",
        "README.md": "# Acme\n",
        "api/manage.py": MANAGE_PY,
        "api/pyproject.toml": PYPROJECT,
        "api/.env-template": ENV_TEMPLATE,
        "api/acme/__init__.py": "",
        "api/acme/django/__init__.py": "",
        SETTINGS_PATH: SETTINGS_PY,
        "front/package.json": PACKAGE_JSON,
    }


def with_files(changes: dict[str, str | None]) -> dict[str, str]:
    """The compliant repository with some files replaced (``None`` removes a file)."""
    repo = ExampleRepo(model_w_repo())
    for path, text in changes.items():
        if text is None:
            repo.pop(path, None)
        else:
            repo[path] = textwrap.dedent(text).lstrip("\n")
    repo.changed = tuple(p for p, t in changes.items() if t is not None)
    return repo


def settings(body: str, *, preset: bool = True, before: str = "") -> dict[str, str]:
    """The compliant repository whose settings module has ``body`` inside the preset block
    (or, with ``preset=False``, as the whole module)."""
    body = textwrap.dedent(body).strip("\n")
    if preset:
        indented = "\n".join(("    " + line) if line.strip() else "" for line in body.splitlines())
        text = (
            "from model_w.env_manager import EnvManager\n"
            "from model_w.preset.django import ModelWDjango\n"
            + (textwrap.dedent(before).strip("\n") + "\n" if before else "")
            + "\nwith EnvManager(ModelWDjango()) as env:\n"
            '    LANGUAGES = [("en", "English")]\n'
            + indented + "\n"
        )
    else:
        text = body + "\n"
    return with_files({SETTINGS_PATH: text})


def cookiecutter_settings(production: str) -> dict[str, str]:
    """The compliant repository with cookiecutter-django's split settings instead of the preset:
    ``base.py`` creates a django-environ ``env`` and ``production.py`` (the module ``manage.py``
    names) imports it relatively, then runs ``production``."""
    return with_files({
        "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.production')\n",
        SETTINGS_PATH: None,
        "api/acme/django/base.py": "import environ\n\nenv = environ.Env()\nINSTALLED_APPS = []\n",
        "api/acme/django/production.py": (
            "from .base import *  # noqa\nfrom .base import env\n\n" + textwrap.dedent(production).lstrip("\n")
        ),
    })


def settings_text(body: str) -> str:
    """The settings module text that :func:`settings` writes (for ``fixed`` expectations)."""
    return settings(body)[SETTINGS_PATH]
