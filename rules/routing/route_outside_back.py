from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity
from modelw_lint.lang.pyast import ImportMap, dotted, source_of, string_value

from .._examples import DOGEFILE_OK, with_files
from ..facts.urls import UrlConf, UrlPattern, included_module, is_redirect, patterns_at_root, serves_front, stays_at_root

if TYPE_CHECKING:
    from modelw_lint.lang.pyindex import PythonIndex

    from ..releases import ReleaseInfo

URLS = "api/acme/django/urls.py"
NUXT_ERA_END = (2024, 7)
ROUTED = {"Dogefile": DOGEFILE_OK}  # a deploy spec that already routes /back to Django

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
    Reports, once per URL configuration, the top-level URL patterns of the root URL
    configuration (`ROOT_URLCONF` of the settings production runs) that do not start with
    `back/`, listing them with the modules they include. Patterns are taken in the order
    Django tries them (`urlpatterns = [...] + urlpatterns` prepends). Allowed: Wagtail's page
    catch-all `path("", include(wagtail_urls))` as the last pattern production has (the
    template appends DEBUG-only patterns after it); what must stay at the root of the domain
    (`.well-known/` endpoints such as OIDC discovery, `robots.txt`, sitemaps, `favicon.ico`);
    patterns added only under `if settings.DEBUG:` (the development server); and, on
    releases up to 2024.07 (the Nuxt era), the Wagtail admin at the CMS alias
    (`include(wagtailadmin_urls)`), which the Nuxt preset proxied to the API. A view that
    serves the front (a `TemplateView` of `index.html`, a catch-all) is reported as such.

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
    Unsafe, and offered only where nothing else must move with the routes. `back/` is put in
    front of each route, after a regular expression's `^` anchor (`r"^image/$"` becomes
    `r"^back/image/$"`, an unanchored one gets `^back/`). Public URLs change, so there is no
    edit unless the project already routes `/back` to Django (a deploy spec, an nginx or Caddy
    configuration, the front's dev proxy or preset): otherwise the finding names what must
    move with the routes (the proxy and deploy files routing them today, the front's calls to
    them, the webhook and OAuth callback URLs registered elsewhere). No edit either when part
    of the URL configuration is built elsewhere (`*api_urlpatterns`, a list added to
    `urlpatterns`, `urlpatterns.append(...)` in another module such as an `AppConfig.ready()`)
    or when a redirect kept at its path would point at a moved URL. Never moved: what must
    stay at the root of the domain (`robots.txt`, sitemaps, `favicon.ico`, `.well-known/` in
    any spelling), an include that carries such paths or the `/` probe (the finding says to
    split it), a redirect (it keeps an old URL alive on purpose), and a view that serves the
    front (a `TemplateView` of `index.html`, a catch-all), which is reported as the front
    being served by Django.

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
            with_files({**ROUTED, URLS: 'from django.contrib import admin\nfrom django.urls import path\n\n'
                'urlpatterns = [path("admin/", admin.site.urls)]\n'}),
            fixed={URLS: 'from django.contrib import admin\nfrom django.urls import path\n\n'
                'urlpatterns = [path("back/admin/", admin.site.urls)]\n'},
            note="the Dogefile already routes /back to Django: the unsafe fix prefixes the route",
            line=4, message="URL pattern outside /back",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\n'
                'urlpatterns += [url(r"^api/", include("acme.api"))]\n'}),
            fixed={URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\n'
                'urlpatterns += [url(r"^back/api/", include("acme.api"))]\n'},
            note="a regular expression, added with +=",
        ),
        Example.repo(
            with_files({URLS: 'from django.urls import include, path\n\nurlpatterns = [path("api/", include("acme.api.urls"))]\n',
                        "front/src/lib/api.ts": 'export const me = () => fetch("/api/me/");\n',
                        "deploy/nginx.conf": "server {\n  location /api { proxy_pass http://api:8000; }\n  location / { proxy_pass "
                                             "http://front:3000; }\n}\n"}),
            note="nothing routes /back to Django: no edit, the finding names what must move with the routes",
            message="nothing routes /back to Django yet",
        ),
        Example.repo(
            with_files({URLS: 'from django.urls import include, path\n\nurlpatterns = [path("wailer/", include("wailer.urls"))]\n'}),
            note="Wailer's permalinks",
        ),
        Example.repo(
            with_files({URLS: GOOD_URLS.replace('    path("", include(wagtail_urls)),\n', "").replace(
                "urlpatterns = [",
                'urlpatterns = [\n    path("", include(wagtail_urls)),',
            )}),
            note="the Wagtail catch-all, but not last",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: (
                'from django.urls import include, path, re_path\n\nurlpatterns = [\n    path(("admin/"), admin.site.urls),\n'
                '    re_path(r"^image/(?P<pk>\\d+)/$", image),\n    re_path(r"", include("acme.apps.pages.urls")),\n]\n'
            )}),
            fixed={URLS: (
                'from django.urls import include, path, re_path\n\nurlpatterns = [\n    path(("back/admin/"), admin.site.urls),\n'
                '    re_path(r"^back/image/(?P<pk>\\d+)/$", image),\n    re_path(r"^back/", include("acme.apps.pages.urls")),\n]\n'
            )},
            note="a parenthesised route, an anchored and an empty regular expression: one finding, every route fixed",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import include, path\n\nurlpatterns = [\n'
                '    path("", include("acme.web.urls")),\n    path("api/", include("acme.api.urls")),\n]\n',
                "api/acme/web/__init__.py": "",
                "api/acme/web/urls.py": 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n'
                    '    path("robots.txt", views.robots),\n    path("", views.health),\n]\n'}),
            fixed={URLS: 'from django.urls import include, path\n\nurlpatterns = [\n'
                '    path("", include("acme.web.urls")),\n    path("back/api/", include("acme.api.urls")),\n]\n'},
            note="an include carrying robots.txt and the / probe stays where it is (split it); the API moves",
            message="acme.web.urls carries robots.txt, / (its empty pattern)",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import include, path\n\nfrom acme.api.urls import api_urlpatterns\n\n'
                'urlpatterns = [path("api/me/", me), *api_urlpatterns]\n'}),
            note="part of the API is built elsewhere (*api_urlpatterns): no edit",
            message="part of the URL configuration is built elsewhere",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import path\n\nurlpatterns = [path("api/me/", me)]\n',
                "api/acme/apps/billing/apps.py": 'from django.apps import AppConfig\n\n\nclass BillingConfig(AppConfig):\n'
                    '    name = "acme.apps.billing"\n\n    def ready(self):\n        from django.urls import path\n\n'
                    '        from acme.django import urls\n\n        urls.urlpatterns.append(path("api/billing/", billing))\n'}),
            note="an AppConfig.ready() appends to urlpatterns: no edit",
            message="add(s) patterns to urlpatterns",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import path\nfrom django.views.generic import RedirectView\n\n'
                'urlpatterns = [\n    path("api/v2/", api_v2),\n    path("v2/", RedirectView.as_view(url="/api/v2/")),\n]\n'}),
            note="a redirect kept behind would point at a moved URL: no edit",
            message="redirects kept at their paths point at URLs the move changes",
        ),
        Example.repo(
            with_files({**ROUTED, URLS: 'from django.urls import path, re_path\nfrom django.views.generic import TemplateView\n\n'
                'urlpatterns = [\n    path("back/api/", api.urls),\n'
                '    re_path(r"^.*$", TemplateView.as_view(template_name="index.html")),\n]\n'}),
            note="a view serving the front: reported as such, never moved",
            message="the front is served by Django here",
        ),
    ]
    silent = [
        Example.repo(with_files({URLS: GOOD_URLS}), note="the template, with Wagtail's catch-all last"),
        Example.repo(
            with_files({URLS: 'from django.conf import settings\nfrom django.urls import path\n\n'
                'urlpatterns = [path("back/_/ht/", health)]\nif settings.DEBUG:\n'
                '    urlpatterns += [path("back/__debug__/", include("debug_toolbar.urls"))]\n'}),
            note="conditional patterns under back/",
        ),
        Example.repo(
            with_files({"api/acme/apps/people/urls.py": 'from django.urls import path\n\nurlpatterns = [path("me/", me)]\n'}),
            note="an app's urls.py (included under back/)",
        ),
        Example.repo(
            with_files({URLS: GOOD_URLS + "\nif settings.DEBUG:\n    urlpatterns = [path(\"__debug__/\", include(debug_toolbar.urls))] + "
                "urlpatterns\n"}),
            note="the 2023 template's DEBUG prepend: the catch-all stays last, debug routes are for development",
        ),
        Example.repo(
            with_files({URLS: "from django.conf import settings\n" + GOOD_URLS + "\nif settings.DEBUG:\n    urlpatterns += [\n"
                '        path("back/__debug__/", include("debug_toolbar.urls")),\n    ]\n'}),
            note="the 2026 Wagtail template: DEBUG-only patterns appended after the catch-all",
        ),
        Example.repo(
            with_files({URLS: GOOD_URLS.replace(
                "urlpatterns = [",
                'urlpatterns = [\n    path(".well-known/openid-configuration", oidc_discovery),\n'
                '    re_path(r"^\\.well-known/jwks\\.json$", jwks),\n    path("robots.txt", robots),\n'
                '    path("sitemap.xml", sitemap),\n    re_path(r"^favicon\\.ico$", favicon),',
            )}),
            note="what must stay at the root of the domain, in any spelling",
        ),
    ]

    def check_file(
        self, file, release: ReleaseInfo, back_routing: list[str], python_index: PythonIndex, routing_files: set[str],
        front_sources: set[str], project_python: set[str], imports: ImportMap, urlconf: UrlConf,
    ):
        conf = urlconf
        production = [p for p in conf.patterns if p.production]
        last = production[-1] if production else None  # Wagtail's catch-all must be last in production
        nuxt_era = release.key is None or release.key <= NUXT_ERA_END
        outside: list[UrlPattern] = []
        for pattern in production:
            bare = pattern.bare
            if bare is None or bare.startswith("back/") or bare == "back" or stays_at_root(bare):
                continue  # computed, under /back, or at the root of the domain on purpose
            included = source_of(file, pattern.view) if pattern.view is not None else ""
            if bare in ("", "^$") and "wagtail_urls" in included and pattern is last:
                continue
            if nuxt_era and "wagtailadmin" in included:
                continue
            front = serves_front(pattern, imports)
            if front is not None:
                yield self.finding_at_node(
                    file, pattern.route_node,
                    f"the front is served by Django here ({front}): Model W serves the front from front/ at / and "
                    "Django only under /back",
                )
                continue
            outside.append(pattern)
        if not outside:
            return
        names, stay, edits = [], [], []
        for pattern in outside:
            target = included_module(pattern.view, imports)
            names.append(f'"{pattern.route}"' + (f" ({target})" if target else ""))
            if is_redirect(pattern.view, imports):
                continue  # a redirect kept at its old path on purpose: a person decides
            # What an include at the root carries stays at the root; under its own prefix
            # ("books/") its patterns were never at the root of the domain.
            held = patterns_at_root(python_index, target) if target and pattern.bare in ("", None) else []
            if held:
                stay.append(f"{target} carries {', '.join(dict.fromkeys(held))}")
                continue
            edit = self._edit(file, pattern.route_node, pattern.kind)
            if edit is not None:
                edits.append(edit)
        first = outside[0].route_node
        noun = "URL pattern" if len(outside) == 1 else f"{len(outside)} URL patterns"
        message = f"{noun} outside /back: {', '.join(names)}: the load balancer sends them to the front, not to Django"
        if stay:
            message += f"; {'; '.join(stay)}, which must stay at the root of the domain: split it"
        blockers = self._blockers(file, conf, outside, back_routing, routing_files, front_sources, project_python)
        if blockers:
            message += "; no automatic move: " + "; ".join(blockers)
            edits = []
        fix = self.make_fix("put back/ in front of the routes (the project already routes /back to Django)", edits) if edits else None
        yield self.finding_at_node(file, first, message, fix)

    def _blockers(self, file, conf, outside, back_routing, routing_files, front_sources, project_python) -> list[str]:
        """Why moving the routes would break the project as the move alone leaves it."""
        out = []
        if conf.opaque:
            out.append(f"part of the URL configuration is built elsewhere ({', '.join(conf.opaque[:3])}): moving some of "
                       "its routes would split the API")
        elsewhere = _appended_elsewhere(file, project_python)
        if elsewhere:
            out.append(f"{', '.join(elsewhere[:3])} add(s) patterns to urlpatterns: move them together by hand")
        prefixes = {_first_segment(p.bare) for p in outside if p.bare}
        prefixes.discard("")
        redirects = _redirects_into(file, project_python, prefixes)
        if redirects:
            out.append(f"redirects kept at their paths point at URLs the move changes ({', '.join(redirects[:3])})")
        if not back_routing:
            needs = []
            routed = sorted(p for p in routing_files if p != file.path)
            if routed:
                needs.append(f"the routing in {', '.join(routed[:3])}")
            calls = _front_calls(file, front_sources, prefixes)
            if calls:
                needs.append(f"the front's calls in {', '.join(calls[:3])}" + (" and more" if len(calls) > 3 else ""))
            hooks = [p.route for p in outside if p.route and CALLBACK.search(p.route + " " + (ast.unparse(p.view) if p.view else ""))]
            if hooks:
                needs.append(f"the URLs registered with other services ({', '.join(hooks[:3])}: webhooks, OAuth callbacks)")
            what = f": {'; '.join(needs)} must move with them" if needs else ""
            out.append(f"nothing routes /back to Django yet (no deploy spec, nginx or Caddy location, or front dev proxy "
                       f"sends /back to it){what}")
        return out

    def _edit(self, file, node, kind):
        """Insert ``back/`` after the string's opening quote, after a regex's ``^`` anchor;
        an empty regex becomes ``^back/``."""
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            return None
        start, end = file.span_of(node)
        text = file.text[start:end]
        m = re.match(r"^([rRbBuU]*)(\"\"\"|'\'\'|\"|')", text)
        if not m:
            return None
        pos = m.end()
        insert = "back/"
        if kind == "re":
            if text[pos:pos + 1] == "^":
                pos += 1
            else:
                insert = "^back/"  # an unanchored pattern: anchor the prefix, or it matches anywhere
        return Edit(file.path, start + pos, start + pos, insert)


CALLBACK = re.compile(r"webhook|callback|oauth|hooks?/|notify|ipn|stripe|paypal|saml|oidc", re.I)


def _first_segment(bare: str) -> str:
    return bare.lstrip("/").split("/", 1)[0]


def _appended_elsewhere(file, project_python: set[str]) -> list[str]:
    """Other modules that add to this URL configuration's ``urlpatterns`` (an
    ``AppConfig.ready()`` appending an API route)."""
    module = file.path.removesuffix(".py").replace("/", ".")
    short = module.rsplit(".", 2)[-2:]  # "django.urls" of "api/acme/django/urls"
    out = []
    for path in sorted(project_python):
        if path == file.path:
            continue
        other = file.project.file(path)
        if other is None or not other.contains("urlpatterns"):
            continue
        text = other.text or ""
        if re.search(r"urlpatterns\s*(?:\.(?:append|extend|insert)\s*\(|\+=)", text) and ".".join(short) in text:
            out.append(path)
    return out


def _redirects_into(file, project_python: set[str], prefixes: set[str]) -> list[str]:
    """Redirect targets (``RedirectView(url="/api/…")``, ``redirect("/api/…")``) that point at
    a moved prefix, in this module and the back-end's code."""
    if not prefixes:
        return []
    out = []
    for path in sorted({file.path, *project_python}):
        other = file.project.file(path)
        if other is None or not (other.contains("RedirectView") or other.contains("redirect(")):
            continue
        tree = other.tree
        for node in ast.walk(tree) if tree is not None else []:
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func) or ""
            if not (name.endswith("redirect") or "RedirectView" in name):
                continue
            for arg in [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("url", "to"))]:
                target = string_value(arg)
                if target and target.startswith("/") and _first_segment(target) in prefixes:
                    out.append(f"{target} in {path}")
    return out


def _front_calls(file, front_sources: set[str], prefixes: set[str]) -> list[str]:
    """Front sources that call one of the moved prefixes (``fetch("/api/…")``)."""
    if not prefixes:
        return []
    needles = tuple(f"{q}/{p}/" for p in prefixes for q in ("'", '"', "`"))
    out = []
    for path in sorted(front_sources):
        other = file.project.file(path)
        if other is not None and other.contains_any(needles):
            out.append(path)
    return out
