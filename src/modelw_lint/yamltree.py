"""Walking YAML node trees (``yaml.compose_all`` with the safe loader): values with positions.

Composing never constructs Python objects from tags, so it is as safe as ``yaml.safe_load``.
"""

from __future__ import annotations

from typing import Any, Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def line(node: Node) -> int:
    return node.start_mark.line + 1


def column(node: Node) -> int:
    return node.start_mark.column + 1


def get(node: Node | None, key: str) -> Node | None:
    """The value of ``key`` in a mapping node (None when absent or not a mapping)."""
    if not isinstance(node, MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return v
    return None


def key_node(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for k, _v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k
    return None


def items(node: Node | None) -> Iterator[tuple[ScalarNode, Node]]:
    """(key node, value node) pairs of a mapping node with scalar keys."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                yield k, v


def elements(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def walk_scalars(node: Node | None, path: tuple = ()) -> Iterator[tuple[tuple, ScalarNode]]:
    """Every scalar value with its key path (mapping keys and sequence indexes)."""
    if isinstance(node, ScalarNode):
        yield path, node
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, ScalarNode) else "?"
            yield from walk_scalars(v, (*path, key))
    elif isinstance(node, SequenceNode):
        for i, v in enumerate(node.value):
            yield from walk_scalars(v, (*path, i))


def env_entries(node: Node | None) -> Iterator[tuple[str, str, Node]]:
    """(name, value, node) of an environment block: a mapping, or a list of ``NAME=value``
    strings (docker-compose), or a list of ``{key|name: …, value: …}`` mappings (deploy specs)."""
    if isinstance(node, MappingNode):
        for k, v in items(node):
            yield k.value, scalar(v) or "", v if isinstance(v, ScalarNode) else k
    elif isinstance(node, SequenceNode):
        for el in node.value:
            if isinstance(el, ScalarNode):
                name, _, value = el.value.partition("=")
                yield name.strip(), value.strip(), el
            elif isinstance(el, MappingNode):
                name = scalar(get(el, "key")) or scalar(get(el, "name"))
                if name:
                    value_node = get(el, "value")
                    yield name, scalar(value_node) or "", value_node or el


def to_python(node: Node) -> Any:
    """The plain Python value of a node (safe constructors only)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()
