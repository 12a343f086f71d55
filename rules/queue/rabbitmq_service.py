import re

from modelw_lint import Example, FileRule, Severity
from modelw_lint import yamltree

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
    No fix.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §3c (MW-C03)
    """

    code = "MW303"
    name = "rabbitmq-service"
    family = "queue"
    severity = Severity.ERROR
    kinds = ("yaml", "dotenv")
    needles = ("rabbitmq", "RABBITMQ", "cloudamqp")
    scope = "config_files"

    fires = [
        Example.repo(with_files({"docker-compose.yml": "services:\n  mq:\n    image: rabbitmq:3-management\n"}), note="a compose service"),
        Example.repo(with_files({"docker-compose.dev.yml": "services:\n  mq:\n    image: docker.io/bitnami/rabbitmq:3.12\n"}), note="the Bitnami image"),
        Example.repo(
            with_files({"snow.yml": "components:\n  - name: api\n    env:\n      - key: RABBITMQ_DEFAULT_USER\n        value: shop\n"}),
            note="a RABBITMQ_ variable in a deploy spec",
        ),
        Example.repo(with_files({"api/.env-template": "RABBITMQ_HOST=localhost\n"}), note="in .env-template"),
    ]
    silent = [
        Example.repo(with_files({"docker-compose.yml": "services:\n  redis:\n    image: redis:7\n  # rabbitmq was removed in 2024\n"}), note="a comment"),
        Example.repo(with_files({"docker-compose.yml": "services:\n  api:\n    image: acme/rabbitmq-exporter-docs:1\n"}), note="an image that only contains the word"),
    ]

    def check_file(self, file):
        if file.kind == "dotenv":
            for entry in file.parsed:
                if entry.key.upper().startswith("RABBITMQ_"):
                    yield self.finding(file.path, f"{entry.key}: RabbitMQ settings, but Model W queues on Redis or Procrastinate", entry.line)
            return
        images, variables = [], []
        for doc in file.parsed:
            for path, node in yamltree.walk_scalars(doc):
                key = str(path[-1]) if path else ""
                if key == "image" and RABBIT_IMAGE.search(node.value):
                    images.append(self.finding(
                        file.path, f"a RabbitMQ service (image {node.value}): Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node),
                    ))
                elif key.upper().startswith("RABBITMQ_") or node.value.upper().startswith("RABBITMQ_"):
                    name = key if key.upper().startswith("RABBITMQ_") else node.value.split("=")[0]
                    variables.append(self.finding(
                        file.path, f"{name}: RabbitMQ settings, but Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node),
                    ))
        # The service itself says it all; its RABBITMQ_* variables are reported only without one.
        yield from images or variables
