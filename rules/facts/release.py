"""The Model W release a project is on (see rules/releases.py and rules/releases.toml)."""

from __future__ import annotations

from typing import Any

from .dependencies import Dependency, FrontDependency
from .registry import fact


@fact
def release(project: Any, python_dependencies: list[Dependency], front_dependencies: list[FrontDependency]):
    """The Model W release the project is on, and why (see rules/releases.py)."""
    from ..releases import detect

    return detect(project, python_dependencies, front_dependencies)


@fact
def release_report(release):
    """What every report says about the release."""
    from ..releases import report

    return report(release)
