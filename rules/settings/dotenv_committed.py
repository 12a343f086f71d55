from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import with_files
from ._gitignore import public_front_env

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front

SECRET_ENV_NAMES = {".env", ".env.local", ".env.prod", ".env.production"}


class DotenvCommitted(RepoRule):
    """
    ## What it does
    Reports a `.env` file (also `.env.local`, `.env.prod`, `.env.production`) that is
    committed to git, in any component. `.env-template` and `.env.test` are meant to be
    committed and are left alone, and so is a front's `.env` that holds only public
    build-time variables (`VITE_`, `PUBLIC_`, `NUXT_PUBLIC_`…). This rule needs a git work tree.

    ## Why it matters
    A committed `.env` publishes real credentials to everyone with access to the
    repository, and they stay in its history even after the file is deleted.

    ## Example
    ```
    $ git ls-files api/
    api/.env
    ```

    ## Use instead
    ```
    git rm --cached api/.env     # then rotate every secret it held
    ```
    and commit `.env-template` with placeholder values instead.

    ## Fix safety
    No fix: untracking the file is a git operation, and the secrets it held must be rotated
    since they stay in the history.

    ## References
    - model-w-reference §1, §3b (MW-B09)
    """

    code = "MW208"
    name = "dotenv-committed"
    family = "settings"
    severity = Severity.ERROR
    reads = ("**/.env*",)

    fires = [
        Example.repo(
            with_files({".gitignore": "node_modules/\n", "api/.env": "SECRET_KEY=real-secret\n"}),
            note="api/.env is committed (examples run in a git repository, every file added)",
            line=1, message="api/.env is committed",
        ),
    ]
    silent = [
        Example.repo(with_files({"api/.env.test": "ENVIRONMENT=test\n"}), note=".env.test is meant to be committed"),
        Example.repo(
            with_files({"front/.env": "PUBLIC_API_URL=/back\nVITE_SENTRY_ENVIRONMENT=production\n"}),
            note="a front's .env of public build-time variables, committed on purpose",
        ),
        Example.repo(with_files({}), note=".env-template only"),
    ]

    def check(self, project: Project, fronts: list[Front]):
        front_folders = {f.path.rpartition("/")[0] for f in fronts}
        for file in project.files("dotenv"):
            name = file.path.rsplit("/", 1)[-1]
            if name in SECRET_ENV_NAMES and file.tracked and not public_front_env(project, file.path, front_folders):
                yield self.finding(
                    file.path,
                    f"{file.path} is committed: untrack it (git rm --cached {file.path}), ignore it, "
                    "and rotate the secrets it held (they stay in git history)",
                )
