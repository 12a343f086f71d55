import re

from modelw_lint import Example, RepoRule, Severity

from .._examples import settings

EMAILS = "api/acme/apps/people/emails.py"
EMAILS_PY = "from wailer.interfaces import EmailType\n\n\nclass Welcome(EmailType):\n    pass\n"


def _repo(registry: str, emails: str | None = EMAILS_PY):
    repo = settings(f"WAILER_EMAIL_TYPES = {registry}")
    if emails is not None:
        repo[EMAILS] = emails
    return repo


class WailerTypeNotFound(RepoRule):
    """
    ## What it does
    Reports an entry of `WAILER_EMAIL_TYPES` or `WAILER_SMS_TYPES` whose dotted path does not
    lead to a class in the repository: the module file is missing, or it defines (or
    imports) no class of that name. Paths into packages that are not part of the repository
    are not checked.

    ## Why it matters
    Wailer imports the class when a message of that type is sent: a wrong path fails then,
    in production, not at start-up.

    ## Example
    ```python
    WAILER_EMAIL_TYPES = {"welcome": "acme.apps.people.email.Welcome"}  # the module is emails.py
    ```

    ## Use instead
    ```python
    WAILER_EMAIL_TYPES = {"welcome": "acme.apps.people.emails.Welcome"}
    ```

    ## Fix safety
    No fix.

    ## References
    - model-w-reference §3f (MW-F04)
    """

    code = "MW605"
    name = "wailer-type-not-found"
    family = "messaging"
    severity = Severity.ERROR
    reads = ("**/*.py",)

    fires = [
        Example.repo(_repo('{"welcome": "acme.apps.people.email.Welcome"}'), note="a wrong module"),
        Example.repo(_repo('{"welcome": "acme.apps.people.emails.Welcom"}'), note="a wrong class name"),
    ]
    silent = [
        Example.repo(_repo('{"welcome": "acme.apps.people.emails.Welcome"}'), note="the class exists"),
        Example.repo(_repo('{"welcome": "acme.apps.people.emails.Welcome"}', "from .email_types import Welcome\n"), note="re-exported by an import"),
        Example.repo(_repo('{"demo": "wailer.examples.Demo"}'), note="a path into an installed package"),
    ]

    def check(self, project, wailer_registries, django_projects):
        bases = [b for dj in django_projects for b in (dj.folder, f"{dj.folder}/src" if dj.folder else "src")]
        for kind, registry in wailer_registries.items():
            for entry in registry.entries.values():
                if not entry.dotted or "." not in entry.dotted:
                    continue
                module, _, cls = entry.dotted.rpartition(".")
                top = module.split(".")[0]
                roots = [b for b in bases if project.dir_exists(f"{b}/{top}" if b else top)]
                if not roots:
                    continue  # not the project's code
                rel = module.replace(".", "/")
                candidates = [f"{b}/{rel}" if b else rel for b in roots]
                file = next((project.file(c + ext) for c in candidates for ext in (".py", "/__init__.py") if project.exists(c + ext)), None)
                if file is None:
                    problem = f"no module {module} in the repository"
                elif not re.search(rf"^(class\s+{re.escape(cls)}\b|.*\bimport\b.*\b{re.escape(cls)}\b)", file.text or "", re.M):
                    problem = f"{file.path} defines no class {cls}"
                else:
                    continue
                yield self.finding(
                    entry.path,
                    f'{"WAILER_EMAIL_TYPES" if kind == "email" else "WAILER_SMS_TYPES"}["{entry.key}"] = "{entry.dotted}": '
                    f"{problem}; Wailer fails when it sends this type",
                    entry.line,
                )
