from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import API_DOCKERFILE, with_files
from ._common import as_text, modelw_images, tokens, written

if TYPE_CHECKING:
    from ..facts.components import Front
    from ..facts.deploy import AppImage, DeployCommand

class InOrder:
    """Patterns that must occur in this order (``celery … worker … -B``), each searched from
    where the previous one ended: linear, where ``a.*b.*c`` in one regular expression
    backtracks in cubic time on a command repeating ``celery worker``."""

    def __init__(self, *patterns: str):
        self.patterns = [re.compile(p) for p in patterns]

    def search(self, text: str) -> bool:
        position = 0
        for pattern in self.patterns:
            m = pattern.search(text, position)
            if m is None:
                return False
            position = m.end()
        return True


DEV_SERVERS = [
    (re.compile(r"manage\.py\s+runserver(_plus)?\b"), "Django's development server (manage.py runserver)"),
    (re.compile(r"(^|[\s;&|/])nuxt(\s+dev\b|\s*$)"), "Nuxt's development server"),
    (re.compile(r"(^|[\s;&|/])vite(\s+dev\b|\s*$)"), "Vite's development server"),
    (re.compile(r"\b(npm|pnpm)\s+run\s+dev\b|\byarn\s+(run\s+)?dev\b"), "the front's dev script"),
    (InOrder(r"\bcelery\b", r"\bworker\b", r"\s(?:-B|--beat)\b"), "a Celery worker with an embedded beat (-B, development only)"),
]


class DevServerInDeploy(RepoRule):
    """
    ## What it does
    Reports development servers in deploy artifacts: `manage.py runserver`, `nuxt dev`,
    `vite dev`, `npm run dev`, and `celery worker -B` (the embedded beat is for
    development) in Dockerfile `CMD`/`ENTRYPOINT`, Procfiles, docker-compose `command`s
    and deploy specs. Compose files named for development (`*dev*`, `*local*`,
    `*override*`, `*test*`) are left alone.

    ## Why it matters
    Development servers are single-process, reload on file changes, serve static files
    insecurely and print debug pages. An embedded Celery beat runs once per worker: scale
    the worker to two and every periodic task runs twice.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    ## Use instead
    ```dockerfile
    CMD ["modelw-docker", "serve"]
    ```
    and separate `modelw-docker serve celery` / `modelw-docker serve beat` services.

    ## Fix safety
    Unsafe: the command is replaced by its production form, which changes what the process
    runs. `celery … worker -B` loses its `-B`/`--beat` (the beat then needs its own
    process: MW805 says so). `manage.py runserver` becomes `modelw-docker serve` when the
    back-end's image is built on `modelw/base` (which has `modelw-docker`). A front's dev
    server becomes its production server when the front is SvelteKit (`node build`) or
    Nuxt 3 (`node .output/server/index.mjs`). Only one-line commands are rewritten, in the
    form they are written in (a shell string, an exec-form list, a quoted YAML string).

    ## References
    - model-w-reference §3h (MW-H02)
    """

    code = "MW802"
    name = "dev-server-in-deploy"
    family = "deploy"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    reads = ("**/Dockerfile*", "**/Procfile", "**/*compose*.y*ml", "Dogefile", "snow.yml", "Fluxfile", ".do/app.yaml")

    fires = [
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace(
                'CMD ["modelw-docker", "serve"]',
                'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
            )}),
            fixed={"api/Dockerfile": API_DOCKERFILE},
            note="a Dockerfile CMD",
            line=9, message="Django's development server (manage.py runserver) in CMD",
        ),
        Example.repo(
            with_files({"Procfile": "web: modelw-docker serve\nworker: celery -A acme worker -B -l info\n"}),
            fixed={"Procfile": "web: modelw-docker serve\nworker: celery -A acme worker -l info\n"},
            note="a Procfile worker with beat",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  front:\n    build: ./front\n    command: npm run dev  # for now\n"}),
            fixed={"docker-compose.yml": "services:\n  front:\n    build: ./front\n    command: node build  # for now\n"},
            note="a compose command (the front is SvelteKit)",
        ),
        Example.repo(
            with_files({"Dogefile": "services:\n  - name: front\n    port: 3000\n    command: npx nuxt dev\n"}),
            note="a deploy spec",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n"
                "    command: [\"celery\", \"-A\", \"acme\", \"worker\", \"--beat\"]\n"}),
            fixed={"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n"
                "    command: [\"celery\", \"-A\", \"acme\", \"worker\"]\n"},
            note="an exec-form compose command",
        ),
    ]
    silent = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE}), note="modelw-docker serve"),
        Example.repo(
            with_files({"docker-compose.dev.yml": "services:\n  api:\n    command: python manage.py runserver\n"}),
            note="a development compose file",
        ),
        Example.repo(
            with_files({"Procfile": "worker: celery -A acme worker -l info\nbeat: celery -A acme beat\n"}),
            note="separate worker and beat",
        ),
    ]

    def check(self, project, deploy_commands: list[DeployCommand], application_dockerfiles: dict[str, AppImage], fronts: list[Front]):
        on_modelw = modelw_images(project, application_dockerfiles)
        front_command = _front_command(fronts)
        for cmd in deploy_commands:
            for pattern, what in DEV_SERVERS:
                if pattern.search(cmd.command):
                    replacement = _production(project, cmd, what, on_modelw, front_command)
                    fix = None
                    if replacement is not None:
                        start, end = cmd.span
                        fix = self.make_fix(
                            f"run {as_text(replacement)} instead", [Edit(cmd.path, start, end, written(replacement, cmd.style))],
                        )
                    yield self.finding(cmd.path, f"{what} in {cmd.where}: deploy artifacts run production servers", cmd.line, fix=fix)
                    break


FRONT_COMMANDS = {"sveltekit": ["node", "build"], "nuxt3": ["node", ".output/server/index.mjs"]}


def _front_command(fronts) -> list[str] | None:
    """The production command of the project's front, when there is one front on a
    framework modelw-lint knows the server of."""
    known = {FRONT_COMMANDS.get(f.framework, [None])[0] and tuple(FRONT_COMMANDS[f.framework]) for f in fronts}
    known.discard(None)
    return list(known.pop()) if len(known) == 1 and len(fronts) == 1 else None


def _production(project, cmd, what: str, modelw_images: bool, front_command: list[str] | None) -> list[str] | None:
    """The command's production form (as tokens), or None when there is no sure one."""
    if cmd.span is None:
        return None
    words = tokens(project, cmd)
    if not words:
        return None
    if what.startswith("a Celery worker"):
        return [t for t in words if t not in ("-B", "--beat")]
    if what.startswith("Django's"):
        return ["modelw-docker", "serve"] if modelw_images else None
    return front_command


