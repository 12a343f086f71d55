"""The installed rule packs' entry points, read without importing ``importlib.metadata``.

``importlib.metadata`` costs a run 10 to 20 ms to import (it brings the email parser, zip
and path machinery): more than the rest of a warm hook run's pack discovery. Entry points are
one small INI file per installed distribution (``<name>.dist-info/entry_points.txt``, or
``EGG-INFO``/``.egg-info`` for older installs) in the folders of ``sys.path``, found the way
``importlib.metadata`` finds them: the folders in ``sys.path`` order, the first distribution of
a name winning. Anything else on ``sys.path`` (a zip file, an import hook's entry) sends the
question to ``importlib.metadata`` itself.

One difference, on purpose: the current directory is not searched. ``python -m modelw_lint``
puts it first on ``sys.path``, and run inside a repository it would load a pack that the
repository commits as ``*.dist-info`` (its code would run). Packs are installed, or loaded from
the repository only when asked (``packs`` and ``--local-packs``).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EntryPoint:
    """What a pack loader needs of an entry point: its name, its ``module:attr`` value, and
    :meth:`load`."""

    name: str
    value: str
    group: str

    def load(self) -> Any:
        module_name, _, attrs = self.value.partition(":")
        obj: Any = importlib.import_module(module_name.strip())
        for attr in filter(None, attrs.split("[", 1)[0].strip().split(".")):
            obj = getattr(obj, attr)
        return obj


_DIST = re.compile(r"^(?P<name>[^-]+?)(?:-[^-]*)?\.(?:dist-info|egg-info)$", re.I)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _parse(text: str, group: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of the installed distributions (one distribution per
    name: the first on ``sys.path``)."""
    here = os.path.realpath(os.getcwd())
    searched = [entry for entry in sys.path if entry and os.path.realpath(entry) != here]
    folders = []
    for path in searched:
        if os.path.isdir(path):
            folders.append(path)
        elif os.path.exists(path):  # a zip file on sys.path: importlib.metadata reads those
            return _from_importlib(group, searched)
    finders = [f for f in sys.meta_path if hasattr(f, "find_distributions")]
    if any(getattr(f, "__module__", "") not in _STANDARD_FINDERS for f in finders):
        return _from_importlib(group, searched)  # a finder that knows distributions of its own
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            match = _DIST.match(name)
            if not match:
                continue
            dist = _normalized(match["name"])
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            found.extend(EntryPoint(n, v, group) for n, v in _parse(text, group))
    return found


# Finders whose distributions are the ones in sys.path's folders (read above).
_STANDARD_FINDERS = {"_frozen_importlib_external", "importlib._bootstrap_external", "importlib.metadata"}


def _from_importlib(group: str, path: list[str]) -> list[EntryPoint]:
    from importlib.metadata import distributions

    seen: set[str] = set()
    found: list[EntryPoint] = []
    for dist in distributions(path=path):
        name = _normalized(dist.metadata["Name"] or "")
        if name in seen:
            continue
        seen.add(name)
        found.extend(EntryPoint(ep.name, ep.value, group) for ep in dist.entry_points if ep.group == group)
    return found
