from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity

from .._examples import API_DOCKERFILE, DOGEFILE_OK, with_files

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

SECRET_NAMES = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN"}
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "API_KEY")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ_")


def is_secret_env(name: str) -> bool:
    """``SECRET_KEY``, ``DATABASE_URL``…, or a name with PASSWORD, SECRET, TOKEN or API_KEY in its
    trailing upper-case part (``DB_PASSWORD``, ``STRIPE_API_KEY_LIVE``); linear in the name."""
    if name in SECRET_NAMES:
        return True
    start = len(name)
    while start > 0 and name[start - 1] in _UPPER:
        start -= 1
    tail = name[start:]
    return any(word in tail for word in SECRET_WORDS)


def _env_pairs(value: str):
    """NAME=value pairs of an ENV instruction (both ``ENV A=1 B=2`` and ``ENV A 1``): a
    left-to-right scan, linear in the instruction."""
    value = value.strip()
    if "=" not in value.split(" ", 1)[0]:
        name, _, rest = value.partition(" ")
        return [(name, rest.strip())]
    pairs = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i].isspace():
            i += 1
        start = i
        while i < n and not value[i].isspace() and value[i] != "=":
            i += 1
        name = value[start:i]
        if i >= n or value[i] != "=":
            continue  # a word without "=": not a pair
        i += 1
        if i < n and value[i] in "\"'":
            close = value.find(value[i], i + 1)
            close = n if close < 0 else close
            raw, i = value[i + 1:close], close + 1
        else:
            begin = i
            while i < n and not value[i].isspace():
                i += 1
            raw = value[begin:i]
        if name and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name):
            pairs.append((name, raw))
    return pairs


class StateInImage(FileRule):
    """
    ## What it does
    Reports state baked into an image: `RUN … migrate` at build time, `COPY`/`ADD` of a
    `.env` file, `ENV` with a literal `SECRET_KEY`, `DATABASE_URL` or other secret, and a
    `VOLUME` for media or uploads.

    ## Why it matters
    A twelve-factor image is the same in every environment and holds no state: migrations
    run as a release job against the environment's database (`modelw-docker run python
    manage.py migrate`), configuration comes from the environment at run time, and uploads
    go to S3. Anything else leaks secrets into the registry or loses data on redeploy.

    ## Example
    ```dockerfile
    COPY .env .env
    ENV SECRET_KEY=abc123
    RUN python manage.py migrate
    VOLUME /app/media
    ```

    ## Use instead
    ```dockerfile
    RUN modelw-docker build
    CMD ["modelw-docker", "serve"]
    ```
    with the variables set by the platform and a pre-deploy job for `migrate`.

    ## Fix safety
    Unsafe: the instruction is deleted when it does only that (a `COPY` of `.env` files only,
    an `ENV` of the secret alone, a `VOLUME` of media only, a `RUN` that only migrates): the
    image then lacks what the deployment must provide (the variables, S3 storage). A build-time
    `migrate` is deleted only where something already runs the migrations at deploy time (a
    pre-deploy job or hook, a release command, an entrypoint): otherwise there is no edit and
    the finding says to add that job first. An instruction that also does something else is
    left to a person.

    ## References
    - model-w-reference §3b (MW-B09), §3h (MW-H03)
    """

    code = "MW803"
    name = "state-in-image"
    family = "deploy"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("dockerfile",)
    needles = ("migrate", ".env", "ENV", "VOLUME", "env ", "volume")
    scope = "application_dockerfiles"

    fires = [
        Example.repo(
            with_files({"Dogefile": DOGEFILE_OK, "api/Dockerfile": API_DOCKERFILE.replace(
                "RUN modelw-docker build\n",
                "RUN modelw-docker build\nRUN modelw-docker run python manage.py migrate\n",
            )}),
            fixed={"api/Dockerfile": API_DOCKERFILE},
            note="migrate at build time, and the Dogefile's migrate job: the build-time one goes",
            line=8, message="migrations run at build time",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace(
                "RUN modelw-docker build\n",
                "RUN modelw-docker build\nRUN modelw-docker run python manage.py migrate\n",
            )}),
            note="migrate at build time and nothing at deploy time: no edit",
            message="add that job first",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace(
                "COPY --chown=user . .\n",
                "COPY --chown=user . .\nCOPY .env /app/.env\n",
            )}),
            note="COPY .env",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace("RUN modelw-docker install\n", "RUN modelw-docker install\n"
                "ENV DJANGO_ENV=prod SECRET_KEY=abc123\n")}),
            note="ENV SECRET_KEY",
        ),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE + "VOLUME /app/media\n"}),
            fixed={"api/Dockerfile": API_DOCKERFILE},
            note="a media volume",
        ),
    ]
    silent = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE}), note="the template"),
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace("RUN modelw-docker install\n", "RUN modelw-docker install\n"
                "ENV PYTHONUNBUFFERED=1 SECRET_KEY=${SECRET_KEY}\nCOPY .env-template /app/\n")}),
            note="harmless ENV, a variable reference, .env-template",
        ),
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE + "VOLUME /tmp/cache\n"}), note="a cache volume"),
    ]

    def check_file(self, file: SourceFile, migration_step: str | None):
        for ins in file.parsed:
            if ins.keyword == "RUN" and re.search(r"\bmigrate\b", ins.command) and "manage" in ins.command:
                alone = not re.search(r"&&|;|\|\|", ins.command)
                message = "migrations run at build time: run them as a pre-deploy job against each environment's database"
                fix = None
                if alone and migration_step:
                    fix = self._delete(file, ins, f"delete the build-time migrate ({migration_step} runs them)")
                elif alone:
                    message += "; nothing runs them at deploy time yet: add that job first, then delete this line"
                yield self.finding(file.path, message, ins.line, fix=fix)
            elif ins.keyword in ("COPY", "ADD"):
                words = [w for w in ins.words() if not w.startswith("--")]
                sources = words[:-1]
                envs = [s for s in sources if s.rstrip("/").rsplit("/", 1)[-1] in (".env", ".env.local", ".env.prod", ".env.production")]
                if envs:
                    yield self.finding(
                        file.path, ".env copied into the image: configuration comes from the environment at run time", ins.line,
                        fix=self._delete(file, ins, "delete the COPY of .env") if len(envs) == len(sources) else None,
                    )
            elif ins.keyword == "ENV":
                pairs = _env_pairs(ins.value)
                for name, value in pairs:
                    if is_secret_env(name) and value and not value.startswith("$"):
                        yield self.finding(
                            file.path, f"ENV {name} holds a literal value: secrets must not be baked into the image", ins.line,
                            fix=self._delete(file, ins, f"delete ENV {name}") if len(pairs) == 1 else None,
                        )
            elif ins.keyword == "VOLUME":
                if re.search(r"media|upload", ins.value, re.I):
                    volumes = ins.exec_form or ins.value.split()
                    yield self.finding(
                        file.path, f"VOLUME {ins.value}: uploads belong on S3-like storage, not a container volume", ins.line,
                        fix=self._delete(file, ins, "delete the media VOLUME") if len(volumes) == 1 else None,
                    )

    def _delete(self, file, ins, what):
        start, end = file.line_span(ins.line, ins.end_line)
        return self.make_fix(what, [Edit(file.path, start, end, "")])
