from __future__ import annotations

from typing import TYPE_CHECKING

import ast

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity
from modelw_lint.lang.pyast import find

from .._examples import SETTINGS_PATH, SETTINGS_PY, with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project

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
    Unsafe: `enable_postgis=True` is set on the `ModelWDjango(...)` call of the settings
    module (added, or replacing `False`). The preset then uses the PostGIS backend, which
    needs the PostGIS extension in every environment's database. A preset created in another
    module, or a subclass, is left alone.

    ## References
    - model-w-reference §2.2 (DB), §3i (MW-I03)
    """

    code = "MW908"
    name = "postgis-not-enabled"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    reads = ("**/*.py",)

    fires = [
        Example.repo(
            with_files({MODELS: GIS_MODELS}),
            fixed={SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_postgis=True)")},
            note="a PointField",
            line=5, message="GIS fields but the preset's enable_postgis is not True",
        ),
        Example.repo(
            with_files({MODELS: GIS_MODELS, SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_celery=False,\n)")}),
            fixed={SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_celery=False, enable_postgis=True,\n)")},
            note="other arguments, a trailing comma",
        ),
    ]
    silent = [
        Example.repo(
            with_files({MODELS: GIS_MODELS, SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_postgis=True)")}),
            note="enable_postgis=True",
        ),
        Example.repo(
            with_files({MODELS: "from django.db import models\n\n\n"
                "class Shop(models.Model):\n    name = models.CharField(max_length=20)\n"}),
            note="no GIS field",
        ),
    ]

    def check(self, project: Project, preset_mentioned: dict[str, str], project_python: set[str]):
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
            imports = project.file_fact("imports", file)
            fields = [
                n for n in find(file.tree, ast.Call)
                if (imports.resolve(n.func) or "").startswith("django.contrib.gis.") and (imports.resolve(n.func) or "").endswith("Field")
            ]
            if fields:
                node = fields[0]
                fix = _enable_postgis(project, preset_blocks)
                yield self.finding_at_node(
                    file, node, "GIS fields but the preset's enable_postgis is not True: set ModelWDjango(enable_postgis=True)",
                    fix=self.make_fix("set enable_postgis=True on the preset", [fix]) if fix is not None else None,
                )
                return


def _enable_postgis(project, preset_blocks) -> Edit | None:
    """The edit setting ``enable_postgis=True`` on the one preset call of the settings, when
    it is a ModelWDjango(...) call written in the settings module."""
    blocks = [b for b in preset_blocks.values() if b.preset_call is not None and b.in_this_module and b.exact]
    if len(blocks) != 1:
        return None
    block = blocks[0]
    file = project.file(block.path)
    call = block.preset_call
    if file is None or file.text is None:
        return None
    current = block.kwargs.get("enable_postgis")
    if current is not None:
        start, end = file.span_of(current)
        return Edit(file.path, start, end, "True")
    start, end = file.span_of(call)
    text = file.text[start:end]
    close = text.rstrip().rfind(")")
    if close < 0:
        return None
    inside = text[:close].rstrip()
    if call.args or call.keywords:  # after the last argument (and its trailing comma)
        cut = start + len(inside)
        return Edit(file.path, cut, cut, " enable_postgis=True," if inside.endswith(",") else ", enable_postgis=True")
    return Edit(file.path, start + close, start + close, "enable_postgis=True")
