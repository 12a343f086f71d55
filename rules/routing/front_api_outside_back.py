from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity

from .._examples import with_files
from ..facts.text import strip_js_comments

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

VITE = "front/vite.config.ts"
VITE_OK = """\
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({
    plugins: [sveltekit()],
    server: { proxy: { "/back": { target: process.env.VITE_API_URL } } },
});
"""
# One quantifier after the host's first character: the URL runs to the next quote or space
# (two overlapping ones were quadratic on a long unterminated URL).
ABSOLUTE_API = re.compile(r"""(['"`])(https?://api\.[\w.-][^'"`\s]*+)\1""")
PROXY_BLOCK = re.compile(r"\bproxy\s*:\s*([\[{])")
BACK_KEY = re.compile(r"""['"`]\^?/back\b""")


class FrontApiOutsideBack(FileRule):
    """
    ## What it does
    Reports a front that reaches the back-end outside `/back`: a dev-server proxy (Vite's
    `server.proxy`, the Nuxt `proxy` option) that does not forward `/back`, and front code
    calling an absolute API host (`https://api.example.com/…`) instead of `/back/…`.

    ## Why it matters
    In production the load balancer sends `/back` to Django on the front's own domain; in
    development the front's proxy plays that part. A front that calls another host needs
    CORS, loses the shared session cookie, and behaves differently in development and
    production.

    ## Example
    ```ts
    server: { proxy: { "/api": "http://localhost:8000" } }
    const me = await fetch("https://api.acme.com/me");
    ```

    ## Use instead
    ```ts
    server: { proxy: { "/back": { target: env.VITE_API_URL } } }
    const me = await fetch("/back/api/me");
    ```

    ## Fix safety
    No fix: an absolute API address may serve other clients too, and rewriting it to `/back/…`
    needs the front's proxy and deployment to route `/back` first; a person decides.

    ## References
    - model-w-reference §1 (front/ vite.config.ts), §3g (MW-G04)
    """

    code = "MW704"
    name = "front-api-outside-back"
    family = "routing"
    severity = Severity.WARNING
    kinds = ("other",)
    needles = ("proxy", "://api.")
    scope = "front_sources"

    fires = [
        Example.repo(
            with_files({VITE: VITE_OK.replace('"/back"', '"/api"')}),
            note="a Vite proxy without /back",
            line=6,
            message="the dev-server proxy does not forward /back",
        ),
        Example.repo(
            with_files({"front/nuxt.config.js": "export default {\n  modules: ['@nuxtjs/proxy'],\n  proxy: ['/api'],\n}\n"}),
            note="a Nuxt 2 proxy list",
        ),
        Example.repo(
            with_files({"front/src/lib/api.ts": 'export const me = () => fetch("https://api.acme.com/me");\n'}),
            note="an absolute API host",
        ),
    ]
    silent = [
        Example.repo(with_files({VITE: VITE_OK}), note="the template's proxy"),
        Example.repo(
            with_files({"front/src/lib/api.ts": 'export const me = () => fetch("/back/api/me");\n'
                'const docs = "https://apidocs.example.com";\n'}),
            note="relative /back calls",
        ),
        Example.repo(with_files({"front/src/lib/http.ts": "// no proxy here\nexport const proxy = null;\n"}), note="the word proxy"),
        Example.repo(
            with_files({VITE: VITE_OK.replace("    server: {", "    // server: { proxy: { '/api': 'http://x:8000' } },\n    server: {")}),
            note="a proxy commented out",
        ),
        Example.repo(
            with_files({
                "front/src/lib/Avatar.stories.ts": 'export const Default = { args: { src: "https://api.acme.com/avatar.png" } };\n',
                "front/src/mocks/handlers.ts": 'http.get("https://api.acme.com/me", () => HttpResponse.json({}));\n',
                "front/src/lib/api.spec.ts": 'expect(url).toBe("https://api.acme.com/me");\n',
                "front/src/lib/api.ts": '// The old host was "https://api.acme.com/v1".\nexport const me = () => fetch("/back/api/me");\n',
            }),
            note="Storybook stories, mocks, tests and comments",
        ),
    ]

    def check_file(self, file: SourceFile):
        # Commented-out configuration and URLs in comments are not calls.
        text = strip_js_comments(file.text or "", html=file.path.endswith((".svelte", ".vue", ".html")))
        scanned = 0  # a "proxy:" inside a block already scanned is not scanned again (linear)
        for m in PROXY_BLOCK.finditer(text):
            if m.start() < scanned:
                continue
            body = _balanced(text, m.start(1))
            scanned = m.start(1) + (len(body) if body is not None else BLOCK_LIMIT)
            if body is not None and not BACK_KEY.search(body) and re.search(r"""['"`]/""", body):
                line = file.line_of(m.start())
                yield self.finding(
                    file.path,
                    "the dev-server proxy does not forward /back: the front must reach Django under /back, as in production",
                    line,
                )
        for m in ABSOLUTE_API.finditer(text):
            line = file.line_of(m.start(2))
            col = m.start(2) - file.line_starts[line - 1] + 1
            yield self.finding(file.path, f"the front calls {m.group(2)}: call /back/… on its own domain instead", line, col)


BLOCK_LIMIT = 5000  # characters: a proxy block is a few lines


def _balanced(text: str, start: int) -> str | None:
    """The text of the bracketed block opening at ``start``."""
    pairs = {"{": "}", "[": "]"}
    opening = text[start]
    depth = 0
    for i in range(start, min(len(text), start + BLOCK_LIMIT)):
        ch = text[i]
        if ch == opening:
            depth += 1
        elif ch == pairs[opening]:
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None
