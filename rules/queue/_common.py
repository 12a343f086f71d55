"""What the queue rules share: AMQP URLs and the Python places that configure a broker."""

from __future__ import annotations

from typing import Iterator


from modelw_lint.lazy import cst
from modelw_lint.pysyntax import ImportMap, call_args, literal, string_value, walk

AMQP_SCHEMES = ("amqp://", "amqps://", "pyamqp://", "librabbitmq://")
RABBIT_VARS = {"RABBITMQ_URL", "CLOUDAMQP_URL", "AMQP_URL"}
BROKER_NAMES = {"CELERY_BROKER_URL", "BROKER_URL", "broker_url"}
ENV_READERS = {"os.getenv", "os.environ.get", "decouple.config"}


def is_amqp_url(value: str | None) -> bool:
    return bool(value) and value.strip().lower().startswith(AMQP_SCHEMES)


def _string_prefix(node: cst.BaseExpression) -> str | None:
    """The literal start of a string, f-string or concatenation."""
    value = string_value(node)
    if value is not None:
        return value
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else None
    if isinstance(node, cst.ConcatenatedString):
        return _string_prefix(node.left)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _string_prefix(node.left)
    return None


def env_var_read(node: cst.BaseExpression, imports: ImportMap) -> str | None:
    """The variable name of ``env.get("X")``, ``os.getenv("X")``, ``os.environ["X"]``…"""
    if isinstance(node, cst.Subscript) and imports.resolve(node.value) == "os.environ":
        index = node.slice[0].slice if node.slice else None
        return string_value(index.value) if isinstance(index, cst.Index) else None
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    is_get = isinstance(func, cst.Attribute) and func.attr.value == "get"
    if imports.resolve(func) in ENV_READERS or is_get:
        args = call_args(node, "name")
        return string_value(args["name"].value) if "name" in args else None
    return None


def amqp_reason(node: cst.BaseExpression, imports: ImportMap) -> str | None:
    """Why a broker value points at RabbitMQ, or None."""
    prefix = _string_prefix(node)
    if is_amqp_url(prefix):
        return f"an AMQP URL ({prefix.split('://')[0]}://…)"
    var = env_var_read(node, imports)
    if var in RABBIT_VARS:
        return f"the {var} variable (RabbitMQ)"
    return None


def broker_values(module: cst.Module, imports: ImportMap) -> Iterator[tuple[cst.CSTNode, cst.BaseExpression, str]]:
    """(node to report, value, where) for every place a module sets a Celery broker:
    ``CELERY_BROKER_URL = …``, ``app.conf.broker_url = …``, ``app.conf["broker_url"] = …``,
    ``Celery(broker=…)``, ``app.conf.update(broker_url=…)`` and dict literals passed to
    ``update``/``config_from_object``."""
    found: list[tuple[cst.CSTNode, cst.BaseExpression, str]] = []
    for node in walk(module):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                t = target.target
                name = None
                if isinstance(t, cst.Name):
                    name = t.value
                elif isinstance(t, cst.Attribute):
                    name = t.attr.value
                elif isinstance(t, cst.Subscript) and t.slice and isinstance(t.slice[0].slice, cst.Index):
                    key = literal(t.slice[0].slice.value)
                    name = key if isinstance(key, str) else None
                if name in BROKER_NAMES:
                    found.append((node, node.value, name))
        elif isinstance(node, cst.Call):
            func = node.func
            if imports.resolve(func) == "celery.Celery":
                broker = call_args(node, "main").get("broker")
                if broker is not None:
                    found.append((broker, broker.value, "Celery(broker=…)"))
            elif isinstance(func, cst.Attribute) and func.attr.value in ("update", "config_from_object"):
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value in BROKER_NAMES:
                        found.append((arg, arg.value, f"{func.attr.value}({arg.keyword.value}=…)"))
                    elif arg.keyword is None and isinstance(arg.value, cst.Dict):
                        for el in arg.value.elements:
                            if isinstance(el, cst.DictElement) and literal(el.key) in BROKER_NAMES:
                                found.append((el, el.value, f"{func.attr.value}({{{literal(el.key)!r}: …}})"))
    return iter(found)
