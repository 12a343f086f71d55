"""Django URL configurations read statically: the top-level patterns in the order Django tries
them, what each routes to, and what must stay at the root of the domain.

Shared by the routing rules (MW701) and the audit. Nothing is imported: ``urlpatterns`` is read
from the module's statements (``= [...]``, ``+=``, ``.append``, ``.extend``, ``.insert(0, …)``,
``[...] + urlpatterns``), branches as the settings reader classifies them (``if
settings.DEBUG:`` is development only).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from modelw_lint.lang.pyast import ImportMap, call_args, dotted, string_value

from .registry import fact
from .settings import statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

PATH_FUNCS = {"django.urls.path": "path", "django.urls.re_path": "re", "django.conf.urls.url": "re"}
INCLUDES = ("django.urls.include", "django.conf.urls.include")
# Paths that must stay at the root of the domain whatever the architecture: crawlers, browsers
# and identity providers look for them there.
ROOT_NAMES = ("robots.txt", "favicon.ico", "humans.txt", "ads.txt", "security.txt", "apple-app-site-association",
              "manifest.json", "service-worker.js", "sw.js")
_SITEMAP = re.compile(r"^sitemap[\w.-]*$", re.I)
# A catch-all pattern: the front's routes answered by Django (an SPA served by a view).
_CATCH_ALL = re.compile(r"^\^?\(?(?:\?P<\w+>)?\.[*+]\)?\$?$")
_REGEX_ESCAPE = re.compile(r"\\(.)")


@dataclass
class UrlPattern:
    call: ast.Call
    kind: str  # "path" or "re"
    production: bool  # production has it (not only under ``if settings.DEBUG:``)
    route_node: ast.expr | None
    route: str | None  # the literal route, None when computed
    view: ast.expr | None

    @property
    def bare(self) -> str | None:
        """The route as a path prefix: a regex's ``^`` and ``$`` anchors and escapes removed
        (``r"^\\.well-known/"`` is ``.well-known/``)."""
        if self.route is None:
            return None
        if self.kind != "re":
            return self.route
        text = self.route.removeprefix("^").removesuffix("$")
        return _REGEX_ESCAPE.sub(r"\1", text)


@dataclass
class UrlConf:
    path: str
    patterns: list[UrlPattern]  # in the order Django tries them
    opaque: list[str] = field(default_factory=list)  # parts built elsewhere (``*api_urlpatterns``)


@fact
def urlconf(file: SourceFile, imports: ImportMap) -> UrlConf:
    """The file's URL configuration (per file: read once, whichever rule or fact asks)."""
    return read_urlconf(file.path, file.tree or ast.Module(body=[], type_ignores=[]), imports)


def read_urlconf(path: str, tree: ast.Module, imports: ImportMap) -> UrlConf:
    """The top-level patterns of a URL configuration module, in Django's order."""
    conf = UrlConf(path, [])
    ordered: list[UrlPattern] = []
    for st in statements(tree, None):
        stmt, production = st.stmt, st.production
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if not any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets) or stmt.value is None:
                continue
            before, after, keeps = _split_on_self(stmt.value)
            new_before = list(_patterns(before, imports, production, conf))
            new_after = list(_patterns(after, imports, production, conf))
            ordered = new_before + (ordered if keeps else []) + new_after
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "urlpatterns":
            ordered += list(_patterns(stmt.value, imports, production, conf))
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and dotted(func.value) == "urlpatterns":
                args = stmt.value.args
                if func.attr == "append" and args:
                    ordered += list(_patterns(ast.List(elts=[args[0]]), imports, production, conf))
                elif func.attr == "extend" and args:
                    ordered += list(_patterns(args[0], imports, production, conf))
                elif func.attr == "insert" and len(args) == 2:
                    found = list(_patterns(ast.List(elts=[args[1]]), imports, production, conf))
                    first = isinstance(args[0], ast.Constant) and args[0].value == 0
                    ordered = found + ordered if first else ordered + found
    conf.patterns = ordered
    return conf


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


def _patterns(node: Any, imports: ImportMap, production: bool, conf: UrlConf):
    if isinstance(node, list):
        for n in node:
            yield from _patterns(n, imports, production, conf)
    elif isinstance(node, ast.BinOp):
        yield from _patterns(node.left, imports, production, conf)
        yield from _patterns(node.right, imports, production, conf)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for el in node.elts:
            if isinstance(el, ast.Starred):
                conf.opaque.append(f"*{dotted(el.value) or ast.unparse(el.value)[:40]}")
                continue
            called = imports.resolve(el.func) if isinstance(el, ast.Call) else None
            if isinstance(el, ast.Call) and called in PATH_FUNCS:
                kind = PATH_FUNCS[called]
                route_node = el.args[0] if el.args else call_args(el, "route").get("route")
                view = el.args[1] if len(el.args) > 1 else call_args(el, "route", "view").get("view")
                yield UrlPattern(el, kind, production, route_node, string_value(route_node), view)
    elif isinstance(node, ast.Name) and production:
        conf.opaque.append(node.id)  # a list built elsewhere (``urlpatterns += api_urlpatterns``)


def included_module(view: ast.expr | None, imports: ImportMap) -> str | None:
    """``include("acme.api.urls")`` -> "acme.api.urls" (also ``include(("x.urls", "ns"))`` and an
    imported module object)."""
    if isinstance(view, ast.Call) and imports.resolve(view.func) in INCLUDES:
        target = view.args[0] if view.args else None
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        literal = string_value(target)
        if literal:
            return literal
        name = dotted(target) if target is not None else None
        return imports.qualify(name) if name else None
    return None


def is_redirect(view: ast.expr | None, imports: ImportMap) -> bool:
    if isinstance(view, ast.Call):
        name = imports.resolve(view.func) or ""
        return "RedirectView" in name or name.endswith(("redirect", "RedirectView.as_view"))
    return False


def stays_at_root(bare: str | None) -> bool:
    """A path that must stay at the root of the domain: ``.well-known/…``, ``robots.txt``,
    sitemaps, ``favicon.ico``… (in any spelling a route gives them)."""
    if bare is None:
        return False
    first = bare.lstrip("/").split("/", 1)[0]
    return first.startswith(".well-known") or first in ROOT_NAMES or bool(_SITEMAP.match(first))


def serves_front(pattern: UrlPattern, imports: ImportMap) -> str | None:
    """Why a pattern serves the front (None when it does not): a ``TemplateView`` of an
    ``index.html``, or a catch-all that answers every path."""
    view = pattern.view
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
        owner = imports.resolve(view.func.value) or ""
        template = string_value(call_args(view, "template_name").get("template_name"))
        if owner.endswith("TemplateView") and template and template.rsplit("/", 1)[-1] in ("index.html", "app.html", "spa.html"):
            return f"a TemplateView of {template}"
    route = pattern.route
    if route is not None and pattern.kind == "re" and _CATCH_ALL.match(route):
        return f"a catch-all ({route!r})"
    if route is not None and pattern.kind == "path" and re.fullmatch(r"<path:\w+>/?", route):
        return f"a catch-all ({route!r})"
    return None


def patterns_at_root(index: Any, module: str, depth: int = 0) -> list[str]:
    """The paths of an included URL configuration (resolved in the project) that must stay at
    the root of the domain, and its empty pattern (a health probe at ``/``): what moving the
    include would move with it."""
    path = index.module_file(module) if depth < 4 else None
    info = index.module(path) if path else None
    file = index.project.file(path) if path else None
    if path is None or info is None or file is None:
        return []
    out = []
    for pattern in index.project.file_fact("urlconf", file).patterns:
        if not pattern.production:
            continue
        bare = pattern.bare
        if stays_at_root(bare):
            out.append(bare or "")
        elif bare in ("", "^$") and not included_module(pattern.view, info.imports):
            out.append("/ (its empty pattern)")
        inner = included_module(pattern.view, info.imports)
        if inner and bare in ("", None):
            out += patterns_at_root(index, inner, depth + 1)
    return out
