"""What the stack rules share: the preset dependency and comment-preserving edits of its pin."""

from __future__ import annotations

import re
from typing import Any

from modelw_lint import Edit

from ..facts.dependencies import normalise

PRESET = "modelw-preset-django"


def preset_dependency(python_dependencies: list) -> Any:
    return next((d for d in python_dependencies if d.name == PRESET), None)


def canonical_range(year: int, month: int) -> str:
    nyear, nmonth = (year + 1, 1) if month == 12 else (year, month + 1)
    return f">={year}.{month}.0,<{nyear}.{nmonth}.0"


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
    import tomlkit

    text = file.text or ""
    doc = tomlkit.parse(text)
    deps = doc.get("tool", {}).get("poetry", {}).get("dependencies")
    if deps is None or "python" not in deps:
        return None
    deps["python"] = constraint
    new = tomlkit.dumps(doc)
    return Edit(file.path, 0, len(text), new) if new != text else None
