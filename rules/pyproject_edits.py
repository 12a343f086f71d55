"""Comment-preserving edits of dependency declarations: pyproject.toml through tomlkit (comments
and layout kept), requirements files line by line. Used by the rules of several families."""

from __future__ import annotations

import re
from typing import Any

from modelw_lint import Edit

from .facts.dependencies import normalise


def rewrite_spec(file: Any, dep: Any, new_spec: str) -> Edit | None:
    """An edit giving ``dep`` the version ``new_spec`` in its pyproject.toml (through tomlkit,
    comments and layout kept) or requirements file (the line only)."""
    text = file.text or ""
    if not file.path.endswith(".toml"):
        start, end = file.line_span(dep.line, dep.line)
        line = text[start:end]
        m = re.match(r"^(\s*[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*)([^;#\n]*?)(\s*(?:[;#].*)?\n?)$", line)
        if not m:
            return None
        return Edit(file.path, start, end, m.group(1) + new_spec + m.group(3))
    import tomlkit

    doc = tomlkit.parse(text)
    changed = False
    poetry = doc.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]
    for table in tables:
        for key in list(table.keys()):
            if normalise(key) != dep.name:
                continue
            value = table[key]
            if isinstance(value, str):
                table[key] = new_spec
            elif hasattr(value, "get") and "version" in value:
                value["version"] = new_spec
            else:
                continue
            changed = True
    arrays = [doc.get("project", {}).get("dependencies", [])]
    arrays += list(doc.get("project", {}).get("optional-dependencies", {}).values())
    for array in arrays:
        for i, entry in enumerate(list(array)):
            m = re.match(r"^\s*([A-Za-z0-9._-]+)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$", str(entry))
            if m and normalise(m.group(1)) == dep.name:
                array[i] = f"{m.group(1)}{m.group(2) or ''}{new_spec}{m.group(4) or ''}"
                changed = True
    new = tomlkit.dumps(doc)
    return Edit(file.path, 0, len(text), new) if changed and new != text else None


def set_poetry_python(file: Any, constraint: str) -> Edit | None:
    """An edit setting ``[tool.poetry.dependencies] python``; None when the file has none."""
    return _set_existing_key(file, ("tool", "poetry", "dependencies"), "python", constraint)


def set_requires_python(file: Any, spec: str) -> Edit | None:
    """An edit setting ``[project] requires-python``; None when the file has none."""
    return _set_existing_key(file, ("project",), "requires-python", spec)


def _set_existing_key(file: Any, tables: tuple[str, ...], key: str, value: str) -> Edit | None:
    """An edit giving an existing ``key`` of the table at ``tables`` a new value (tomlkit:
    comments and layout kept); None when the key is not there or already has that value."""
    import tomlkit

    text = file.text or ""
    doc = tomlkit.parse(text)
    table: Any = doc
    for name in tables:
        table = table.get(name) if hasattr(table, "get") else None
    if table is None or not hasattr(table, "get") or key not in table:
        return None
    table[key] = value
    new = tomlkit.dumps(doc)
    return Edit(file.path, 0, len(text), new) if new != text else None


def _poetry_tables(doc: Any) -> list[Any]:
    poetry = doc.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    return tables + [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]


def add_extra(file: Any, dep: Any, extra: str) -> Edit | None:
    """An edit adding ``extra`` to ``dep``'s extras in its pyproject.toml (a Poetry table or a
    PEP 621 requirement string); None when it cannot be done there."""
    if not file.path.endswith(".toml"):
        return None
    import tomlkit

    text = file.text or ""
    doc = tomlkit.parse(text)
    changed = False
    for table in _poetry_tables(doc):
        for key in list(table.keys()):
            if normalise(key) != dep.name:
                continue
            value = table[key]
            if isinstance(value, str):
                inline = tomlkit.inline_table()
                inline["extras"] = [extra]
                inline["version"] = value
                table[key] = inline
            elif hasattr(value, "get"):
                extras = value.get("extras")
                if extras is None:
                    value["extras"] = [extra]
                elif extra not in [str(e) for e in extras]:
                    extras.append(extra)
                else:
                    continue
            else:
                continue
            changed = True
    arrays = [doc.get("project", {}).get("dependencies", [])]
    for array in arrays:
        for i, entry in enumerate(list(array)):
            m = re.match(r"^(\s*)([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?(.*)$", str(entry))
            if m and normalise(m.group(2)) == dep.name:
                extras = [e.strip() for e in (m.group(3) or "").split(",") if e.strip()]
                if extra in extras:
                    continue
                sep = ", " if ", " in (m.group(3) or "") else ","  # the requirement's own style
                array[i] = f"{m.group(1)}{m.group(2)}[{sep.join([*extras, extra])}]{m.group(4)}"
                changed = True
    new = tomlkit.dumps(doc)
    return Edit(file.path, 0, len(text), new) if changed and new != text else None
