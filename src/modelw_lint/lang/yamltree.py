"""Walking YAML node trees (``yaml.compose_all`` with the safe loader): values with positions.

Composing never constructs Python objects from tags, so it is as safe as ``yaml.safe_load``;
and nothing here constructs values at all, so aliases are never expanded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from yaml.nodes import Node, ScalarNode


def _kind(node: Any) -> str:
    """"mapping", "sequence", "scalar" or "" (PyYAML nodes carry their kind as a class attribute)."""
    return str(getattr(node, "id", "")) if node is not None else ""


def _value(node: Node | None) -> Any:
    """A node's value (pairs for a mapping, nodes for a sequence, text for a scalar)."""
    return node.value if node is not None else None


def line(node: Node) -> int:
    return node.start_mark.line + 1


def column(node: Node) -> int:
    return node.start_mark.column + 1


def get(node: Node | None, key: str) -> Node | None:
    """The value of ``key`` in a mapping node (None when absent or not a mapping)."""
    if not _kind(node) == "mapping":
        return None
    for k, v in _value(node):
        if _kind(k) == "scalar" and k.value == key:
            return v  # type: ignore[no-any-return]
    return None


def get_path(node: Node | None, path: tuple[Any, ...]) -> Node | None:
    """The node at ``path`` (mapping keys and sequence indexes), None when absent."""
    for key in path:
        if isinstance(key, int):
            elements_ = elements(node)
            node = elements_[key] if -len(elements_) <= key < len(elements_) else None
        else:
            node = get(node, key)
        if node is None:
            return None
    return node


def items(node: Node | None) -> Iterator[tuple[ScalarNode, Node]]:
    """(key node, value node) pairs of a mapping node with scalar keys."""
    if _kind(node) == "mapping":
        for k, v in _value(node):
            if _kind(k) == "scalar":
                yield k, v


def elements(node: Node | None) -> list[Node]:
    return list(_value(node)) if _kind(node) == "sequence" else []


def scalar(node: Node | None) -> str | None:
    return str(_value(node)) if _kind(node) == "scalar" else None


def walk_scalars(node: Node | None, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], ScalarNode]]:
    """Every scalar value with its key path (mapping keys and sequence indexes).

    Each node is visited once: an alias is the very node its anchor defines, so a value
    merged into two services (``<<: *defaults``) is yielded once, with the path where the
    walk met it first. A "billion laughs" file (aliases of aliases) costs its size, not the
    size of its expansion."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[Any, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        kind = _kind(current)
        if kind == "scalar":
            yield where, current
        elif kind == "mapping":
            for k, v in reversed(current.value):
                key = k.value if _kind(k) == "scalar" else "?"
                stack.append((v, (*where, key)))
        elif kind == "sequence":
            for i in range(len(current.value) - 1, -1, -1):
                stack.append((current.value[i], (*where, i)))
