from __future__ import annotations

from typing import TYPE_CHECKING

import re

from modelw_lint import Edit, Example, FileRule, FixSafety, Severity
from modelw_lint.lang import yamltree
from modelw_lint.lang.yamledit import yaml_doc

from .._examples import PYPROJECT, with_files

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile


RABBIT_IMAGE = re.compile(r"(^|/)(rabbitmq|cloudamqp)([:/@]|$)", re.I)


def _compose_set(path: str, compose_files: list[str]) -> list[str]:
    """The compose files of ``path``'s folder (compose merges docker-compose.override.yml)."""
    folder = path.rpartition("/")[0]
    return [p for p in compose_files if p.rpartition("/")[0] == folder] if path in compose_files else [path]


def _named_volumes(service) -> set[str]:
    """The named volumes a compose service mounts (``data:/var/lib/x``, ``{source: data}``)."""
    out = set()
    for el in yamltree.elements(yamltree.get(service, "volumes")):
        text = yamltree.scalar(el)
        if text is not None:
            source = text.split(":", 1)[0] if ":" in text else ""
        elif (yamltree.scalar(yamltree.get(el, "type")) or "volume") == "volume":
            source = yamltree.scalar(yamltree.get(el, "source")) or ""
        else:
            source = ""
        if source and not source.startswith((".", "/", "~", "$")):  # not a bind mount
            out.add(source)
    return out


class RabbitmqService(FileRule):
    """
    ## What it does
    Reports a RabbitMQ service in docker-compose files and deploy specs (an `image:`
    `rabbitmq…`, `bitnami/rabbitmq`, `cloudamqp/…`), and `RABBITMQ_*` variables there or in
    `.env` files.

    ## Why it matters
    A RabbitMQ container in the stack is infrastructure Model W does not use: queues run on
    Redis (Celery) or on PostgreSQL (Procrastinate), which every target cloud offers as a
    managed service.

    ## Example
    ```yaml
    services:
      rabbitmq:
        image: rabbitmq:3-management
    ```

    ## Use instead
    ```yaml
    services:
      redis:
        image: redis:7
    ```

    ## Fix safety
    Unsafe, and only where something replaces the broker: a Redis service in the same
    compose files, a Redis resource in the deploy spec, a `REDIS_URL` the configuration sets,
    or no Celery at all (the queue is Procrastinate). The service is then deleted from every compose file of its folder
    (`docker-compose.override.yml`, which compose merges, included), with what refers to it
    there: `depends_on` and `links` entries (a `depends_on` left empty goes too) and the named
    volumes only it used. Broker URLs still pointing at it are MW302's and MW301's, fixed in
    the same run toward Redis. With nothing to replace the broker there is no edit, and the
    finding says to add Redis first. A `RABBITMQ_*` variable is deleted. Comments and
    layout around the deleted lines are kept; a service that defines a YAML anchor used
    elsewhere is left alone.

    ## References
    - Model W architecture, "Queue — Also Redis"
    - model-w-reference §3c (MW-C03)
    """

    code = "MW303"
    name = "rabbitmq-service"
    family = "queue"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    kinds = ("yaml", "dotenv")
    needles = ("rabbitmq", "RABBITMQ", "cloudamqp")
    scope = "config_files"

    fires = [
        Example.repo(
            with_files({"docker-compose.yml": (
                "services:\n  api:\n    build: ./api\n    depends_on:\n      - db\n      - mq\n\n"
                "  # the message broker\n  mq:\n    image: rabbitmq:3-management  # admin UI on 15672\n\n"
                "  db:\n    image: postgres:16\n"
            )}),
            fixed={"docker-compose.yml": "services:\n  api:\n    build: ./api\n    depends_on:\n      - db\n\n  db:\n"
                "    image: postgres:16\n"},
            note="Procrastinate: nothing needs a broker; the service goes, with what depends on it",
            line=10, message="a RabbitMQ service (image rabbitmq:3-management)",
        ),
        Example.repo(
            {**with_files({
                "api/pyproject.toml": PYPROJECT.replace('"procrastinate"]', '"celery"]'),
                "docker-compose.yml": (
                    "services:\n  worker:\n    build: ./api\n    depends_on:\n      - mq\n    volumes:\n      - mq-data:/srv\n"
                    "  mq:\n    image: rabbitmq:3\n    volumes:\n      - mq-data:/var/lib/rabbitmq\n"
                    "  redis:\n    image: redis:7\nvolumes:\n  mq-data:\n  pg-data:\n"
                ),
                "docker-compose.override.yml": "services:\n  api:\n    depends_on: [mq]\n  mq:\n    ports:\n      - 15672:15672\n",
            })},
            fixed={
                "docker-compose.yml": (
                    "services:\n  worker:\n    build: ./api\n    volumes:\n      - mq-data:/srv\n"
                    "  redis:\n    image: redis:7\nvolumes:\n  mq-data:\n  pg-data:\n"
                ),
                "docker-compose.override.yml": "services: {}\n",
            },
            note="Celery with Redis beside it: the override file's entries go too, a shared volume stays",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace('"procrastinate"]', '"celery"]'),
                "docker-compose.yml": "services:\n  api:\n    build: ./api\n  mq:\n    image: rabbitmq:3\n",
            }),
            note="Celery and no Redis: nothing replaces the broker, no edit",
            message="add a Redis service first",
        ),
        Example.repo(
            with_files({"docker-compose.dev.yml": "services:\n  mq:\n    image: docker.io/bitnami/rabbitmq:3.12\n"}),
            note="the Bitnami image",
        ),
        Example.repo(
            with_files({"snow.yml": "components:\n  - name: api\n    env:\n      - key: RABBITMQ_DEFAULT_USER\n        value: shop\n"}),
            note="a RABBITMQ_ variable in a deploy spec",
        ),
        Example.repo(
            with_files({"api/.env-template": "DEBUG=yes\nRABBITMQ_HOST=localhost\n"}),
            fixed={"api/.env-template": "DEBUG=yes\n"},
            note="in .env-template",
        ),
    ]
    silent = [
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  redis:\n    image: redis:7\n  # rabbitmq was removed in 2024\n"}),
            note="a comment",
        ),
        Example.repo(
            with_files({"docker-compose.yml": "services:\n  api:\n    image: acme/rabbitmq-exporter-docs:1\n"}),
            note="an image that only contains the word",
        ),
    ]

    def check_file(self, file: SourceFile, compose_files: list[str], celery_in_use: bool, redis_target: str | None):
        if file.kind == "dotenv":
            for entry in file.parsed:
                if entry.key.upper().startswith("RABBITMQ_"):
                    yield self.finding(
                        file.path, f"{entry.key}: RabbitMQ settings, but Model W queues on Redis or Procrastinate", entry.line,
                        fix=self._dotenv_fix(file, entry),
                    )
            return
        images, variables = [], []
        compose_set = _compose_set(file.path, compose_files)
        replaced = not celery_in_use or redis_target is not None  # Procrastinate needs no broker
        for doc in file.parsed:
            for path, node in yamltree.walk_scalars(doc):
                key = str(path[-1]) if path else ""
                if key == "image" and RABBIT_IMAGE.search(node.value):
                    message = f"a RabbitMQ service (image {node.value}): Model W queues on Redis or Procrastinate"
                    fix = self._service_fix(file, path, compose_set) if replaced else None
                    if not replaced:
                        message += "; Celery has no other broker here: add a Redis service first, then remove RabbitMQ"
                    images.append(self.finding(file.path, message, yamltree.line(node), yamltree.column(node), fix=fix))
                elif key.upper().startswith("RABBITMQ_") or node.value.upper().startswith("RABBITMQ_"):
                    name = key if key.upper().startswith("RABBITMQ_") else node.value.split("=")[0]
                    variables.append(self.finding(
                        file.path, f"{name}: RabbitMQ settings, but Model W queues on Redis or Procrastinate",
                        yamltree.line(node), yamltree.column(node), fix=self._variable_fix(file, path, key),
                    ))
        # The service itself says it all; its RABBITMQ_* variables are reported only without one.
        yield from images or variables

    def _service_fix(self, file, path, compose_set):
        """Delete the service (``path`` is its image's) from every compose file of the set, and
        what refers to it there: depends_on and links entries, volumes only it used."""
        service = path[:-1]
        if not service:
            return None
        name = service[-1] if isinstance(service[-1], str) and service[:-1] == ("services",) else None
        if name is None:  # a deploy spec's list entry: just the entry
            doc = yaml_doc(file.path, file.text)
            edit = doc.delete(service) if doc is not None else None
            return self.make_fix("delete the RabbitMQ service", [edit]) if edit is not None else None
        files = [file] + [f for f in (file.project.file(p) for p in compose_set if p != file.path) if f is not None]
        parsed = [(f, doc) for f in files for doc in (f.parsed or [])[:1]]
        volumes_of = {
            (f.path, svc_name.value): _named_volumes(svc)
            for f, doc in parsed for svc_name, svc in yamltree.items(yamltree.get(doc, "services"))
        }
        mine = set().union(*(v for (_p, svc_name), v in volumes_of.items() if svc_name == name))
        others = set().union(*(v for (_p, svc_name), v in volumes_of.items() if svc_name != name))
        edits = []
        for f, doc_node in parsed:
            doc = yaml_doc(f.path, f.text)
            if doc is None:
                return None
            services = yamltree.get(doc_node, "services")
            emptied = []  # services of this file left with nothing (an override's entry)
            for other, svc in yamltree.items(services):
                if other.value == name:
                    continue
                keys = [k.value for k, _v in yamltree.items(svc)]
                gone_keys = []
                for key in ("depends_on", "links"):
                    refs = yamltree.get(svc, key)
                    listed = [i for i, el in enumerate(yamltree.elements(refs)) if (yamltree.scalar(el) or "").split(":")[0] == name]
                    keyed = [k.value for k, _v in yamltree.items(refs) if k.value == name]
                    remaining = len(yamltree.elements(refs)) + len(list(yamltree.items(refs))) - len(listed) - len(keyed)
                    if (listed or keyed) and remaining == 0:
                        gone_keys.append(key)  # nothing left to depend on: the key goes
                        continue
                    edits += [doc.delete(("services", other.value, key, i)) for i in listed]
                    edits += [doc.delete(("services", other.value, key, k)) for k in keyed]
                if gone_keys and len(gone_keys) == len(keys):
                    emptied.append(other.value)
                else:
                    edits += [doc.delete(("services", other.value, key)) for key in gone_keys]
            service_names = [k.value for k, _v in yamltree.items(services)]
            removed = {name, *emptied} & set(service_names)
            if removed and len(removed) == len(service_names):
                # An override file left with no service: compose wants a mapping, even empty.
                top = [k.value for k, _v in yamltree.items(doc_node)]
                edits.append(Edit(f.path, 0, len(f.text), "services: {}\n") if top == ["services"] else doc.delete(("services",)))
            else:
                edits += [doc.delete(("services", n)) for n in sorted(removed)]
            for volume, _value in yamltree.items(yamltree.get(doc_node, "volumes")):
                if volume.value in mine - others:
                    edits.append(doc.delete(("volumes", volume.value)))
        if not edits or any(e is None for e in edits):
            return None
        return self.make_fix("delete the RabbitMQ service and what refers to it in the compose files", [e for e in edits if e is not None])

    def _variable_fix(self, file, path, key):
        doc = yaml_doc(file.path, file.text)
        if doc is None:
            return None
        if key.upper().startswith("RABBITMQ_"):
            target = path  # KEY: value
        elif isinstance(path[-1], int):
            target = path  # - KEY=value
        else:
            target = path[:-1] if len(path) > 1 and isinstance(path[-2], int) else None  # - key: KEY / value: …
        edit = doc.delete(target) if target else None
        return self.make_fix("delete the RabbitMQ variable", [edit]) if edit is not None else None

    def _dotenv_fix(self, file, entry):
        if "\n" in entry.value:
            return None  # a value over several lines: not a one-line deletion
        start, end = file.line_span(entry.line, entry.line)
        return self.make_fix("delete the RabbitMQ variable", [Edit(file.path, start, end, "")])
