"""Deploy artifacts: compose files and their services, deploy specs, Dockerfiles (and which of
them build the application's images), Procfiles, the commands deployed processes run, nginx
configurations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

from modelw_lint.lang import yamltree
from modelw_lint.lang.dockerfile import deployed_stages, stage_commands, stage_instructions, stages

from .components import Component, Front
from .paths import is_dev_path, is_test_path, join, name_of, normalise, parent
from .registry import fact
from .spec_formats import Spec, is_reference, nginx_services, read_spec
from .text import strip_js_comments

COMPOSE_NAMES = ("docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml", "compose.*.yml", "compose.*.yaml")
DEPLOY_SPECS = {
    "Dogefile": "dogefile",
    "snow.yml": "snow",
    "snow.yaml": "snow",
    "Fluxfile": "fluxfile",
    ".do/app.yaml": "do-app",
    ".do/app.yml": "do-app",
}


def is_dev_compose(path: str) -> bool:
    """A compose file for development: ``docker-compose.local.yml``, ``…override…``, under
    ``compose/local/``…"""
    name = name_of(path).lower()
    return is_dev_path(path) or any(word in name for word in ("override", "test", "e2e", "ci.", "docs"))


# cookiecutter-django before 2024 named its compose files after the environment, at the root.
ENVIRONMENT_COMPOSE = {f"{env}.{ext}" for env in ("local", "production", "prod", "staging", "dev", "docs") for ext in ("yml", "yaml")}
_SERVICES = re.compile(r"^services:[ \t]*+(?:#.*)?$", re.M)


@fact
def compose_files(project: Any) -> list[str]:
    """docker-compose files outside test infrastructure (bdd/, tests/): ``docker-compose*.yml``,
    ``compose*.yaml``, and ``production.yml``/``local.yml`` at the top that hold ``services:``."""
    out = []
    for p in project.paths:
        name = name_of(p)
        if is_test_path(p):
            continue
        if "compose" in name and any(fnmatch(name, pat) for pat in COMPOSE_NAMES):
            out.append(p)
        elif name.lower() in ENVIRONMENT_COMPOSE and p.count("/") <= 1:
            file = project.file(p)
            if file is not None and _SERVICES.search(file.text or ""):
                out.append(p)
    return out


@dataclass
class ComposeService:
    path: str  # the compose file
    name: str
    line: int
    image: str | None
    dockerfile: str | None  # the Dockerfile its ``build`` names (repository path)
    dev: bool  # from a development compose file
    target: str | None = None  # the stage its ``build.target`` names


@fact
def compose_services(project: Any, compose_files: list[str]) -> list[ComposeService]:
    """Every service of every compose file, with the image it runs and the Dockerfile it builds."""
    out = []
    for path in compose_files:
        file = project.file(path)
        for doc in (file.parsed or []) if file is not None else []:
            for key, svc in yamltree.items(yamltree.get(doc, "services")):
                image = yamltree.scalar(yamltree.get(svc, "image"))
                dockerfile = target = None
                build = yamltree.get(svc, "build")
                if build is not None:
                    context = yamltree.scalar(build) or yamltree.scalar(yamltree.get(build, "context")) or "."
                    name = yamltree.scalar(yamltree.get(build, "dockerfile")) or "Dockerfile"
                    dockerfile = normalise(join(parent(path), join(context, name)))
                    target = yamltree.scalar(yamltree.get(build, "target"))
                out.append(ComposeService(path, key.value, yamltree.line(key), image, dockerfile, is_dev_compose(path), target))
    return out


@fact
def deploy_specs(project: Any) -> dict[str, str]:
    """Deploy specifications (Dogefile, snow.yml, Fluxfile, .do/app.yaml) by path -> format."""
    out = {}
    for path in project.paths:
        for suffix, fmt in DEPLOY_SPECS.items():
            if (path == suffix or path.endswith("/" + suffix)) and path.count("/") - suffix.count("/") <= 1:
                out[path] = fmt
    return out


@fact
def spec_models(project: Any, deploy_specs: dict[str, str]) -> dict[str, list[Spec]]:
    """Each deploy spec read once into services (roles, routes, commands, variables), one-off
    jobs, images and resources: one :class:`Spec` per YAML document."""
    out: dict[str, list[Spec]] = {}
    for path, fmt in sorted(deploy_specs.items()):
        file = project.file(path)
        if file is None or file.kind != "yaml" or not file.parsed:
            continue
        out[path] = [read_spec(path, fmt, doc) for doc in file.parsed]
    return out


@fact
def config_files(project: Any, compose_files: list[str], deploy_specs: dict[str, str]) -> set[str]:
    """Where services and environment are configured: compose files, deploy specs, .env files."""
    dotenv = {f.path for f in project.files("dotenv") if not is_test_path(f.path)}
    return set(compose_files) | set(deploy_specs) | dotenv


@fact
def configured_values(project: Any, config_files: set[str]) -> dict[str, set[str]]:
    """The values the project's configuration gives environment variables (``.env*`` files,
    compose ``environment``, deploy specs): {"EMAIL_MODE": {"mailjet"}, …}, for rules that must
    know which branch of the preset an environment takes. A reference the platform resolves
    (``${{ vars::EMAIL_MODE }}``, ``{{ secret("X") }}``) is no value: it says nothing of the branch."""
    out: dict[str, set[str]] = {}
    for path in sorted(config_files):
        file = project.file(path)
        if file is None or file.parsed is None:
            continue
        if file.kind == "dotenv":
            for entry in file.parsed:
                if not is_reference(entry.value):
                    out.setdefault(entry.key, set()).add(entry.value)
        elif file.kind == "yaml":
            for doc in file.parsed:
                pairs: list[tuple[str, str]] = []
                for key_path, node in yamltree.walk_scalars(doc):
                    keys = [k for k in key_path if isinstance(k, str)]
                    if keys and keys[-1] not in ("key", "value", "name"):
                        pairs.append((keys[-1], node.value))
                    if "=" in node.value and not node.value.startswith(("-", "/")):
                        name, _, value = node.value.partition("=")
                        pairs.append((name.strip(), value.strip()))
                for key, value in pairs:
                    if key.isupper() and not is_reference(value):
                        out.setdefault(key, set()).add(value)
                for key, value in _key_value_lists(doc):  # DigitalOcean: [{key: X, value: y}]
                    if not is_reference(value):
                        out.setdefault(key, set()).add(value)
    return out


def _key_value_lists(doc: Any) -> list[tuple[str, str]]:
    """``- key: NAME / value: x`` entries anywhere in a document (each node visited once)."""
    out = []
    stack = [doc]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        for element in yamltree.elements(node):
            key = yamltree.scalar(yamltree.get(element, "key")) or yamltree.scalar(yamltree.get(element, "name"))
            text = yamltree.scalar(yamltree.get(element, "value"))
            if key and text is not None:
                out.append((key, text))
            stack.append(element)
        for _k, child in yamltree.items(node):
            stack.append(child)
    return out


@fact
def dockerfiles(project: Any) -> list[str]:
    """Dockerfiles outside tests (not Dockerfile.test): every image the repository builds."""
    return [
        f.path for f in project.files("dockerfile")
        if not is_test_path(f.path) and "test" not in name_of(f.path).lower()
    ]


@fact
def development_dockerfiles(
    project: Any, dockerfiles: list[str], compose_services: list[ComposeService], spec_models: dict[str, list[Spec]],
    components: dict[str, Component],
) -> set[str]:
    """Dockerfiles of development images: by their place or name (``compose/local/``,
    ``.devcontainer/``, ``Dockerfile.dev``), or built only by development compose files
    (``docker-compose.local.yml``, an override), never by a production one or a deploy spec,
    and not the Dockerfile of a component folder."""
    built_by_dev = {s.dockerfile for s in compose_services if s.dockerfile and s.dev}
    built_for_production = {s.dockerfile for s in compose_services if s.dockerfile and not s.dev}
    built_for_production |= {
        normalise(join(image.folder, name_of(image.dockerfile)))
        for specs in spec_models.values() for spec in specs for image in spec.images
    }
    folders = {c.name for c in components.values() if c.name}
    out = set()
    for path in dockerfiles:
        if is_dev_path(path):
            out.add(path)
        elif path in built_by_dev and path not in built_for_production and parent(path) not in folders:
            out.add(path)
    return out


@fact
def procfiles(project: Any) -> list[str]:
    return [p for p in project.paths if name_of(p) == "Procfile"]


@dataclass
class DeployCommand:
    path: str
    line: int
    command: str
    where: str
    # Where the command's text is, to rewrite it: (start, end) offsets and how it is written
    # ("text": the command itself; "exec": a JSON list; "flow": a YAML flow list; "'"/'"': a
    # quoted YAML string); None when it spans lines.
    span: tuple[int, int] | None = None
    style: str = "text"
    service: str = ""  # the compose or spec service (or Procfile process) that runs it


@fact
def deploy_commands(
    project: Any, dockerfiles: list[str], development_dockerfiles: set[str], procfiles: list[str],
    compose_services: list[ComposeService], spec_models: dict[str, list[Spec]],
) -> list[DeployCommand]:
    """Commands that deployed processes run: Dockerfile CMD/ENTRYPOINT of the stage a
    deployment runs (the ``target`` a production compose file names, else the final stage,
    not a development one; not development images), Procfile lines, compose ``command`` (not
    of development compose files) and deploy spec service commands."""
    out = []
    for path in dockerfiles:
        if path in development_dockerfiles:
            continue
        file = project.file(path)
        instructions = file.parsed or []
        found, groups = stages(instructions), stage_instructions(instructions)
        targets = {s.target for s in compose_services if s.dockerfile == path and s.target and not s.dev}
        deployed = [ins for i in deployed_stages(found, targets) for ins in stage_commands(found, groups, i)]
        for ins in deployed if len(found) == len(groups) else instructions:
            if ins.keyword in ("CMD", "ENTRYPOINT"):
                cmd = DeployCommand(path, ins.line, ins.command, f"{ins.keyword} in {path}")
                if ins.end_line == ins.line:
                    span = _after_keyword(file.line_text(ins.line))
                    if span is not None:
                        start = file.offset(ins.line, 0)
                        cmd.span = (start + span[0], start + span[1])
                        cmd.style = "exec" if ins.exec_form is not None else "text"
                out.append(cmd)
    for path in procfiles:
        file = project.file(path)
        for number, line in enumerate(file.lines() if file else [], 1):
            name, sep, command = line.partition(":")
            if sep and command.strip() and not line.lstrip().startswith("#"):
                cmd = DeployCommand(path, number, command.strip(), f"the {name.strip()} process of {path}", service=name.strip())
                start = file.offset(number, len(name) + 1 + (len(command) - len(command.lstrip())))
                cmd.span = (start, start + len(command.strip()))
                out.append(cmd)
    for path in {s.path for s in compose_services if not s.dev}:
        file = project.file(path)
        for doc in (file.parsed or []) if file else []:
            for key, svc in yamltree.items(yamltree.get(doc, "services")):
                command = yamltree.get(svc, "command")
                if command is None:
                    continue
                text = yamltree.scalar(command) or " ".join(yamltree.scalar(e) or "" for e in yamltree.elements(command))
                cmd = DeployCommand(path, yamltree.line(command), text, f"the {key.value} service of {path}", service=key.value)
                cmd.span, cmd.style = _node_span(file, command)
                out.append(cmd)
    for path, specs in spec_models.items():
        file = project.file(path)
        for spec in specs:
            for service in spec.services:
                if service.command:
                    cmd = DeployCommand(path, service.line, service.command, f"the {service.name} service of {path}",
                                        service=service.name)
                    if service.command_node is not None:
                        cmd.span, cmd.style = _node_span(file, service.command_node)
                    out.append(cmd)
    return out


def _after_keyword(line: str) -> tuple[int, int] | None:
    """Where an instruction's arguments are in its line (``CMD ["serve"]`` -> the list),
    blanks around them left out; string operations, linear in the line."""
    stripped = line.lstrip()
    i = len(line) - len(stripped)
    j = i
    while j < len(line) and (line[j].isalnum() or line[j] == "_"):
        j += 1
    if j == i or j == len(line) or not line[j].isspace():
        return None
    body = line[j:].strip()
    if not body:
        return None
    first = line.index(body[0], j)
    return first, first + len(body)


def _node_span(file: Any, node: Any) -> tuple[tuple[int, int] | None, str]:
    """Where a one-line YAML command is, and how it is written (see DeployCommand)."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.start_mark.line != node.end_mark.line:
        return None, "text"
    raw = (file.text or "")[start:end]
    if yamltree.scalar(node) is not None:
        if raw[:1] in ("'", '"'):
            return (start, end), raw[0]
        if getattr(node, "style", None) in (None, "") and raw == node.value:
            return (start, end), "text"
        return None, "text"
    if raw.startswith("[") and raw.endswith("]"):
        return (start, end), "flow"
    return None, "text"


def strip_nginx_comments(text: str) -> str:
    """nginx text with ``#`` comments blanked out (line and column numbers kept)."""
    out = []
    for line in text.split("\n"):
        quote = None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                line = line[:i] + " " * (len(line) - i)
                break
        out.append(line)
    return "\n".join(out)


@fact
def nginx_files(project: Any) -> set[str]:
    """nginx configuration files (``*.conf`` with ``location`` blocks that proxy, ``nginx*``),
    outside tests; commented-out blocks do not count."""
    out = set()
    for path in project.paths:
        name = name_of(path)
        if not (name.endswith(".conf") or name.startswith("nginx")) or name.endswith((".py", ".json")) or is_test_path(path):
            continue
        file = project.file(path)
        if file is None or file.kind != "other" or not file.contains("proxy_pass"):
            continue
        text = strip_nginx_comments(file.text)
        if "location" in text and "proxy_pass" in text:
            out.add(path)
    return out


@fact
def routing_files(deploy_specs: dict[str, str], nginx_files: set[str]) -> set[str]:
    """Files that route traffic between the front and the back-end."""
    return set(deploy_specs) | nginx_files


FRONT_CONFIGS = ("vite.config.ts", "vite.config.js", "vite.config.mjs", "nuxt.config.ts", "nuxt.config.js", "svelte.config.js")
# Front presets that proxy /back to the back-end themselves (the Nuxt 3 preset's proxy filter).
PROXYING_PRESETS = ("@model-w/preset-nuxt3",)


@fact
def back_routing(project: Any, spec_models: dict[str, list[Spec]], nginx_files: set[str], fronts: list[Front]) -> list[str]:
    """Where ``/back`` already reaches Django: a deploy spec routing its api service there, an
    nginx ``location /back`` or a Caddyfile matcher on ``/back``, a front whose dev proxy (or
    preset) forwards ``/back``. Empty: moving routes under /back would break the project."""
    out = []
    for path, specs in spec_models.items():
        for svc in (s for spec in specs for s in spec.services):
            if svc.role == "api" and any(r.prefix.rstrip("/") == "/back" or r.prefix.startswith("/back/") for r in svc.routes):
                out.append(f"{path} (the {svc.name} service)")
    for path in sorted(nginx_files):
        file = project.file(path)
        routed = nginx_services(strip_nginx_comments(file.text or "")) if file is not None else []
        if any(r.prefix.rstrip("/") in ("/back", "^/back") or r.prefix.startswith("/back/") for svc in routed for r in svc.routes):
            out.append(f"{path} (location /back)")
    for path in project.paths:
        if name_of(path) == "Caddyfile":
            file = project.file(path)
            text = (file.text or "") if file is not None else ""
            if "/back" in text and "reverse_proxy" in text:
                out.append(f"{path} (/back)")
    for front in fronts:
        folder = parent(front.path)
        if any(name in front.deps for name in PROXYING_PRESETS):
            out.append(f"{front.path} (the front preset's proxy)")
            continue
        for name in FRONT_CONFIGS:
            file = project.file(join(folder, name))
            text = strip_js_comments((file.text or "") if file is not None else "")
            if "proxy" in text and ("'/back'" in text or '"/back"' in text or "'^/back" in text or "`/back" in text):
                out.append(f"{file.path} (the dev proxy)")
                break
    return out


REDIS_IMAGE = re.compile(r"(^|/)(redis|valkey)([:@]|$)", re.I)


@fact
def redis_target(
    compose_services: list[ComposeService], spec_models: dict[str, list[Spec]], configured_values: dict[str, set[str]],
) -> str | None:
    """Where the project's Redis is, for fixes that move something onto it (a broker, a cache):
    a ``REDIS_URL`` the configuration sets, a Redis service of a compose file, a Redis resource
    of a deploy spec; None when nothing says (those fixes are then not offered)."""
    if any(v.strip().startswith(("redis://", "rediss://", "unix://")) for v in configured_values.get("REDIS_URL", set())):
        return "REDIS_URL in the configuration"
    for svc in compose_services:
        if svc.image and REDIS_IMAGE.search(svc.image):
            return f"the {svc.name} service of {svc.path}"
    for path, specs in spec_models.items():
        if any(r.kind == "redis" for spec in specs for r in spec.resources):
            return f"the Redis resource of {path}"
    return None


MIGRATE_COMMAND = re.compile(r"\bmigrate\b")


@fact
def migration_step(project: Any, spec_models: dict[str, list[Spec]], deploy_commands: list[DeployCommand]) -> str | None:
    """What runs the database migrations at deploy time: a deploy spec's one-off job (a
    Dogefile ``jobs`` entry, a snow.yml pre-deploy hook), a deployed command (an entrypoint, a
    Procfile ``release`` line, a compose service), or a shell script of the repository; None
    when nothing does (a ``RUN … migrate`` at build time is not a deploy step)."""
    for path, specs in spec_models.items():
        for job in (j for spec in specs for j in spec.migration_jobs):
            return f"the {job.name} job of {path}"
    for cmd in deploy_commands:
        if MIGRATE_COMMAND.search(cmd.command) and "manage" in cmd.command:
            return cmd.where
    for path in project.paths:
        if path.endswith(".sh") and not is_test_path(path):
            file = project.file(path)
            text = (file.text if file is not None else None) or ""
            if "manage" in text and MIGRATE_COMMAND.search(text):
                return f"the script {path}"
    return None
