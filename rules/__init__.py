"""The Model W rule pack: one family per sub-package, one rule per module.

Find a rule from its code: ``grep -rn 'code = "MW201"' rules/`` or ``modelw-lint explain MW201``.
Families: layout (MW1xx), settings (MW2xx), queue (MW3xx), storage (MW4xx), sentry (MW5xx),
messaging (MW6xx).
"""

from modelw_lint.packs import collect_rules
from modelw_lint.rule import Pack

from .facts import FACTS

# Deploy specs that are YAML without the extension.
FILE_KINDS = {"Dogefile": "yaml", "Fluxfile": "yaml"}

pack = Pack(name="modelw", rules=[], facts=FACTS, file_kinds=FILE_KINDS, report={"release": "release_report"})
pack.rules = collect_rules(__import__(__name__, fromlist=["_"]))
