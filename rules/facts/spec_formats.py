"""Reading deploy specs (Dogefile, snow.yml, Fluxfile, .do/app.yaml) and nginx confs into one
model: services with their role, routes, commands and variables, one-off jobs (a pre-deploy
``migrate``), the images a spec builds and the resources it asks for. Formats:
model-w-reference §3g, and §6.3 for snow.yml as it is really written (components keyed ``id``,
``hooks`` for one-off commands, ``envs`` groups, ``images``, ``resources``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modelw_lint.lang import yamltree

from .paths import normalise

API_NAMES = {"api", "back", "backend", "django", "server", "web-api"}
FRONT_NAMES = {"front", "frontend", "web", "client", "nuxt", "svelte", "sveltekit"}
# A value that names where the platform takes it from, never a literal: snow.yml's
# ``${{ secrets::X }}``/``${{ vars::X }}``/``${{ resources::… }}``, a Dogefile's ``{{ secret("X") }}``,
# DigitalOcean's ``${db.DATABASE_URL}``.
REFERENCE = re.compile(r"\$?\{\{[^{}\n]*+\}\}|\$\{[\w.:-]++\}")  # bounded by the next brace: linear
MIGRATE = re.compile(r"\bmigrate\b")


def is_reference(value: str) -> bool:
    """Whether a configured value is a reference the platform resolves, not a literal."""
    return bool(REFERENCE.search(value or ""))


@dataclass
class Route:
    prefix: str
    line: int
    column: int = 1


@dataclass
class Service:
    name: str
    line: int
    kind: str = "service"  # service, worker, job
    port: int | None = None
    command: str = ""
    routes: list[Route] = field(default_factory=list)
    command_node: Any = None  # the YAML node of the command (to edit it)
    image: str = ""  # the image it runs (snow.yml: an id of ``images``)
    env: dict[str, str] = field(default_factory=dict)  # its variables, env groups resolved
    when: str = ""  # for a one-off job: when it runs (``pre-deploy``)

    @property
    def migrates(self) -> bool:
        """A one-off job that runs Django's migrations (``… manage.py migrate``)."""
        return self.kind == "job" and bool(MIGRATE.search(self.command))

    @property
    def role(self) -> str | None:
        """"api", "front", "worker", "beat", or None when it cannot be told."""
        name = self.name.lower()
        cmd = self.command.lower()
        if "beat" in name or re.search(r"\bbeat\b", cmd):
            return "beat"
        if self.kind == "worker" or "worker" in name or re.search(r"\b(celery|procrastinate)\b.*\bworker\b|serve celery", cmd):
            return "worker"
        if self.kind == "job":
            return None
        if name in API_NAMES or self.port == 8000:
            return "api"
        if name in FRONT_NAMES or self.port == 3000:
            return "front"
        return None


def _int(node: Any) -> int | None:
    value = yamltree.scalar(node)
    return int(value) if value and value.isdigit() else None


def _command(node: Any) -> tuple[str, Any]:
    for key in ("command", "run_command", "run", "cmd", "args", "entrypoint"):
        value = yamltree.get(node, key)
        if value is None:
            continue
        text = yamltree.scalar(value)
        if text is not None:
            return text, value
        return " ".join(yamltree.scalar(v) or "" for v in yamltree.elements(value)), value
    return "", None


def _name(node: Any) -> str:
    """A spec entry's name: ``name``, or ``id`` as snow.yml keys its components."""
    return yamltree.scalar(yamltree.get(node, "name")) or yamltree.scalar(yamltree.get(node, "id")) or "?"


def _env(node: Any, groups: dict[str, dict[str, str]]) -> dict[str, str]:
    """A service's variables: ``env``/``environment`` as a mapping or a list of ``{key, value}``
    (DigitalOcean's ``envs``), and snow.yml's ``envs: [group]`` resolved from the spec's groups."""
    out: dict[str, str] = {}
    for key in ("env", "environment", "envs"):
        value = yamltree.get(node, key)
        for k, v in yamltree.items(value):
            if (text := yamltree.scalar(v)) is not None:
                out[k.value] = text
        for el in yamltree.elements(value):
            group = yamltree.scalar(el)
            if group is not None:
                out.update(groups.get(group, {}))
                continue
            name = yamltree.scalar(yamltree.get(el, "key")) or yamltree.scalar(yamltree.get(el, "name"))
            if name and (text := yamltree.scalar(yamltree.get(el, "value"))) is not None:
                out[name] = text
    return out


def _service(name: str, node: Any, line: int, kind: str = "service", groups: dict | None = None) -> Service:
    command, command_node = _command(node)
    svc = Service(name, line, kind, _int(yamltree.get(node, "port")) or _int(yamltree.get(node, "http_port")), command)
    svc.command_node = command_node
    svc.image = yamltree.scalar(yamltree.get(node, "image")) or ""
    svc.env = _env(node, groups or {})
    type_ = (yamltree.scalar(yamltree.get(node, "type")) or "").lower()
    if "worker" in type_:
        svc.kind = "worker"
    elif "job" in type_ or "cron" in type_:
        svc.kind = "job"
    for key in ("route_prefixes", "prefixes", "routes"):
        for el in yamltree.elements(yamltree.get(node, key)):
            prefix = yamltree.scalar(el) or yamltree.scalar(yamltree.get(el, "path")) or yamltree.scalar(yamltree.get(el, "prefix"))
            if prefix is not None:
                svc.routes.append(Route(prefix, yamltree.line(el), yamltree.column(el)))
    return svc


def env_groups(doc: Any) -> dict[str, dict[str, str]]:
    """snow.yml's ``envs``: group name -> its variables."""
    out: dict[str, dict[str, str]] = {}
    for key, group in yamltree.items(yamltree.get(doc, "envs")):
        out[key.value] = {k.value: text for k, v in yamltree.items(group) if (text := yamltree.scalar(v)) is not None}
    return out


def services(doc: Any, fmt: str) -> list[Service]:
    """The services a spec declares, with their routes, and its one-off jobs (kind "job")."""
    out: list[Service] = []
    if fmt == "fluxfile":
        for key, node in yamltree.items(yamltree.get(doc, "components")):
            out.append(_service(key.value, node, yamltree.line(key)))
        return out
    groups = env_groups(doc)
    for section, kind in (
        ("services", "service"),
        ("components", "service"),
        ("workers", "worker"),
        ("jobs", "job"),
        ("static_sites", "service"),
    ):
        block = yamltree.get(doc, section)
        for el in yamltree.elements(block):
            out.append(_service(_name(el), el, yamltree.line(el), kind, groups))
        for key, node in yamltree.items(block):  # mapping form
            out.append(_service(key.value, node, yamltree.line(key), kind, groups))
    by_name = {s.name: s for s in out}
    # snow.yml hooks: one-off commands around a deploy, run with a component's image and variables.
    hooked = set()
    for el in yamltree.elements(yamltree.get(doc, "hooks")):
        target = yamltree.scalar(yamltree.get(el, "component")) or _name(el)
        job = _service(target, el, yamltree.line(el), "job", groups)
        job.when = yamltree.scalar(yamltree.get(el, "when")) or ""
        if target in by_name:
            job.env = {**by_name[target].env, **job.env}
            job.image = job.image or by_name[target].image
        hooked.add(target)
        out.append(job)
    # snow.yml ingresses and .do/app.yaml ingress rules route prefixes to components.
    ingress_rules = yamltree.elements(yamltree.get(doc, "ingresses"))
    ingress_rules += yamltree.elements(yamltree.get(yamltree.get(doc, "ingress"), "rules"))
    for rule in ingress_rules:
        match = yamltree.get(rule, "match")
        prefix_node = yamltree.get(match, "prefix") or yamltree.get(yamltree.get(match, "path"), "prefix")
        routed = yamltree.get(rule, "target") or yamltree.get(rule, "component")
        name = yamltree.scalar(yamltree.get(routed, "component")) or yamltree.scalar(yamltree.get(routed, "name"))
        prefix = yamltree.scalar(prefix_node)
        if name is None or prefix is None or prefix_node is None:
            continue
        svc = by_name.get(name)
        if svc is None:
            svc = by_name[name] = Service(name, yamltree.line(rule), port=_int(yamltree.get(routed, "port")))
            out.append(svc)
        elif svc.port is None:
            svc.port = _int(yamltree.get(routed, "port"))
        svc.routes.append(Route(prefix, yamltree.line(prefix_node), yamltree.column(prefix_node)))
    for svc in out:  # a component that only runs hooks (snow.yml's ``migrate``) is no service
        if svc.name in hooked and svc.kind == "service" and not svc.routes and not svc.command and not svc.port:
            svc.kind = "job"
    return out


@dataclass
class Image:
    """An image a spec builds: snow.yml's ``images`` (``id``, ``context``, ``dockerfile``); its
    code is in ``folder``, the Dockerfile's folder under the context (as Snow and model-wtf read it)."""

    id: str
    folder: str
    dockerfile: str
    line: int


def images(doc: Any) -> list[Image]:
    out = []
    for el in yamltree.elements(yamltree.get(doc, "images")):
        context = yamltree.scalar(yamltree.get(el, "context")) or "."
        dockerfile = yamltree.scalar(yamltree.get(el, "dockerfile")) or "Dockerfile"
        folder = normalise(f"{context}/{dockerfile}").rpartition("/")[0]
        out.append(Image(_name(el), folder, dockerfile, yamltree.line(el)))
    return out


@dataclass
class Resource:
    kind: str  # "postgres", "redis" or the section's own name
    id: str
    version: str
    line: int


RESOURCE_KINDS = {"pg_clusters": "postgres", "pg_databases": "postgres", "redis_clusters": "redis"}


def resources(doc: Any) -> list[Resource]:
    """snow.yml's ``resources`` (``pg_clusters``, ``pg_databases``, ``redis_clusters``) and
    DigitalOcean's ``databases`` (``engine: PG|REDIS``)."""
    out = []
    for section, node in yamltree.items(yamltree.get(doc, "resources")):
        for el in yamltree.elements(node):
            out.append(Resource(RESOURCE_KINDS.get(str(section.value), str(section.value)), _name(el),
                                yamltree.scalar(yamltree.get(el, "version")) or "", yamltree.line(el)))
    for el in yamltree.elements(yamltree.get(doc, "databases")):
        engine = (yamltree.scalar(yamltree.get(el, "engine")) or "").lower()
        kind = {"pg": "postgres", "redis": "redis", "valkey": "redis"}.get(engine, engine)
        out.append(Resource(kind, _name(el), yamltree.scalar(yamltree.get(el, "version")) or "", yamltree.line(el)))
    return out


@dataclass
class Spec:
    """One deploy spec document, read once: what runs, how it is routed, what it builds and
    which resources it asks for."""

    path: str
    fmt: str
    services: list[Service]
    images: list[Image]
    resources: list[Resource]
    domains: list[tuple[str, int]]

    @property
    def roles(self) -> set[str]:
        return {s.role for s in self.services if s.kind != "job" and s.role}

    @property
    def migration_jobs(self) -> list[Service]:
        """The one-off jobs that run migrations (a Dogefile ``jobs`` entry, a snow.yml hook)."""
        return [s for s in self.services if s.migrates]


def read_spec(path: str, fmt: str, doc: Any) -> Spec:
    return Spec(path, fmt, services(doc, fmt), images(doc) if fmt == "snow" else [], resources(doc), domains(doc))


def domains(doc: Any) -> list[tuple[str, int]]:
    """Host names a spec serves (``domain``/``domains``/``host`` values)."""
    out = []
    for path, node in yamltree.walk_scalars(doc):
        keys = [p for p in path if isinstance(p, str)]
        if keys and keys[-1] in ("domain", "domains", "host", "hostname"):
            out.append((node.value, yamltree.line(node)))
    return out


# Possessive quantifiers (Python 3.11): a run of "=" after "location" is never split between
# the modifier and the path (that split was quadratic on "location ====…").
_LOCATION = re.compile(r"location\s++(?:[=~^]++\s*+)?(\S+)\s*+\{([^{}]*+)\}", re.S)
_PROXY = re.compile(r"proxy_pass\s+https?://([\w.-]+)(?::(\d+))?")


def nginx_services(text: str) -> list[Service]:
    """One service per proxied upstream, with the location prefixes routed to it."""
    by_name: dict[str, Service] = {}
    for m in _LOCATION.finditer(text):
        proxy = _PROXY.search(m.group(2))
        if not proxy:
            continue
        host, port = proxy.group(1), proxy.group(2)
        line = text.count("\n", 0, m.start()) + 1
        svc = by_name.setdefault(host, Service(host, line, port=int(port) if port else None))
        svc.routes.append(Route(m.group(1), line, 1))
    return list(by_name.values())
