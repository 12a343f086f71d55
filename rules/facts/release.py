"""The Model W release a project is on, per signal (see rules/releases.py and releases.toml)."""

from __future__ import annotations

from typing import Any

from modelw_lint.core.rule import ReportItem

from .. import releases
from ..releases import ReleaseInfo
from .dependencies import Dependency, FrontDependency
from .registry import fact


@fact
def backend_release(project: Any, python_dependencies: list[Dependency]) -> ReleaseInfo:
    """The back-end's release: ``release`` in the configuration, else the modelw-preset-django
    pin (it decides the back-end rules: Python, the api/worker images, the preset's reads)."""
    return releases.backend_release(project, python_dependencies)


@fact
def front_release(project: Any, front_dependencies: list[FrontDependency]) -> ReleaseInfo:
    """The front's release: ``release`` in the configuration, else its @model-w preset pin."""
    return releases.front_release(project, front_dependencies)


@fact
def release(project: Any, backend_release: ReleaseInfo, front_release: ReleaseInfo) -> ReleaseInfo:
    """The project's release as a whole: the back-end's, else the front's, else the
    ``modelw/base`` tag of a Dockerfile."""
    return releases.detect(project, backend_release, front_release)


@fact
def release_report(release: ReleaseInfo) -> ReportItem:
    """What every report says about the release."""
    return releases.report(release)
