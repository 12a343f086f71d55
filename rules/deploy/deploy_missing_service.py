from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import DOGEFILE_OK, PYPROJECT, SNOW_YML, settings, with_files

if TYPE_CHECKING:
    from ..facts.components import Component, DjangoProject
    from ..facts.dependencies import Dependency
    from ..facts.spec_formats import Spec

WORKER = "  - name: worker\n    command: modelw-docker run python manage.py procrastinate worker\n"
CELERY_PYPROJECT = PYPROJECT.replace('"procrastinate"]', '"celery"]')
NO_MIGRATE_JOB = "services:" + DOGEFILE_OK.split("services:", 1)[1]  # the Dogefile without its jobs


class DeployMissingService(RepoRule):
    """
    ## What it does
    Reports a deploy spec (`Dogefile`, `snow.yml`, `Fluxfile`, `.do/app.yaml`) that lacks
    one of Model W's services: no worker while Celery or Procrastinate is used, no beat
    while a Celery beat schedule exists, no api service, no front service while the
    repository has a front, or no migration step (a Dogefile `jobs` entry, a snow.yml
    pre-deploy hook running `manage.py migrate`) while nothing else runs the migrations (no
    deploy command, Procfile `release` or shell script of the repository does).

    ## Why it matters
    Model W runs three kinds of services from its images: the front, Django, and the task
    worker (plus Celery's beat for periodic tasks), and migrates the database in a one-off
    job before each deploy. Without a worker, queued tasks wait forever; without beat,
    periodic tasks never run; without the migration step, a deploy runs new code on the old
    schema; and nothing errors.

    ## Example
    ```yaml
    services:
      - name: api
        route_prefixes: ["/back"]
      - name: front
        route_prefixes: ["/"]
    ```
    in a project with `procrastinate` tasks.

    ## Use instead
    ```yaml
      - name: worker
        command: modelw-docker run python manage.py procrastinate worker
    ```

    ## Known limits
    Services are told apart by name and port (see MW703); a worker or a migration run from a
    script the spec calls indirectly (other than a repository shell script) is not seen.

    ## Fix safety
    No fix: a new service needs its image, its environment and its resources written in the
    spec's own format, which the linter cannot know.

    ## References
    - Model W architecture, "PaaS platform"
    - model-w-reference §3h (MW-H05)
    """

    code = "MW805"
    name = "deploy-missing-service"
    family = "deploy"
    severity = Severity.WARNING
    reads = (
        "Dogefile", "snow.yml", "snow.yaml", "Fluxfile", ".do/app.yaml", "*/pyproject.toml", "**/settings.py", "**/celery.py",
        "**/Dockerfile*", "**/Procfile", "**/*.sh", "**/docker-compose*.yml", "**/docker-compose*.yaml",
    )

    fires = [
        Example.repo(
            with_files({"Dogefile": DOGEFILE_OK}),
            note="Procrastinate without a worker",
            line=4,
            message="the deploy spec lacks a worker (Procrastinate is used)",
        ),
        Example.repo(
            {**settings('CELERY_BEAT_SCHEDULE = {"cleanup": {"task": "acme.cleanup", "schedule": 3600}}'),
             "api/pyproject.toml": CELERY_PYPROJECT,
             "Dogefile": DOGEFILE_OK + "  - name: worker\n    command: modelw-docker serve celery\n"},
            note="a beat schedule without beat",
        ),
        Example.repo(
            with_files({"Fluxfile": "components:\n  front: {type: http-server, port: 3000, prefixes: ['/']}\n  worker: {type: worker}\n"}),
            note="no api service",
        ),
        Example.repo(
            with_files({"snow.yml": SNOW_YML}),
            note="snow.yml as written: no worker component while Procrastinate is used",
            line=4, message="the deploy spec lacks a worker (Procrastinate is used)",
        ),
        Example.repo(
            with_files({"Dogefile": NO_MIGRATE_JOB + WORKER}),
            note="no migration step",
            message="a pre-deploy job running the migrations",
        ),
    ]
    silent = [
        Example.repo(with_files({"Dogefile": DOGEFILE_OK + WORKER}), note="api, front, worker and the migrate job"),
        Example.repo(
            with_files({"snow.yml": SNOW_YML.replace(
                "  - {id: migrate, image: api, envs: [api]}\n",
                "  - {id: migrate, image: api, envs: [api]}\n"
                "  - {id: worker, image: api, envs: [api], run_command: modelw-docker run python manage.py procrastinate worker}\n",
            )}),
            note="snow.yml as written with a worker component: the pre-deploy hook is the migration step",
        ),
        Example.repo(
            with_files({
                "Dogefile": NO_MIGRATE_JOB + WORKER,
                "api/bin/release.sh": "#!/bin/sh\nset -e\nmodelw-docker run python manage.py migrate --noinput\n",
            }),
            note="the migrations run by a release script of the repository",
        ),
        Example.repo(with_files({}), note="no deploy spec"),
        Example.repo(
            with_files({
                "front/package.json": None,
                "Dogefile": "services:\n  - name: api\n    port: 8000\n    route_prefixes: ['/back']\n" + WORKER
                + "jobs:\n  - name: migrate\n    command: modelw-docker run python manage.py migrate\n",
            }),
            note="no front in the repository",
        ),
    ]

    def check(
        self, project, spec_models: dict[str, list[Spec]], celery_in_use: bool, preset_extras: set[str],
        python_dependencies: list[Dependency], components: dict[str, Component], project_python: set[str],
        django_projects: list[DjangoProject], migration_step: str | None,
    ):
        if not spec_models:
            return
        procrastinate = "procrastinate" in preset_extras or any(d.name == "procrastinate" for d in python_dependencies)
        beat = celery_in_use and self._beat_schedule(project, project_python)
        has_front = any(c.package_json and c.name == "front" for c in components.values())
        for path, specs in spec_models.items():
            file = project.file(path)
            roles = set().union(*(spec.roles for spec in specs))
            missing = []
            if "api" not in roles:
                missing.append("an api service (Django)")
            if has_front and "front" not in roles:
                missing.append("a front service")
            if (celery_in_use or procrastinate) and "worker" not in roles:
                missing.append(f"a worker ({'Celery' if celery_in_use else 'Procrastinate'} is used)")
            if beat and "beat" not in roles:
                missing.append("a Celery beat service (a beat schedule exists)")
            if "api" in roles and django_projects and not any(spec.migration_jobs for spec in specs) and migration_step is None:
                missing.append("a pre-deploy job running the migrations (modelw-docker run python manage.py migrate)")
            if missing:
                m = re.search(r"^(services|components|workers):", file.text or "", re.M)
                line = file.text.count("\n", 0, m.start()) + 1 if m else 1
                yield self.finding(path, f"the deploy spec lacks {'; '.join(missing)}", line)

    def _beat_schedule(self, project, project_python):
        for path in project_python:
            file = project.file(path)
            text = (file.text if file is not None else None) or ""
            if re.search(r"CELERY_BEAT_SCHEDULE|beat_schedule|@periodic_task|crontab\(", text):
                return True
        return False
