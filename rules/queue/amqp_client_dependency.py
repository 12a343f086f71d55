from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency

AMQP_CLIENTS = {"pika", "librabbitmq", "aio-pika", "amqpstorm"}


class AmqpClientDependency(RepoRule):
    """
    ## What it does
    Reports RabbitMQ client libraries declared as direct dependencies of the back-end:
    `pika`, `librabbitmq`, `aio-pika`, `amqpstorm` (in `pyproject.toml` or requirements
    files), and `amqp` declared in `pyproject.toml`. `amqp` and `kombu` are Celery's own
    dependencies: they are never flagged in lock files or pinned requirements.

    ## Why it matters
    A RabbitMQ client means code that talks to RabbitMQ directly, which Model W does not
    run: queues are on Redis (Celery) or PostgreSQL (Procrastinate).

    ## Example
    ```toml
    [tool.poetry.dependencies]
    pika = "^1.3"
    ```

    ## Use instead
    Tasks through Procrastinate (`@app.task`) or Celery on the preset's Redis broker.

    ## Fix safety
    No fix: the code using the client must change first.

    ## References
    - model-w-reference §3c (MW-C02)
    """

    code = "MW304"
    name = "amqp-client-dependency"
    family = "queue"
    severity = Severity.ERROR
    reads = DEPENDENCY_FILES

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT + 'pika = "^1.3"\n'}),
            note="pika in pyproject.toml",
            line=9,
            message="pika is a RabbitMQ client",
        ),
        Example.repo(with_files({"api/requirements.txt": "aio-pika==9.4\n"}), note="aio-pika in requirements.txt"),
        Example.repo(with_files({"api/pyproject.toml": PYPROJECT + 'amqp = "*"\n'}), note="amqp declared directly"),
    ]
    silent = [
        Example.repo(
            with_files({"api/requirements.txt": "celery==5.3.6\namqp==5.2.0\nkombu==5.3.4\n"}),
            note="celery's pinned dependencies",
        ),
        Example.repo(with_files({"api/poetry.lock": '[[package]]\nname = "pika"\n'}), note="a lock file"),
        Example.repo(with_files({"api/pyproject.toml": PYPROJECT + 'kombu = "*"\n'}), note="kombu (also a Redis transport)"),
    ]

    def check(self, project: Project, python_dependencies: list[Dependency]):
        for dep in python_dependencies:
            from_pyproject = dep.path.endswith("pyproject.toml")
            if dep.name in AMQP_CLIENTS or (dep.name == "amqp" and from_pyproject):
                yield self.finding(
                    dep.path,
                    f"{dep.name} is a RabbitMQ client: Model W queues on Redis (Celery) or PostgreSQL (Procrastinate)",
                    dep.line,
                )
