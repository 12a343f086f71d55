"""What the Sentry rules (and the audit) share: which front packages report browser errors."""

from __future__ import annotations

SENTRY_PACKAGES = (
    "@sentry/sveltekit", "@sentry/vue", "@sentry/nuxt", "@model-w/sentry", "@nuxtjs/sentry", "@model-w/preset-nuxt3",
)
# Sentry packages that report no browser error: build plugins, the CLI, server and shared code.
NOT_BROWSER_SDKS = (
    "@sentry/cli", "@sentry/vite-plugin", "@sentry/webpack-plugin", "@sentry/rollup-plugin", "@sentry/esbuild-plugin",
    "@sentry/types", "@sentry/utils", "@sentry/core", "@sentry/node", "@sentry/bundler-plugin-core",
)


def reports_browser_errors(deps: dict[str, str]) -> bool:
    """Whether the front's dependencies send its errors to Sentry: a Model W integration, or
    any browser SDK of Sentry (``@sentry/react`` on a React front: the drift there is the
    framework, MW910, not missing errors)."""
    return bool(set(deps) & set(SENTRY_PACKAGES)) or any(d.startswith("@sentry/") and d not in NOT_BROWSER_SDKS for d in deps)
