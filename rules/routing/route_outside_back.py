from __future__ import annotations

import re


from modelw_lint.lazy import cst
from modelw_lint import Edit, Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import ImportMap, code_of, string_value

from .._examples import with_files
from ..settings._common import statements

URLS = "api/acme/django/urls.py"
PATH_FUNCS = {"django.urls.path": "path", "django.urls.re_path": "re", "django.conf.urls.url": "re"}
NUXT_ERA_END = (2024, 7)

GOOD_URLS = """\
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("back/admin/", admin.site.urls),
    path("back/api/", include("acme.apps.api.urls")),
    path("", include(wagtail_urls)),
]
"""


class RouteOutsideBack(FileRule):
    """
    ## What it does
    Reports top-level URL patterns of the root URL configuration (`ROOT_URLCONF`) that do
    not start with `back/`. Allowed: Wagtail's page catch-all `path("", include(wagtail_urls))`
    as the last pattern, and, on releases up to 2024.07 (the Nuxt era), the Wagtail admin at
    the CMS alias (`include(wagtailadmin_urls)`), which the Nuxt preset proxied to the API.

    ## Why it matters
    The load balancer sends everything under `/back` to Django and everything else to the
    front, on one domain, so that cookies are shared. A Django route outside `/back` is
    never reached in production (the front answers it), or shadows a front page.

    ## Example
    ```python
    urlpatterns = [path("admin/", admin.site.urls), path("api/", include(router.urls))]
    ```

    ## Use instead
    ```python
    urlpatterns = [path("back/admin/", admin.site.urls), path("back/api/", include(router.urls))]
    ```

    ## Fix safety
    Unsafe: `back/` is put in front of the route (`^back/` for regular expressions). Public
    URLs change: links, bookmarks, webhooks and the front's calls must follow.

    ## References
    - Model W architecture, "HTTP Routing"
    - model-w-reference §3g (MW-G01)
    """

    code = "MW701"
    name = "route-outside-back"
    family = "routing"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("urlpatterns",)
    scope = "root_urlconfs"

    fires = [
        Example.repo(
            with_files({URLS: 'from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [path("admin/", admin.site.urls)]\n'}),
            fixed={URLS: 'from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [path("back/admin/", admin.site.urls)]\n'},
            note="the unsafe fix prefixes the route",
        ),
        Example.repo(
            with_files({URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\nurlpatterns += [url(r"^api/", include("acme.api"))]\n'}),
            fixed={URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\nurlpatterns += [url(r"^back/api/", include("acme.api"))]\n'},
            note="a regular expression, added with +=",
        ),
        Example.repo(with_files({URLS: 'from django.urls import include, path\n\nurlpatterns = [path("wailer/", include("wailer.urls"))]\n'}), note="Wailer's permalinks"),
        Example.repo(
            with_files({URLS: GOOD_URLS.replace('    path("", include(wagtail_urls)),\n', "").replace("urlpatterns = [", 'urlpatterns = [\n    path("", include(wagtail_urls)),')}),
            note="the Wagtail catch-all, but not last",
        ),
    ]
    silent = [
        Example.repo(with_files({URLS: GOOD_URLS}), note="the template, with Wagtail's catch-all last"),
        Example.repo(
            with_files({URLS: 'from django.conf import settings\nfrom django.urls import path\n\nurlpatterns = [path("back/_/ht/", health)]\nif settings.DEBUG:\n    urlpatterns += [path("back/__debug__/", include("debug_toolbar.urls"))]\n'}),
            note="conditional patterns under back/",
        ),
        Example.repo(with_files({"api/acme/apps/people/urls.py": 'from django.urls import path\n\nurlpatterns = [path("me/", me)]\n'}), note="an app's urls.py (included under back/)"),
    ]

    def check_file(self, file, release):
        module = file.parsed
        imports = ImportMap(module)
        patterns = []  # (call, kind) in order
        for st in statements(module, None):
            small = st.small
            value = None
            if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                if any(isinstance(t, cst.Name) and t.value == "urlpatterns" for t in targets):
                    value = small.value
            elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "urlpatterns":
                    value = cst.List([cst.Element(a.value) for a in small.value.args])
            if value is not None:
                patterns.extend(self._patterns(value, imports))
        nuxt_era = release.key is None or release.key <= NUXT_ERA_END
        for index, (call, kind) in enumerate(patterns):
            route_arg = call.args[0] if call.args else None
            route = string_value(route_arg.value) if route_arg else None
            if route is None:
                continue
            bare = route[1:] if kind == "re" and route.startswith("^") else route
            if bare.startswith("back/") or bare == "back":
                continue
            included = code_of(call.args[1].value) if len(call.args) > 1 else ""
            if bare in ("", "^$") and "wagtail_urls" in included and index == len(patterns) - 1:
                continue
            if nuxt_era and "wagtailadmin" in included:
                continue
            yield self.finding_at_node(
                file, route_arg.value,
                f'URL pattern "{route}" is outside /back: the load balancer sends it to the front, not to Django',
                self._fix(file, route_arg.value, kind),
            )

    def _patterns(self, node, imports):
        if isinstance(node, cst.BinaryOperation):
            yield from self._patterns(node.left, imports)
            yield from self._patterns(node.right, imports)
        elif isinstance(node, (cst.List, cst.Tuple)):
            for el in node.elements:
                value = el.value
                if isinstance(value, cst.Call) and imports.resolve(value.func) in PATH_FUNCS:
                    yield value, PATH_FUNCS[imports.resolve(value.func)]

    def _fix(self, file, node, kind):
        if not isinstance(node, cst.SimpleString):
            return None
        m = re.match(r"^([rRbBuUfF]*)(\"\"\"|'''|\"|')", node.value)
        if not m:
            return None
        pos = m.end()
        if kind == "re" and node.value[pos:pos + 1] == "^":
            pos += 1
        start, _end = file.span_of(node)
        return self.make_fix("put back/ in front of the route", [Edit(file.path, start + pos, start + pos, "back/")])
