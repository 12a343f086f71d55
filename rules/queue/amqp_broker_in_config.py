from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity
from modelw_lint.lang import yamltree
from modelw_lint.lang.yamledit import yaml_doc

from .._examples import with_files
from ._common import AMQP_SCHEMES, is_amqp_url

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile


class AmqpBrokerInConfig(FileRule):
    """
    ## What it does
    Reports an AMQP broker URL (`amqp://`, `amqps://`, `pyamqp://`, `librabbitmq://`) in
    configuration files: `.env-template`, `.env.test` and other `.env` files,
    docker-compose files, and deploy specs (`Dogefile`, `snow.yml`, `Fluxfile`,
    `.do/app.yaml`).

    ## Why it matters
    The application's code may be clean while its deployment still feeds it a RabbitMQ
    broker. Model W queues on Redis (Celery) or PostgreSQL (Procrastinate); the preset
    derives the Celery broker from `REDIS_URL`.

    ## Example
    ```yaml
    services:
      worker:
        environment:
          CELERY_BROKER_URL: amqp://guest:guest@rabbitmq:5672//
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        environment:
          REDIS_URL: redis://redis:6379
    ```

    ## Fix safety
    Unsafe: the broker moves to Redis. A broker variable (`CELERY_BROKER_URL`,
    `BROKER_URL`, `CLOUDAMQP_URL`…) is deleted where the same environment already sets
    `REDIS_URL` (the preset derives Celery's broker from it); otherwise it becomes
    `REDIS_URL` pointing at the compose file's Redis service (`redis://<service>:6379`), or
    at `redis://localhost:6379` in a `.env` file. In a deploy spec without `REDIS_URL`, or a
    compose file without a Redis service, there is no fix: the deployment needs Redis first.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §3c (MW-C01)
    """

    code = "MW302"
    name = "amqp-broker-in-config"
    family = "queue"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("dotenv", "yaml")
    needles = AMQP_SCHEMES
    scope = "config_files"

    fires = [
        Example.repo(
            with_files({"api/.env-template": "DEBUG=yes\nCELERY_BROKER_URL=amqp://guest:guest@localhost//\n"}),
            fixed={"api/.env-template": "DEBUG=yes\nREDIS_URL=redis://localhost:6379\n"},
            note=".env-template",
            line=2, message="CELERY_BROKER_URL is an AMQP (RabbitMQ) URL",
        ),
        Example.repo(
            with_files({"docker-compose.yml": (
                "services:\n  worker:\n    image: acme-api\n    environment:\n"
                "      CELERY_BROKER_URL: \"amqp://guest:guest@mq:5672//\"  # until the move\n"
                "      SENTRY_ENVIRONMENT: staging\n  cache:\n    image: redis:7\n"
            )}),
            fixed={"docker-compose.yml": (
                "services:\n  worker:\n    image: acme-api\n    environment:\n"
                "      REDIS_URL: \"redis://cache:6379\"  # until the move\n"
                "      SENTRY_ENVIRONMENT: staging\n  cache:\n    image: redis:7\n"
            )},
            note="a compose environment, with a Redis service",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n    environment:\n"
                "      - BROKER_URL=pyamqp://rabbit//\n"}),
            note="a compose environment list",
        ),
        Example.repo(
            with_files({"Dogefile": "services:\n  - name: worker\n    env:\n      CELERY_BROKER_URL: amqps://user@mq.example.com/vhost\n"}),
            note="a Dogefile",
        ),
    ]
    silent = [
        Example.repo(with_files({"api/.env-template": "REDIS_URL=redis://localhost:6379\n"}), note="Redis"),
        Example.repo(with_files({"docker-compose.yml": "services:\n  redis:\n    image: redis:7\n"}), note="a Redis service"),
        Example.repo(
            with_files({
                "api/bdd/_infrastructure/docker-compose-e2e.yaml": "x: amqp://localhost\n",
                "docs/broker.yml": "old: amqp://localhost\n",
            }),
            note="test infrastructure and other YAML",
        ),
    ]

    def check_file(self, file: SourceFile):
        if file.kind == "dotenv":
            keys = {e.key for e in file.parsed}
            for entry in file.parsed:
                if is_amqp_url(entry.value):
                    yield self.finding(
                        file.path, f"{entry.key} is an AMQP (RabbitMQ) URL: Model W queues on Redis or Procrastinate", entry.line,
                        fix=self._dotenv_fix(file, entry, keys),
                    )
            return
        for doc in file.parsed:
            redis = _redis_service(doc)
            for path, node in yamltree.walk_scalars(doc):
                value = node.value
                name = str(path[-1]) if path else "value"
                if "=" in value and not is_amqp_url(value):
                    name, _, value = value.partition("=")
                if is_amqp_url(value):
                    yield self.finding(
                        file.path,
                        f"{name} is an AMQP (RabbitMQ) URL: Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node), fix=self._yaml_fix(file, doc, path, name, redis),
                    )

    def _dotenv_fix(self, file, entry, keys):
        if entry.key.upper() not in BROKER_KEYS or "\n" in entry.value:
            return None
        start, end = file.line_span(entry.line, entry.line)
        if "REDIS_URL" in keys:
            return self.make_fix(f"delete {entry.key}: the preset's broker comes from REDIS_URL", [Edit(file.path, start, end, "")])
        newline = file.text[start:end][len(file.text[start:end].rstrip("\r\n")):]
        return self.make_fix(
            f"set REDIS_URL instead of {entry.key}",
            [Edit(file.path, start, end, "REDIS_URL=redis://localhost:6379" + newline)],
        )

    def _yaml_fix(self, file, doc_node, path, name, redis):
        if name.upper() not in BROKER_KEYS or len(path) < 2:
            return None
        container = yamltree.get_path(doc_node, path[:-1])
        if isinstance(path[-1], int):
            has_redis = any((yamltree.scalar(e) or "").startswith("REDIS_URL=") for e in yamltree.elements(container))
        else:
            has_redis = yamltree.get(container, "REDIS_URL") is not None
        doc = yaml_doc(file.path, file.text)
        if doc is None:
            return None
        if has_redis:
            edit = doc.delete(path)
            what = f"delete {name}: the preset's broker comes from REDIS_URL"
        elif redis is not None:
            url = f"redis://{redis}:6379"
            edit = doc.replace_scalar(path, f"REDIS_URL={url}") if isinstance(path[-1], int) else doc.replace_entry(path, "REDIS_URL", url)
            what = f"set REDIS_URL ({url}) instead of {name}"
        else:
            return None
        return self.make_fix(what, [edit]) if edit is not None else None


BROKER_KEYS = {"CELERY_BROKER_URL", "BROKER_URL", "CELERY_BROKER", "AMQP_URL", "CLOUDAMQP_URL", "RABBITMQ_URL"}
REDIS_IMAGE = re.compile(r"(^|/)redis([:@]|$)", re.I)


def _redis_service(doc) -> str | None:
    """The name of a compose file's Redis service (only when there is exactly one)."""
    found = [key.value for key, svc in yamltree.items(yamltree.get(doc, "services"))
             if REDIS_IMAGE.search(yamltree.scalar(yamltree.get(svc, "image")) or "")]
    return found[0] if len(found) == 1 else None
