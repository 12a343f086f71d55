from modelw_lint import Example, FileRule, Severity
from modelw_lint.pysyntax import assigned_names

from .._examples import SETTINGS_PATH, SETTINGS_PY, with_files
from ..settings._common import statements


class LanguagesMissing(FileRule):
    """
    ## What it does
    Reports a settings module with the preset block that never sets `LANGUAGES`.

    ## Why it matters
    The preset derives `LANGUAGE_CODE` from `LANGUAGES[0]` and raises `ImproperlyConfigured`
    when `LANGUAGES` is missing: the application does not start.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        INSTALLED_APPS = ["acme.apps.people"]
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        INSTALLED_APPS = ["acme.apps.people"]
        LANGUAGES = [("en", "English")]
    ```

    ## Fix safety
    No fix: which languages the project speaks is its own decision.

    ## References
    - model-w-reference §2.2 (LANGUAGES), §3i (MW-I08)
    """

    code = "MW915"
    name = "languages-missing"
    family = "stack"
    severity = Severity.ERROR
    kinds = ("python",)
    needles = ("ModelWDjango",)
    scope = "project_settings"

    fires = [Example.repo(with_files({SETTINGS_PATH: SETTINGS_PY.replace('    LANGUAGES = [("en", "English")]\n', "")}), note="no LANGUAGES")]
    silent = [
        Example.repo(with_files({}), note="LANGUAGES in the block"),
        Example.repo(with_files({SETTINGS_PATH: 'LANGUAGES = [("fr", "French")]\n' + SETTINGS_PY.replace('    LANGUAGES = [("en", "English")]\n', "")}), note="LANGUAGES set before the block"),
    ]

    def check_file(self, file, preset_blocks):
        block = preset_blocks.get(file.path)
        if block is None:
            return
        if any(name == "LANGUAGES" for st in statements(file.parsed, block) for name, _ in assigned_names(st.small)):
            return
        yield self.finding_at_node(file, block.with_node.items[0], "LANGUAGES is never set: the preset raises ImproperlyConfigured without it")
