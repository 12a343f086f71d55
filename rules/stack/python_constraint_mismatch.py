from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FixSafety, RepoRule, Severity

from .._examples import PYPROJECT, UV_PYPROJECT, with_files
from ..facts.dependencies import key_line, table
from ..versions import lower_bound, specifier_sets
from ._common import set_poetry_python, set_requires_python

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Component
    from ..releases import ReleaseInfo


class PythonConstraintMismatch(RepoRule):
    """
    ## What it does
    Reports a `python` constraint in `[tool.poetry.dependencies]` that differs from the one
    of the project's Model W release (`~3.14` for 2026.07; see `rules/releases.toml`), and,
    in a PEP 621 project (uv), a `[project] requires-python` that starts below it.

    ## Why it matters
    The preset of each release declares its Python constraint, and the `modelw/base` image
    of the release ships that Python. Another constraint makes `poetry lock` fail, or
    builds the lock for an interpreter the image does not have. uv reads only the lower
    bound of `requires-python`: one below the release's Python makes `uv lock` fail (no
    version of the preset supports it).

    ## Example
    ```toml
    python = "^3.10"
    modelw-preset-django = {version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Use instead
    ```toml
    python = "~3.14"
    ```

    ## Fix safety
    Safe: the constraint is set to the release's (tomlkit keeps comments and layout); a
    `requires-python` that is only a lower bound (`>=3.12`) gets the release's lower bound
    (`>=3.14`), and any other is left for a person to rewrite. The lock file must be
    refreshed, which any change of pin needs anyway.

    ## References
    - model-w-reference §1, §3i (MW-I02)
    """

    code = "MW906"
    name = "python-constraint-mismatch"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    reads = ("*/pyproject.toml",)

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('python = "~3.14"', 'python = "^3.10"')}),
            fixed={"api/pyproject.toml": PYPROJECT},
            note="an older constraint",
            line=7, message="python = \"^3.10\" but Model W 2026.07 is on Python ~3.14",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('python = "~3.14"', 'python = "^3.13"').replace(
                "2026.7.0,<2026.8.0",
                "2024.10.0,<2024.11.0",
            )}),
            note="Python newer than the pin's release: the pin is reported, Python is never lowered",
        ),
    ]
    fires += [
        Example.repo(
            with_files({"api/pyproject.toml": UV_PYPROJECT.replace('"~=3.14.0"', '">=3.12"')}),
            fixed={"api/pyproject.toml": UV_PYPROJECT.replace('"~=3.14.0"', '">=3.14"')},
            note="uv: requires-python below the release's Python",
            line=4, message='requires-python = ">=3.12" but Model W 2026.07 is on Python ~3.14',
        ),
        Example.repo(
            with_files({"api/pyproject.toml": UV_PYPROJECT.replace('"~=3.14.0"', '">=3.11,<4"')}),
            note="uv: a range the fix does not rewrite",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": UV_PYPROJECT.replace('"~=3.14.0"', '">=3.15"')}),
            note="uv: Python newer than the pin's release: the pin is reported",
            line=6, message="is older than requires-python",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="~3.14 on 2026.07"),
        Example.repo(with_files({"api/pyproject.toml": PYPROJECT.replace('python = "~3.14"\n', "")}), note="no python constraint"),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace('python = "~3.14"', 'python = ">=3.14,<3.15"')}),
            note="the same constraint, written out",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace(
                    'modelw-preset-django = {extras = ["psycopg", "health", "ninja", "procrastinate"], version = ">=2026.7.0,<2026.8.0"}\n',
                    "",
                ),
                "front/package.json": '{"dependencies": {"@model-w/preset-nuxt3": ">=2023.7.0 && <2023.8.0", "nuxt": "^3"}}',
            }),
            note="no back-end preset pin: a 2023 front pin does not decide the back-end's Python",
        ),
        Example.repo(with_files({"api/pyproject.toml": UV_PYPROJECT}), note="uv: ~=3.14.0 on 2026.07"),
        Example.repo(
            with_files({"api/pyproject.toml": UV_PYPROJECT.replace('"~=3.14.0"', '">=3.14"')}),
            note="uv: a lower bound only (uv ignores upper bounds)",
        ),
    ]

    def check(self, project: Project, components: dict[str, Component], backend_release: ReleaseInfo):
        release = backend_release
        if release.release is None:
            return  # no back-end preset pin, or newer than modelw-lint knows: not judged
        expected = release.release.python
        expected_low = lower_bound(expected)
        for comp in components.values():
            if not comp.pyproject:
                continue
            file = project.file(comp.pyproject)
            if file is None:
                continue
            data = file.parsed
            python = table(data, "tool", "poetry", "dependencies").get("python")
            if not isinstance(python, str):
                yield from self._requires_python(file, table(data, "project").get("requires-python"), release, expected)
                continue
            low = lower_bound(python)
            if low is None or expected_low is None or specifier_sets(python) == specifier_sets(expected):
                continue
            line = key_line(file.text, "python")
            if (low.release[:2]) < expected_low.release[:2]:
                edit = set_poetry_python(file, expected)
                fix = self.make_fix(f'set python = "{expected}"', [edit]) if edit else None
                yield self.finding(file.path, f'python = "{python}" but Model W {release.name} is on Python {expected}', line, fix=fix)
            elif (low.release[:2]) > expected_low.release[:2] and release.path:
                # The pin is the older signal: never lower Python to match it.
                yield self.finding(
                    release.path,
                    f'modelw-preset-django {release.spec} (Model W {release.name}, Python {expected}) is older than '
                    f'python = "{python}" in {file.path}: move the preset forward (poetry lock fails otherwise)',
                    release.line,
                )

    def _requires_python(self, file, spec, release, expected):
        """PEP 621 (uv): only the lower bound counts, as uv reads it."""
        low, expected_low = lower_bound(spec) if isinstance(spec, str) else None, lower_bound(expected)
        if low is None or expected_low is None:
            return
        line = key_line(file.text, "requires-python")
        if low.release[:2] < expected_low.release[:2]:
            target = f">={expected_low.major}.{expected_low.minor}"
            edit = set_requires_python(file, target) if re.fullmatch(r"\s*>=\s*[\d.]+\s*", spec) else None
            fix = self.make_fix(f'set requires-python = "{target}"', [edit]) if edit else None
            yield self.finding(file.path, f'requires-python = "{spec}" but Model W {release.name} is on Python {expected}', line, fix=fix)
        elif low.release[:2] > expected_low.release[:2] and release.path:
            yield self.finding(
                release.path,
                f'modelw-preset-django {release.spec} (Model W {release.name}, Python {expected}) is older than '
                f'requires-python = "{spec}" in {file.path}: move the preset forward (uv lock fails otherwise)',
                release.line,
            )
