from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import MANAGE_PY, with_files

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import DjangoProject


class DjangoOutsideApi(RepoRule):
    """
    ## What it does
    Reports a Django project (its `manage.py`) that is not in the `api/` folder at the root
    of the repository, when no Django project is in `api/`.

    ## Why it matters
    Model W repositories hold one component per top-level folder: `api/` for Django,
    `front/` for the JS front. The deploy tooling, the CI templates and every developer
    expect the back-end there; a `backend/` or root-level `manage.py` breaks all of them.

    ## Example
    ```
    backend/manage.py
    backend/acme/settings.py
    ```

    ## Use instead
    ```
    api/manage.py
    api/acme/django/settings.py
    ```
    Move the folder with `git mv backend api` and update the paths in Dockerfiles and CI.

    ## Fix safety
    No fix: moving a component touches deploy configuration the linter cannot see.

    ## References
    - Model W architecture, "Repo structure"
    - model-w-reference §1, §3a (MW-A01)
    """

    code = "MW101"
    name = "django-outside-api"
    family = "layout"
    severity = Severity.ERROR
    reads = ("**/manage.py",)

    fires = [
        Example.repo(
            with_files({"api/manage.py": None, "backend/manage.py": MANAGE_PY}),
            note="manage.py in backend/",
            line=1,
            message="the Django project is in backend/, not in api/",
        ),
        Example.repo(with_files({"api/manage.py": None, "manage.py": MANAGE_PY}), note="manage.py at the root"),
        Example.repo(with_files({"api/manage.py": None, "src/manage.py": MANAGE_PY}), note="manage.py in src/"),
    ]
    silent = [
        Example.repo(with_files({}), note="the template layout"),
        Example.repo(with_files({"bot/manage.py": MANAGE_PY}), note="another component beside api/"),
        Example.repo(with_files({"api/tests/manage.py": MANAGE_PY}), note="a test helper named manage.py"),
        Example.repo(
            with_files({"api/manage.py": None, ".github/upgrade-test/manage.py": MANAGE_PY}),
            note="a Django project CI builds to test upgrades (.github/ is tooling)",
        ),
    ]

    def check(self, project: Project, django_projects: list[DjangoProject]):
        if not django_projects or any(dj.folder == "api" or dj.folder.startswith("api/") for dj in django_projects):
            return
        for dj in django_projects:
            where = f"{dj.folder}/" if dj.folder else "the repository root"
            yield self.finding(
                dj.manage_py,
                f"the Django project is in {where}, not in api/: Model W keeps the back-end in api/ "
                "(move it with `git mv`)",
            )
