from modelw_lint import Example, FileRule, Severity
from modelw_lint import yamltree

from .._examples import with_files
from ._common import AMQP_SCHEMES, is_amqp_url


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
    No fix: the deployment needs a Redis service in its place.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §3c (MW-C01)
    """

    code = "MW302"
    name = "amqp-broker-in-config"
    family = "queue"
    severity = Severity.ERROR
    kinds = ("dotenv", "yaml")
    needles = AMQP_SCHEMES
    scope = "config_files"

    fires = [
        Example.repo(with_files({"api/.env-template": "DEBUG=yes\nCELERY_BROKER_URL=amqp://guest:guest@localhost//\n"}), note=".env-template"),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  worker:\n    image: acme-api\n    environment:\n      - BROKER_URL=pyamqp://rabbit//\n"}),
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
        Example.repo(with_files({"api/bdd/_infrastructure/docker-compose-e2e.yaml": "x: amqp://localhost\n", "docs/broker.yml": "old: amqp://localhost\n"}), note="test infrastructure and other YAML"),
    ]

    def check_file(self, file):
        if file.kind == "dotenv":
            for entry in file.parsed:
                if is_amqp_url(entry.value):
                    yield self.finding(file.path, f"{entry.key} is an AMQP (RabbitMQ) URL: Model W queues on Redis or Procrastinate", entry.line)
            return
        for doc in file.parsed:
            for path, node in yamltree.walk_scalars(doc):
                value = node.value
                name = str(path[-1]) if path else "value"
                if "=" in value and not is_amqp_url(value):
                    name, _, value = value.partition("=")
                if is_amqp_url(value):
                    yield self.finding(
                        file.path,
                        f"{name} is an AMQP (RabbitMQ) URL: Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node),
                    )
