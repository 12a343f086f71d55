from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import PACKAGE_JSON, PYPROJECT, with_files
from ..facts.paths import join, parent

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front
    from ..releases import ReleaseInfo

ON_2026_10: dict[str, str | None] = {
    "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.10.0,<2026.11.0"),
    "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.10.0"),
    "front/pnpm-workspace.yaml": "allowBuilds:\n  '@parcel/watcher': false\n",
}
NPM_LOCK = '{"name": "acme-front", "lockfileVersion": 3, "packages": {"": {"name": "acme-front"}}}\n'


class NpmLockOnPnpmRelease(RepoRule):
    """
    ## What it does
    Reports a front on a Model W release whose front is built with pnpm (2026.10 and later)
    that carries npm's `package-lock.json`, beside its pnpm files (`pnpm-workspace.yaml`,
    `pnpm-lock.yaml`) or instead of them. The maker leaves the lock file out of a fresh
    project, so a front with no lock file at all is not reported.

    ## Why it matters
    From 2026.10 `modelw-docker` installs the front with `pnpm install --frozen-lockfile`
    and the template's Dockerfile copies `pnpm-lock.yaml`: a `package-lock.json` is not what
    the image installs from, so the versions developers test with npm are not the ones that
    ship, and two lock files drift apart.

    ## Example
    ```
    front/package.json          "@model-w/preset-sveltekit": "~2026.10.0"
    front/pnpm-workspace.yaml
    front/package-lock.json
    ```

    ## Use instead
    ```
    front/package.json
    front/pnpm-workspace.yaml
    front/pnpm-lock.yaml        (pnpm install)
    ```

    ## Fix safety
    No fix: the replacement lock file comes from `pnpm install`, which modelw-lint never
    runs; delete `package-lock.json` once `pnpm-lock.yaml` is committed.

    ## References
    - model-w-reference §6.1 (the front moved from npm to pnpm in 2026.10)
    """

    code = "MW917"
    name = "npm-lock-on-pnpm-release"
    family = "stack"
    severity = Severity.WARNING
    reads = ("*/package.json", "*/package-lock.json", "*/pnpm-lock.yaml", "*/pnpm-workspace.yaml", "*/pyproject.toml")

    fires = [
        Example.repo(
            with_files({**ON_2026_10, "front/package-lock.json": NPM_LOCK}),
            note="package-lock.json beside a 2026.10 front's pnpm files",
            line=1, message="front/package-lock.json is npm's lock file, but Model W 2026.10 builds the front with pnpm",
        ),
        Example.repo(
            with_files({**ON_2026_10, "front/pnpm-workspace.yaml": None, "front/package-lock.json": NPM_LOCK}),
            note="a front moved to 2026.10 that still installs with npm",
        ),
    ]
    silent = [
        Example.repo(with_files(ON_2026_10), note="the 2026.10 template: pnpm files, no lock file yet"),
        Example.repo(with_files({**ON_2026_10, "front/pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}), note="pnpm-lock.yaml"),
        Example.repo(with_files({"front/package-lock.json": NPM_LOCK}), note="npm's lock on 2026.07, a release on npm"),
    ]

    def check(self, project: Project, fronts: list[Front], front_release: ReleaseInfo, release: ReleaseInfo):
        governing = front_release if front_release.name is not None else release
        known = governing.knowledge
        if known is None or known.package_manager != "pnpm":
            return
        for front in fronts:
            lock = join(parent(front.path), "package-lock.json")
            if not project.exists(lock):
                continue
            beside = [name for name in ("pnpm-lock.yaml", "pnpm-workspace.yaml") if project.exists(join(parent(front.path), name))]
            where = f" beside {' and '.join(beside)}" if beside else ""
            yield self.finding(
                lock,
                f"{lock} is npm's lock file, but Model W {governing.name} builds the front with pnpm "
                f"(modelw-docker runs pnpm install --frozen-lockfile){where}: commit pnpm-lock.yaml and delete it",
                1,
            )
