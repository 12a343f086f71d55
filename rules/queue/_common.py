"""What the queue rules share: AMQP URLs and the Python places that configure a broker."""

from __future__ import annotations

import ast
from typing import Iterator

from modelw_lint.lang.pyast import ImportMap, call_args, literal, string_prefix, string_value, walk

from ..settings._common import EnvReads

AMQP_SCHEMES = ("amqp://", "amqps://", "pyamqp://", "librabbitmq://")
RABBIT_VARS = {"RABBITMQ_URL", "CLOUDAMQP_URL", "AMQP_URL", "RABBITMQ_BIGWIG_URL", "RABBITMQ_BIGWIG_TX_URL"}
BROKER_NAMES = {"CELERY_BROKER_URL", "BROKER_URL", "broker_url"}
# Clients that only speak AMQP: using them at all means RabbitMQ.
AMQP_CLIENTS = {
    "pika.BlockingConnection": "pika", "pika.SelectConnection": "pika", "pika.URLParameters": "pika",
    "pika.ConnectionParameters": "pika", "aio_pika.connect": "aio-pika", "aio_pika.connect_robust": "aio-pika",
    "amqpstorm.Connection": "amqpstorm", "amqpstorm.UriConnection": "amqpstorm", "amqp.Connection": "py-amqp",
    "librabbitmq.Connection": "librabbitmq",
}
KOMBU_CONNECTIONS = {"kombu.Connection", "kombu.connection.Connection", "kombu.BrokerConnection"}


def is_amqp_url(value: str | None) -> bool:
    return value is not None and value.strip().lower().startswith(AMQP_SCHEMES)


def amqp_reason(node: ast.expr | None, reads: EnvReads) -> str | None:
    """Why a broker value points at RabbitMQ, or None: an AMQP URL (``amqp://…``, an f-string
    or a concatenation starting so), or a read of a RabbitMQ-as-a-service variable."""
    if node is None:
        return None
    prefix = string_prefix(node)
    if prefix is not None and is_amqp_url(prefix):
        return f"an AMQP URL ({prefix.split('://')[0]}://…)"
    for read in reads.reads(node):
        if read.name in RABBIT_VARS:
            return f"the {read.name} variable (RabbitMQ)"
        if is_amqp_url(string_value(read.default)):
            return f"an AMQP URL as the fallback of {read.name}"
    return None


def broker_values(tree: ast.Module, imports: ImportMap) -> Iterator[tuple[ast.AST, ast.expr, str]]:
    """(node to report, value, where) for every place a module sets a Celery broker:
    ``CELERY_BROKER_URL = …``, ``app.conf.broker_url = …``, ``app.conf["broker_url"] = …``,
    ``Celery(broker=…)``, ``app.conf.update(broker_url=…)``, dict literals passed to
    ``update``/``config_from_object``, and the environment itself
    (``os.environ["CELERY_BROKER_URL"] = …`` before ``from .base import *``); and kombu
    connections (``kombu.Connection("amqp://…")``)."""
    for node in walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = None
                if isinstance(target, ast.Name):
                    name = target.id
                elif isinstance(target, ast.Attribute):
                    name = target.attr
                elif isinstance(target, ast.Subscript):
                    key = literal(target.slice)
                    name = key if isinstance(key, str) else None
                if name in BROKER_NAMES:
                    yield node, node.value, name
        elif isinstance(node, ast.Call):
            func = node.func
            called = imports.resolve(func)
            if called == "celery.Celery":
                broker = call_args(node, "main").get("broker")
                if broker is not None:
                    yield broker, broker, "Celery(broker=…)"
            elif called in KOMBU_CONNECTIONS:
                url = call_args(node, "hostname").get("hostname")
                if url is not None:
                    yield node, url, "kombu.Connection(…)"
            elif called == "os.environ.setdefault":
                args = call_args(node, "key", "value")
                if string_value(args.get("key")) in BROKER_NAMES and "value" in args:
                    yield node, args["value"], f'os.environ.setdefault("{string_value(args["key"])}", …)'
            elif isinstance(func, ast.Attribute) and func.attr in ("update", "config_from_object"):
                for kw in node.keywords:
                    if kw.arg in BROKER_NAMES:
                        yield kw.value, kw.value, f"{func.attr}({kw.arg}=…)"
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for key_node, value in zip(arg.keys, arg.values):
                            key = literal(key_node) if key_node is not None else None
                            if key in BROKER_NAMES:
                                yield value, value, f"{func.attr}({{{key!r}: …}})"


def amqp_clients(tree: ast.Module, imports: ImportMap) -> Iterator[tuple[ast.Call, str]]:
    """Calls that open a connection with an AMQP-only client library (pika, aio-pika…)."""
    for node in walk(tree):
        if isinstance(node, ast.Call):
            client = AMQP_CLIENTS.get(imports.resolve(node.func) or "")
            if client is not None:
                yield node, client
