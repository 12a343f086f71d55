import re

from modelw_lint import Edit, Example, FixSafety, RepoRule, Severity

from .._examples import with_files
from .dockerfile_not_modelw_base import API_DOCKERFILE

BASE_FROM = re.compile(r"^(\s*FROM\s+(?:--\S+\s+)*(?:docker\.io/)?modelw/base:)(\d{4}\.\d{2})\b", re.M | re.I)


class BaseImageMismatch(RepoRule):
    """
    ## What it does
    Reports a `modelw/base:<YYYY.MM>` tag that disagrees with the project's Model W release
    (the `modelw-preset-django` pin, or the configured `release`), and `api` and `front`
    images built on different tags.

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
        Example.repo(with_files({"api/Dockerfile": "FROM python:3.14\n"}), note="not on modelw/base (MW801)"),
    ]

    def check(self, project, dockerfiles, release):
        tags = {}
        for path in dockerfiles:
            file = project.file(path)
            m = BASE_FROM.search(file.text or "") if file is not None else None
            if m:
                tags[path] = (file, m)
        if not tags:
            return
        from_dockerfile = release.source.startswith("modelw/base:")
        target = release.release.base_image if release.release and not from_dockerfile else None
        if target is None:
            api = next((m.group(2) for p, (_f, m) in tags.items() if p.startswith("api/")), None)
            target = api or next(iter(tags.values()))[1].group(2)
            why = "the api image's tag"
        else:
            why = f"the project's Model W release ({release.name})"
        for path, (file, m) in sorted(tags.items()):
            tag = m.group(2)
            if tag == target:
                continue
            start = m.start(2)
            fix = self.make_fix(f"use modelw/base:{target}", [Edit(path, start, m.end(2), target)])
            yield self.finding(path, f"modelw/base:{tag} does not match {why}: use modelw/base:{target}", file.line_of(start), fix=fix)
