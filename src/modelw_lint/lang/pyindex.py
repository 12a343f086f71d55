"""A static index of a project's Python: which file is which module, what each module's names
are bound to, and what each class derives from, across modules. Built lazily (a module is
parsed, with ``ast``, the first time a question needs it) and never by importing anything.

It answers the questions developers' customisations raise: ``class DandiS3Storage(S3Storage)``
then ``class Minio(DandiS3Storage)`` in another module is still an S3 storage; a preset kept in
a variable (``model_w_django = CustomPreset(...)``) is still a preset; ``from .storage import X``
and package re-exports (``from .backends import *`` in an ``__init__``) lead to the definition.

Answers are three-valued where it matters: a class defined outside the project (in a library)
has unknown bases, so :meth:`PythonIndex.is_subclass` says None, never a guess.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from modelw_lint.lang.pyast import ImportMap, dotted, module_package

MAX_HOPS = 40  # re-exports and subclassing deeper than this are not followed (cycles, hostile input)


@dataclass
class ModuleInfo:
    path: str
    name: str | None  # the dotted module name, None when the file is not under a package root
    tree: ast.Module
    imports: ImportMap
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)  # top-level classes
    bindings: dict[str, ast.expr] = field(default_factory=dict)  # top-level NAME = value (the last)

    def qualify(self, name: str) -> str:
        """A name as written in this module (``S3`` or ``storage.S3``), qualified through its
        imports, or as defined here (``acme.storage.S3``)."""
        head = name.partition(".")[0]
        if head in self.imports.names:
            return self.imports.qualify(name)
        if self.name and (head in self.classes or head in self.bindings):
            return f"{self.name}.{name}"
        return name


class PythonIndex:
    """Modules of a project by dotted name and by path, resolved from package ``roots``
    (folders whose sub-folders are top-level packages: ``api/`` for ``api/acme/…``).

    ``project`` gives the files (``project.file(path).tree``); nothing else is read.
    """

    def __init__(self, project: Any, roots: Iterable[str]):
        self.project = project
        self.roots = [r.strip("/") for r in roots]
        self._modules: dict[str, ModuleInfo | None] = {}
        self._paths = set(project.paths)

    # -- modules and files ---------------------------------------------------------------------

    def module_file(self, dotted_name: str) -> str | None:
        """The file defining module ``dotted_name`` (``a/b.py`` or ``a/b/__init__.py``)."""
        rel = dotted_name.replace(".", "/")
        for root in self.roots:
            base = f"{root}/{rel}" if root else rel
            for candidate in (base + ".py", base + "/__init__.py"):
                if candidate in self._paths:
                    return candidate
        return None

    def module_name(self, path: str) -> str | None:
        """The dotted name of the module at ``path`` (from the deepest root holding it)."""
        if not path.endswith(".py"):
            return None
        best = None
        for root in self.roots:
            prefix = f"{root}/" if root else ""
            if path.startswith(prefix) and (best is None or len(root) > len(best)):
                best = root
        if best is None:
            return None
        rel = path[len(best) + 1 :] if best else path
        rel = rel[: -len("/__init__.py")] if rel.endswith("/__init__.py") else rel[: -len(".py")]
        name = rel.replace("/", ".")
        return name if all(part.isidentifier() for part in name.split(".")) else None

    def module(self, path: str | None) -> ModuleInfo | None:
        """What a module binds (parsed on first use); None when it cannot be parsed."""
        if path is None:
            return None
        if path not in self._modules:
            self._modules[path] = self._load(path)
        return self._modules[path]

    def _load(self, path: str) -> ModuleInfo | None:
        file = self.project.file(path)
        tree = file.tree if file is not None else None
        if tree is None:
            return None
        name = self.module_name(path)
        package = module_package(name, path.endswith("__init__.py"))
        info = ModuleInfo(path, name, tree, ImportMap(tree, package))
        for stmt in tree.body:
            if isinstance(stmt, ast.ClassDef):
                info.classes[stmt.name] = stmt
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        info.bindings[target.id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                info.bindings[stmt.target.id] = stmt.value
        return info

    # -- names ---------------------------------------------------------------------------------

    def resolve(self, qualname: str) -> str:
        """Follow re-exports to where a name is defined: ``acme.storage.S3`` where
        ``acme/storage.py`` says ``from storages.backends.s3 import S3Storage as S3`` resolves
        to ``storages.backends.s3.S3Storage``. Names outside the project stay as they are."""
        seen: set[str] = set()
        current = qualname
        for _ in range(MAX_HOPS):
            if current in seen:
                return current
            seen.add(current)
            step = self._step(current)
            if step is None or step == current:
                return current
            current = step
        return current

    def _step(self, qualname: str) -> str | None:
        """One hop: the name ``qualname`` is bound to in its module, if that is an import."""
        module_name, attr = self._split(qualname)
        if module_name is None:
            return None
        info = self.module(self.module_file(module_name))
        if info is None:
            return None
        head, _, rest = attr.partition(".")
        if head in info.classes or head in info.bindings and head not in info.imports.names:
            return qualname  # defined here
        if head in info.imports.names:
            target = info.imports.names[head]
            return f"{target}.{rest}" if rest else target
        for star in info.imports.star:  # ``from .backends import *`` re-exports
            candidate = f"{star}.{attr}"
            star_module, star_attr = self._split(candidate)
            star_info = self.module(self.module_file(star_module)) if star_module else None
            if star_info is not None and star_attr.partition(".")[0] in (
                set(star_info.classes) | set(star_info.bindings) | set(star_info.imports.names)
            ):
                return candidate
        return None

    def _split(self, qualname: str) -> tuple[str | None, str]:
        """(module, attribute path) for the longest prefix of ``qualname`` that is a project
        module: ``acme.storage.S3`` -> ("acme.storage", "S3")."""
        parts = qualname.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:i])
            if self.module_file(module) is not None:
                return module, ".".join(parts[i:])
        return None, qualname

    def definition(self, qualname: str) -> tuple[ModuleInfo, ast.ClassDef | ast.expr] | None:
        """The module and the class or bound expression ``qualname`` resolves to, when it is
        defined in the project."""
        target = self.resolve(qualname)
        module_name, attr = self._split(target)
        if module_name is None or "." in attr:
            return None
        info = self.module(self.module_file(module_name))
        if info is None:
            return None
        if attr in info.classes:
            return info, info.classes[attr]
        if attr in info.bindings:
            return info, info.bindings[attr]
        return None

    def binds(self, module_name: str, name: str) -> bool | None:
        """Whether module ``module_name`` of the project binds ``name`` (a class, an assignment
        or an import); None when it cannot be told (not a project module, ``import *``)."""
        info = self.module(self.module_file(module_name))
        if info is None:
            return None
        if name in info.classes or name in info.bindings or name in info.imports.names:
            return True
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in info.tree.body):
            return True
        return None if info.imports.star else False

    # -- classes -------------------------------------------------------------------------------

    def bases(self, qualname: str) -> list[str] | None:
        """The resolved bases of a class defined in the project; None for any other name."""
        found = self.definition(qualname)
        if found is None or not isinstance(found[1], ast.ClassDef):
            return None
        info, node = found[0], found[1]
        out = []
        for base in node.bases:
            name = dotted(base)
            out.append(self.resolve(info.qualify(name)) if name else "?")
        return out

    def is_subclass(self, qualname: str, targets: "set[str] | frozenset[str] | Callable[[str], bool]") -> bool | None:
        """Whether the class ``qualname`` is one of ``targets`` (a set of qualified names, or a
        predicate on them) or derives from one: True, False
        when every ancestor is defined in the project (or is ``object``) and none is a target,
        None when an ancestor is outside the project and not a target (unknown)."""
        test = targets if callable(targets) else frozenset(targets).__contains__
        return self._subclass(self.resolve(qualname), test, 0, set())

    def _subclass(self, name: str, test: Callable[[str], bool], depth: int, seen: set[str]) -> bool | None:
        if test(name):
            return True
        if depth > MAX_HOPS or name in seen:
            return None
        seen.add(name)
        bases = self.bases(name)
        if bases is None:
            return False if name in ("object", "builtins.object") else None
        answer: bool | None = False
        for base in bases:
            result = self._subclass(base, test, depth + 1, seen)
            if result:
                return True
            if result is None:
                answer = None
        return answer
