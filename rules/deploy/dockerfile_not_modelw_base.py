import re

from modelw_lint import Example, FileRule, Severity
from modelw_lint.dockerfile import base_stage, stages

from .._examples import API_DOCKERFILE, with_files

BASE = re.compile(r"^(?:docker\.io/)?modelw/base:(\d{4}\.\d{2})$")
STEPS = ("install", "build", "serve")


class DockerfileNotModelwBase(FileRule):
    """
    ## What it does
    Only images of the application count: a Dockerfile in a component folder (`api/`,
    `front/`), or one a production compose service builds for the api, front or worker.
    Development images (`compose/local/`, `.devcontainer/`, `Dockerfile.dev`),
    infrastructure (postgres, nginx, traefik, redis, aws-cli…), `FROM scratch` and images
    built on a base the repository builds itself are left alone; `ARG BASE=…` then
    `FROM ${BASE}` is resolved.
    Reports a Dockerfile of a deployed image whose final stage is not built `FROM
    modelw/base:<YYYY.MM>`, or that does not use `modelw-docker install`, `modelw-docker
    build` and `modelw-docker serve`. `Dockerfile.test` and test folders are left alone.

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
            }),
            note="development, infrastructure and scratch images",
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

    def check_file(self, file):
        base = base_stage(stages(file.parsed))
        if base is None or base.unresolved:
            return  # FROM ${BASE} without a value: the build argument decides
        image, line = base.image, base.line
        if not BASE.match(image):
            yield self.finding(file.path, f"the image is built FROM {image}, not modelw/base:<YYYY.MM>", line)
        text = " ".join(i.command for i in file.parsed if i.keyword in ("RUN", "CMD", "ENTRYPOINT"))
        missing = [step for step in STEPS if not re.search(rf"modelw-docker\s+{step}\b", text)]
        if missing and BASE.match(image):
            yield self.finding(
                file.path,
                f"the Dockerfile does not use {', '.join('modelw-docker ' + s for s in missing)}: "
                "Model W images install, build and serve through modelw-docker",
                line,
            )
