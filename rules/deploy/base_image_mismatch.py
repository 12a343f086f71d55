from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import API_DOCKERFILE, PACKAGE_JSON, PYPROJECT, with_files
from ..facts.paths import is_dev_path
from ..releases import BASE_FROM

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.components import Front
    from ..releases import ReleaseInfo



class BaseImageMismatch(RepoRule):
    """
    ## What it does
    Reports a `modelw/base:<YYYY.MM>` tag that disagrees with the project's Model W release
    (the `modelw-preset-django` pin, or the configured `release`), and `api` and `front`
    images built on different tags. Every image, the front's included, follows the back-end's
    release; a front's own preset pin decides its image only when the back-end has none.

    ## Why it matters
    Each `modelw/base` tag carries the Python and Node versions of its release. An image
    on another release's base builds dependencies for the wrong interpreter, or breaks
    on `poetry install`.

    ## Example
    ```dockerfile
    FROM modelw/base:2024.07   # while api/pyproject.toml pins modelw-preset-django 2026.7
    ```

    ## Use instead
    ```dockerfile
    FROM modelw/base:2026.07
    ```

    ## Fix safety
    Safe: the tag is rewritten to the project's release (or, with no known release, to the
    api image's tag). The image moves to that release's Python and Node, which is what its
    dependencies already ask for.

    ## References
    - model-w-reference §3h (MW-H04), §5
    """

    code = "MW804"
    name = "base-image-mismatch"
    family = "deploy"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    reads = ("**/Dockerfile*", "*/pyproject.toml", "*/package.json")

    fires = [
        Example.repo(
            with_files({"api/Dockerfile": API_DOCKERFILE.replace("2026.07", "2024.07")}),
            fixed={"api/Dockerfile": API_DOCKERFILE},
            note="an older base than the preset pin",
            line=1, message="modelw/base:2024.07 is older than the back-end's Model W release",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.1.0,<2026.2.0"),
                "api/Dockerfile": API_DOCKERFILE,
            }),
            note="an image newer than the preset pin: the pin is reported, the image is never lowered",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": None, "api/requirements.txt": "Django\n",
                "api/Dockerfile": API_DOCKERFILE, "front/Dockerfile": API_DOCKERFILE.replace("2026.07", "2026.04"),
            }),
            note="api and front on different tags",
        ),
    ]
    silent = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE, "front/Dockerfile": API_DOCKERFILE}), note="both on the release"),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2026.4.0,<2026.5.0"),
                "api/Dockerfile": API_DOCKERFILE.replace("2026.07", "2026.01"),
                "front/package.json": '{"dependencies": {"@model-w/preset-sveltekit": "~2026.4.0", "@sveltejs/kit": "*"}}',
            }),
            note="an untouched 2026.04 project: its template used modelw/base:2026.01",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace("2026.7.0,<2026.8.0", "2027.1.0,<2027.2.0"),
                "api/Dockerfile": API_DOCKERFILE,
            }),
            note="a release newer than modelw-lint knows",
        ),
        Example.repo(
            with_files({
                "api/pyproject.toml": PYPROJECT.replace(
                    'modelw-preset-django = {extras = ["psycopg", "health", "ninja", "procrastinate"], version = ">=2026.7.0,<2026.8.0"}\n',
                    "",
                ),
                "front/package.json": '{"dependencies": {"@model-w/preset-nuxt3": ">=2023.7.0 && <2023.8.0", "nuxt": "^3"}}',
                "api/Dockerfile": API_DOCKERFILE.replace("2026.07", "2024.10"),
            }),
            note="no back-end pin: a 2023 front pin never decides the api image",
        ),
        Example.repo(with_files({"api/Dockerfile": "FROM python:3.14\n"}), note="not on modelw/base (MW801)"),
    ]
    fires += [
        Example.repo(
            with_files({
                "api/Dockerfile": API_DOCKERFILE,
                "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.4.0"),
                "front/Dockerfile": API_DOCKERFILE.replace("2026.07", "2026.01"),
            }),
            fixed={"front/Dockerfile": API_DOCKERFILE},
            note="a front pinned to 2026.04: its image still follows the back-end's 2026.07, one tag for the repository",
        ),
    ]

    def check(
        self, project: Project, dockerfiles: list[str], backend_release: ReleaseInfo, front_release: ReleaseInfo, fronts: list[Front],
    ):
        tags = {}
        for path in dockerfiles:
            file = project.file(path)
            m = BASE_FROM.search(file.text or "") if file is not None else None
            if m and file is not None and not is_dev_path(path):
                tags[path] = (file, m)
        if not tags:
            return
        front_folders = {f.path.rsplit("/", 1)[0] + "/" if "/" in f.path else "" for f in fronts}
        newest = max(m.group(2) for _f, m in tags.values())
        reported_pins = set()
        for path, (file, m) in sorted(tags.items()):
            tag = m.group(2)
            is_front = any(folder and path.startswith(folder) for folder in front_folders)
            # Every image follows the back-end's release, so that a repository's images end on
            # one tag (a front pinned elsewhere is MW913's business); the front's own pin decides
            # only without a back-end pin.
            governing = backend_release if backend_release.name or not is_front else front_release
            if governing.newer:
                continue  # newer than modelw-lint knows: never judged, never fixed
            if governing.release is not None:
                side = "front" if is_front else "back-end"
                target, why = governing.release.base_image, f"the {side}'s Model W release ({governing.name})"
            elif governing.name is None:
                target, why = newest, "the newest modelw/base tag of the repository"
            else:
                continue  # a release older than the table: MW903 says so
            if tag == target:
                continue
            if tag < target:  # never lower a version: only forward
                start = m.start(2)
                fix = self.make_fix(f"use modelw/base:{target}", [Edit(path, start, m.end(2), target)])
                yield self.finding(path, f"modelw/base:{tag} is older than {why}: use modelw/base:{target}", file.line_of(start), fix=fix)
            elif governing.path and governing.path not in reported_pins:
                # The image is newer: the pin is the older signal, the thing to update.
                reported_pins.add(governing.path)
                yield self.finding(
                    governing.path,
                    f"{governing.source.split(' in ')[0]} (Model W {governing.name}, modelw/base:{target}) is older than "
                    f"modelw/base:{tag} in {path}: move it forward",
                    governing.line,
                )
