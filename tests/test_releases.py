"""What modelw-lint knows of each Model W release, checked against the template history
(model-w-reference §1, §3i, §5), and how version ranges are read."""

from __future__ import annotations

import pytest
from modelw_lint_rules.releases import latest, releases, supported
from modelw_lint_rules.versions import admits, one_release, release_of

# release: (python, base image, front, queue, celery optional, django, api, storage settings, node, server, package manager)
# as model-w-reference §1, §3i, §5 and §6 tell them (tests/test_official_templates.py checks the table
# against the published wheels as well).
TEMPLATE_HISTORY = {
    "2022.10": ("~3.10", "2022.10", "nuxt2", "celery", False, "~4.1", ("drf",), "DEFAULT_FILE_STORAGE", "", "gunicorn", "npm"),
    "2023.01": ("~3.10", "2023.01", "nuxt2", "celery", False, "~4.1", ("drf",), "DEFAULT_FILE_STORAGE", "", "gunicorn", "npm"),
    "2023.03": ("~3.10", "2023.03", "nuxt2", "celery", False, "~4.1", ("drf",), "DEFAULT_FILE_STORAGE", "", "gunicorn", "npm"),
    "2023.04": ("~3.10", "2023.04", "nuxt3", "celery", False, "~4.1", ("drf",), "DEFAULT_FILE_STORAGE", "18", "gunicorn", "npm"),
    "2023.07": ("~3.11", "2023.07", "nuxt3", "celery", False, "~4.1", ("drf",), "DEFAULT_FILE_STORAGE", "18", "gunicorn", "npm"),
    "2024.04": ("~3.11", "2024.04", "nuxt3", "celery", False, "~4.2", ("drf",), "DEFAULT_FILE_STORAGE", "20", "gunicorn", "npm"),
    "2024.07": ("~3.11", "2024.07", "nuxt3", "celery", False, "~4.2", ("drf",), "DEFAULT_FILE_STORAGE", "20", "gunicorn", "npm"),
    "2024.10": ("~3.11", "2024.10", "sveltekit", "celery", False, "~4.2", ("drf",), "DEFAULT_FILE_STORAGE", "20", "gunicorn", "npm"),
    "2025.01": ("~3.12", "2025.01", "sveltekit", "celery", True, "~4.2", ("drf",), "DEFAULT_FILE_STORAGE", "22", "granian", "npm"),
    "2025.04": ("~3.12", "2025.04", "sveltekit", "procrastinate", True, "~5.1", ("drf",), "STORAGES", "22", "granian", "npm"),
    "2025.07": ("~3.13", "2025.07", "sveltekit", "procrastinate", True, "~5.2", ("drf",), "STORAGES", "22", "granian", "npm"),
    "2025.10": ("~3.13", "2025.10", "sveltekit", "procrastinate", True, "~5.2", ("drf",), "STORAGES", "22", "granian", "npm"),
    "2026.01": ("~3.14", "2026.01", "sveltekit", "procrastinate", True, "~6.0", ("drf",), "STORAGES", "24", "granian", "npm"),
    # The 2026.04 template still built on modelw/base:2026.01; 2026.07 moved to its own tag.
    "2026.04": ("~3.14", "2026.01", "sveltekit", "procrastinate", True, "~6.0", ("ninja", "drf"), "STORAGES", "24", "granian", "npm"),
    "2026.07": ("~3.14", "2026.07", "sveltekit", "procrastinate", True, "~6.0", ("ninja", "drf"), "STORAGES", "24", "granian", "npm"),
    # 2026.10: Django 6.1, and the front on pnpm.
    "2026.10": ("~3.14", "2026.10", "sveltekit", "procrastinate", True, "~6.1", ("ninja", "drf"), "STORAGES", "24", "granian", "pnpm"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_HISTORY))
def test_release_table_matches_the_template_history(name):
    r = releases()[name]
    seen = (r.python, r.base_image, r.front, r.queue, r.celery_optional, r.django, r.api, r.storage_settings, r.node, r.server,
            r.package_manager)
    assert seen == TEMPLATE_HISTORY[name]
    assert release_of(r.preset) == (r.year, r.month)
    assert r.maker.startswith(f"{r.year}.{r.month}.")  # the project-maker of that release generates it
    if r.key >= (2023, 7):
        assert r.preset == f">={r.year}.{r.month}.0,<{r.year}.{r.month + 1}.0" and one_release(r.preset)


def test_the_table_and_what_is_newer():
    assert list(releases()) == sorted(TEMPLATE_HISTORY)
    assert [r.name for r in supported()] == ["2026.01", "2026.04", "2026.07", "2026.10"]  # on 2026-12-06
    assert latest().name == "2026.10"


def test_a_release_newer_than_the_table_is_judged_with_the_newest_knowledge():
    from modelw_lint_rules.releases import ReleaseInfo, check_release_setting

    newer = ReleaseInfo("2027.01", "a pin", None)
    assert newer.newer and newer.status == "newer than modelw-lint knows"
    assert newer.knowledge is latest()  # fronts, queue, API, storage: as the newest known release
    old = ReleaseInfo("2023.03", "a pin", releases()["2023.03"])
    assert not old.newer and old.knowledge is releases()["2023.03"] and old.status == "no longer supported"
    assert check_release_setting("2023.03") is None  # a release that exists, although not quarterly
    assert "January, April" in check_release_setting("2024.03")


@pytest.mark.parametrize("spec,release,single", [
    (">=2026.7.0,<2026.8.0", (2026, 7), True),  # the template (Poetry, PEP 440)
    ("<2026.8.0,>=2026.7.0", (2026, 7), True),  # the same, bounds swapped: never 2026.08
    ("~2023.1.0b1", (2023, 1), True),  # a beta with allow-prereleases (2023 template)
    ("^2026.7", (2026, 7), False),  # Poetry caret: up to 2027
    ("~2026.7.0", (2026, 7), True),  # npm tilde (@model-w/preset-sveltekit)
    (">=2024.7.0 && <2024.8.0", (2024, 7), True),  # @model-w/preset-nuxt3 in the Nuxt 3 template
    ("2026.7.*", (2026, 7), True),
    ("==2026.7.1", (2026, 7), True),
    (">=2026.7.0", (2026, 7), False),
    ("*", None, False),
])
def test_ranges_are_read_as_their_tools_read_them(spec, release, single):
    assert release_of(spec) == release
    assert one_release(spec) == single


def test_which_versions_a_range_admits():
    assert admits("~2023.1.0b1", "2023.1.0b3") is True
    assert admits(">=2023.1.0,<2023.2.0", "2023.1.0b3") is False  # what a "safe" fix once did
    assert admits(">=2023.1.0b1,<2023.2.0", "2023.1.0b3") is True  # what it does now
    assert admits("^3.13", "3.14.1") is True and admits("~3.11", "3.12.0") is False
    assert admits("not a range", "1.0") is None
