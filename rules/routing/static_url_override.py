from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import assigned_names, drop_argument_edit, string_prefix, string_value

from .._examples import SETTINGS_PATH, SETTINGS_PY, settings, settings_text, with_files
from ..facts.settings import deletion_fix, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock, ProductionSettings


class StaticUrlOverride(FileRule):
    """
    ## What it does
    Reports settings that move Django away from `/back`: `STATIC_URL` set to something not
    under `/back/`, `ModelWDjango(url_prefix=...)` other than `"/back"`, and
    `FORCE_SCRIPT_NAME`. A `STATIC_URL` read from the environment is judged by its literal
    default (`env.str("STATIC_URL", "/static/")`), naming the variable that would change it.

    ## Why it matters
    Only `/back` reaches Django through the load balancer. The preset derives
    `STATIC_URL = "/back/static/"` from `url_prefix`; static files served elsewhere are
    answered by the front (404s in the admin, broken styles).

    ## Example
    ```python
    with EnvManager(ModelWDjango(url_prefix="/api")) as env:
        STATIC_URL = "/static/"
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        ...  # STATIC_URL is /back/static/
    ```

    ## Fix safety
    Safe in a preset project: the `STATIC_URL` assignment (in the preset block) or the
    `url_prefix` argument is deleted, and the preset's `/back` values apply, which is what
    the load balancer serves. A `STATIC_URL` read from the environment is not deleted (the
    variable would stop working): no fix.

    ## References
    - model-w-reference §2.2 (Static), §3g (MW-G02)
    """

    code = "MW702"
    name = "static-url-override"
    family = "routing"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    kinds = ("python",)
    needles = ("STATIC_URL", "url_prefix", "FORCE_SCRIPT_NAME")
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('STATIC_URL = "/static/"\nX = 1'),
            fixed={SETTINGS_PATH: settings_text("X = 1")},
            note="STATIC_URL in the block",
            line=6, message="STATIC_URL '/static/' is not under /back/",
        ),
        Example.repo(
            with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", 'ModelWDjango(url_prefix="/api", enable_postgis=True)')}),
            fixed={SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_postgis=True)")},
            note="url_prefix",
        ),
        Example.repo(settings('FORCE_SCRIPT_NAME = "/api"'), note="FORCE_SCRIPT_NAME"),
        Example.repo(settings('STATIC_URL = "/static/"', preset=False), note="no preset: reported, no fix"),
        Example.repo(
            settings('import environ\n\nenv = environ.Env()\nSTATIC_URL = env.str("STATIC_URL", "/static/")', preset=False),
            note="read from the environment with a default: the default, no fix",
            line=4, message="STATIC_URL '/static/' is not under /back/ unless STATIC_URL is set",
        ),
        Example.repo(
            settings('STATIC_URL = "/static/"\nif env.get("USE_CDN", default=False):\n    STATIC_URL = "https://cdn.acme.com/static/"'),
            note="a CDN only when a variable is set",
            line=6, message="unless USE_CDN is set",
        ),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="the preset's values"),
        Example.repo(settings('STATIC_URL = "/back/static/"'), note="the same value as the preset"),
        Example.repo(
            with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", 'ModelWDjango(url_prefix="/back")')}),
            note='url_prefix="/back"',
        ),
        Example.repo(settings('STATIC_URL = f"https://{AWS_S3_CUSTOM_DOMAIN}/static/"', preset=False), note="static files on a CDN"),
        Example.repo(
            with_files({
                SETTINGS_PATH: "from .base import *  # noqa\n\nSTATIC_URL = 'https://cdn.acme-static.com/'\n",
                "api/acme/django/base.py": "INSTALLED_APPS = []\nSTATIC_URL = '/static/'\n",
            }),
            note="a base value production overrides",
        ),
        Example.repo(settings('if DEBUG:\n    STATIC_URL = "/static/"'), note="a development-only branch"),
        Example.repo(
            settings('import environ\n\nenv = environ.Env()\nSTATIC_URL = env.str("STATIC_URL", "/back/static/")', preset=False),
            note="read from the environment with a default under /back",
        ),
        Example.repo(
            settings('import os\n\nSTATIC_URL = os.environ["STATIC_URL"]', preset=False),
            note="read from the environment without a default: unknown",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], production_settings: dict[str, ProductionSettings]):
        block = preset_blocks.get(file.path)
        if block is not None and block.in_this_module and "url_prefix" in block.kwargs:
            arg = block.kwargs["url_prefix"]
            prefix = string_value(arg)
            if prefix is None or prefix.rstrip("/") != "/back":
                edit = drop_argument_edit(file, block.preset_call, arg) if block.preset_call is not None else None
                fix = self.make_fix("delete url_prefix: the preset's default is /back", [edit]) if edit else None
                yield self.finding_at_node(
                    file,
                    arg,
                    f"ModelWDjango(url_prefix={prefix!r}): the load balancer sends only /back to Django",
                    fix,
                )
        # What production finally sets out of the box (a value a later module overrides does not
        # count; one read from the environment is its default, unless the variable is set).
        final = {}
        for view in production_settings.values():
            settled_value = view.out_of_the_box("STATIC_URL")
            if settled_value.assignment is not None and settled_value.assignment.path == file.path:
                final[id(settled_value.assignment.statement.stmt)] = settled_value
        for st in statements(file.module, block):
            if not st.production:
                continue
            for name, value in assigned_names(st.stmt):
                if name == "FORCE_SCRIPT_NAME":
                    yield self.finding_at_node(
                        file,
                        st.stmt,
                        "FORCE_SCRIPT_NAME moves Django's URLs: Model W serves the back-end under /back with url_prefix",
                    )
                elif name == "STATIC_URL" and id(st.stmt) in final:
                    settled = final[id(st.stmt)]
                    node = settled.node if isinstance(settled.node, ast.AST) else None
                    url = string_value(node)
                    start = url if url is not None else string_prefix(node)
                    if start is None:
                        continue  # computed: unknown
                    if start.startswith("/back/") or start.startswith(("http://", "https://", "//")):
                        continue  # under /back, or on a bucket or CDN of its own (not the front's domain)
                    fix = None
                    if block is not None and node is value:  # a literal: the preset's value replaces it
                        fix = deletion_fix(self, file, st, "delete STATIC_URL: the preset sets /back/static/")
                    yield self.finding_at_node(
                        file,
                        st.stmt,
                        f"STATIC_URL {url or start!r} is not under /back/{settled.unless_text()}: static files would be "
                        "answered by the front",
                        fix,
                    )
