from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import API_DOCKERFILE, with_files
from ._common import COMMAND_FILES, modelw_images, written

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.deploy import DeployCommand
    from ..facts.images import AppImage

GUNICORN = re.compile(r"\bgunicorn\b")
# An ASGI worker class (``-k uvicorn.workers.UvicornWorker``, ``--worker-class …asgi…``) names
# uvicorn or asgi: looking for either word is enough, and linear.
ASGI_WORKER = re.compile(r"uvicorn|asgi", re.I)


class WsgiOnlyServer(RepoRule):
    """
    ## What it does
    Notes a back-end served WSGI-only by gunicorn (without an ASGI worker class) in a
    Dockerfile, Procfile, compose file or deploy spec.

    ## Why it matters
    Model W serves Django through an ASGI server: `modelw-docker serve` runs granian on
    `asgi.py` (the seed text says uvicorn). WSGI-only serving rules out async views,
    websockets (Channels) and streaming, and differs from every other Model W project.
    This is information, not a violation.

    ## Example
    ```
    web: gunicorn shop.wsgi --workers 4
    ```

    ## Use instead
    ```
    web: modelw-docker serve
    ```

    ## Fix safety
    Unsafe: when the back-end's image is built on `modelw/base`, the gunicorn command becomes
    `modelw-docker serve` (in the form it was written: a shell string or an exec-form list),
    which serves `asgi.py` with granian. The server, its workers and its options change; a
    command that spans lines, or an image without `modelw-docker`, is left to a person.

    ## References
    - Model W architecture, "PaaS platform" (Django through Uvicorn)
    - model-w-reference §0 (granian), §3h
    """

    code = "MW806"
    name = "wsgi-only-server"
    family = "deploy"
    severity = Severity.INFO
    fix_safety = FixSafety.UNSAFE
    reads = COMMAND_FILES

    fires = [
        Example.repo(
            with_files({"Procfile": "web: gunicorn acme.django.wsgi --workers 4\n"}),
            note="a Procfile",
            line=1,
            message="gunicorn serves WSGI only in the web process of Procfile",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace(
                'CMD ["modelw-docker", "serve"]',
                'CMD ["gunicorn", "acme.django.wsgi:application"]',
            )}),
            fixed={"api/Dockerfile": API_DOCKERFILE},
            note="a Dockerfile CMD",
        ),
    ]
    silent = [
        Example.repo(
            with_files({"Procfile": "web: gunicorn acme.django.asgi:application -k uvicorn.workers.UvicornWorker\n"}),
            note="gunicorn with uvicorn workers",
        ),
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE}), note="modelw-docker serve"),
    ]

    def check(self, project: Project, deploy_commands: list[DeployCommand], application_dockerfiles: dict[str, AppImage]):
        on_modelw = modelw_images(project, application_dockerfiles)
        for cmd in deploy_commands:
            if GUNICORN.search(cmd.command) and not ASGI_WORKER.search(cmd.command):
                fix = None
                if on_modelw and cmd.span is not None:
                    start, end = cmd.span
                    fix = self.make_fix(
                        "serve with `modelw-docker serve`", [Edit(cmd.path, start, end, written(["modelw-docker", "serve"], cmd.style))],
                    )
                yield self.finding(
                    cmd.path,
                    f"gunicorn serves WSGI only in {cmd.where}: Model W serves Django through ASGI (modelw-docker serve runs granian)",
                    cmd.line, fix=fix,
                )
