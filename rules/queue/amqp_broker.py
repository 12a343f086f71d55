from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import ImportMap

from .._examples import SETTINGS_PATH, WITH_REDIS, settings, settings_text, with_files
from ..facts.settings import deletion_fix, statements
from ._common import amqp_clients, amqp_reason, broker_values

if TYPE_CHECKING:
    from ..facts.environment import EnvReads

    from ..facts.settings import PresetBlock, Statement

CELERY_PY = "api/acme/django/celery.py"


class AmqpBroker(FileRule):
    """
    ## What it does
    Reports a Celery broker pointed at RabbitMQ in Python code: `CELERY_BROKER_URL`,
    `BROKER_URL` or `broker_url` set to an `amqp://`, `amqps://`, `pyamqp://` or
    `librabbitmq://` URL, or read from `RABBITMQ_URL`, `CLOUDAMQP_URL` or `AMQP_URL`; in
    settings, in `celery.py` (`Celery(broker=…)`, `app.conf.broker_url = …`,
    `app.conf.update(…)`) or in a module given to `config_from_object`. Names are resolved
    through imports and aliases.

    ## Why it matters
    Model W queues on Redis (Celery) or on PostgreSQL (Procrastinate): RabbitMQ is rarely
    offered as a managed service by the cloud providers Model W targets, so a project on it
    needs infrastructure nobody else runs. The preset already points Celery at `REDIS_URL`.

    ## Example
    ```python
    app = Celery("acme", broker="amqp://guest:guest@rabbitmq:5672//")
    ```

    ## Use instead
    ```python
    app = Celery("acme")
    app.config_from_object("django.conf:settings", namespace="CELERY")  # the preset sets the broker
    ```

    ## Fix safety
    Unsafe, in a preset project only, and only where the project has a Redis (a `REDIS_URL`
    its configuration sets, a Redis service or deploy resource): a `CELERY_BROKER_URL` or
    `BROKER_URL` assignment in the preset block is deleted, so Celery falls back to the
    preset's Redis broker. Jobs waiting in RabbitMQ are not moved. Without a Redis there is no
    edit: the finding says to add one first.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §2.2 (Celery), §3c (MW-C01)
    """

    code = "MW301"
    name = "amqp-broker"
    family = "queue"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("amqp", "AMQP", "RABBITMQ", "pika", "kombu", "amqpstorm")
    scope = "project_python"

    fires = [
        Example.repo(
            {**settings('CELERY_BROKER_URL = "amqp://guest:guest@rabbitmq:5672//"\nX = 1'), **WITH_REDIS},
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="in the preset block, REDIS_URL configured: the unsafe fix deletes it",
            line=6, message="Celery broker on RabbitMQ (CELERY_BROKER_URL uses an AMQP URL (amqp://…))",
        ),
        Example.repo(
            settings('CELERY_BROKER_URL = "amqp://guest:guest@rabbitmq:5672//"\nX = 1'),
            note="no Redis anywhere in the configuration: no edit, add one first",
            message="add one first",
        ),
        Example.repo(
            with_files({CELERY_PY: 'from celery import Celery as C\n\napp = C("acme", broker="pyamqp://rabbit//")\n'}),
            note="Celery(broker=…) through an alias",
        ),
        Example.repo(
            with_files({CELERY_PY: 'import celery\nimport os\n\napp = celery.Celery("acme")\n'
                'app.conf.update(broker_url=os.environ["CLOUDAMQP_URL"])\n'}),
            note="app.conf.update with a RabbitMQ variable",
        ),
        Example.repo(
            with_files({CELERY_PY: 'from celery import Celery\n\napp = Celery("acme")\napp.conf.broker_url = f"amqps://{USER}@mq//"\n'}),
            note="an f-string on app.conf",
        ),
        Example.repo(with_files({"api/acme/celeryconfig.py": 'broker_url = "amqp://localhost"\n'}), note="a config_from_object module"),
        Example.repo(settings('CELERY_BROKER_URL = env.get("RABBITMQ_URL", default="")'), note="env.get of RABBITMQ_URL"),
        Example.repo(
            with_files({
                "api/acme/django/settings.py": (
                    'import os\n\nos.environ["CELERY_BROKER_URL"] = os.environ.get("CLOUDAMQP_URL", "")\n\nfrom .base import *  # noqa\n'
                ),
                "api/acme/django/base.py": 'import os\n\nCELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]\n',
            }),
            note="CloudAMQP's variable copied into the environment before a star import",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/events.py": "import pika\n\n"
                "connection = pika.BlockingConnection(pika.URLParameters(URL))\n"}),
            note="a pika client in the code",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/events.py": 'from kombu import Connection\n\nconn = Connection("amqp://guest@rabbit//")\n'}),
            note="a kombu connection to RabbitMQ",
        ),
    ]
    silent = [
        Example.repo(
            with_files({CELERY_PY: 'from celery import Celery\n\napp = Celery("acme")\n'
                'app.config_from_object("django.conf:settings", namespace="CELERY")\n'}),
            note="the template's celery.py",
        ),
        Example.repo(
            settings('CELERY_BROKER_URL = env.get("REDIS_URL", default="redis://localhost")'),
            note="Redis (MW305 says it is redundant)",
        ),
        Example.repo(with_files({"api/acme/apps/people/tests/test_tasks.py": 'BROKER_URL = "amqp://localhost"\n'}), note="test code"),
        Example.repo(with_files({"api/acme/apps/people/docs.py": 'HELP = "we moved off amqp:// brokers"\n'}), note="a mention in a string"),
        Example.repo(
            with_files({"api/acme/apps/people/events.py": 'from kombu import Connection\n\nconn = Connection("redis://cache:6379/0")\n'}),
            note="a kombu connection to Redis",
        ),
    ]

    def check_file(
        self, file, preset_blocks: dict[str, PresetBlock], redis_target: str | None, imports: ImportMap, env_reads: EnvReads,
    ):
        tree = file.tree
        reads = env_reads
        block = preset_blocks.get(file.path)
        deletable: dict[int, Statement] = {}
        if block is not None:
            for st in statements(tree, block):
                if st.where == "block" and st.direct and isinstance(st.stmt, ast.Assign):
                    deletable[id(st.stmt)] = st
        for node, value, where in broker_values(tree, imports):
            reason = amqp_reason(value, reads)
            if reason is None:
                continue
            override = deletable.get(id(node))
            deletable_override = override is not None and where in ("CELERY_BROKER_URL", "BROKER_URL")
            fix = (
                deletion_fix(self, file, override, f"delete the {where} override: the preset's broker is REDIS_URL ({redis_target})")
                if override is not None and deletable_override and redis_target else None
            )
            what = "a RabbitMQ connection" if where.startswith("kombu") else "Celery broker on RabbitMQ"
            message = f"{what} ({where} uses {reason}): Model W queues on Redis or Procrastinate"
            if deletable_override and not redis_target:
                message += "; no Redis in the configuration (REDIS_URL, a Redis service or resource): add one first, then delete it"
            yield self.finding_at_node(file, node, message, fix)
        for call, client in amqp_clients(tree, imports):
            yield self.finding_at_node(
                file, call, f"a RabbitMQ client in the code ({client}): Model W queues on Redis or Procrastinate, not AMQP",
            )
