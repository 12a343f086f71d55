from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from modelw_lint import Example, RepoRule, Severity
from modelw_lint.lang.pyast import assigned_names, string_value

from .._examples import settings, with_files
from ..facts.settings import statements

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from ..facts.settings import PresetBlock


def _host(value: str) -> str:
    value = value.strip()
    if "://" not in value:
        value = "https://" + value
    return (urlparse(value).hostname or "").lower()


class CdnOnAppDomain(RepoRule):
    """
    ## What it does
    Reports user uploads served from the application's own domain: `AWS_S3_CUSTOM_DOMAIN`
    with the same host as `BASE_URL`, in one `.env` file, one deploy spec or compose file,
    or the settings.

    ## Why it matters
    Model W serves uploads from a CDN in front of the bucket, on a separate domain: user
    content then cannot read the application's cookies, and the CDN's caching rules do
    not mix with the application's.

    ## Example
    ```
    BASE_URL=https://acme.com
    AWS_S3_CUSTOM_DOMAIN=acme.com
    ```

    ## Use instead
    ```
    BASE_URL=https://acme.com
    AWS_S3_CUSTOM_DOMAIN=cdn.acme-content.com
    ```

    ## Fix safety
    No fix: a CDN on its own domain is infrastructure (a distribution, a DNS name, a certificate)
    that exists before the setting can name it.

    ## References
    - Model W architecture, "HTTP Routing" (two endpoints)
    - model-w-reference §3g (MW-G05)
    """

    code = "MW705"
    name = "cdn-on-app-domain"
    family = "routing"
    severity = Severity.WARNING
    reads = ("**/.env*", "**/*.yml", "**/*.yaml", "Dogefile", "Fluxfile", "**/settings.py")

    fires = [
        Example.repo(
            with_files({"api/.env-template": "BASE_URL=https://acme.com\nAWS_S3_CUSTOM_DOMAIN=acme.com\n"}),
            note="in .env-template",
            line=2, message="uploads are served from the application's own domain (acme.com)",
        ),
        Example.repo(settings('BASE_URL = "https://www.acme.com"\nAWS_S3_CUSTOM_DOMAIN = "www.acme.com"'), note="in the settings"),
    ]
    silent = [
        Example.repo(
            with_files({"api/.env-template": "BASE_URL=https://acme.com\nAWS_S3_CUSTOM_DOMAIN=cdn.acme-content.com\n"}),
            note="a separate CDN domain",
        ),
        Example.repo(
            with_files({"api/.env-template": "BASE_URL=https://acme.com\n", "api/.env.test": "AWS_S3_CUSTOM_DOMAIN=acme.com\n"}),
            note="values from different files",
        ),
    ]

    def check(self, project: Project, config_files: set[str], project_settings: set[str], preset_blocks: dict[str, PresetBlock]):
        from modelw_lint.lang import yamltree

        for path in sorted(config_files | project_settings):
            file = project.file(path)
            if file is None or not file.contains("AWS_S3_CUSTOM_DOMAIN"):
                continue
            if (file.tree if file.kind == "python" else file.parsed) is None:
                continue
            values: dict[str, tuple[str, int]] = {}
            if file.kind == "dotenv":
                values = {e.key: (e.value, e.line) for e in file.parsed}
            elif file.kind == "yaml":
                for doc in file.parsed:
                    for p, node in yamltree.walk_scalars(doc):
                        key = str(p[-1]) if p else ""
                        if key in ("BASE_URL", "AWS_S3_CUSTOM_DOMAIN"):
                            values[key] = (node.value, yamltree.line(node))
                        elif "=" in node.value:
                            name, _, value = node.value.partition("=")
                            values[name.strip()] = (value.strip(), yamltree.line(node))
            elif file.kind == "python" and file.tree is not None:
                for st in statements(file.tree, preset_blocks.get(path)):
                    if not st.production:
                        continue
                    for name, value in assigned_names(st.stmt):
                        text = string_value(value)
                        if text is not None:
                            values[name] = (text, st.stmt.lineno)
            if "BASE_URL" in values and "AWS_S3_CUSTOM_DOMAIN" in values:
                cdn, line = values["AWS_S3_CUSTOM_DOMAIN"]
                if cdn and _host(cdn) == _host(values["BASE_URL"][0]):
                    yield self.finding(
                        path, f"uploads are served from the application's own domain ({_host(cdn)}): put the CDN on a domain of its own",
                        line,
                    )
