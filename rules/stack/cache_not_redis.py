from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import assigned_names, code_of, literal, subscript_path

from .._examples import SETTINGS_PATH, SETTINGS_PY, settings, settings_text, with_files
from ..settings._common import deletion_fix, statements

NOT_REDIS = ("LocMemCache", "FileBasedCache", "DatabaseCache", "DummyCache", "Memcache", "memcached", "PyLibMCCache", "PyMemcacheCache")


class CacheNotRedis(FileRule):
    """
    ## What it does
    Reports a cache moved off Redis: a `CACHES` override (in the settings of a preset
    project, or anywhere without the preset) with a local-memory, file, database, dummy or
    memcached backend, and `ModelWDjango(enable_cache=False)`.

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
    cache applies; the environment needs `REDIS_URL`.

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
            settings('CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\nX = 1'),
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="LocMem in the block",
        ),
        Example.repo(with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_cache=False)")}), note="enable_cache=False"),
        Example.repo(settings('CACHES["default"]["BACKEND"] = "django.core.cache.backends.memcached.PyMemcacheCache"'), note="memcached by subscript"),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="the preset's Redis cache"),
        Example.repo(settings('CACHES["default"]["TIMEOUT"] = 600'), note="a cache option"),
        Example.repo(settings('CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}', preset=False), note="Redis without the preset"),
    ]

    def check_file(self, file, preset_blocks):
        block = preset_blocks.get(file.path)
        if block is not None and "enable_cache" in block.kwargs and literal(block.kwargs["enable_cache"].value) is False:
            yield self.finding_at_node(file, block.kwargs["enable_cache"], "ModelWDjango(enable_cache=False): Model W caches in Redis")
        for st in statements(file.parsed, block):
            small = st.small
            for name, value in assigned_names(small):
                if name == "CACHES" and value is not None and any(b in code_of(value) for b in NOT_REDIS):
                    fix = deletion_fix(self, file, st, "delete the CACHES override: the preset caches in Redis") if block is not None else None
                    yield self.finding_at_node(file, small, "CACHES is not on Redis: a per-container cache breaks with several replicas", fix)
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    sub = subscript_path(target.target)
                    if sub and sub[0] == "CACHES" and sub[1][-1:] == ["BACKEND"] and any(b in code_of(small.value) for b in NOT_REDIS):
                        yield self.finding_at_node(file, small, "CACHES is not on Redis: a per-container cache breaks with several replicas")
