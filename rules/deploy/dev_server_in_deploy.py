from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import API_DOCKERFILE, with_files
from ._common import COMMAND_FILES, as_text, modelw_images, tokens, written

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front
    from ..facts.deploy import DeployCommand
    from ..facts.images import AppImage

MULTI_STAGE = """\
FROM modelw/base:2026.07 AS production
COPY --chown=user pyproject.toml poetry.lock ./
RUN modelw-docker install
COPY --chown=user . .
RUN modelw-docker build
CMD ["modelw-docker", "serve"]

FROM production AS dev
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
"""


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


DEV_SERVERS: list[tuple[re.Pattern[str] | InOrder, str]] = [
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
    `*override*`, `*test*`) are left alone, and so are development images (`Dockerfile.dev`,
    `compose/local/`, a Dockerfile only such compose files build). Of a multi-stage
    Dockerfile only the stage a deployment runs counts: the `target` a production compose
    file names, else the final stage, or the last one not named for development (`AS dev`,
    `AS local`, `AS test`) when the final one is; a stage without `CMD` runs the one of the
    stage it is built on.

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
    runs. `celery … worker -B` loses its `-B`/`--beat` only where periodic tasks keep a
    scheduler: another process already runs beat, or, in a Procfile, the fix adds a `beat:`
    process (`celery -A acme beat`, the worker's app and log level) in the same edit; for the
    only worker of a compose file, Dockerfile or deploy spec there is no edit, and the finding
    says to add the beat process first. `manage.py runserver` becomes `modelw-docker serve` when the
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
    reads = COMMAND_FILES

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
            fixed={"Procfile": "web: modelw-docker serve\nworker: celery -A acme worker -l info\nbeat: celery -A acme beat -l info\n"},
            note="the only Procfile worker runs beat: the fix gives beat its own process",
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
            with_files({"api/Dockerfile": MULTI_STAGE.replace("AS dev", "AS development").replace('"modelw-docker", "serve"', '"python", '
                '"manage.py", "runserver"', 1)}),
            note="the production stage of a multi-stage Dockerfile",
        ),
        Example.repo(
            with_files({
                "api/Dockerfile": MULTI_STAGE,
                "docker-compose.production.yml": "services:\n  api:\n    build:\n      context: ./api\n      target: dev\n",
            }),
            note="a production compose file that targets the development stage",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n"
                "    command: [\"celery\", \"-A\", \"acme\", \"worker\", \"--beat\"]\n"
                "  beat:\n    image: acme-api\n    command: [\"celery\", \"-A\", \"acme\", \"beat\"]\n"}),
            fixed={"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n"
                "    command: [\"celery\", \"-A\", \"acme\", \"worker\"]\n"
                "  beat:\n    image: acme-api\n    command: [\"celery\", \"-A\", \"acme\", \"beat\"]\n"},
            note="an exec-form compose command, with a beat service beside it",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n"
                "    command: celery -A acme worker --beat\n"}),
            note="the only compose worker runs beat: no edit (periodic tasks would stop), add a beat service first",
            message="add a beat process",
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
        Example.repo(
            with_files({"api/Dockerfile": MULTI_STAGE}),
            note="a multi-stage Dockerfile whose last stage is for development: the production stage is deployed",
        ),
        Example.repo(
            with_files({
                "api/Dockerfile": MULTI_STAGE.replace("AS production", "AS release").replace("AS dev", "AS workbench"),
                "docker-compose.production.yml": "services:\n  api:\n    build:\n      context: ./api\n      target: release\n",
            }),
            note="the stage a production compose file targets",
        ),
        Example.repo(
            with_files({
                "docker-compose.local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n",
                "docker/web.Dockerfile": "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
            }),
            note="a Dockerfile only a local compose file builds",
        ),
    ]

    def check(
        self, project: Project, deploy_commands: list[DeployCommand], application_dockerfiles: dict[str, AppImage], fronts: list[Front],
    ):
        on_modelw = modelw_images(project, application_dockerfiles)
        front_command = _front_command(fronts)
        for cmd in deploy_commands:
            for pattern, what in DEV_SERVERS:
                if pattern.search(cmd.command):
                    message = f"{what} in {cmd.where}: deploy artifacts run production servers"
                    if what.startswith("a Celery worker"):
                        fix, note = self._beat_fix(project, cmd, deploy_commands)
                        yield self.finding(cmd.path, message + note, cmd.line, fix=fix)
                        break
                    replacement = _production(project, cmd, what, on_modelw, front_command)
                    fix = None
                    if replacement is not None and cmd.span is not None:
                        start, end = cmd.span
                        fix = self.make_fix(
                            f"run {as_text(replacement)} instead", [Edit(cmd.path, start, end, written(replacement, cmd.style))],
                        )
                    yield self.finding(cmd.path, message, cmd.line, fix=fix)
                    break

    def _beat_fix(self, project, cmd, deploy_commands):
        """(the fix, a note for the message) for a worker with an embedded beat: drop -B when
        another process runs beat; in a Procfile, also add a beat process; otherwise no edit."""
        words = tokens(project, cmd) if cmd.span is not None else None
        if not words:
            return None, ""
        without = [t for t in words if t not in ("-B", "--beat")]
        start, end = cmd.span
        replace = Edit(cmd.path, start, end, written(without, cmd.style))
        if any(other is not cmd and _same_deployment(cmd, other) and runs_beat(other.command) for other in deploy_commands):
            return self.make_fix(f"run {as_text(without)} instead (beat runs in its own process)", [replace]), ""
        beat = _beat_command(without)
        if beat is None:
            return None, ""
        if cmd.path.rsplit("/", 1)[-1] == "Procfile" and not _process_named(project, cmd.path, "beat"):
            file = project.file(cmd.path)
            _line_start, line_end = file.line_span(cmd.line, cmd.line)
            text = file.text or ""
            newline = "" if text[:line_end].endswith(("\n", "\r")) else "\n"
            added = Edit(cmd.path, line_end, line_end, f"{newline}beat: {shlex.join(beat)}\n")
            return self.make_fix(f"run {as_text(without)} and a beat process ({as_text(beat)})", [replace, added]), ""
        return None, f"; it is the only process running beat: add a beat process ({as_text(beat)}) first, then drop -B"


FRONT_COMMANDS = {"sveltekit": ["node", "build"], "nuxt3": ["node", ".output/server/index.mjs"]}
# A process that runs Celery's beat on its own (not a worker's embedded --beat).
_SERVE_BEAT = re.compile(r"\bserve\s+beat\b")
_CELERY_BEAT = InOrder(r"\bcelery\b", r"(?:^|\s)beat(?:\s|$)")


def runs_beat(command: str) -> bool:
    return bool(_SERVE_BEAT.search(command)) or _CELERY_BEAT.search(command)


def _beat_command(worker: list[str]) -> list[str] | None:
    """``celery -A acme worker -l info`` -> ``celery -A acme beat -l info``: the worker's
    program and app, ``beat``, and its log level; None when the command is not that shape."""
    if "worker" not in worker:
        return None
    at = worker.index("worker")
    out = [*worker[:at], "beat"]
    rest = worker[at + 1:]
    for i, word in enumerate(rest):
        if word in ("-l", "--loglevel") and i + 1 < len(rest):
            out += [word, rest[i + 1]]
        elif word.startswith("--loglevel="):
            out.append(word)
    return out


def _same_deployment(a, b) -> bool:
    """Whether two deploy commands run side by side: the processes of one Procfile, the
    services of one compose folder or one deploy spec; an image's CMD with any of those but a
    Procfile's (Heroku-style platforms run the Procfile alone)."""
    def kind(cmd) -> str:
        name = cmd.path.rsplit("/", 1)[-1]
        if name == "Procfile":
            return "procfile"
        return "dockerfile" if name.startswith("Dockerfile") or name.endswith(".Dockerfile") else "spec"

    ka, kb = kind(a), kind(b)
    if "procfile" in (ka, kb):
        return a.path == b.path
    if ka == kb == "spec":
        return a.path.rpartition("/")[0] == b.path.rpartition("/")[0]
    return True


def _process_named(project, path: str, name: str) -> bool:
    file = project.file(path)
    return any(line.partition(":")[0].strip() == name for line in (file.lines() if file else []))


def _front_command(fronts) -> list[str] | None:
    """The production command of the project's front, when there is one front on a
    framework modelw-lint knows the server of."""
    known = {tuple(FRONT_COMMANDS[f.framework]) for f in fronts if FRONT_COMMANDS.get(f.framework)}
    return list(known.pop()) if len(known) == 1 and len(fronts) == 1 else None


def _production(project, cmd, what: str, modelw_images: bool, front_command: list[str] | None) -> list[str] | None:
    """The command's production form (as tokens), or None when there is no sure one."""
    if cmd.span is None:
        return None
    words = tokens(project, cmd)
    if not words:
        return None
    if what.startswith("Django's"):
        return ["modelw-docker", "serve"] if modelw_images else None
    return front_command


