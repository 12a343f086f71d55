from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import assigned_names

from .._examples import SETTINGS_PATH, settings, settings_text
from ..facts.settings import deletion_fix, statements
from ._common import amqp_reason

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.environment import EnvReads
    from ..facts.settings import PresetBlock


class RedundantBrokerOverride(FileRule):
    """
    ## What it does
    Reports a `CELERY_BROKER_URL` (or `BROKER_URL`) set in the settings of a project that
    uses the Model W preset, when it does not point at RabbitMQ (MW301 covers that).

    ## Why it matters
    The preset already sets `CELERY_BROKER_URL = REDIS_URL` and, while the broker is
    untouched, prefixes Celery's Redis keys with the environment name so that several
    environments can share one Redis. An override loses the prefix and duplicates
    configuration that the preset keeps in step with the cache and Channels.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        CELERY_BROKER_URL = env.get("REDIS_URL", default="redis://localhost")
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # the preset sets CELERY_BROKER_URL from REDIS_URL
    ```

    ## Fix safety
    Unsafe: the assignment is deleted (in the preset block only). When the override reads
    `REDIS_URL` itself, the broker stays where it was; when it names another Redis, Celery
    moves to `REDIS_URL`, so the fix is offered only where the configuration sets
    `REDIS_URL` (or has a Redis service or resource); otherwise there is no edit.

    ## References
    - model-w-reference §2.2 (Celery), §3c (MW-C01)
    """

    code = "MW305"
    name = "redundant-broker-override"
    family = "queue"
    severity = Severity.INFO
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("BROKER_URL",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('CELERY_BROKER_URL = env.get("REDIS_URL", default="redis://localhost")\nX = 1'),
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="the unsafe fix deletes it",
            line=6, message="CELERY_BROKER_URL override in a preset project",
        ),
        Example.repo(settings('if True:\n    BROKER_URL = "redis://cache:6379/1"'), note="nested: reported, no fix"),
        Example.repo(
            settings('CELERY_BROKER_URL = "redis://cache:6379/1"'),
            note="another Redis, and no REDIS_URL configured: deleting it would move Celery nowhere known, no fix",
        ),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="no override"),
        Example.repo(settings('CELERY_BROKER_URL = "redis://localhost"', preset=False), note="no preset"),
        Example.repo(settings('CELERY_BROKER_URL = "amqp://localhost"'), note="RabbitMQ is MW301's business"),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], redis_target: str | None, env_reads: EnvReads):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        tree = file.module
        reads = env_reads
        for st in statements(tree, block):
            if not st.production:
                continue
            for name, value in assigned_names(st.stmt):
                if name not in ("CELERY_BROKER_URL", "BROKER_URL") or value is None or amqp_reason(value, reads):
                    continue
                fix = None
                same_broker = any(r.name == "REDIS_URL" for r in reads.reads(value))
                if isinstance(st.stmt, ast.Assign) and (same_broker or redis_target):
                    fix = deletion_fix(self, file, st, f"delete the {name} override: the preset sets it from REDIS_URL")
                yield self.finding_at_node(
                    file, st.stmt,
                    f"{name} override in a preset project: the preset already points Celery at REDIS_URL (with key prefixes)",
                    fix,
                )
