"""The images a repository builds, and what each is for: the application's (back-end, front,
worker), infrastructure (a database, a reverse proxy), development tooling, or a base other
images are built on. Told by where a Dockerfile is, what builds it (a production compose
service, a deploy spec) and what it runs and copies; each application image with the chain
of bases the repository builds itself, down to the external image at its root."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modelw_lint.lang.dockerfile import Instruction, Stage, base_stage, deployed_stages, stage_instructions, stages

from .components import OTHER_COMPONENTS, Component
from .deploy import ComposeService
from .paths import join, name_of, normalise, parent
from .registry import fact
from .spec_formats import Spec

# Images of infrastructure, not of the application: never built on modelw/base.
INFRA_IMAGES = re.compile(
    r"^(?:[\w.-]+/)*(postgres|postgis|mysql|mariadb|mongo|redis|valkey|memcached|nginx|traefik|caddy|haproxy|envoy|"
    r"httpd|apache|varnish|rabbitmq|minio|mailpit|mailhog|localstack|elasticsearch|opensearch|kibana|grafana|prometheus|"
    r"aws-cli|amazon/aws-cli|google/cloud-sdk|cloud-sdk|certbot|busybox|alpine/git|docker|hashicorp/\w+|bitnami/\w+)(?::|@|$)",
    re.I,
)
WEB_SERVERS = re.compile(r"^(?:[\w.-]+/)*(nginx|caddy|httpd|apache)(?::|@|$)", re.I)
APP_SERVICE_WORDS = re.compile(r"api|back|django|web|app|front|nuxt|svelte|worker|celery|beat|procrastinate|server|site", re.I)
# What a back-end image runs or copies, and what a front image builds and serves.
BACK_SIGNS = re.compile(
    r"\bmanage\.py\b|\bgunicorn\b|\buvicorn\b|\bgranian\b|\bdaphne\b|\bcelery\b|\bprocrastinate\b|\bmodelw-docker\b|"
    r"\bdjango-admin\b|\bcollectstatic\b|\bDJANGO_SETTINGS_MODULE\b",
)
FRONT_BUILD = re.compile(
    r"\b(?:npm|pnpm|yarn|bun)\s++(?:run\s++)?(?:build|generate)\b|\b(?:vite|nuxt|nuxi|svelte-kit)\s++(?:build|generate)\b",
)
FRONT_SERVE = re.compile(r"\bnode\s++(?:\./)?(?:build|\.output)\b|\b(?:npm|pnpm|yarn)\s++(?:run\s++)?(?:start|preview)\b")
DOC_FOLDERS = {"docs", "doc", "documentation", "examples", "example"}


@dataclass
class AppImage:
    """A Dockerfile that builds one of the application's images."""

    path: str  # the Dockerfile
    why: str  # how modelw-lint knows it builds the application
    root: Stage | None = None  # the external image at the root of its chain of bases
    chain: list[str] = field(default_factory=list)  # Dockerfiles of the local bases it stands on, nearest first
    base_name: str = ""  # the locally built image its final stage is FROM, when it is one
    serves_front: bool = False  # a web server (nginx…) serving a front built in an earlier stage


@dataclass
class DockerImage:
    """What one Dockerfile builds."""

    path: str
    role: str  # application, infrastructure, development, base, other
    why: str


def _untagged(image: str) -> str:
    image = image.lower().split("@")[0]
    name, _, tag = image.rpartition(":")
    return name if name and "/" not in tag else image


def _text(instructions: list[Instruction], keywords: tuple[str, ...] = ("RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "ENV")) -> str:
    return "\n".join(f"{i.keyword} {i.value}" for i in instructions if i.keyword in keywords)


def _serves_built_front(found: list[Stage], groups: list[list[Instruction]]) -> bool:
    """Whether the final stage is a web server copying what an earlier stage built with a JS
    build (``FROM node AS build … RUN npm run build`` then ``FROM nginx`` + ``COPY --from=build``)."""
    if not found or not WEB_SERVERS.match(found[-1].image) or len(groups) != len(found):
        return False
    builders = {s.name.lower() for s, g in zip(found[:-1], groups[:-1]) if s.name and FRONT_BUILD.search(_text(g, ("RUN",)))}
    for ins in groups[-1]:
        if ins.keyword == "COPY":
            source = next((w.split("=", 1)[1] for w in ins.words() if w.startswith("--from=")), None)
            if source is not None and source.lower() in builders:
                return True
    return False


@fact
def docker_images(
    project: Any, dockerfiles: list[str], development_dockerfiles: set[str], compose_services: list[ComposeService],
    spec_models: dict[str, list[Spec]], components: dict[str, Component],
) -> dict[str, DockerImage]:
    """Every Dockerfile with its role: "development" (by place or name, or built only by
    development compose files), "base" (built as an image another Dockerfile is built on),
    "infrastructure" (its image is a database, cache, proxy or tool, not serving a front it
    built), "application" (in a component folder, built by a production compose service or a
    deploy spec for the api, front or worker, or running and copying what a back-end or front
    image does), or "other" (scratch, documentation, nothing telling)."""
    built: dict[str, ComposeService] = {}
    for service in compose_services:
        if service.dockerfile and not service.dev:
            built.setdefault(service.dockerfile, service)
    spec_built = {
        normalise(join(image.folder, name_of(image.dockerfile))): f"{spec.path} builds it as image {image.id}"
        for specs in spec_models.values() for spec in specs for image in spec.images
    }
    local = _local_images(project, dockerfiles, compose_services)
    bases = set()
    for path in dockerfiles:
        file = project.file(path)
        stage = base_stage(stages((file.parsed or []) if file is not None else []))
        if stage is not None and _untagged(stage.image) in local:
            bases.add(local[_untagged(stage.image)])
    folders = {
        c.name: c for c in components.values()
        if c.name not in OTHER_COMPONENTS and (c.manage_py or (c.package_json and (c.name or c.is_front(project))))
    }
    out = {}
    for path in dockerfiles:
        file = project.file(path)
        instructions = (file.parsed or []) if file is not None else []
        found = stages(instructions)
        groups = stage_instructions(instructions)
        stage = base_stage(found)
        if path in development_dockerfiles:
            why = "a development image (its place, its name, or only a development compose file builds it)"
            out[path] = DockerImage(path, "development", why)
            continue
        if stage is None or stage.image.lower() == "scratch":
            out[path] = DockerImage(path, "other", "no external image" if stage is None else "FROM scratch")
            continue
        svc = built.get(path)
        front = _serves_built_front(found, groups)
        folder = parent(path)
        component = folders.get(folder)
        if INFRA_IMAGES.match(stage.image) and not front:
            out[path] = DockerImage(path, "infrastructure", f"built FROM {stage.image}")
            continue
        if svc is not None and svc.image and INFRA_IMAGES.match(svc.image):
            out[path] = DockerImage(path, "infrastructure", f"the {svc.name} service of {svc.path} runs {svc.image}")
            continue
        deployed = [g for i in deployed_stages(found) for g in groups[i: i + 1]] if len(groups) == len(found) else [instructions]
        text = _text([ins for g in deployed for ins in g]) if deployed else _text(instructions)
        if component is not None:
            why = f"the Dockerfile of the {folder}/ component" if folder else "the Dockerfile at the root, where the application is"
        elif path in spec_built:
            why = spec_built[path]
        elif svc is not None and APP_SERVICE_WORDS.search(svc.name):
            why = f"the {svc.name} service of {svc.path} builds it"
        elif front:
            why = "it serves a front built in an earlier stage"
        elif path in bases:
            out[path] = DockerImage(path, "base", "other images of the repository are built on it")
            continue
        elif path.split("/")[0].lower() in DOC_FOLDERS:
            out[path] = DockerImage(path, "other", "documentation")
            continue
        elif (sign := BACK_SIGNS.search(text)) is not None:
            why = "it runs or copies a Django back-end (" + sign.group(0) + ")"
        elif FRONT_BUILD.search(text) or FRONT_SERVE.search(text):
            why = "it builds or serves a JS front"
        else:
            out[path] = DockerImage(path, "other", "nothing says it builds the application")
            continue
        out[path] = DockerImage(path, "application", why)
    return out


def _local_images(project: Any, dockerfiles: list[str], compose_services: list[ComposeService]) -> dict[str, str]:
    """Image names the repository builds itself -> the Dockerfile that builds them: compose
    services with both ``image`` and ``build``, and stages named alike are not counted."""
    out: dict[str, str] = {}
    for svc in compose_services:
        if svc.dockerfile and svc.image and svc.dockerfile in dockerfiles:
            out.setdefault(_untagged(svc.image), svc.dockerfile)
    return out


@fact
def application_dockerfiles(
    project: Any, docker_images: dict[str, DockerImage], dockerfiles: list[str], compose_services: list[ComposeService],
) -> dict[str, AppImage]:
    """The Dockerfiles that build the application's images (api, front, worker), each with
    the chain of bases the repository builds itself and the external image at its root."""
    local = _local_images(project, dockerfiles, compose_services)
    out = {}
    for path, image in docker_images.items():
        if image.role != "application":
            continue
        file = project.file(path)
        found = stages((file.parsed or []) if file is not None else [])
        groups = stage_instructions((file.parsed or []) if file is not None else [])
        stage = base_stage(found)
        chain: list[str] = []
        root = stage
        base_name = ""
        current = stage
        while current is not None and _untagged(current.image) in local and len(chain) < 10:
            base_path = local[_untagged(current.image)]
            if base_path in chain or base_path == path:
                break
            base_name = base_name or current.image
            chain.append(base_path)
            base_file = project.file(base_path)
            current = base_stage(stages((base_file.parsed or []) if base_file is not None else []))
            root = current
        out[path] = AppImage(path, image.why, root, chain, base_name, _serves_built_front(found, groups))
    return out
