from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity
from modelw_lint.lang.dockerfile import base_stage, stages

from .._examples import API_DOCKERFILE, with_files
from ..releases import base_tag

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.images import AppImage

PLAIN_PYTHON = 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "shop.wsgi"]\n'
NGINX_FRONT = """\
FROM node:22 AS build
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
"""
STEPS = ("install", "build", "serve")


class DockerfileNotModelwBase(FileRule):
    """
    ## What it does
    Reports a Dockerfile of a deployed image whose final stage is not built `FROM
    modelw/base:<YYYY.MM>`, or that does not use `modelw-docker install`, `modelw-docker
    build` and `modelw-docker serve`.

    Only images of the application count, told by where they are, what builds them and what
    they run and copy: a Dockerfile in a component folder (`api/`, `front/`, the root when the
    back-end is there), one a production compose file (`docker-compose.production.yml`,
    `production.yml`, `compose.prod.yaml`…) or a deploy spec builds for the api, front or
    worker, and any other one that runs or copies a Django back-end (`manage.py`, gunicorn,
    granian, celery, `modelw-docker`…) or builds a JS front. An image built on a base the
    repository builds itself is judged by the chain: its root must be `modelw/base`, and the
    `modelw-docker` steps may sit in the base. A front built by node and served by nginx is an
    application image. Development images (`compose/local/`, `.devcontainer/`,
    `Dockerfile.dev`, one only a local compose file builds), infrastructure (postgres,
    nginx with its configuration, traefik, redis, aws-cli…), documentation, `FROM scratch` and
    `Dockerfile.test` are left alone; `ARG BASE=…` then `FROM ${BASE}` is resolved.

    ## Why it matters
    `modelw/base` and `modelw-docker` give every Model W image the same shape: the right
    Python and Node versions for the release, a non-root user, dependencies installed from
    the lock file, `collectstatic` run in build mode, and the right server (granian for
    ASGI) with the right worker commands. A hand-made image drifts on each of these.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install -r requirements.txt
    CMD ["gunicorn", "shop.wsgi"]
    ```

    ## Use instead
    ```dockerfile
    FROM modelw/base:2026.07
    COPY --chown=user pyproject.toml poetry.lock ./
    RUN modelw-docker install
    COPY --chown=user . .
    RUN modelw-docker build
    CMD ["modelw-docker", "serve"]
    ```

    ## Fix safety
    No fix: moving to `modelw/base` rewrites the whole Dockerfile (install, build and serve
    through `modelw-docker`), not one line.

    ## References
    - model-w-reference §1 (Dockerfiles), §3h (MW-H01)
    """

    code = "MW801"
    name = "dockerfile-not-modelw-base"
    family = "deploy"
    severity = Severity.WARNING
    kinds = ("dockerfile",)
    scope = "application_dockerfiles"

    fires = [
        Example.repo(
            with_files({"api/Dockerfile": 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n'
                'CMD ["gunicorn", "acme.django.wsgi"]\n'}),
            note="a custom base",
            line=1, message="the image is built FROM python:3.12-slim, not modelw/base:<YYYY.MM>",
        ),
        Example.repo(
            with_files({"front/Dockerfile": API_DOCKERFILE.replace("RUN modelw-docker build\n", "RUN npm run build\n")}),
            note="a step done by hand",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace("modelw/base:2026.07", "modelw/base:latest")}),
            note="an untagged base",
        ),
        Example.repo(
            with_files({
                "docker-compose.production.yml": "services:\n  django:\n    build:\n      context: .\n"
                    "      dockerfile: ./compose/production/django/Dockerfile\n",
                "compose/production/django/Dockerfile": "FROM python:3.12-slim AS python\nFROM python AS run\nCMD [\"/start\"]\n",
            }),
            note="an application image a production compose service builds",
        ),
        Example.repo(
            {
                "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
                "shop/settings.py": "INSTALLED_APPS = []\n",
                "Dockerfile": PLAIN_PYTHON,
            },
            note="the root Dockerfile of a back-end at the root",
            line=1, message="FROM python:3.12-slim",
        ),
        Example.repo(with_files({"docker/Dockerfile": PLAIN_PYTHON}), note="docker/Dockerfile running gunicorn"),
        Example.repo(
            with_files({
                "production.yml": "services:\n  django:\n    build:\n      context: .\n"
                    "      dockerfile: ./compose/production/django/Dockerfile\n    command: /start\n",
                "compose/production/django/Dockerfile": "FROM python:3.11-slim-bookworm\nCOPY . /app\nCMD [\"/start\"]\n",
            }),
            note="compose/production/django/Dockerfile built by production.yml (cookiecutter-django before 2024)",
        ),
        Example.repo(
            with_files({
                "compose.prod.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: deploy/web.Dockerfile\n",
                "deploy/web.Dockerfile": "FROM python:3.13\nCOPY . .\n",
            }),
            note="a Dockerfile compose.prod.yaml builds",
        ),
        Example.repo(
            with_files({
                "docker-compose.yml": "services:\n  base:\n    image: acme-base\n    build: ./docker/base\n  api:\n    build:\n"
                    "      context: .\n      dockerfile: docker/api/Dockerfile\n",
                "docker/base/Dockerfile": "FROM python:3.12-slim\nRUN pip install poetry\n",
                "docker/api/Dockerfile": "FROM acme-base:latest\nCOPY . .\nCMD [\"gunicorn\", \"acme.django.wsgi\"]\n",
            }),
            note="an image built on a base the repository builds FROM python",
            line=1, message="which docker/base/Dockerfile builds FROM python:3.12-slim",
        ),
        Example.repo(with_files({"front/Dockerfile": NGINX_FRONT}), note="a front built by node and served by nginx", line=5),
    ]
    silent = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE}), note="the template"),
        Example.repo(
            with_files({"api/Dockerfile": "FROM node:20 AS assets\nRUN npm ci\n\n" + API_DOCKERFILE}),
            note="a build stage before the final one",
        ),
        Example.repo(with_files({"api/Dockerfile.test": "FROM python:3.12\n"}), note="Dockerfile.test"),
        Example.repo(
            with_files({"api/Dockerfile": "ARG BASE=modelw/base:2026.07\n" + API_DOCKERFILE.replace(
                "FROM modelw/base:2026.07",
                "FROM ${BASE}",
            )}),
            note="FROM ${BASE} resolved",
        ),
        Example.repo(
            with_files({
                "compose/local/django/Dockerfile": "FROM python:3.12-slim\nCMD [\"./start\"]\n",
                ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/python:3.13\n",
                "compose/production/postgres/Dockerfile": "FROM docker.io/postgres:16\n",
                "deploy/nginx/Dockerfile": "FROM nginx:1.27-alpine\nCOPY default.conf /etc/nginx/conf.d/\n",
                "tools/Dockerfile": "FROM scratch\nCOPY bin /\n",
                "docs/Dockerfile": "FROM python:3.12\nRUN pip install mkdocs\nCMD [\"mkdocs\", \"serve\"]\n",
                "docker/proxy/Dockerfile": "FROM nginx:1.27-alpine\nCOPY --from=build /x /y\n",
                "docker-compose.local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.web\n",
                "docker/Dockerfile.web": PLAIN_PYTHON,
            }),
            note="development, infrastructure, documentation and scratch images; one only a local compose file builds",
        ),
        Example.repo(
            with_files({
                "production.yml": "services:\n  postgres:\n    build:\n      context: .\n"
                    "      dockerfile: ./compose/production/postgres/Dockerfile\n    image: shop_production_postgres\n",
                "compose/production/postgres/Dockerfile": (
                    "FROM docker.io/postgres:16\nCOPY ./compose/production/postgres/maintenance /usr/local/bin/\n"
                ),
            }),
            note="cookiecutter-django's postgres image",
        ),
        Example.repo(
            with_files({
                "docker-compose.yml": "services:\n  base:\n    image: acme-base\n    build: ./docker/base\n  api:\n    build:\n"
                    "      context: .\n      dockerfile: docker/api/Dockerfile\n",
                "docker/base/Dockerfile": API_DOCKERFILE,
                "docker/api/Dockerfile": "FROM acme-base:latest\nCOPY . .\n",
            }),
            note="an image built on a base the repository builds",
        ),
    ]

    def check_file(self, file: SourceFile, application_dockerfiles: dict[str, AppImage]):
        app = application_dockerfiles.get(file.path)
        own = base_stage(stages(file.parsed))
        if app is None or own is None or app.root is None or app.root.unresolved:
            return  # FROM ${BASE} without a value: the build argument decides
        image, line = app.root.image, own.line
        # The steps may be in a base the repository builds (FROM acme-base, itself on modelw/base).
        chain = [file, *(f for f in map(file.project.file, app.chain) if f is not None)]
        text = " ".join(i.command for f in chain for i in (f.parsed or []) if i.keyword in ("RUN", "CMD", "ENTRYPOINT"))
        if base_tag(image) is None:
            if app.chain:
                message = (
                    f"the image is built FROM {app.base_name}, which {app.chain[-1]} builds FROM {image}: the chain does not "
                    "start at modelw/base:<YYYY.MM>"
                )
            elif app.serves_front:
                message = f"the front is served by {image} (a static build copied into a web server), not built FROM modelw/base"
            else:
                message = f"the image is built FROM {image}, not modelw/base:<YYYY.MM>"
            yield self.finding(file.path, message, line)
        missing = [step for step in STEPS if not re.search(rf"modelw-docker\s+{step}\b", text)]
        if missing and base_tag(image) is not None:
            yield self.finding(
                file.path,
                f"the Dockerfile does not use {', '.join('modelw-docker ' + s for s in missing)}: "
                "Model W images install, build and serve through modelw-docker",
                line,
            )
