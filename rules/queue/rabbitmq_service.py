import re

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity, yamltree
from modelw_lint.yamledit import yaml_doc

from .._examples import with_files

RABBIT_IMAGE = re.compile(r"(^|/)(rabbitmq|cloudamqp)([:/@]|$)", re.I)


class RabbitmqService(FileRule):
    """
    ## What it does
    Reports a RabbitMQ service in docker-compose files and deploy specs (an `image:`
    `rabbitmq…`, `bitnami/rabbitmq`, `cloudamqp/…`), and `RABBITMQ_*` variables there or in
    `.env` files.

    ## Why it matters
    A RabbitMQ container in the stack is infrastructure Model W does not use: queues run on
    Redis (Celery) or on PostgreSQL (Procrastinate), which every target cloud offers as a
    managed service.

    ## Example
    ```yaml
    services:
      rabbitmq:
        image: rabbitmq:3-management
    ```

    ## Use instead
    ```yaml
    services:
      redis:
        image: redis:7
    ```

    ## Fix safety
    Unsafe: the RabbitMQ service is deleted from the compose file or deploy spec, with the
    `depends_on` entries of other services that name it; a `RABBITMQ_*` variable is deleted.
    Whatever still talks to RabbitMQ stops working (MW302 and MW301 point at the broker
    settings to move to Redis). Comments and layout around the deleted lines are kept; a
    service that defines a YAML anchor used elsewhere is left alone.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §3c (MW-C03)
    """

    code = "MW303"
    name = "rabbitmq-service"
    family = "queue"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("yaml", "dotenv")
    needles = ("rabbitmq", "RABBITMQ", "cloudamqp")
    scope = "config_files"

    fires = [
        Example.repo(
            with_files({"docker-compose.yml": (
                "services:\n  api:\n    build: ./api\n    depends_on:\n      - db\n      - mq\n\n"
                "  # the message broker\n  mq:\n    image: rabbitmq:3-management  # admin UI on 15672\n\n"
                "  db:\n    image: postgres:16\n"
            )}),
            fixed={"docker-compose.yml": "services:\n  api:\n    build: ./api\n    depends_on:\n      - db\n\n  db:\n"
                "    image: postgres:16\n"},
            note="a compose service, and what depends on it",
            line=10, message="a RabbitMQ service (image rabbitmq:3-management)",
        ),
        Example.repo(
            with_files({"docker-compose.dev.yml": "services:\n  mq:\n    image: docker.io/bitnami/rabbitmq:3.12\n"}),
            note="the Bitnami image",
        ),
        Example.repo(
            with_files({"snow.yml": "components:\n  - name: api\n    env:\n      - key: RABBITMQ_DEFAULT_USER\n        value: shop\n"}),
            note="a RABBITMQ_ variable in a deploy spec",
        ),
        Example.repo(
            with_files({"api/.env-template": "DEBUG=yes\nRABBITMQ_HOST=localhost\n"}),
            fixed={"api/.env-template": "DEBUG=yes\n"},
            note="in .env-template",
        ),
    ]
    silent = [
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  redis:\n    image: redis:7\n  # rabbitmq was removed in 2024\n"}),
            note="a comment",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  api:\n    image: acme/rabbitmq-exporter-docs:1\n"}),
            note="an image that only contains the word",
        ),
    ]

    def check_file(self, file):
        if file.kind == "dotenv":
            for entry in file.parsed:
                if entry.key.upper().startswith("RABBITMQ_"):
                    yield self.finding(
                        file.path, f"{entry.key}: RabbitMQ settings, but Model W queues on Redis or Procrastinate", entry.line,
                        fix=self._dotenv_fix(file, entry),
                    )
            return
        images, variables = [], []
        for doc in file.parsed:
            services = yamltree.get(doc, "services")
            for path, node in yamltree.walk_scalars(doc):
                key = str(path[-1]) if path else ""
                if key == "image" and RABBIT_IMAGE.search(node.value):
                    images.append(self.finding(
                        file.path, f"a RabbitMQ service (image {node.value}): Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node), fix=self._service_fix(file, path, services),
                    ))
                elif key.upper().startswith("RABBITMQ_") or node.value.upper().startswith("RABBITMQ_"):
                    name = key if key.upper().startswith("RABBITMQ_") else node.value.split("=")[0]
                    variables.append(self.finding(
                        file.path, f"{name}: RabbitMQ settings, but Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node), fix=self._variable_fix(file, path, key),
                    ))
        # The service itself says it all; its RABBITMQ_* variables are reported only without one.
        yield from images or variables

    def _service_fix(self, file, path, services):
        """Delete the service (``path`` is its image's) and the depends_on entries naming it."""
        doc = yaml_doc(file.path, file.text)
        service = path[:-1]
        if doc is None or not service:
            return None
        edits = [doc.delete(service)]
        name = service[-1] if isinstance(service[-1], str) else None
        if name is not None and service[:-1] == ("services",):
            for other, svc in yamltree.items(services):
                if other.value == name:
                    continue
                deps = yamltree.get(svc, "depends_on")
                for i, el in enumerate(yamltree.elements(deps)):
                    if yamltree.scalar(el) == name:
                        edits.append(doc.delete(("services", other.value, "depends_on", i)))
                for dep_key, _value in yamltree.items(deps):
                    if dep_key.value == name:
                        edits.append(doc.delete(("services", other.value, "depends_on", name)))
        if any(e is None for e in edits):
            return None
        return self.make_fix("delete the RabbitMQ service and what depends on it", edits)

    def _variable_fix(self, file, path, key):
        doc = yaml_doc(file.path, file.text)
        if doc is None:
            return None
        if key.upper().startswith("RABBITMQ_"):
            target = path  # KEY: value
        elif isinstance(path[-1], int):
            target = path  # - KEY=value
        else:
            target = path[:-1] if len(path) > 1 and isinstance(path[-2], int) else None  # - key: KEY / value: …
        edit = doc.delete(target) if target else None
        return self.make_fix("delete the RabbitMQ variable", [edit]) if edit is not None else None

    def _dotenv_fix(self, file, entry):
        if "\n" in entry.value:
            return None  # a value over several lines: not a one-line deletion
        start, end = file.line_span(entry.line, entry.line)
        return self.make_fix("delete the RabbitMQ variable", [Edit(file.path, start, end, "")])
