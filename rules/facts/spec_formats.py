"""Reading deploy specs (Dogefile, snow.yml, Fluxfile, .do/app.yaml) and nginx confs into one
model: services with their role, routes and commands. Formats: model-w-reference §3g."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modelw_lint import yamltree

API_NAMES = {"api", "back", "backend", "django", "server", "web-api"}
FRONT_NAMES = {"front", "frontend", "web", "client", "nuxt", "svelte", "sveltekit"}


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
        if yamltree.scalar(value) is not None:
            return yamltree.scalar(value), value
        return " ".join(yamltree.scalar(v) or "" for v in yamltree.elements(value)), value
    return "", None


def _service(name: str, node: Any, line: int, kind: str = "service") -> Service:
    command, command_node = _command(node)
    svc = Service(name, line, kind, _int(yamltree.get(node, "port")) or _int(yamltree.get(node, "http_port")), command)
    svc.command_node = command_node
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


def services(doc: Any, fmt: str) -> list[Service]:
    """The services a spec declares, with their routes."""
    out: list[Service] = []
    if fmt == "fluxfile":
        for key, node in yamltree.items(yamltree.get(doc, "components")):
            out.append(_service(key.value, node, yamltree.line(key)))
        return out
    for section, kind in (
        ("services", "service"),
        ("components", "service"),
        ("workers", "worker"),
        ("jobs", "job"),
        ("static_sites", "service"),
    ):
        block = yamltree.get(doc, section)
        for el in yamltree.elements(block):
            name = yamltree.scalar(yamltree.get(el, "name")) or "?"
            out.append(_service(name, el, yamltree.line(el), kind))
        for key, node in yamltree.items(block):  # mapping form
            out.append(_service(key.value, node, yamltree.line(key), kind))
    by_name = {s.name: s for s in out}
    # snow.yml ingresses and .do/app.yaml ingress rules route prefixes to components.
    rules = yamltree.elements(yamltree.get(doc, "ingresses")) + yamltree.elements(yamltree.get(yamltree.get(doc, "ingress"), "rules"))
    for rule in rules:
        match = yamltree.get(rule, "match")
        prefix_node = yamltree.get(match, "prefix") or yamltree.get(yamltree.get(match, "path"), "prefix")
        target = yamltree.get(rule, "target") or yamltree.get(rule, "component")
        name = yamltree.scalar(yamltree.get(target, "component")) or yamltree.scalar(yamltree.get(target, "name"))
        prefix = yamltree.scalar(prefix_node)
        if name is None or prefix is None:
            continue
        svc = by_name.get(name)
        if svc is None:
            svc = by_name[name] = Service(name, yamltree.line(rule), port=_int(yamltree.get(target, "port")))
            out.append(svc)
        svc.routes.append(Route(prefix, yamltree.line(prefix_node), yamltree.column(prefix_node)))
    return out


def domains(doc: Any) -> list[tuple[str, int]]:
    """Host names a spec serves (``domain``/``domains``/``host`` values)."""
    out = []
    for path, node in yamltree.walk_scalars(doc):
        keys = [p for p in path if isinstance(p, str)]
        if keys and keys[-1] in ("domain", "domains", "host", "hostname"):
            out.append((node.value, yamltree.line(node)))
    return out


_LOCATION = re.compile(r"location\s+(?:[=~^]+\s*)?(\S+)\s*\{([^{}]*)\}", re.S)
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
