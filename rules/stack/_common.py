"""What the stack rules share: the preset dependency and comment-preserving edits of its pin."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, TypeVar

from ..pyproject_edits import rewrite_spec, set_poetry_python, set_requires_python  # noqa: F401  (the stack rules' edits)
from ..releases import supported_names
from ..versions import lower_bound, release_of, specifier_sets, upper_bound

PRESET = "modelw-preset-django"


def preset_dependency(python_dependencies: list) -> Any:
    return next((d for d in python_dependencies if d.name == PRESET), None)


class PinProblem(Enum):
    """What can be wrong with the modelw-preset-django pin, most important first; each is
    reported by the rule that declares it with :func:`reports`."""

    UNSUPPORTED = "a release no longer supported"
    NONCANONICAL = "not the canonical range"
    PRERELEASE = "a pre-release pin"


_REPORTED_BY: dict[PinProblem, str] = {}
_R = TypeVar("_R")


def pin_rule(cls: _R) -> _R:
    """Class decorator of a rule reporting a pin problem (its ``pin_problem``): the findings of
    the others name its code among the problems they fold in."""
    _REPORTED_BY[getattr(cls, "pin_problem")] = getattr(cls, "code")
    return cls


def pin_problems(dep: Any, release: Any) -> list[tuple[PinProblem, str]]:
    """What is wrong with the modelw-preset-django pin, most important first: (problem, what).
    One pin gets one finding, from the first problem's rule, which mentions the others."""
    out: list[tuple[PinProblem, str]] = []
    if dep is None:
        return out
    if release.name is not None and not release.supported and not release.newer and release.path == dep.path:
        out.append((PinProblem.UNSUPPORTED, f"Model W {release.name} is no longer supported (supported: {supported_names()})"))
    spec = re.sub(r"\s+", "", dep.spec)
    ym = release_of(spec)
    low = lower_bound(spec)
    if ym is not None and upper_bound(spec) is not None and not is_canonical(spec):
        out.append((PinProblem.NONCANONICAL, f'"{dep.spec}" is not the canonical range {canonical_for(spec)}'))
    if (low is not None and low.is_prerelease) or PRERELEASE.search(dep.spec):
        out.append((PinProblem.PRERELEASE, f'"{dep.spec}" is a pre-release pin'))
    return out


PRERELEASE = re.compile(r"\d(a|b|rc|alpha|beta|dev)\d*", re.I)


def pin_finding(rule: Any, dep: Any, release: Any, fix: Any = None) -> Any:
    """The finding of ``rule`` on the pin when its problem is the most important one (None
    otherwise); the other problems are mentioned in its message."""
    problems = pin_problems(dep, release)
    if not problems or problems[0][0] is not rule.pin_problem:
        return None
    message = problems[0][1]
    if len(problems) > 1:
        message += f" (also: {'; '.join(what for _problem, what in problems[1:])})"
    finding = rule.finding(dep.path, message, dep.line, fix=fix)
    finding.extra["folds"] = [_REPORTED_BY[problem] for problem, _what in problems[1:] if problem in _REPORTED_BY]
    return finding


def canonical_for(spec: str) -> str | None:
    """The template's form of a range's release, ``>=YYYY.M.0,<YYYY.(M+1).0``, keeping the
    range's own floor when it lies within that release: a pre-release (``~2023.1.0b1`` is
    ``>=2023.1.0b1,<2023.2.0``: a lock on 2023.1.0b3 stays admitted) or a patch the project
    needs (``==2026.7.2`` is ``>=2026.7.2,<2026.8.0``): a floor is never lowered."""
    ym = release_of(spec)
    if ym is None:
        return None
    canonical = canonical_range(*ym)
    low = lower_bound(spec)
    from packaging.version import Version  # imported when a pin is judged (not on every hook run)

    if low is not None and low.release[:2] == ym and low != Version(f"{ym[0]}.{ym[1]}.0"):
        canonical = canonical.replace(f">={ym[0]}.{ym[1]}.0", f">={low}", 1)
    return canonical


def is_canonical(spec: str) -> bool:
    """Whether a range is the template's canonical one (in any order)."""
    canonical = canonical_for(spec)
    return canonical is not None and specifier_sets(spec) == specifier_sets(canonical)


def canonical_range(year: int, month: int) -> str:
    nyear, nmonth = (year + 1, 1) if month == 12 else (year, month + 1)
    return f">={year}.{month}.0,<{nyear}.{nmonth}.0"


