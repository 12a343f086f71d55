from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, RepoRule, Severity

from .._examples import settings

if TYPE_CHECKING:
    from modelw_lint.project.model import Project
    from modelw_lint.lang.pyindex import PythonIndex

    from ._common import WailerRegistry

WAILER_BASES = {"email": "wailer.interfaces.EmailType", "sms": "wailer.interfaces.SmsType"}
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
    No fix: the module or the class the entry names has to be written, or the path corrected,
    by someone who knows which one is meant.

    ## References
    - model-w-reference §3f (MW-F04)
    """

    code = "MW605"
    name = "wailer-type-not-found"
    family = "messaging"
    severity = Severity.ERROR
    reads = ("**/*.py",)

    fires = [
        Example.repo(
            _repo('{"welcome": "acme.apps.people.email.Welcome"}'),
            note="a wrong module",
            line=6,
            message="WAILER_EMAIL_TYPES[\"welcome\"] = \"acme.apps.people.email.Welcome\"",
        ),
        Example.repo(_repo('{"welcome": "acme.apps.people.emails.Welcom"}'), note="a wrong class name"),
        Example.repo(
            _repo('{"welcome": "acme.apps.people.emails.Welcome"}', "class Welcome:\n    pass\n"),
            note="a class that is not an EmailType",
        ),
    ]
    silent = [
        Example.repo(_repo('{"welcome": "acme.apps.people.emails.Welcome"}'), note="the class exists"),
        Example.repo(
            _repo('{"welcome": "acme.apps.people.emails.Welcome"}', "from .email_types import Welcome\n"),
            note="re-exported by an import",
        ),
        Example.repo(_repo('{"demo": "wailer.examples.Demo"}'), note="a path into an installed package"),
        Example.repo(
            {**_repo(
                '{"welcome": "acme.apps.people.emails.Welcome"}',
                "from .base import AcmeEmail\n\n\nclass Welcome(AcmeEmail):\n    pass\n",
            ),
             "api/acme/apps/people/base.py": "from wailer.interfaces import EmailType\n\n\nclass AcmeEmail(EmailType):\n    pass\n"},
            note="a subclass of the project's own EmailType base",
        ),
    ]

    def check(self, project: Project, wailer_registries: dict[str, WailerRegistry], python_index: PythonIndex):
        for kind, registry in wailer_registries.items():
            base = WAILER_BASES[kind]
            for entry in registry.entries.values():
                if not entry.dotted or "." not in entry.dotted:
                    continue
                module, _, cls = entry.dotted.rpartition(".")
                top = module.split(".")[0]
                if not any(python_index.module_file(top) or project.dir_exists(f"{r}/{top}" if r else top) for r in python_index.roots):
                    continue  # not the project's code (a library's type): nothing to check
                if python_index.module_file(module) is None:
                    problem = f"no module {module} in the repository"
                elif python_index.binds(module, cls) is False:
                    problem = f"{python_index.module_file(module)} defines no {cls}"
                elif python_index.is_subclass(entry.dotted, {base}) is False:
                    problem = f"{cls} is not a subclass of {base.rsplit('.', 1)[-1]}"
                else:
                    continue
                yield self.finding(
                    entry.path,
                    f'{"WAILER_EMAIL_TYPES" if kind == "email" else "WAILER_SMS_TYPES"}["{entry.key}"] = "{entry.dotted}": '
                    f"{problem}; Wailer fails when it sends this type",
                    entry.line,
                )
