"""How the Model W pack understood a project (``check --explain-project``): its components,
the code it reads as the back-end's and the front's, the settings modules and the values
production runs with (out of the box, with where each comes from), the images of the
application and of infrastructure, the deployment. Built from the same facts the rules use,
so that a user sees why a rule did or did not fire."""

from __future__ import annotations

import ast
import re
from typing import Any

from modelw_lint.core.rule import Explanation, ReportItem

from .components import Component, DjangoProject, Front
from .deploy import ComposeService
from .images import AppImage, DockerImage
from .registry import fact
from .settings import PRESET, UNKNOWN, PresetBlock, ProductionSettings, SettingsModule

# The settings shown for each settings module production runs: (name, keys, label).
WATCHED = (
    ("DEBUG", (), "DEBUG"),
    ("SECRET_KEY", (), "SECRET_KEY"),
    ("ALLOWED_HOSTS", (), "ALLOWED_HOSTS"),
    ("DATABASES", ("default", "ENGINE"), 'DATABASES["default"]["ENGINE"]'),
    ("CACHES", ("default", "BACKEND"), 'CACHES["default"]["BACKEND"]'),
    ("STORAGES", ("default", "BACKEND"), 'STORAGES["default"]["BACKEND"]'),
    ("DEFAULT_FILE_STORAGE", (), "DEFAULT_FILE_STORAGE"),
    ("MEDIA_ROOT", (), "MEDIA_ROOT"),
    ("STATIC_URL", (), "STATIC_URL"),
    ("EMAIL_BACKEND", (), "EMAIL_BACKEND"),
    ("CELERY_BROKER_URL", (), "CELERY_BROKER_URL"),
    ("ROOT_URLCONF", (), "ROOT_URLCONF"),
)
SECRETS = {"SECRET_KEY"}
_CREDENTIALS = re.compile(r"(://[^/@:\s]*:)[^/@\s]+@")
MAX_VALUE = 100  # characters of a value shown


@fact
def project_explained(
    project: Any, components: dict[str, Component], django_projects: list[DjangoProject], fronts: list[Front],
    settings_modules: dict[str, SettingsModule], preset_status: dict[str, bool | None], preset_blocks: dict[str, PresetBlock],
    production_settings: dict[str, ProductionSettings], docker_images: dict[str, DockerImage],
    application_dockerfiles: dict[str, AppImage], compose_services: list[ComposeService], deploy_specs: dict[str, str],
    python_packages_apart: set[str], project_python: set[str], front_sources: set[str], release_report: ReportItem,
) -> Explanation:
    """The explanation, section by section."""
    out = Explanation()
    out.section("Release").append(("release", release_report.text))
    _components(project, out.section("Components"), components, django_projects, fronts)
    _code(project, out.section("Code read"), project_python, front_sources, python_packages_apart)
    _settings(out.section("Settings modules"), settings_modules, preset_status, preset_blocks)
    for path, view in production_settings.items():
        _production(project, out.section(f"What production runs with ({path}, with no variable set)"), path, view)
    _images(out.section("Images"), docker_images, application_dockerfiles)
    _deployment(project, out.section("Deployment"), compose_services, deploy_specs)
    return out


def _components(project: Any, entries: list, components: dict[str, Component], django_projects: list[DjangoProject],
                fronts: list[Front]) -> None:
    front_paths = {f.path: f for f in fronts}
    for comp in components.values():
        name = f"{comp.name}/" if comp.name else "(the root)"
        what = []
        if comp.manage_py:
            what.append(f"a Django project ({comp.manage_py})")
            manifests = [p for p in [comp.pyproject, *comp.requirements] if p]
            what.append("its dependencies from " + (", ".join(manifests) if manifests else "no pyproject.toml or requirements file"))
        front = front_paths.get(comp.package_json or "")
        if front is not None:
            what.append(f"a JS front on {front.framework} ({front.path})")
        elif comp.package_jsons:
            what.append("JS packages, no front: " + ", ".join(comp.package_jsons[:5]) + (" …" if len(comp.package_jsons) > 5 else ""))
        if comp.declared:
            what.append(f"built as an image by {comp.declared}")
        entries.append((name, "; ".join(what) or "a folder Model W expects, empty"))


def _code(project: Any, entries: list, project_python: set[str], front_sources: set[str], apart: set[str]) -> None:
    entries.append(("back-end Python", f"{len(project_python)} file(s), tests and migrations left out"))
    entries.append(("front sources", f"{len(front_sources)} file(s), tests, stories, mocks, fixtures and built output left out"))
    for folder in sorted(apart):
        entries.append((f"{folder}/", "a Python package of its own the back-end does not install (an SDK, a tool): not back-end code"))
    rewritten, unread = [], []
    for path in sorted(project_python):
        file = project.file(path)
        if file is None or file.tree is None:
            unread.append(path)
        elif file.rewritten_lines:
            rewritten.append(path)
    for path in rewritten:
        entries.append((path, "written for a newer Python: read through a rewrite (positions approximate, no fix edits it)"))
    for path in unread:
        entries.append((path, "could not be read or parsed (MW001/MW002): what it holds is unknown"))


def _settings(entries: list, modules: dict[str, SettingsModule], status: dict[str, bool | None], blocks: dict[str, PresetBlock]) -> None:
    for path, mod in modules.items():
        named = ", ".join(s for s in mod.sources if s not in ("fallback", "import"))
        how = "named in " + named if named else ("imported with *" if "import" in mod.sources else "found by its name")
        preset = {True: "on the Model W preset", False: "without the Model W preset", None: "a preset modelw-lint cannot see"}
        runs = "production runs it" if mod.production else "production does not run it"
        block = f", preset block at line {blocks[path].with_node.lineno}" if path in blocks else ""
        entries.append((path, f"{mod.dotted}: {mod.role} settings ({how}); {runs}; {preset[status.get(path, False)]}{block}"))


def _production(project: Any, entries: list, path: str, view: ProductionSettings) -> None:
    if view.unread:
        entries.append(("unread", ", ".join(view.unread) + " could not be parsed: the values below may be incomplete"))
    entries.append(("files", " then ".join(view.files)))
    for name, keys, label in WATCHED:
        value = view.out_of_the_box(name, keys)
        if value.assignment is None and value.node is None:
            continue  # not set: Django's default, or the key is absent
        entries.append((label, _describe(project, name, value)))
    storage = project.fact("default_storage").get(path)
    if storage is not None:
        entries.append(("default file storage", f"{storage.kind} ({storage.why})"))


def _describe(project: Any, name: str, value: Any) -> str:
    where = ""
    if value.assignment is not None:
        where = f" ({value.assignment.path}:{value.assignment.statement.stmt.lineno})"
    if value.node is PRESET:
        text = "set by the Model W preset, from the environment"
    elif value.node is UNKNOWN and value.unless:
        return f"read from the environment ({', '.join(value.unless)}) without a literal default{where}"
    elif value.node is UNKNOWN:
        text = "computed: cannot be told without running the settings"
    elif isinstance(value.node, ast.AST):
        text = "a literal (hidden)" if name in SECRETS and not value.unless else _shown(value.node)
        if name in SECRETS and value.unless:
            text = "from the environment, with a literal default (hidden)"
    else:
        text = "not set"
    unless = value.unless_text()
    skipped = ""
    if value.switched is not None:
        skipped = f"; {value.switched.path}:{value.switched.statement.stmt.lineno} changes it only when a variable is set"
    return f"{text}{unless}{where}{skipped}"


def _shown(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # an odd node: say what it is
        text = type(node).__name__
    text = _CREDENTIALS.sub(r"\1***@", text)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _images(entries: list, images: dict[str, DockerImage], apps: dict[str, AppImage]) -> None:
    for path, image in sorted(images.items()):
        text = f"{image.role}: {image.why}"
        app = apps.get(path)
        if app is not None and app.root is not None:
            chain = f", through {', '.join(app.chain)}" if app.chain else ""
            text += f"; built on {app.root.image}{chain}"
        entries.append((path, text))


def _deployment(project: Any, entries: list, services: list[ComposeService], specs: dict[str, str]) -> None:
    for path in sorted({s.path for s in services}):
        dev = next(s.dev for s in services if s.path == path)
        names = ", ".join(s.name for s in services if s.path == path)
        entries.append((path, f"{'a development' if dev else 'a deployment'} compose file: {names}"))
    for path, fmt in sorted(specs.items()):
        entries.append((path, f"a deploy spec ({fmt})"))
    routing = project.fact("back_routing")
    entries.append(("/back", "routed to Django by " + ", ".join(routing) if routing else "no routing of /back to Django found"))
    step = project.fact("migration_step")
    entries.append(("migrations", f"run by {step}" if step else "no deploy step runs them"))
