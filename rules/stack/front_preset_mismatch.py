from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import PACKAGE_JSON, PYPROJECT, with_files
from ..facts.dependencies import DEPENDENCY_FILES
from ..pyproject_edits import rewrite_spec
from ..versions import release_of

# A pnpm lock file (lockfile v9, as pnpm 10 writes it) resolving the front preset.
PNPM_LOCK = """\
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@model-w/preset-sveltekit':
        specifier: ~2026.7.0
        version: 2026.7.2(svelte@5.57.1)
      '@sentry/sveltekit':
        specifier: ^8.0.0
        version: 8.55.0(svelte@5.57.1)
    devDependencies:
      svelte:
        specifier: '*'
        version: 5.57.1

packages:

  '@model-w/preset-sveltekit@2026.7.2':
    resolution: {integrity: sha512-AAAA}
"""

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.dependencies import Dependency
    from ..releases import ReleaseInfo


class FrontPresetMismatch(RepoRule):
    """
    ## What it does
    Reports, once, a front preset (`@model-w/preset-sveltekit`, `@model-w/preset-nuxt3`)
    on a different Model W release than the back-end's `modelw-preset-django`, naming both,
    on the older of the two pins: the one to move forward. The front's release is the
    version its lock file resolves (`pnpm-lock.yaml` from 2026.10, `package-lock.json`
    before), which is what runs, else its `package.json` range.

    ## Why it matters
    Both presets of a release are made to work together: proxy paths, environment
    variables, Sentry and Node versions. A front on another release than its back-end
    mixes two sets of conventions, and the Docker images disagree on Node.

    ## Example
    ```json
    "@model-w/preset-sveltekit": "~2026.4.0"
    ```
    with `modelw-preset-django = ">=2026.7.0,<2026.8.0"`.

    ## Use instead
    ```json
    "@model-w/preset-sveltekit": "~2026.7.0"
    ```

    ## Fix safety
    Unsafe: the older pin is moved forward to the newer one's release, never back: a front
    preset written `~YYYY.M.P` or `^YYYY.M.P` keeps its operator
    (`"~2026.4.0"` → `"~2026.7.0"`); a back-end pin becomes the canonical range of the
    front's release. The dependency changes (lock files need refreshing) and the front or
    the back-end may need code changes for the new release.

    A lock file that resolves an older release than its own `package.json` asks for is
    stale: no edit, the finding asks for the lock to be refreshed.

    ## References
    - model-w-reference §3i (MW-I01, MW-I06), §5, §6.1 (pnpm)
    """

    code = "MW913"
    name = "front-preset-mismatch"
    family = "stack"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    reads = (*DEPENDENCY_FILES, "package.json", "*/package.json")

    fires = [
        Example.repo(
            with_files({"front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.4.0")}),
            fixed={"front/package.json": PACKAGE_JSON},
            note="front on 2026.04, api on 2026.07: the front pin",
            line=5, message="the front is on Model W 2026.04",
        ),
        Example.repo(
            with_files({"api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.1.0,<2026.2.0")}),
            fixed={"api/pyproject.toml": PYPROJECT},
            note="api on 2026.01, front on 2026.07: the back-end pin",
        ),
        Example.repo(
            with_files({"front/pnpm-lock.yaml": PNPM_LOCK.replace("2026.7.2", "2026.4.1"), "front/pnpm-workspace.yaml": "packages: []\n"}),
            note="pnpm-lock.yaml still resolves 2026.04: the lock is stale, no edit",
            line=5, message="resolved to 2026.4.1 in front/pnpm-lock.yaml",
        ),
        Example.repo(
            with_files({
                "front/package.json": PACKAGE_JSON.replace('"~2026.7.0"', '"*"'),
                "front/package-lock.json": '{"lockfileVersion": 3, "packages": {"": {}, '
                    '"node_modules/@model-w/preset-sveltekit": {"version": "2026.4.2"}}}',
            }),
            note="an unpinned preset that package-lock.json resolves to 2026.04",
        ),
    ]
    silent = [
        Example.repo(with_files({}), note="both on 2026.07"),
        Example.repo(with_files({"front/pnpm-lock.yaml": PNPM_LOCK}), note="pnpm-lock.yaml resolves 2026.7.2"),
        Example.repo(
            with_files({"front/package.json": PACKAGE_JSON.replace('"@model-w/preset-sveltekit": "~2026.7.0",\n', "")}),
            note="no front preset",
        ),
    ]

    def check(self, project: Project, backend_release: ReleaseInfo, front_release: ReleaseInfo, python_dependencies: list[Dependency]):
        back, front = backend_release, front_release
        if back.key is None or front.key is None or back.path is None or front.path is None or back.key == front.key:
            return  # a missing pin, or the configuration's `release` decides both
        older, newer = (front, back) if front.key < back.key else (back, front)
        assert older.path is not None and newer.key is not None
        message = f"the front is on Model W {front.name} ({front.source}) but the back-end on {back.name} ({back.source}): "
        asked = release_of(front.spec)
        if older is front and front.locked and asked is not None and asked >= newer.key:
            # package.json already asks for the newer release; the lock was not refreshed.
            yield self.finding(older.path, message + "refresh the front's lock file (pnpm install, or npm install)", older.line)
            return
        edit = _front_forward(project, front, newer.key) if older is front else _back_forward(project, back, newer.key, python_dependencies)
        yield self.finding(
            older.path,
            message + f"move this pin forward to {newer.name}",
            older.line,
            fix=self.make_fix(f"move the pin forward to {newer.name}", [edit]) if edit is not None else None,
        )


_FRONT_SPEC = re.compile(r"^([~^]?)(\d{4})\.(\d{1,2})\.(\d+)$")


def _front_forward(project, front, key):
    """The front preset's version rewritten to release ``key``, operator kept."""
    m = _FRONT_SPEC.match(front.spec.strip())
    file = project.file(front.path)
    if m is None or file is None or file.text is None:
        return None
    line_start, line_end = file.line_span(front.line, front.line)
    line = file.text[line_start:line_end]
    quoted = f'"{front.spec}"'
    at = line.rfind(quoted)
    if at < 0:
        return None
    new = f'"{m.group(1)}{key[0]}.{key[1]}.0"'
    return Edit(file.path, line_start + at, line_start + at + len(quoted), new)


def _back_forward(project, back, key, python_dependencies):
    """The back-end preset's pin rewritten to the canonical range of release ``key``."""
    from ._common import canonical_range, preset_dependency

    dep = preset_dependency(python_dependencies)
    file = project.file(dep.path) if dep is not None else None
    if dep is None or file is None or dep.path != back.path:
        return None
    return rewrite_spec(file, dep, canonical_range(*key))
