"""The Model W rule pack: one family per sub-package, one rule per module.

Find a rule from its code: ``grep -rn 'code = "MW201"' rules/`` or ``modelw-lint explain MW201``.
Families: layout (MW1xx), settings (MW2xx), queue (MW3xx), storage (MW4xx), sentry (MW5xx),
messaging (MW6xx), routing (MW7xx), deploy (MW8xx), stack (MW9xx). Shared pieces: facts/ (facts
injected into rules), releases.py + releases.toml (Model W releases), versions.py (version
ranges), audit.py (the families, the migration plan and the facts of the audit report),
_examples.py (the compliant repository examples start from).
"""

from modelw_lint.engine.packs import collect_rules
from modelw_lint.core.rule import Pack

from .audit import AUDIT, FAMILIES
from .facts import FACTS
from .releases import check_release_setting

# Deploy specs that are YAML without the extension.
FILE_KINDS = {"Dogefile": "yaml", "Fluxfile": "yaml"}

pack = Pack(
    name="modelw", rules=[], facts=FACTS, file_kinds=FILE_KINDS, report={"release": "release_report"},
    setting_checks={"release": check_release_setting}, families=FAMILIES, audit=AUDIT, explain="project_explained",
)
# refresh.py is the maintainers' release tool (python -m modelw_lint_rules.refresh): no rules.
pack.rules = collect_rules(__import__(__name__, fromlist=["_"]), skip=("refresh",))
