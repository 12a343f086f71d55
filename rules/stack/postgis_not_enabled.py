from __future__ import annotations


import ast

from modelw_lint import Example, RepoRule, Severity
from modelw_lint.pyast import ImportMap, find

from .._examples import SETTINGS_PATH, SETTINGS_PY, with_files

MODELS = "api/acme/apps/places/models.py"
GIS_MODELS = "from django.contrib.gis.db import models\n\n\nclass Shop(models.Model):\n    location = models.PointField()\n"


class PostgisNotEnabled(RepoRule):
    """
    ## What it does
    Reports geographic model fields (`django.contrib.gis` fields such as `PointField`) in a
    preset project whose `ModelWDjango(...)` does not set `enable_postgis=True`.

    ## Why it matters
    The preset only configures the PostGIS database backend when asked: without it, GIS
    fields have no spatial backend and migrations or queries fail.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...
    # models.py
    location = models.PointField()
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango(enable_postgis=True)) as env:
        ...
    ```
    and a `postgis://` `DATABASE_URL`.

    ## Fix safety
    No fix: the database needs the PostGIS extension first.

    ## References
    - model-w-reference §2.2 (DB), §3i (MW-I03)
    """

    code = "MW908"
    name = "postgis-not-enabled"
    family = "stack"
    severity = Severity.WARNING
    reads = ("**/*.py",)

    fires = [Example.repo(with_files({MODELS: GIS_MODELS}), note="a PointField")]
    silent = [
        Example.repo(with_files({MODELS: GIS_MODELS, SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_postgis=True)")}), note="enable_postgis=True"),
        Example.repo(with_files({MODELS: "from django.db import models\n\n\nclass Shop(models.Model):\n    name = models.CharField(max_length=20)\n"}), note="no GIS field"),
    ]

    def check(self, project, preset_mentioned, project_python):
        if not preset_mentioned:
            return
        gis = [p for p in sorted(project_python) if (f := project.file(p)) is not None and f.contains("django.contrib.gis")]
        if not gis:
            return  # the preset block is parsed only when GIS code exists
        preset_blocks = project.fact("preset_blocks")
        if not preset_blocks:
            return
        if any(b.kwarg("enable_postgis") is not None and b.kwarg("enable_postgis") is not False for b in preset_blocks.values()):
            return  # True, or a value modelw-lint cannot tell
        for path in gis:
            file = project.file(path)
            if file is None or file.tree is None:
                continue
            imports = ImportMap(file.tree)
            fields = [
                n for n in find(file.tree, ast.Call)
                if (imports.resolve(n.func) or "").startswith("django.contrib.gis.") and (imports.resolve(n.func) or "").endswith("Field")
            ]
            if fields:
                node = fields[0]
                yield self.finding_at_node(file, node, "GIS fields but the preset's enable_postgis is not True: set ModelWDjango(enable_postgis=True)")
                return
