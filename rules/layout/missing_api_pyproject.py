from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ..facts.dependencies import DEPENDENCY_FILES, table
from ._common import anchor

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Component, DjangoProject


class MissingApiPyproject(RepoRule):
    """
    ## What it does
    Reports a Django back-end whose folder has no `pyproject.toml` (typically a
    `requirements.txt` only), or whose `pyproject.toml` declares no dependencies (neither
    `[tool.poetry.dependencies]` nor `[project].dependencies`).

    ## Why it matters
    Model W projects declare their dependencies with Poetry in `api/pyproject.toml`:
    the preset pin (`modelw-preset-django`), its extras and the Python constraint live there,
    and `modelw-docker` reads `[tool.poetry].packages` from it to find the Django package.

    ## Example
    ```
    api/manage.py
    api/requirements.txt
    ```

    ## Use instead
    ```toml
    # api/pyproject.toml
    [tool.poetry]
    packages = [{include = "acme"}]

    [tool.poetry.dependencies]
    python = "~3.14"
    modelw-preset-django = {extras = ["psycopg"], version = ">=2026.7.0,<2026.8.0"}
    ```

    ## Fix safety
    No fix: converting requirements to Poetry needs a lock and a human look at the pins.

    ## References
    - model-w-reference §1, §3a (MW-A03)
    """

    code = "MW104"
    name = "missing-api-pyproject"
    family = "layout"
    severity = Severity.WARNING
    reads = (*DEPENDENCY_FILES, "**/manage.py")

    fires = [
        Example.repo(
            with_files({"api/pyproject.toml": None, "api/requirements.txt": "Django==5.2\n"}),
            note="requirements.txt only",
            line=1,
            message="the back-end in api/ has no pyproject.toml",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": "[tool.black]\nline-length = 100\n", "api/requirements.txt": "Django==5.2\n"}),
            note="a pyproject.toml for tool settings only",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="api/pyproject.toml exists"),
        Example.repo(with_files({"api/requirements.txt": "-r base.txt\n"}), note="a requirements file beside pyproject.toml"),
        Example.repo(
            with_files({
                ".github/upgrade-test/manage.py": "import os\n",
                ".github/requirements/build.txt": "build==1.2.1\n",
            }),
            note="requirements of CI tooling in .github/",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": '[project]\nname = "acme"\ndependencies = ["modelw-preset-django>=2026.7.0,<2026.8.0"]\n'}),
            note="PEP 621 dependencies",
        ),
    ]

    def check(self, project: Project, components: dict[str, Component], django_projects: list[DjangoProject]):
        seen = set()
        for dj in django_projects:
            top = dj.folder.split("/")[0] if dj.folder else ""
            comp = components.get(top)
            if top in seen or comp is None:
                continue
            seen.add(top)
            where = f"{top}/" if top else "the repository root"
            if comp.pyproject:
                file = project.file(comp.pyproject)
                if file is None:
                    continue
                data = file.parsed
                if not isinstance(data, dict) or _declares_dependencies(data):
                    continue  # a pyproject.toml that does not parse is reported as MW002
                elsewhere = f" (they are in {', '.join(comp.requirements)})" if comp.requirements else ""
                m = re.search(r"^\[(tool\.poetry|project)\]", file.text or "", re.M)
                yield self.finding(
                    comp.pyproject,
                    f"{comp.pyproject} declares no dependencies{elsewhere}: Model W declares them with Poetry "
                    "([tool.poetry.dependencies], with the modelw-preset-django pin)",
                    (file.text or "").count("\n", 0, m.start()) + 1 if m else 1,
                )
                continue
            path = comp.requirements[0] if comp.requirements else anchor(project, dj.manage_py)
            yield self.repo_finding(
                path,
                f"the back-end in {where} has no pyproject.toml: Model W declares dependencies with Poetry "
                "(the modelw-preset-django pin, its extras and the Python constraint)",
                "requirements file of the back-end" if comp.requirements else "manage.py of the back-end",
            )


def _declares_dependencies(data: dict) -> bool:
    return bool(table(data, "tool", "poetry").get("dependencies") or table(data, "project").get("dependencies"))
