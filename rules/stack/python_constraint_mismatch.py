import re

from modelw_lint import Example, FixSafety, RepoRule, Severity

from .._examples import PYPROJECT, with_files
from ..facts.dependencies import key_line
from ._common import set_poetry_python


class PythonConstraintMismatch(RepoRule):
    """
    ## What it does
    Reports a `python` constraint in `[tool.poetry.dependencies]` that differs from the one
    of the project's Model W release (`~3.14` for 2026.07; see `rules/releases.toml`).

    ## Why it matters
    The preset of each release declares its Python constraint, and the `modelw/base` image
    of the release ships that Python. Another constraint makes `poetry lock` fail, or
    builds the lock for an interpreter the image does not have.

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
    Safe: the constraint is set to the release's (tomlkit keeps comments and layout). The
    lock file must be refreshed, which any change of pin needs anyway.

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
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="~3.14 on 2026.07"),
        Example.repo(with_files({"api/pyproject.toml": PYPROJECT.replace('python = "~3.14"\n', "")}), note="no python constraint"),
    ]

    def check(self, project, components, release):
        if release.release is None:
            return
        expected = release.release.python
        for comp in components.values():
            if not comp.pyproject:
                continue
            file = project.file(comp.pyproject)
            data = file.parsed if file is not None else None
            if not isinstance(data, dict):
                continue
            python = data.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
            if not isinstance(python, str) or re.sub(r"\s+", "", python) == expected:
                continue
            edit = set_poetry_python(file, expected)
            fix = self.make_fix(f'set python = "{expected}"', [edit]) if edit else None
            yield self.finding(
                file.path, f'python = "{python}" but Model W {release.name} is on Python {expected}',
                key_line(file.text, "python"), fix=fix,
            )
