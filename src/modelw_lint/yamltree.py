"""Walking YAML node trees (``yaml.compose_all`` with the safe loader): values with positions.

Composing never constructs Python objects from tags, so it is as safe as ``yaml.safe_load``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from yaml.nodes import Node, ScalarNode


def _kind(node: Any) -> str:
    """"mapping", "sequence", "scalar" or "" (PyYAML nodes carry their kind as a class attribute)."""
    return getattr(node, "id", "") if node is not None else ""


def line(node: Node) -> int:
    return node.start_mark.line + 1


def column(node: Node) -> int:
    return node.start_mark.column + 1


def get(node: Node | None, key: str) -> Node | None:
    """The value of ``key`` in a mapping node (None when absent or not a mapping)."""
    if not _kind(node) == "mapping":
        return None
    for k, v in node.value:
        if _kind(k) == "scalar" and k.value == key:
            return v
    return None


def items(node: Node | None) -> Iterator[tuple[ScalarNode, Node]]:
    """(key node, value node) pairs of a mapping node with scalar keys."""
    if _kind(node) == "mapping":
        for k, v in node.value:
            if _kind(k) == "scalar":
                yield k, v


def elements(node: Node | None) -> list[Node]:
    return list(node.value) if _kind(node) == "sequence" else []


def scalar(node: Node | None) -> str | None:
    return node.value if _kind(node) == "scalar" else None


def walk_scalars(node: Node | None, path: tuple = ()) -> Iterator[tuple[tuple, ScalarNode]]:
    """Every scalar value with its key path (mapping keys and sequence indexes)."""
    if _kind(node) == "scalar":
        yield path, node
    elif _kind(node) == "mapping":
        for k, v in node.value:
            key = k.value if _kind(k) == "scalar" else "?"
            yield from walk_scalars(v, (*path, key))
    elif _kind(node) == "sequence":
        for i, v in enumerate(node.value):
            yield from walk_scalars(v, (*path, i))


def to_python(node: Node) -> Any:
    """The plain Python value of a node (safe constructors only)."""
    import yaml

    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()
