from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity
from modelw_lint.pyast import ImportMap, call_args, dotted, source_of, string_value

from .._examples import with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from ..releases import ReleaseInfo

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
    Reports, once per URL configuration, the top-level URL patterns of the root URL
    configuration (`ROOT_URLCONF` of the settings production runs) that do not start with
    `back/`, listing them with the modules they include. Patterns are taken in the order
    Django tries them (`urlpatterns = [...] + urlpatterns` prepends). Allowed: Wagtail's page
    catch-all `path("", include(wagtail_urls))` as the last pattern production has (the
    template appends DEBUG-only patterns after it); `.well-known/` endpoints
    (OIDC discovery, JWKS), which must stay at the root of the domain; patterns added only
    under `if settings.DEBUG:` (the development server); and, on releases up to 2024.07 (the
    Nuxt era), the Wagtail admin at the CMS alias (`include(wagtailadmin_urls)`), which the
    Nuxt preset proxied to the API.

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
    Unsafe: `back/` is put in front of each route, after a regular expression's `^` anchor
    (`r"^image/$"` becomes `r"^back/image/$"`, an unanchored one gets `^back/`). Public URLs
    change: links, bookmarks, webhooks and the front's calls must follow. A redirect
    (`RedirectView`) is left where it is: it usually keeps an old URL alive on purpose.

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
            with_files({URLS: 'from django.contrib import admin\nfrom django.urls import path\n\n'
                'urlpatterns = [path("admin/", admin.site.urls)]\n'}),
            fixed={URLS: 'from django.contrib import admin\nfrom django.urls import path\n\n'
                'urlpatterns = [path("back/admin/", admin.site.urls)]\n'},
            note="the unsafe fix prefixes the route",
            line=4, message="URL pattern outside /back",
        ),
        Example.repo(
            with_files({URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\n'
                'urlpatterns += [url(r"^api/", include("acme.api"))]\n'}),
            fixed={URLS: 'from django.urls import re_path as url, include\n\nurlpatterns = []\n'
                'urlpatterns += [url(r"^back/api/", include("acme.api"))]\n'},
            note="a regular expression, added with +=",
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
            with_files({URLS: (
                'from django.urls import include, path, re_path\n\nurlpatterns = [\n    path(("admin/"), admin.site.urls),\n'
                '    re_path(r"^image/(?P<pk>\\d+)/$", image),\n    re_path(r"", include("acme.apps.pages.urls")),\n]\n'
            )}),
            fixed={URLS: (
                'from django.urls import include, path, re_path\n\nurlpatterns = [\n    path(("back/admin/"), admin.site.urls),\n'
                '    re_path(r"^back/image/(?P<pk>\\d+)/$", image),\n    re_path(r"^back/", include("acme.apps.pages.urls")),\n]\n'
            )},
            note="a parenthesised route, an anchored and an empty regular expression: one finding, every route fixed",
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
                'urlpatterns = [\n    path(".well-known/openid-configuration", oidc_discovery),',
            )}),
            note="a .well-known endpoint that must stay at the root",
        ),
    ]

    def check_file(self, file, release: ReleaseInfo):
        tree = file.tree
        imports = ImportMap(tree)
        patterns = _ordered_patterns(tree, imports)
        nuxt_era = release.key is None or release.key <= NUXT_ERA_END
        # The catch-all must be the last pattern production has (DEBUG-only additions come after it).
        last = max((i for i, (_call, _kind, production) in enumerate(patterns) if production), default=-1)
        outside = []  # (call, route, kind, included)
        for index, (call, kind, production) in enumerate(patterns):
            route_arg = call.args[0] if call.args else call_args(call, "route").get("route")
            route = string_value(route_arg)
            if route is None or not production:
                continue  # computed, or only with DEBUG (the development server)
            bare = route[1:] if kind == "re" and route.startswith("^") else route
            if bare.startswith(("back/", ".well-known/")) or bare in ("back", ".well-known"):
                continue  # .well-known/ (OIDC discovery, JWKS) must stay at the root of the domain
            view = call.args[1] if len(call.args) > 1 else call_args(call, "route", "view").get("view")
            included = source_of(file, view) if view is not None else ""
            if bare in ("", "^$") and "wagtail_urls" in included and index == last:
                continue
            if nuxt_era and "wagtailadmin" in included:
                continue
            outside.append((call, route_arg, route, kind, view, imports))
        if not outside:
            return
        names = []
        edits = []
        for _call, route_arg, route, kind, view, _imp in outside:
            target = _included_module(view, imports)
            names.append(f'"{route}"' + (f" ({target})" if target else ""))
            if _is_redirect(view, imports):
                continue  # a redirect kept at its old path on purpose: a person decides
            edit = self._edit(file, route_arg, kind)
            if edit is not None:
                edits.append(edit)
        fix = self.make_fix("put back/ in front of the routes (update the front's links too)", edits) if edits else None
        first = outside[0][1]
        noun = "URL pattern" if len(outside) == 1 else f"{len(outside)} URL patterns"
        yield self.finding_at_node(
            file, first,
            f"{noun} outside /back: {', '.join(names)}: the load balancer sends them to the front, not to Django",
            fix,
        )

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


def _ordered_patterns(tree: ast.Module, imports: ImportMap) -> list[tuple[ast.Call, str, bool]]:
    """The top-level URL patterns in the order Django tries them: (call, "path"/"re", whether
    production has it). ``urlpatterns = [...] + urlpatterns`` prepends (the 2023 template's
    debug toolbar), ``+=``/``.append``/``.extend`` append, ``.insert(0, …)`` prepends."""
    ordered: list[tuple[ast.Call, str, bool]] = []
    for st in statements(tree, None):
        stmt = st.stmt
        production = st.production
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if not any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets) or stmt.value is None:
                continue
            before, after, keeps = _split_on_self(stmt.value)
            new_before = [(c, k, production) for c, k in _patterns(before, imports)]
            new_after = [(c, k, production) for c, k in _patterns(after, imports)]
            ordered = new_before + (ordered if keeps else []) + new_after
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "urlpatterns":
            ordered += [(c, k, production) for c, k in _patterns(stmt.value, imports)]
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and dotted(func.value) == "urlpatterns":
                args = stmt.value.args
                if func.attr == "append" and args:
                    ordered += [(c, k, production) for c, k in _patterns(ast.List(elts=[args[0]]), imports)]
                elif func.attr == "extend" and args:
                    ordered += [(c, k, production) for c, k in _patterns(args[0], imports)]
                elif func.attr == "insert" and len(args) == 2:
                    found = [(c, k, production) for c, k in _patterns(ast.List(elts=[args[1]]), imports)]
                    ordered = found + ordered if isinstance(args[0], ast.Constant) and args[0].value == 0 else ordered + found
    return ordered


def _split_on_self(node: ast.expr) -> tuple[list, list, bool]:
    """For ``A + urlpatterns + B``: ([A], [B], True); for a value without ``urlpatterns``:
    ([], [value], False)."""
    terms: list[ast.expr] = []

    def flatten(n: ast.expr) -> None:
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            flatten(n.left)
            flatten(n.right)
        else:
            terms.append(n)

    flatten(node)
    for i, term in enumerate(terms):
        if isinstance(term, ast.Name) and term.id == "urlpatterns":
            return terms[:i], terms[i + 1:], True
    return [], terms, False


def _patterns(node, imports: ImportMap):
    if isinstance(node, list):
        for n in node:
            yield from _patterns(n, imports)
    elif isinstance(node, ast.BinOp):
        yield from _patterns(node.left, imports)
        yield from _patterns(node.right, imports)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for el in node.elts:
            value = el.value if isinstance(el, ast.Starred) else el
            if isinstance(value, ast.Call) and imports.resolve(value.func) in PATH_FUNCS:
                yield value, PATH_FUNCS[imports.resolve(value.func)]


def _included_module(view, imports: ImportMap) -> str | None:
    """``include("acme.api.urls")`` -> "acme.api.urls" (for the message)."""
    if isinstance(view, ast.Call) and imports.resolve(view.func) in ("django.urls.include", "django.conf.urls.include"):
        target = view.args[0] if view.args else None
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        return string_value(target) or dotted(target)
    return None


def _is_redirect(view, imports: ImportMap) -> bool:
    if isinstance(view, ast.Call):
        name = imports.resolve(view.func) or ""
        return "RedirectView" in name or name.endswith(("redirect", "RedirectView.as_view"))
    return False
