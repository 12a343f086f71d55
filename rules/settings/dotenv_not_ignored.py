from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity
from modelw_lint.lang.textlines import newline_of

from .._examples import with_files
from ._gitignore import is_ignored, public_front_env

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Component, Front


class DotenvNotIgnored(RepoRule):
    """
    ## What it does
    Reports a repository whose `.gitignore` does not ignore `.env` files, at the root or
    in a component (`api/.env`, `front/.env`), when the project uses `.env` files (the
    preset, or any `.env`, `.env-template` or `.env.test`). A front that commits a `.env`
    holding only public build-time variables (`VITE_`, `PUBLIC_`, `NUXT_PUBLIC_`,
    `NEXT_PUBLIC_`…) does so on purpose: that file is not a secret.

    ## Why it matters
    `.env` holds each developer's local secrets: EnvManager loads it automatically, and
    project-maker copies `.env-template` to `.env` when it creates the project. If git
    does not ignore it, the next `git add .` commits those secrets.

    ## Example
    ```
    # .gitignore
    node_modules/
    ```

    ## Use instead
    ```
    # .gitignore
    node_modules/
    .env
    ```

    ## Fix safety
    Safe: `.env` is appended to the root `.gitignore` (created if missing, in the file's own
    line endings); beside a front's public `.env`, each exposed file is added by its path
    (`/api/.env`) so the front's stays as it is. Nothing that git tracks changes.

    ## References
    - model-w-reference §1, §3b (MW-B09)
    """

    code = "MW207"
    name = "dotenv-not-ignored"
    family = "settings"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    reads = (".gitignore", "*/.gitignore", "**/.env*")

    fires = [
        Example.repo(
            with_files({".gitignore": "node_modules/\n"}),
            fixed={".gitignore": "node_modules/\n.env\n"},
            note="the root .gitignore forgets .env",
            line=1, message="git does not ignore .env, api/.env, front/.env",
        ),
        Example.repo(
            with_files({".gitignore": None}),
            fixed={".gitignore": ".env\n"},
            note="no .gitignore at all",
        ),
        Example.repo(
            with_files({".gitignore": "node_modules/\r\n*.pyc\r\n"}),
            fixed={".gitignore": "node_modules/\r\n*.pyc\r\n.env\r\n"},
            note="a CRLF .gitignore gets a CRLF line",
        ),
        Example.repo(with_files({".gitignore": "/.env\n"}), note="only the root .env is ignored"),
        Example.repo(
            with_files({".gitignore": "node_modules/\n", "front/.env": "PUBLIC_API_URL=/back\nVITE_SENTRY_ENV=dev\n"}),
            fixed={".gitignore": "node_modules/\n/.env\n/api/.env\n"},
            note="a front that commits its public .env: the back-end's are ignored by path, the front's is left alone",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="the template's .gitignore"),
        Example.repo(with_files({".gitignore": "node_modules/\n/.env\n", "api/.gitignore": ".env\n", "front/.gitignore": ".env\n"}),
            note="ignored at the root and in each component",),
        Example.repo({"README.md": "# tools\n", "tool.py": "print(1)\n"}, note="a repository that uses no .env files"),
    ]

    def check(self, project: Project, components: dict[str, Component], preset_in_use: bool, fronts: list[Front]):
        uses_dotenv = preset_in_use or any(f.kind == "dotenv" for f in project.files())
        if not uses_dotenv:
            return
        front_folders = {f.path.rpartition("/")[0] for f in fronts}
        candidates = [".env"] + [f"{name}/.env" for name in components if name]
        # A front that commits its .env of public build-time variables does so on purpose.
        public = [p for p in candidates if project.exists(p) and public_front_env(project, p, front_folders)]
        exposed = [p for p in candidates if p not in public and not is_ignored(project, p)]
        if not exposed:
            return
        gitignore = project.file(".gitignore")
        text = gitignore.text if gitignore is not None else None
        # ".env" ignores every .env; beside a front's public one, each exposed file by its path.
        lines = [f"/{p}" for p in exposed] if public else [".env"]
        if gitignore is None:
            edit = Edit(".gitignore", 0, 0, "".join(f"{line}\n" for line in lines))
            anchor, why = next((p for p in ("README.md", *project.paths) if project.exists(p)), ".gitignore"), "there is no .gitignore"
        else:
            text = text or ""
            newline = newline_of(text)  # a CRLF .gitignore gets a CRLF line
            prefix = "" if not text or text.endswith(("\n", "\r")) else newline
            edit = Edit(".gitignore", len(text), len(text), prefix + "".join(f"{line}{newline}" for line in lines))
            anchor, why = ".gitignore", "the root ignore file"
        fix = self.make_fix(f"add {', '.join(lines)} to the root .gitignore", [edit])
        yield self.repo_finding(
            anchor,
            f"git does not ignore {', '.join(exposed)}: local secrets would be committed",
            why,
            fix=fix,
        )
