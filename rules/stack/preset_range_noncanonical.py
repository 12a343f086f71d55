from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FixSafety, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..versions import admits, lower_bound
from ._common import PinProblem, canonical_for, pin_finding, pin_problems, pin_rule, preset_dependency, rewrite_spec

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency, Locked
    from ..releases import ReleaseInfo


COMMENTED = PYPROJECT.replace("modelw-preset-django =", "# pinned by hand\nmodelw-preset-django =")


@pin_rule
class PresetRangeNoncanonical(RepoRule):
    """
    ## What it does
    Reports a bounded `modelw-preset-django` range that is not the template's canonical form
    `>=YYYY.M.P,<YYYY.(M+1).0` (one release, from the patch the project needs: `.0` in the
    template): `^2026.7`, `==2026.7.1`, `>=2026.7,<2027`…

    ## Why it matters
    The canonical range is "exactly one Model W release, any patch of it". Caret ranges
    span releases, exact pins miss patch releases (security fixes), and a uniform form lets
    tools (this one included) read the release at a glance.

    ## Example
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = "^2026.7"}
    ```

    ## Use instead
    ```toml
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    Safe: the range is rewritten to the canonical one for the same release (the release
    the range starts at), keeping its floor (`==2026.7.1` becomes `>=2026.7.1,<2026.8.0`: a
    floor is never lowered), with comments and layout kept (tomlkit).

    ## References
    - model-w-reference §1 (api/pyproject.toml), §3i (MW-I01)
    """

    code = "MW904"
    pin_problem = PinProblem.NONCANONICAL
    name = "preset-range-noncanonical"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    reads = DEPENDENCY_FILES

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": COMMENTED.replace('">=2026.7.0,<2026.8.0"', '"^2026.7"')}),
            fixed={"api/pyproject.toml": COMMENTED},
            note="a caret range (comments are kept)",
            line=9, message="\"^2026.7\" is not the canonical range >=2026.7.0,<2026.8.0",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": None,
                "api/requirements.txt": "django-extensions\nmodelw-preset-django[celery]==2026.7.1  # prod\n",
            }),
            fixed={"api/requirements.txt": "django-extensions\nmodelw-preset-django[celery]>=2026.7.1,<2026.8.0  # prod\n"},
            note="an exact pin in requirements.txt: its floor is kept",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"^2026.7.0b1"'),
                "api/poetry.lock": '[[package]]\nname = "modelw-preset-django"\nversion = "2026.7.0b3"\n',
            }),
            fixed={
                "api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '">=2026.7.0b1,<2026.8.0"'),
                "api/poetry.lock": '[[package]]\nname = "modelw-preset-django"\nversion = "2026.7.0b3"\n',
            },
            note="a caret beta range: the fix keeps the beta, so the locked 2026.7.0b3 stays admitted",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="canonical"),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '">=2026.7.0"')}),
            note="unbounded is MW902's business",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"<2026.8.0,>=2026.7.0"')}),
            note="the same range, bounds swapped",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"~2026.7.0b1"')}),
            note="a tilde beta range is the canonical range of a beta (MW905)",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '">=2026.7.2,<2026.8.0"')}),
            note="a floor raised within the release (a patch the project needs) is canonical",
        ),
    ]

    def check(self, project: Project, python_dependencies: list[Dependency], backend_release: ReleaseInfo, locked_versions: Locked):
        dep = preset_dependency(python_dependencies)
        problems = pin_problems(dep, backend_release)
        if not any(problem is self.pin_problem for problem, _what in problems):
            return
        spec = re.sub(r"\s+", "", dep.spec)
        canonical = canonical_for(spec)
        fix = None
        if canonical is not None and problems[0][0] is self.pin_problem and self._accepts_lock(dep, spec, canonical, locked_versions):
            edit = rewrite_spec(project.file(dep.path), dep, canonical)
            fix = self.make_fix(f"use {canonical}", [edit]) if edit else None
        finding = pin_finding(self, dep, backend_release, fix)
        if finding is not None:
            yield finding

    @staticmethod
    def _accepts_lock(dep, spec, canonical, locked) -> bool:
        """The canonical range must admit the version the project runs: the locked one, else
        the lowest the old range admits (``~2023.1.0b1`` locked at 2023.1.0b3 has no fix)."""
        version = locked.python.get(dep.name)
        if version is None:
            low = lower_bound(spec)
            version = str(low) if low is not None else None
        return version is not None and bool(admits(canonical, version))
