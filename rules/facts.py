"""Facts about a Model W repository, computed once per run and injected into rules by name.

Each function here is a fact: its name is the name rules ask for, its parameters are the project
and other facts. They read files through the project (each file is read and parsed at most once)
and never import or execute the code they look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


from modelw_lint.lazy import cst
from modelw_lint.pysyntax import ImportMap, call_args, find, walk

TEST_DIRS = {"tests", "test", "__tests__", "bdd", "testing"}
NON_PROJECT_DIRS = TEST_DIRS | {"migrations"}


def is_test_path(path: str) -> bool:
    """tests/, test/, __tests__/, bdd/ folders, test_*.py, *_test.py and conftest.py."""
    parts = path.split("/")
    name = parts[-1]
    if any(p in TEST_DIRS for p in parts[:-1]):
        return True
    return name == "conftest.py" or name.startswith("test_") or name.endswith(("_test.py", "_tests.py"))


def is_project_code(path: str) -> bool:
    """Code a project ships: not tests, not migrations."""
    return not is_test_path(path) and not any(p == "migrations" for p in path.split("/")[:-1])


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


# -- components ---------------------------------------------------------------------------------


@dataclass
class Component:
    name: str  # the top-level folder ("" for the root itself)
    manage_py: str | None = None
    package_json: str | None = None
    pyproject: str | None = None
    requirements: list[str] = field(default_factory=list)


def components(project: Any) -> dict[str, Component]:
    """Top-level folders holding a manage.py or a package.json (plus api/ and front/ if present)."""
    found: dict[str, Component] = {}
    for path in project.paths:
        parts = path.split("/")
        folder = parts[0] if len(parts) > 1 else ""
        name = parts[-1]
        depth_ok = len(parts) <= 3  # <comp>/manage.py, <comp>/<sub>/manage.py
        if name == "manage.py" and depth_ok and not is_test_path(path):
            comp = found.setdefault(folder, Component(folder))
            comp.manage_py = comp.manage_py or path
        elif name == "package.json" and len(parts) <= 2:
            found.setdefault(folder, Component(folder)).package_json = path
    for folder in ("api", "front"):
        if project.dir_exists(folder):
            found.setdefault(folder, Component(folder))
    for comp in found.values():
        base = comp.name
        if project.exists(join(base, "pyproject.toml")):
            comp.pyproject = join(base, "pyproject.toml")
        comp.requirements = sorted(
            p for p in project.paths if parent(p) == base and re.fullmatch(r"requirements[\w.-]*\.txt", p.rsplit("/", 1)[-1])
        )
    return dict(sorted(found.items()))


@dataclass
class DjangoProject:
    folder: str  # where manage.py lives ("" = root)
    manage_py: str


def django_projects(project: Any) -> list[DjangoProject]:
    """Every manage.py of the repository (at most three levels deep, outside tests)."""
    out = []
    for path in project.paths:
        if path.rsplit("/", 1)[-1] == "manage.py" and path.count("/") <= 2 and not is_test_path(path):
            out.append(DjangoProject(parent(path), path))
    return out


# -- settings modules ---------------------------------------------------------------------------

_DSM = re.compile(r"""DJANGO_SETTINGS_MODULE['"]?\s*[,=:]\s*['"]?([A-Za-z_][\w.]*)""")
TEST_SETTINGS_NAMES = {"test", "tests", "testing", "test_settings", "settings_test", "settings_tests", "ci", "pytest"}
DJANGO_MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "ModelWDjango", "DATABASES", "django")


@dataclass
class SettingsModule:
    path: str
    dotted: str
    sources: list[str]  # where it was named (manage.py, pytest config…) or "fallback"/"import"
    is_test: bool = False  # a test-only module: the settings rules leave it alone
    star_imports: list[str] = field(default_factory=list)  # settings files it imports with *


def _resolve_module(project: Any, bases: list[str], dotted: str) -> str | None:
    rel = dotted.replace(".", "/")
    for base in bases:
        for candidate in (join(base, rel + ".py"), join(base, rel + "/__init__.py")):
            if project.exists(candidate):
                return candidate
    return None


def _dsm_sources(project: Any, dj: DjangoProject) -> list[tuple[str, str]]:
    """(dotted settings module, file naming it) pairs for one Django project."""
    named = []
    candidates = [dj.manage_py]
    prefix = dj.folder + "/" if dj.folder else ""
    for path in project.paths:
        if not path.startswith(prefix) or path.count("/") - prefix.count("/") > 3:
            continue
        name = path.rsplit("/", 1)[-1]
        if name in ("wsgi.py", "asgi.py") and not is_test_path(path):
            candidates.append(path)
        elif path == prefix + "pyproject.toml" or path in (prefix + "pytest.ini", prefix + "setup.cfg", prefix + "tox.ini"):
            candidates.append(path)
    for path in candidates:
        file = project.file(path)
        text = file.text if file is not None else None
        if not text or "DJANGO_SETTINGS_MODULE" not in text:
            continue
        for m in _DSM.finditer(text):
            named.append((m.group(1), path))
    return named


def _is_test_settings(dotted: str, path: str, sources: list[str]) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    if last in TEST_SETTINGS_NAMES or is_test_path(path):
        return True
    pytest_only = sources and all(s.endswith(("pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml")) for s in sources)
    return bool(pytest_only and "test" in dotted)


def _star_imports(project: Any, path: str, bases: list[str]) -> list[str]:
    file = project.file(path)
    text = file.text if file is not None else None
    if not text or "import *" not in text:
        return []
    out = []
    package = parent(path) if not path.endswith("__init__.py") else parent(path)
    for m in re.finditer(r"^from\s+(\.+)?([\w.]*)\s+import\s+\*", text, re.M):
        dots, name = m.group(1) or "", m.group(2)
        if dots:
            folder = package
            for _ in range(len(dots) - 1):
                folder = parent(folder)
            target = None
            rel = name.replace(".", "/")
            for cand in (join(folder, rel + ".py"), join(folder, rel + "/__init__.py")):
                if rel and project.exists(cand):
                    target = cand
                    break
        else:
            target = _resolve_module(project, bases, name)
        if target:
            out.append(target)
    return out


def settings_modules(project: Any, django_projects: list[DjangoProject]) -> dict[str, SettingsModule]:
    """Django settings modules: named by DJANGO_SETTINGS_MODULE (manage.py, wsgi.py, asgi.py,
    pytest config), else settings.py files and settings/ packages inside a Django project, plus
    the modules they import with ``*`` (``from .base import *``)."""
    found: dict[str, SettingsModule] = {}
    for dj in django_projects:
        bases = [dj.folder, join(dj.folder, "src")]
        named = _dsm_sources(project, dj)
        for dotted, source in named:
            path = _resolve_module(project, bases, dotted)
            if path is None:
                continue
            mod = found.setdefault(path, SettingsModule(path, dotted, []))
            if source not in mod.sources:
                mod.sources.append(source)
        if not named or not any(_resolve_module(project, bases, d) for d, _ in named):
            prefix = dj.folder + "/" if dj.folder else ""
            for path in project.paths:
                if not path.startswith(prefix) or not path.endswith(".py"):
                    continue
                parts = path.split("/")
                if parts[-1] == "settings.py" or (len(parts) > 1 and parts[-2] == "settings" and parts[-1] == "__init__.py"):
                    file = project.file(path)
                    text = (file.text if file else None) or ""
                    if any(marker in text for marker in DJANGO_MARKERS):
                        dotted = path[len(prefix):].removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
                        found.setdefault(path, SettingsModule(path, dotted, ["fallback"]))
        # modules pulled in with `from .base import *`
        queue = list(found.values())
        while queue:
            mod = queue.pop()
            mod.is_test = _is_test_settings(mod.dotted, mod.path, mod.sources)
            for target in _star_imports(project, mod.path, bases):
                if target not in mod.star_imports:
                    mod.star_imports.append(target)
                if target not in found:
                    dotted = target.removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
                    new = SettingsModule(target, dotted, ["import"])
                    found[target] = new
                    queue.append(new)
    for mod in found.values():
        mod.is_test = _is_test_settings(mod.dotted, mod.path, mod.sources)
    # A base module imported by a non-test module is not test-only.
    for mod in found.values():
        if not mod.is_test:
            for target in mod.star_imports:
                found[target].is_test = False
    return dict(sorted(found.items()))


def project_settings(settings_modules: dict[str, SettingsModule]) -> set[str]:
    """Paths of the settings modules the settings rules check (test-only ones excluded)."""
    return {p for p, m in settings_modules.items() if not m.is_test}


# -- the Model W preset block -------------------------------------------------------------------

ENV_MANAGER = "model_w.env_manager.EnvManager"
MODELW_DJANGO = "model_w.preset.django.ModelWDjango"


@dataclass
class PresetBlock:
    path: str
    with_node: cst.With
    env_name: str | None  # the ``as`` name (``env``)
    preset_call: cst.Call
    kwargs: dict[str, cst.Arg]

    @property
    def body(self) -> list[cst.BaseStatement]:
        return list(self.with_node.body.body) if isinstance(self.with_node.body, cst.IndentedBlock) else []


def find_preset_block(module: cst.Module) -> PresetBlock | None:
    """``with EnvManager(ModelWDjango(...)) as env:`` at the top level of a module."""
    imports = ImportMap(module)
    for stmt in module.body:
        if not isinstance(stmt, cst.With):
            continue
        for item in stmt.items:
            call = item.item
            if not isinstance(call, cst.Call) or imports.resolve(call.func) != ENV_MANAGER:
                continue
            preset = call_args(call, "preset").get("preset")
            if preset is None or not isinstance(preset.value, cst.Call):
                continue
            if imports.resolve(preset.value.func) != MODELW_DJANGO:
                continue
            env_name = item.asname.name.value if item.asname and isinstance(item.asname.name, cst.Name) else None
            kwargs = {a.keyword.value: a for a in preset.value.args if a.keyword is not None}
            return PresetBlock("", stmt, env_name, preset.value, kwargs)
    return None


def preset_blocks(project: Any, settings_modules: dict[str, SettingsModule]) -> dict[str, PresetBlock]:
    """The preset block of each settings module that has one (by path)."""
    out = {}
    for path in settings_modules:
        file = project.file(path)
        if file is None or "ModelWDjango" not in (file.text or "") or file.parsed is None:
            continue
        block = find_preset_block(file.parsed)
        if block is not None:
            block.path = path
            out[path] = block
    return out


def preset_in_use(preset_blocks: dict[str, PresetBlock]) -> bool:
    """Whether the project builds its settings with the Model W preset."""
    return bool(preset_blocks)


def preset_mentioned(project: Any, project_settings: set[str]) -> dict[str, str]:
    """Settings modules whose text mentions the preset (path -> text), without parsing: a
    cheap first look for rules that need the preset block only in some cases."""
    out = {}
    for path in sorted(project_settings):
        file = project.file(path)
        text = (file.text if file is not None else None) or ""
        if "ModelWDjango" in text and "EnvManager" in text:
            out[path] = text
    return out


# -- dependencies -------------------------------------------------------------------------------


@dataclass
class Dependency:
    name: str  # normalised (PEP 503)
    spec: str
    extras: tuple[str, ...]
    path: str
    line: int
    group: str = "main"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def key_line(text: str, key: str, start: int = 0) -> int:
    """The 1-based line where ``key`` (a TOML key or JSON/list string) first appears."""
    pattern = re.compile(r"""^\s*["']?%s["']?\s*[=:]|["']%s(?:[\[<>=!~;\s"']|$)""" % (re.escape(key), re.escape(key)), re.M | re.I)
    m = pattern.search(text, start)
    return text.count("\n", 0, m.start()) + 1 if m else 1


_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")


def _requirement(line: str) -> tuple[str, tuple[str, ...], str] | None:
    m = _REQ.match(line)
    if not m or line.lstrip().startswith(("-", "#")):
        return None
    extras = tuple(e.strip() for e in (m.group(2) or "[]")[1:-1].split(",") if e.strip())
    return m.group(1), extras, m.group(3).strip()


def _pyproject_deps(path: str, data: dict, text: str) -> list[Dependency]:
    out = []
    poetry = data.get("tool", {}).get("poetry", {})
    groups = [("main", poetry.get("dependencies", {})), ("dev", poetry.get("dev-dependencies", {}))]
    for gname, group in (poetry.get("group") or {}).items():
        if isinstance(group, dict):
            groups.append((gname, group.get("dependencies", {})))
    for gname, deps in groups:
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if name.lower() == "python":
                continue
            extras: tuple[str, ...] = ()
            if isinstance(spec, dict):
                extras = tuple(spec.get("extras", ()) or ())
                version = str(spec.get("version", ""))
            elif isinstance(spec, list):
                version = ",".join(str(s.get("version", "")) for s in spec if isinstance(s, dict))
            else:
                version = str(spec)
            out.append(Dependency(normalise(name), version, extras, path, key_line(text, name), gname))
    pep621 = data.get("project", {})
    lists = [("main", pep621.get("dependencies", []))]
    for gname, deps in (pep621.get("optional-dependencies") or {}).items():
        lists.append((gname, deps))
    for gname, deps in (data.get("dependency-groups") or {}).items():
        lists.append((gname, deps))
    for gname, deps in lists:
        if not isinstance(deps, list):
            continue
        for entry in deps:
            if not isinstance(entry, str):
                continue
            req = _requirement(entry)
            if req:
                name, extras, spec = req
                out.append(Dependency(normalise(name), spec, extras, path, key_line(text, name), gname))
    return out


def python_dependencies(project: Any, components: dict[str, Component], django_projects: list[DjangoProject]) -> list[Dependency]:
    """Direct dependencies declared by the back-end: its pyproject.toml (Poetry or PEP 621)
    and its requirements files. Lock files are never read."""
    folders = {dj.folder.split("/")[0] if dj.folder else "" for dj in django_projects}
    if "api" in components:
        folders.add("api")
    out: list[Dependency] = []
    for folder in sorted(folders):
        comp = components.get(folder)
        if comp is None:
            continue
        if comp.pyproject:
            file = project.file(comp.pyproject)
            if file is not None and isinstance(file.parsed, dict):
                out.extend(_pyproject_deps(file.path, file.parsed, file.text))
        for req in comp.requirements:
            file = project.file(req)
            if file is None or file.text is None:
                continue
            group = "dev" if re.search(r"dev|test", req.rsplit("/", 1)[-1]) else "main"
            for number, line in enumerate(file.lines(), 1):
                parsed = _requirement(line)
                if parsed:
                    name, extras, spec = parsed
                    out.append(Dependency(normalise(name), spec, extras, req, number, group))
    return out


@dataclass
class FrontDependency:
    name: str
    version: str
    path: str
    line: int
    dev: bool


def front_dependencies(project: Any, components: dict[str, Component]) -> list[FrontDependency]:
    """dependencies and devDependencies of every component's package.json."""
    out = []
    for comp in components.values():
        if not comp.package_json:
            continue
        file = project.file(comp.package_json)
        data = file.parsed if file is not None else None
        if not isinstance(data, dict):
            continue
        for key, dev in (("dependencies", False), ("devDependencies", True)):
            deps = data.get(key)
            if isinstance(deps, dict):
                for name, version in deps.items():
                    out.append(FrontDependency(name, str(version), file.path, key_line(file.text, name), dev))
    return out


# -- project code, deploy artifacts, release ---------------------------------------------------


def project_python(project: Any, settings_modules: dict[str, SettingsModule]) -> set[str]:
    """Python files a project ships: not tests, not migrations, not test-only settings."""
    test_settings = {p for p, m in settings_modules.items() if m.is_test}
    return {f.path for f in project.files("python") if is_project_code(f.path) and f.path not in test_settings}


COMPOSE_NAMES = ("docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml", "compose.*.yml", "compose.*.yaml")
DEPLOY_SPECS = {"Dogefile": "dogefile", "snow.yml": "snow", "snow.yaml": "snow", "Fluxfile": "fluxfile", ".do/app.yaml": "do-app", ".do/app.yml": "do-app"}


def compose_files(project: Any) -> list[str]:
    """docker-compose files outside test infrastructure (bdd/, tests/)."""
    from fnmatch import fnmatch

    out = []
    for p in project.paths:
        name = p.rsplit("/", 1)[-1]
        if "compose" in name and any(fnmatch(name, pat) for pat in COMPOSE_NAMES) and not is_test_path(p):
            out.append(p)
    return out


def deploy_specs(project: Any) -> dict[str, str]:
    """Deploy specifications (Dogefile, snow.yml, Fluxfile, .do/app.yaml) by path -> format."""
    out = {}
    for path in project.paths:
        for suffix, fmt in DEPLOY_SPECS.items():
            if (path == suffix or path.endswith("/" + suffix)) and path.count("/") - suffix.count("/") <= 1:
                out[path] = fmt
    return out


def config_files(project: Any, compose_files: list[str], deploy_specs: dict[str, str]) -> set[str]:
    """Where services and environment are configured: compose files, deploy specs, .env files."""
    dotenv = {f.path for f in project.files("dotenv") if not is_test_path(f.path)}
    return set(compose_files) | set(deploy_specs) | dotenv


@dataclass
class SentryInit:
    path: str
    call: cst.Call
    line: int
    django_integration: bool


def sentry_inits(project: Any, project_python: set[str]) -> list[SentryInit]:
    """Every ``sentry_sdk.init(...)`` call in project code (names resolved through imports)."""
    out = []
    for path in sorted(project_python):
        file = project.file(path)
        if file is None or "sentry_sdk" not in (file.text or "") or file.parsed is None:
            continue
        imports = ImportMap(file.parsed)
        for call in find(file.parsed, cst.Call):
            if imports.resolve(call.func) != "sentry_sdk.init":
                continue
            django = any(
                imports.resolve(n) == "sentry_sdk.integrations.django.DjangoIntegration"
                for n in walk(call) if isinstance(n, (cst.Name, cst.Attribute))
            )
            out.append(SentryInit(path, call, file.range_of(call)[0], django))
    return out


FRONT_SOURCE_EXTENSIONS = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".svelte", ".vue")


def front_sources(project: Any, components: dict[str, Component]) -> set[str]:
    """JS/TS/Svelte/Vue sources and config of the JS components (not tests)."""
    folders = [c.name for c in components.values() if c.package_json and c.name]
    return {
        p for p in project.paths
        if p.endswith(FRONT_SOURCE_EXTENSIONS) and p.split("/")[0] in folders and not is_test_path(p)
        and not any(part in ("static", "public", "dist", "build") for part in p.split("/")[1:-1])
    }


def code_files(project_python: set[str], front_sources: set[str]) -> set[str]:
    """The code a project ships: back-end Python and front sources."""
    return project_python | front_sources


def config_and_settings(config_files: set[str], project_settings: set[str]) -> set[str]:
    """Configuration files and the settings modules the settings rules check."""
    return config_files | project_settings


_RELEASE = re.compile(r"(20\d\d)\.(\d{1,2})")


def preset_release(python_dependencies: list[Dependency]) -> tuple[int, int] | None:
    """The Model W release (year, month) the modelw-preset-django pin starts at, if any."""
    for dep in python_dependencies:
        if dep.name == "modelw-preset-django":
            m = _RELEASE.search(dep.spec)
            if m:
                return int(m.group(1)), int(m.group(2))
    return None


def preset_extras(python_dependencies: list[Dependency]) -> set[str]:
    """The extras of the modelw-preset-django dependency (``storages``, ``celery``…)."""
    return {e for d in python_dependencies if d.name == "modelw-preset-django" for e in d.extras}


def celery_in_use(project: Any, python_dependencies: list[Dependency], preset_extras: set[str]) -> bool:
    """Celery is a dependency (directly or through the preset's extra), or a celery app exists."""
    if "celery" in preset_extras or any(d.name == "celery" for d in python_dependencies):
        return True
    for path in project.paths:
        if path.endswith("/celery.py") and is_project_code(path):
            file = project.file(path)
            if file is not None and "Celery(" in (file.text or ""):
                return True
    return False


def wailer_registries(project: Any, project_settings: set[str], preset_blocks: dict) -> dict:
    """Wailer's email and SMS type registries (see rules/messaging/_common.py)."""
    from .messaging._common import wailer_registries as compute

    return compute(project, project_settings, preset_blocks)


def release(project: Any, python_dependencies: list[Dependency], front_dependencies: list[FrontDependency]):
    """The Model W release the project is on, and why (see rules/releases.py)."""
    from .releases import detect

    return detect(project, python_dependencies, front_dependencies)


def release_report(release):
    """What every report says about the release."""
    from .releases import report

    return report(release)


def root_urlconfs(project: Any, settings_modules: dict[str, SettingsModule], django_projects: list[DjangoProject]) -> set[str]:
    """The URL configuration modules the settings name in ``ROOT_URLCONF``."""
    out = set()
    for mod in settings_modules.values():
        if mod.is_test:
            continue
        file = project.file(mod.path)
        m = re.search(r"""^\s*ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]""", (file.text if file else None) or "", re.M)
        if not m:
            continue
        bases = [b for dj in django_projects if mod.path.startswith(dj.folder) for b in (dj.folder, join(dj.folder, "src"))]
        path = _resolve_module(project, bases or [""], m.group(1))
        if path:
            out.add(path)
    return out


def nginx_files(project: Any) -> set[str]:
    """nginx configuration files (``*.conf`` with ``location`` blocks, ``nginx*``), outside tests."""
    out = set()
    for path in project.paths:
        name = path.rsplit("/", 1)[-1]
        if (name.endswith(".conf") or name.startswith("nginx")) and not name.endswith((".py", ".json")):
            file = project.file(path)
            if not is_test_path(path) and file is not None and file.kind == "other" and "location" in (file.text or "") and "proxy_pass" in (file.text or ""):
                out.add(path)
    return out


def routing_files(deploy_specs: dict[str, str], nginx_files: set[str]) -> set[str]:
    """Files that route traffic between the front and the back-end."""
    return set(deploy_specs) | nginx_files


def dockerfiles(project: Any) -> list[str]:
    """Dockerfiles that build deployed images (not Dockerfile.test, not under tests)."""
    return [
        f.path for f in project.files("dockerfile")
        if not is_test_path(f.path) and "test" not in f.path.rsplit("/", 1)[-1].lower()
    ]


def procfiles(project: Any) -> list[str]:
    return [p for p in project.paths if p.rsplit("/", 1)[-1] == "Procfile"]


def deploy_commands(project: Any, dockerfiles: list[str], procfiles: list[str], compose_files: list[str], deploy_specs: dict[str, str]) -> list:
    """Commands that deployed processes run: Dockerfile CMD/ENTRYPOINT, Procfile lines,
    compose ``command`` (not of dev/local/override/test compose files) and deploy spec
    service commands, as ``DeployCommand`` (path, line, command, where)."""
    from .deploy_specs import services
    from modelw_lint import yamltree

    out = []
    for path in dockerfiles:
        for ins in project.file(path).parsed or []:
            if ins.keyword in ("CMD", "ENTRYPOINT"):
                out.append(DeployCommand(path, ins.line, ins.command, f"{ins.keyword} in {path}"))
    for path in procfiles:
        file = project.file(path)
        for number, line in enumerate(file.lines() if file else [], 1):
            name, sep, command = line.partition(":")
            if sep and command.strip() and not line.lstrip().startswith("#"):
                out.append(DeployCommand(path, number, command.strip(), f"the {name.strip()} process of {path}"))
    for path in compose_files:
        name = path.rsplit("/", 1)[-1].lower()
        if any(word in name for word in ("dev", "local", "override", "test", "e2e")):
            continue
        file = project.file(path)
        for doc in (file.parsed or []) if file else []:
            for key, svc in yamltree.items(yamltree.get(doc, "services")):
                command = yamltree.get(svc, "command")
                if command is None:
                    continue
                text = yamltree.scalar(command) or " ".join(yamltree.scalar(e) or "" for e in yamltree.elements(command))
                out.append(DeployCommand(path, yamltree.line(command), text, f"the {key.value} service of {path}"))
    for path, fmt in deploy_specs.items():
        file = project.file(path)
        for doc in (file.parsed or []) if file else []:
            for svc in services(doc, fmt):
                if svc.command:
                    out.append(DeployCommand(path, svc.line, svc.command, f"the {svc.name} service of {path}"))
    return out


@dataclass
class DeployCommand:
    path: str
    line: int
    command: str
    where: str


FACTS = {
    f.__name__: f
    for f in (
        components, django_projects, settings_modules, project_settings, preset_blocks, preset_in_use, preset_mentioned,
        python_dependencies, front_dependencies, project_python, compose_files, deploy_specs, config_files,
        preset_release, preset_extras, celery_in_use, sentry_inits, front_sources,
        code_files, wailer_registries, release, release_report, root_urlconfs, nginx_files, routing_files,
        dockerfiles, procfiles, deploy_commands, config_and_settings,
    )
}
