from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import assigned_names, replace_node_edit, string_value

from .._examples import SETTINGS_PATH, SETTINGS_PY, settings, settings_text, with_files
from ..settings._common import deletion_fix, statements


class StaticUrlOverride(FileRule):
    """
    ## What it does
    Reports settings that move Django away from `/back`: `STATIC_URL` set to something not
    under `/back/`, `ModelWDjango(url_prefix=...)` other than `"/back"`, and
    `FORCE_SCRIPT_NAME`.

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
    the load balancer serves.

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
        Example.repo(settings('STATIC_URL = "/static/"\nX = 1'), fixed={SETTINGS_PATH: settings_text("X = 1")}, note="STATIC_URL in the block"),
        Example.repo(
            with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", 'ModelWDjango(url_prefix="/api", enable_postgis=True)')}),
            fixed={SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", "ModelWDjango(enable_postgis=True)")},
            note="url_prefix",
        ),
        Example.repo(settings('FORCE_SCRIPT_NAME = "/api"'), note="FORCE_SCRIPT_NAME"),
        Example.repo(settings('STATIC_URL = "/static/"', preset=False), note="no preset: reported, no fix"),
    ]
    silent = [
        Example.repo(settings("X = 1"), note="the preset's values"),
        Example.repo(settings('STATIC_URL = "/back/static/"'), note="the same value as the preset"),
        Example.repo(with_files({SETTINGS_PATH: SETTINGS_PY.replace("ModelWDjango()", 'ModelWDjango(url_prefix="/back")')}), note='url_prefix="/back"'),
    ]

    def check_file(self, file, preset_blocks):
        block = preset_blocks.get(file.path)
        if block is not None and "url_prefix" in block.kwargs:
            arg = block.kwargs["url_prefix"]
            prefix = string_value(arg.value)
            if prefix is None or prefix.rstrip("/") != "/back":
                call = block.preset_call
                args = [a for a in call.args if a is not arg]
                if args:
                    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                fix = self.make_fix("delete url_prefix: the preset's default is /back", [replace_node_edit(file, call, call.with_changes(args=args))])
                yield self.finding_at_node(file, arg, f"ModelWDjango(url_prefix={prefix!r}): the load balancer sends only /back to Django", fix)
        for st in statements(file.parsed, block):
            for name, value in assigned_names(st.small):
                if name == "FORCE_SCRIPT_NAME":
                    yield self.finding_at_node(file, st.small, "FORCE_SCRIPT_NAME moves Django's URLs: Model W serves the back-end under /back with url_prefix")
                elif name == "STATIC_URL":
                    url = string_value(value)
                    if url is not None and url.startswith("/back/"):
                        continue
                    fix = deletion_fix(self, file, st, "delete STATIC_URL: the preset sets /back/static/") if block is not None else None
                    shown = repr(url) if url is not None else "(computed)"
                    yield self.finding_at_node(file, st.small, f"STATIC_URL {shown} is not under /back/: static files would be answered by the front", fix)
