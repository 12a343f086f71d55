from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import string_value

from .._examples import SETTINGS_PATH, SETTINGS_PY, WITH_REDIS, settings, settings_text, with_files
from ..facts.settings import deletion_fix

if TYPE_CHECKING:
    from ..facts.settings import PresetBlock, ProductionSettings

ENVIRON_CACHE = """\
import environ

env = environ.Env()
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
"""
NOT_REDIS = ("LocMemCache", "FileBasedCache", "DatabaseCache", "DummyCache", "Memcache", "memcached", "PyLibMCCache", "PyMemcacheCache")


def not_redis(backend: str | None) -> bool:
    """Whether a cache ``BACKEND`` value names a cache that is not Redis (the literal only:
    a comment next to it, ``# mimicking memcache behaviour``, says nothing)."""
    return isinstance(backend, str) and "redis" not in backend.lower() and any(word in backend for word in NOT_REDIS)


class CacheNotRedis(FileRule):
    """
    ## What it does
    Reports a cache moved off Redis: a `CACHES` override (in the settings of a preset
    project, or anywhere without the preset) with a local-memory, file, database, dummy or
    memcached backend, and `ModelWDjango(enable_cache=False)`. A backend read from the
    environment is judged by its literal default (`env.cache_url("CACHE_URL",
    default="locmemcache://")`), naming the variable that would change it.

    ## Why it matters
    The preset puts the cache on Redis (`REDIS_URL`) with per-environment key prefixes.
    A local-memory or file cache is per container: each replica has its own, so
    invalidation, rate limits and sessions stop working once there are two.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # CACHES on REDIS_URL
    ```

    ## Fix safety
    Unsafe: a `CACHES` assignment in the preset block is deleted and the preset's Redis
    cache applies, at `REDIS_URL`. Offered only where the project has a Redis (a `REDIS_URL`
    its configuration sets, a Redis service or deploy resource); otherwise there is no edit
    and the finding says to add one first. A cache read from the environment is not deleted
    (its variable would stop working): no fix.

    ## References
    - Model W architecture, "Cache — Redis"
    - model-w-reference §2.2 (Cache), §3i (MW-I04)
    """

    code = "MW909"
    name = "cache-not-redis"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("CACHES", "enable_cache")
    scope = "project_settings"

    fires = [
        Example.repo(
            {**settings('CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\nX = 1'), **WITH_REDIS},
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="LocMem in the block, REDIS_URL configured",
            line=6, message="CACHES is on LocMemCache, not Redis",
        ),
        Example.repo(
            settings('CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\nX = 1'),
            note="no Redis in the configuration: no edit",
            message="add one first",
        ),
        Example.repo(
            with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_cache=False)")}),
            note="enable_cache=False",
        ),
        Example.repo(
            settings('CACHES["default"]["BACKEND"] = "django.core.cache.backends.memcached.PyMemcacheCache"'),
            note="memcached by subscript",
        ),
        Example.repo(
            settings(ENVIRON_CACHE, preset=False),
            note="django-environ's cache URL with a local-memory default",
            line=4, message="LocMemCache, not Redis unless CACHE_URL is set",
        ),
        Example.repo(
            settings(
                'import os\n\nCACHES = {"default": {"BACKEND": os.environ.get("CACHE_BACKEND", '
                '"django.core.cache.backends.locmem.LocMemCache")}}',
                preset=False,
            ),
            note="a backend read from the environment with a local-memory default",
        ),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="the preset's Redis cache"),
        Example.repo(settings('CACHES["default"]["TIMEOUT"] = 600'), note="a cache option"),
        Example.repo(
            settings(
                'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}',
                preset=False,
            ),
            note="Redis without the preset",
        ),
        Example.repo(
            settings(
                'CACHES = {\n    "default": {\n        "BACKEND": "django_redis.cache.RedisCache",\n        "OPTIONS": {\n'
                '            # Mimicking memcache behavior.\n'
                '            # https://github.com/jazzband/django-redis#memcached-exceptions-behavior\n'
                '            "IGNORE_EXCEPTIONS": True,\n        },\n    },\n}',
                preset=False,
            ),
            note="django-redis with a comment that mentions memcached",
        ),
        Example.repo(
            settings('if DEBUG:\n    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}'),
            note="a development-only branch",
        ),
        Example.repo(
            settings(ENVIRON_CACHE.replace("locmemcache://", "redis://redis:6379/1"), preset=False),
            note="django-environ's cache URL with a Redis default",
        ),
    ]

    def check_file(
        self, file, preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings], redis_target: str | None,
    ):
        block = preset_blocks.get(file.path)
        if block is not None and block.in_this_module and block.kwarg("enable_cache") is False:
            yield self.finding_at_node(file, block.kwargs["enable_cache"], "ModelWDjango(enable_cache=False): Model W caches in Redis")
        reported = set()
        for view in production_settings.values():
            value = view.out_of_the_box("CACHES", ("default", "BACKEND"))
            assignment = value.assignment
            if assignment is None or assignment.path != file.path or id(assignment.statement.stmt) in reported:
                continue
            backend = string_value(value.node) if isinstance(value.node, ast.AST) else None
            if backend is None or not not_redis(backend):
                continue
            reported.add(id(assignment.statement.stmt))
            st = assignment.statement
            whole = assignment.name == "CACHES" and not assignment.keys and assignment.kind == "set"
            fix = None
            message = (
                f"CACHES is on {backend.rsplit('.', 1)[-1]}, not Redis{value.unless_text()}: a per-container cache breaks with "
                "several replicas"
            )
            if block is not None and whole and not value.unless:
                if redis_target:
                    fix = deletion_fix(self, file, st, f"delete the CACHES override: the preset caches in Redis ({redis_target})")
                else:
                    message += "; no Redis in the configuration (REDIS_URL, a Redis service or resource): add one first"
            yield self.finding_at_node(file, st.stmt, message, fix)
