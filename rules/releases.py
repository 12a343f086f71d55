"""The Model W releases (data in releases.toml) and how a project's release is detected.

Each signal decides what it is about: the back-end's ``modelw-preset-django`` pin decides the
back-end rules (Python, the api/worker images, the preset's settings), the front's
``@model-w/preset-*`` pin decides the front rules; ``release = "YYYY.MM"`` in the
configuration overrides both. Version ranges are read with ``packaging`` (rules/versions.py).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from modelw_lint.core.rule import ReportItem

from .versions import release_of

_YM = re.compile(r"^(\d{4})\.(\d{2})$")
FIRST_RELEASE = (2022, 10)  # Model W's first release


@dataclass(frozen=True)
class Release:
    name: str  # "2026.07"
    year: int
    month: int
    python: str
    preset: str
    base_image: str
    front: str
    front_preset: tuple[str, str]
    fronts: tuple[str, ...]
    queue: str
    supported: bool
    celery_optional: bool = False
    django: str = ""
    api: tuple[str, ...] = ()
    storage_settings: str = ""
    node: str = ""
    server: str = ""
    maker: str = ""  # the modelw-project-maker version that generates its template
    package_manager: str = "npm"  # the front's: pnpm from 2026.10

    @property
    def key(self) -> tuple[int, int]:
        return self.year, self.month


@functools.cache
def releases() -> dict[str, Release]:
    data = tomllib.loads(resources.files(__package__).joinpath("releases.toml").read_text(encoding="utf-8"))
    out = {}
    for name, r in data["releases"].items():
        year, month = (int(x) for x in name.split("."))
        out[name] = Release(
            name, year, month, r["python"], r["preset"], r["base_image"], r["front"],
            tuple(r["front_preset"]), tuple(r["fronts"]), r["queue"], bool(r["supported"]),
            bool(r.get("celery_optional", False)), r.get("django", ""), tuple(r.get("api", ())),
            r.get("storage_settings", ""), r.get("node", ""), r.get("server", ""), r.get("maker", ""),
            r.get("package_manager", "npm"),
        )
    return dict(sorted(out.items(), key=lambda kv: kv[1].key))


def release_name(year: int, month: int) -> str:
    return f"{year}.{month:02d}"


def latest() -> Release:
    return list(releases().values())[-1]


def supported() -> list[Release]:
    return [r for r in releases().values() if r.supported]


def supported_names() -> str:
    """The supported releases, for messages (newer ones are not in the table yet)."""
    return ", ".join(r.name for r in supported()) + " and newer"


def check_release_setting(value: object) -> str | None:
    """What is wrong with ``release = "…"`` in a configuration (None: nothing)."""
    known = ", ".join(releases())
    m = _YM.match(value) if isinstance(value, str) else None
    if m is None:
        return f"not a Model W release: use YYYY.MM, one of {known}"
    year, month = int(m.group(1)), int(m.group(2))
    if month not in (1, 4, 7, 10) and value not in releases():
        return f"Model W releases come out in January, April, July and October; known releases: {known}"
    if (year, month) < FIRST_RELEASE:
        return f"Model W's first release is {release_name(*FIRST_RELEASE)}; known releases: {known}"
    return None


@dataclass
class ReleaseInfo:
    """The release a signal says a project is on, and why modelw-lint believes so."""

    name: str | None  # "2026.07", or None when nothing says
    source: str
    release: Release | None  # None when the name is not in releases.toml
    path: str | None = None  # the file holding the signal
    line: int = 1
    spec: str = ""  # the range or tag as written
    locked: str = ""  # the version a lock file resolves, when it decided the release

    @property
    def key(self) -> tuple[int, int] | None:
        if self.name is None:
            return None
        year, month = self.name.split(".")
        return int(year), int(month)

    @property
    def supported(self) -> bool:
        return bool(self.release and self.release.supported)

    @property
    def newer(self) -> bool:
        """Newer than modelw-lint's table: its versions are never judged, never fixed toward or
        away from."""
        return self.release is None and self.key is not None and self.key > latest().key

    @property
    def knowledge(self) -> Release | None:
        """What modelw-lint knows of this release where the version itself does not matter
        (the fronts it allows, its queue, API and storage settings): its own row, or, for a
        release newer than the table, the newest row (releases only move forward)."""
        if self.release is not None:
            return self.release
        return latest() if self.newer else None

    @property
    def status(self) -> str:
        if self.name is None:
            return "unknown"
        if self.newer:
            return "newer than modelw-lint knows"
        if self.release is None:
            return "not in modelw-lint's release table"
        return "supported" if self.release.supported else "no longer supported"


NOTHING = ReleaseInfo(None, "no modelw-preset-django, front preset or modelw/base pin found", None)


def _info(ym: tuple[int, int] | None, source: str, path: str | None, line: int, spec: str) -> ReleaseInfo | None:
    if ym is None:
        return None
    name = release_name(*ym)
    return ReleaseInfo(name, source, releases().get(name), path, line, spec)


def _override(project: Any) -> ReleaseInfo | None:
    override = project.settings.get("release")
    m = _YM.match(override) if isinstance(override, str) else None
    path, line = project.settings.get("release_path"), project.settings.get("release_line", 1)
    where = f" ({path})" if path else ""
    return _info(
        (int(m.group(1)), int(m.group(2))) if m else None,
        f"set by `release` in the configuration{where}",
        path,
        line,
        override or "",
    )


def backend_release(project: Any, python_dependencies: list) -> ReleaseInfo:
    """The release of the back-end: the configuration's ``release``, else the
    modelw-preset-django pin. Nothing else decides the back-end's release."""
    override = _override(project)
    if override is not None:
        return override
    for dep in python_dependencies:
        if dep.name == "modelw-preset-django":
            found = _info(release_of(dep.spec), f"modelw-preset-django {dep.spec} in {dep.path}", dep.path, dep.line, dep.spec)
            if found is not None:
                return found
    return NOTHING


def front_release(project: Any, front_dependencies: list) -> ReleaseInfo:
    """The release of the front: the configuration's ``release``, else its @model-w preset: the
    version its lock file resolves (pnpm-lock.yaml, package-lock.json), which is what runs,
    else the range package.json pins."""
    override = _override(project)
    if override is not None:
        return override
    for dep in front_dependencies:
        if dep.name.startswith("@model-w/preset-"):
            source = f"{dep.name} {dep.version} in {dep.path}"
            ym = release_of(dep.locked) if dep.locked else None
            if ym is not None:
                source += f", resolved to {dep.locked} in {dep.lock}"
            found = _info(ym or release_of(dep.version), source, dep.path, dep.line, dep.version)
            if found is not None:
                found.locked = dep.locked if ym is not None else ""
                return found
    return NOTHING


# Model W's base image, ``modelw/base:<YYYY.MM>`` (Docker Hub's prefix optional): the one place
# the pack recognises it, as an image reference (BASE_IMAGE) and in a Dockerfile's FROM lines
# (BASE_FROM: group 1 is everything before the tag, group 2 the tag, for edits).
_BASE_REF = r"(?:docker\.io/)?modelw/base:"
_BASE_TAG = r"(\d{4}\.\d{2})"
BASE_IMAGE = re.compile(rf"^{_BASE_REF}{_BASE_TAG}$")
BASE_FROM = re.compile(rf"^((?i:[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*+){_BASE_REF}){_BASE_TAG}\b", re.M)


_ANY_BASE = re.compile(r"^(?:docker\.io/)?modelw/base(?:[:@]|$)")


def is_base_image(image: str) -> bool:
    """Whether an image is ``modelw/base`` whatever its tag (``latest`` and digests included:
    it has ``modelw-docker``)."""
    return bool(_ANY_BASE.match(image))


def base_tag(image: str) -> str | None:
    """The ``YYYY.MM`` of a ``modelw/base`` image reference, None for any other image."""
    m = BASE_IMAGE.match(image)
    return m.group(1) if m else None


def detect(project: Any, backend: ReleaseInfo, front: ReleaseInfo) -> ReleaseInfo:
    """The project's release for what concerns the whole project (the report, MW903): the
    configuration, else the back-end's pin, the front's pin, then the ``modelw/base`` tag."""
    for info in (backend, front):
        if info.name is not None:
            return info
    for file in project.files("dockerfile"):
        m = BASE_FROM.search(file.text or "")
        if m:
            year, month = m.group(2).split(".")
            source = f"modelw/base:{m.group(2)} in {file.path}"
            return _info((int(year), int(month)), source, file.path, file.line_of(m.start()), "") or NOTHING
    return NOTHING


def report(info: ReleaseInfo) -> ReportItem:
    if info.name is None:
        text = f"Model W release: unknown ({info.source})"
    else:
        text = f"Model W release {info.name} ({info.status}), from {info.source}"
    data = {"name": info.name, "source": info.source, "supported": info.supported, "known": info.release is not None,
            "status": info.status}
    return ReportItem(text, data)
