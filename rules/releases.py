"""The Model W releases (data in releases.toml) and how a project's release is detected."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from modelw_lint.rule import ReportItem

_YM = re.compile(r"(20\d\d)\.0?(\d{1,2})(?:\.(\d+)([a-z]+\d*)?)?")


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
        )
    return dict(sorted(out.items(), key=lambda kv: kv[1].key))


def release_name(year: int, month: int) -> str:
    return f"{year}.{month:02d}"


def parse_year_month(text: str) -> tuple[int, int] | None:
    """(2026, 7) from "2026.07", "2026.7.0", ">=2026.7.0,<2026.8.0", "~2026.7.0b1"."""
    m = _YM.search(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


FIRST_RELEASE = (2022, 10)  # Model W's first release


def check_release_setting(value: object) -> str | None:
    """What is wrong with ``release = "…"`` in a configuration (None: nothing)."""
    known = ", ".join(releases())
    m = re.fullmatch(r"(\d{4})\.(\d\d)", value) if isinstance(value, str) else None
    if m is None:
        return f"not a Model W release: use YYYY.MM, one of {known}"
    year, month = int(m.group(1)), int(m.group(2))
    if month not in (1, 4, 7, 10):
        return f"Model W releases come out in January, April, July and October; known releases: {known}"
    if (year, month) < FIRST_RELEASE:
        return f"Model W's first release is {release_name(*FIRST_RELEASE)}; known releases: {known}"
    return None


def supported() -> list[Release]:
    return [r for r in releases().values() if r.supported]


@dataclass
class ReleaseInfo:
    """The release a project is on, and why modelw-lint believes so."""

    name: str | None  # "2026.07", or None when nothing says
    source: str
    release: Release | None  # None when the name is not in releases.toml

    @property
    def key(self) -> tuple[int, int] | None:
        if self.name is None:
            return None
        year, month = self.name.split(".")
        return int(year), int(month)

    @property
    def supported(self) -> bool:
        return bool(self.release and self.release.supported)


def detect(project: Any, python_dependencies: list, front_dependencies: list) -> ReleaseInfo:
    """The config's ``release`` wins; else the modelw-preset-django pin, the front preset pin,
    then the ``modelw/base`` image tag."""
    override = project.settings.get("release")
    candidates: list[tuple[str, str]] = []
    if override:
        candidates.append((override, "set by `release` in the configuration"))
    for dep in python_dependencies:
        if dep.name == "modelw-preset-django":
            candidates.append((dep.spec, f"modelw-preset-django {dep.spec} in {dep.path}"))
    for dep in front_dependencies:
        if dep.name.startswith("@model-w/preset-"):
            candidates.append((dep.version, f"{dep.name} {dep.version} in {dep.path}"))
    for file in project.files("dockerfile"):
        m = re.search(r"^\s*FROM\s+(?:--\S+\s+)*(?:docker\.io/)?modelw/base:(\S+)", file.text or "", re.M | re.I)
        if m:
            candidates.append((m.group(1), f"modelw/base:{m.group(1)} in {file.path}"))
    for text, source in candidates:
        ym = parse_year_month(text)
        if ym:
            name = release_name(*ym)
            return ReleaseInfo(name, source, releases().get(name))
    return ReleaseInfo(None, "no modelw-preset-django, front preset or modelw/base pin found", None)


def report(info: ReleaseInfo) -> ReportItem:
    if info.name is None:
        text = f"Model W release: unknown ({info.source})"
    else:
        status = "supported" if info.supported else ("not in modelw-lint's release table" if info.release is None else "no longer supported")
        text = f"Model W release {info.name} ({status}), from {info.source}"
    return ReportItem(text, {"name": info.name, "source": info.source, "supported": info.supported, "known": info.release is not None})
