from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity

from .._examples import settings
from ._common import MISSING, PRESET_SIGNATURES, call_signature, statements

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile
    from ..facts.settings import PresetBlock


class EnvGetWithoutDefault(FileRule):
    """
    ## What it does
    Reports `env.get("X")` with neither `default` nor `build_default`, for variables the
    preset does not read itself.

    ## Why it matters
    `modelw-docker build` runs `collectstatic` with `BUILD_MODE=yes`, where no real
    environment exists. A variable with no `build_default` (or `default`) is then missing
    and the image build fails with "Incorrect environment variables. Missing: X".

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        STRIPE_KEY = env.get("STRIPE_KEY")
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        STRIPE_KEY = env.get("STRIPE_KEY", build_default="xxx")
    ```
    (`build_default` keeps the variable required at run time.)

    ## Fix safety
    No fix: whether the variable is optional (`default=`) or required (`build_default=`)
    is a decision about the application.

    ## References
    - model-w-reference §2.1 (build mode), §3b (MW-B06)
    """

    code = "MW206"
    name = "env-get-without-default"
    family = "settings"
    severity = Severity.WARNING
    kinds = ("python",)
    needles = (".get(",)
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('STRIPE_KEY = env.get("STRIPE_KEY")'),
            note="no default at all",
            line=6,
            message="env.get(\"STRIPE_KEY\") has neither default nor build_default",
        ),
        Example.repo(settings('FLAGS = env.get("FLAGS", is_yaml=True)'), note="is_yaml only"),
    ]
    silent = [
        Example.repo(settings('STRIPE_KEY = env.get("STRIPE_KEY", build_default="xxx")'), note="a build default"),
        Example.repo(settings('STRIPE_KEY = env.get("STRIPE_KEY", default=None)'), note="optional"),
        Example.repo(settings('KEY = env.get("MAILJET_API_TOKEN")'), note="the preset's own signature for that name"),
        Example.repo(
            settings('if env.get("STORAGES_MODE", default="s3") == "local":\n    MEDIA_HOST = env.get("MEDIA_HOST")'),
            note="a read under a condition on the environment is not a build-time read",
        ),
    ]

    def check_file(self, file: SourceFile, preset_blocks: dict[str, PresetBlock], env_get_calls: list[ast.Call]):
        tree = file.module
        conditional = {
            id(node) for st in statements(tree, preset_blocks.get(file.path)) if st.branch != "always"
            for node in ast.walk(st.stmt)
        }
        for call in env_get_calls:
            name, sig = call_signature(call)
            if name is None or sig is None or name in PRESET_SIGNATURES:
                continue
            if id(call) in conditional:
                continue  # under an `if`: the image build (BUILD_MODE) does not necessarily run it
            if sig.default is MISSING and sig.build_default is MISSING:
                yield self.finding_at_node(
                    file, call,
                    f'env.get("{name}") has neither default nor build_default: the Docker image build '
                    "(BUILD_MODE) fails without the variable",
                )
