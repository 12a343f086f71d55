from __future__ import annotations


from modelw_lint.lazy import cst
from modelw_lint import Example, FileRule, FixSafety, Severity
from modelw_lint.pysyntax import ImportMap, call_args, code_of, find, replace_node_edit, string_value

from .._examples import SETTINGS_PATH, settings
from ._common import PRESET_SIGNATURES, all_calls

CALLS = {
    "os.getenv": "os.getenv()",
    "os.environ.get": "os.environ.get()",
    "environ.Env": "django-environ",
    "environ.Env.read_env": "django-environ",
    "decouple.config": "python-decouple",
    "dotenv.load_dotenv": "python-dotenv",
}


class EnvironReadInSettings(FileRule):
    """
    ## What it does
    Reports environment reads in a settings module that bypass Model W's `env.get`:
    `os.environ[...]`, `os.environ.get()`, `os.getenv()`, django-environ (`environ.Env`),
    python-decouple (`config()`) and python-dotenv (`load_dotenv()`).

    ## Why it matters
    `EnvManager` is what makes Model W settings work everywhere: it loads `.env` in
    development, applies `build_default` while the Docker image is built (`BUILD_MODE`),
    collects every missing variable into one clear error at start-up, and lists the
    variables a project uses (`manage.py list_used_env_vars`). Direct reads skip all of it:
    a missing variable crashes later, or the image build fails.

    ## Example
    ```python
    with EnvManager(ModelWDjango()) as env:
        MAILJET_SENDER = os.getenv("MAILJET_SENDER", "noreply@acme.io")
    ```

    ## Use instead
    ```python
    with EnvManager(ModelWDjango()) as env:
        MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")
    ```

    ## Fix safety
    Unsafe: `os.getenv("X", d)` and `os.environ.get("X", d)` inside the preset block become
    `env.get("X", default=d)`, `os.getenv("X")` becomes `env.get("X", default=None)` and
    `os.environ["X"]` becomes `env.get("X")`. The value stays a string, but the variable now
    also counts in EnvManager's checks and `.env` loading. Not offered for names the preset
    reads itself (delete the assignment instead), for values used with a method
    (`.lower() == "true"`: use `is_yaml=True`), or outside the block.

    ## References
    - model-w-reference §2.1, §3b (MW-B05)
    """

    code = "MW204"
    name = "environ-read-in-settings"
    family = "settings"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    kinds = ("python",)
    needles = ("environ", "getenv", "decouple", "dotenv")
    scope = "project_settings"

    fires = [
        Example.repo(
            settings('MAILJET_SENDER = os.getenv("MAILJET_SENDER", "noreply@acme.io")', before="import os"),
            fixed={SETTINGS_PATH: settings('MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")', before="import os")[SETTINGS_PATH]},
            note="os.getenv in the block: the unsafe fix uses env.get",
        ),
        Example.repo(settings('import os\nSECRET_KEY = os.environ["SECRET_KEY"]', preset=False), note="os.environ[...] without the preset"),
        Example.repo(settings('import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG")', preset=False), note="django-environ"),
        Example.repo(settings('from os import getenv as ge\nAPI_URL = ge("API_URL")', preset=False), note="an aliased import"),
        Example.repo(
            settings('FEATURE = os.environ.get("FEATURE", "no").lower() == "yes"', before="import os"),
            note="a boolean idiom: reported, no fix",
        ),
    ]
    silent = [
        Example.repo(settings('MAILJET_SENDER = env.get("MAILJET_SENDER", default="noreply@acme.io")'), note="env.get"),
        Example.repo({**settings("ROOT_URLCONF = 'x'"), "api/acme/apps/people/views.py": 'import os\nX = os.getenv("X")\n'}, note="code outside settings"),
        Example.repo(settings('ENVIRONMENT_NAME = "prod"  # not an environ read'), note="a name that merely contains 'environ'"),
    ]

    def check_file(self, file, preset_blocks):
        module = file.parsed
        imports = ImportMap(module)
        block = preset_blocks.get(file.path)
        block_lines = None
        if block is not None and block.env_name:
            start, _, end, _ = file.range_of(block.with_node)
            block_lines = (start, end)
        visitor = all_calls(module)
        for call in visitor.calls:
            name = imports.resolve(call.func)
            if name not in CALLS:
                continue
            fix = None
            if name in ("os.getenv", "os.environ.get") and id(call) not in visitor.receivers:
                fix = self._fix(file, call, block, block_lines, imports)
            yield self.finding_at_node(
                file, call,
                f"{CALLS[name]} in settings: read configuration with env.get() in the EnvManager block",
                fix,
            )
        for sub in find(module, cst.Subscript):
            if len(sub.slice) != 1:
                continue
            if imports.resolve(sub.value) == "os.environ":
                fix = None
                key = string_value(sub.slice[0].slice.value) if isinstance(sub.slice[0].slice, cst.Index) else None
                if key and self._inside(file, sub, block_lines) and key not in PRESET_SIGNATURES:
                    new = cst.parse_expression(f'{block.env_name}.get({code_of(sub.slice[0].slice.value)})')
                    fix = self.make_fix(f'use {block.env_name}.get("{key}")', [replace_node_edit(file, sub, new)])
                yield self.finding_at_node(file, sub, "os.environ[...] in settings: read configuration with env.get() in the EnvManager block", fix)

    def _inside(self, file, node, block_lines):
        if block_lines is None:
            return False
        line = file.range_of(node)[0]
        return block_lines[0] < line <= block_lines[1]

    def _fix(self, file, call, block, block_lines, imports):
        if not self._inside(file, call, block_lines):
            return None
        args = call_args(call, "key", "default")
        if set(args) - {"key", "default"} or "key" not in args:
            return None
        key = string_value(args["key"].value)
        if not key or key in PRESET_SIGNATURES:
            return None
        default = code_of(args["default"].value) if "default" in args else "None"
        new = cst.parse_expression(f"{block.env_name}.get({code_of(args['key'].value)}, default={default})")
        return self.make_fix(f'use {block.env_name}.get("{key}", default=…)', [replace_node_edit(file, call, new)])
