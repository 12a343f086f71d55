"""The audit report as a person sees it: rendered by a real headless Chromium (Debian's
`chromium`, driven by playwright with no browser download). In CI (`CI` or
`MODELW_LINT_REQUIRE_BROWSER` set, as .ci/run does) a missing browser fails these tests;
elsewhere they are skipped with the reason.

`UPDATE_SNAPSHOTS=1` also refreshes docs/audit-report.png, the screenshot the README shows."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main

CHROMIUM = os.environ.get("MODELW_LINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("CI") or os.environ.get("MODELW_LINT_REQUIRE_BROWSER"))
SCREENSHOT = os.path.join(REPO, "docs", "audit-report.png")


def _missing() -> str | None:
    if CHROMIUM is None:
        return "no chromium on PATH (Debian package `chromium`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Page:
    """A page opened from a file, with what went wrong on it."""

    def __init__(self, browser, path, javascript=True):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(f"file://{path}")

    def close(self):
        self.context.close()


def audit(*args, cwd=None):
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        result = cli_runner().invoke(main, ["audit", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result


def not_blank(png: bytes) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 1280
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50, "more than a few flat colours"
    background = max(colors)[0]
    assert background < 0.85 * image.width * image.height, "not one colour all over"


def test_the_legacy_report_shows_the_nine_systems_and_the_plan(browser, fixture_copy):
    root = fixture_copy("legacy")
    audit(cwd=root)
    view = Page(browser, root / "modelw-lint-audit.html")
    page = view.page
    systems = page.locator(".card.system")
    assert systems.count() == 9
    for n in range(9):
        assert systems.nth(n).is_visible()
    assert page.locator("h1").inner_text() == "legacy"
    titles = [systems.nth(n).locator("header > :first-child").inner_text().split()[0] for n in range(9)]
    assert titles == ["Layout", "Settings", "Queue", "Storage", "Sentry", "Messaging", "Routing", "Deploy", "Stack"]
    steps = page.locator("ol.plan > li")
    assert steps.count() >= 8 and steps.first.is_visible()
    assert "Move the back-end into api/" in steps.first.inner_text()
    assert page.locator("svg.chart").is_visible()
    # A plan link leads to its finding.
    link = steps.first.locator("a").first
    target = link.get_attribute("href")
    assert page.locator(target).count() == 1
    png = page.screenshot(full_page=False)
    not_blank(png)
    assert view.errors == [] and view.dialogs == []
    assert all(url.startswith("file://") for url in view.requests), "nothing from the network"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        with open(SCREENSHOT, "wb") as fh:
            fh.write(png)
    view.close()


def test_the_report_reads_without_javascript_and_prints(browser, fixture_copy):
    root = fixture_copy("legacy")
    audit(cwd=root)
    view = Page(browser, root / "modelw-lint-audit.html", javascript=False)
    assert view.page.locator(".card.system").count() == 9
    assert view.page.locator("#findings").is_visible()
    pdf = view.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 2
    view.close()


def test_hostile_names_render_as_text(browser, tmp_path):
    from modelw_lint.testing import write_files

    name = '<img src=x onerror=alert(1)><script>alert("x")</script>'
    write_files(str(tmp_path), {
        f"backend/{name}/manage.py": "import os\n",
        f"backend/{name}/settings.py": 'SECRET_KEY = "</pre><script>alert(2)</script>"\nDEBUG = True\n',
    })
    audit(str(tmp_path), "-o", str(tmp_path / "report.html"), "--no-cache")
    view = Page(browser, tmp_path / "report.html")
    text = view.page.locator("body").inner_text()
    assert '<script>alert("x")</script>' in text, "shown as the text it is"
    assert view.page.locator("script").count() == 0 and view.page.locator("img").count() == 0
    assert view.dialogs == [] and view.errors == []
    view.close()


def test_the_fleet_matrix_has_a_row_per_repository(browser, fixture_copy, tmp_path):
    repos = [fixture_copy(n) for n in ("legacy", "compliant", "lookalikes", "nuxt3-celery")]
    audit(*map(str, repos), str(tmp_path / "not-there"), "-o", str(tmp_path / "fleet.html"), "-j", "2")
    view = Page(browser, tmp_path / "fleet.html")
    page = view.page
    rows = page.locator("table.matrix tbody tr.repo-row")
    assert rows.count() == 5
    names = [rows.nth(n).locator("td").first.inner_text() for n in range(5)]
    # Closest to Model W first: the conforming projects (100, by name), then legacy.
    assert names[:4] == ["compliant", "lookalikes", "nuxt3-celery", "legacy"]
    triage = page.locator("table.triage tbody tr")
    assert triage.first.locator("td").first.inner_text() == "legacy", "the triage puts the worst first"
    assert "not audited" in rows.nth(4).inner_text()
    assert page.locator("table.matrix thead th").count() == 6 + 9
    assert page.locator(".repo-section").count() == 4
    assert page.locator("#releases").is_visible() and page.locator("#drifts").is_visible()
    not_blank(page.screenshot())
    assert view.errors == []
    view.close()


# -- issue 24: the page fits, reads and prints for everyone ---------------------------------------


def _fleet_page(fixture_copy, tmp_path):
    repos = [fixture_copy(n) for n in ("legacy", "compliant", "nuxt3-celery")]
    audit(*map(str, repos), "-o", str(tmp_path / "fleet.html"), "-j", "2", "--no-cache")
    return tmp_path / "fleet.html"


def _overflow(page) -> int:
    """How far the page is wider than its window (0: it fits; tables scroll inside it)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1400, 400])
def test_the_fleet_page_fits_its_window(browser, fixture_copy, tmp_path, width):
    path = _fleet_page(fixture_copy, tmp_path)
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    page.goto(f"file://{path}")
    assert _overflow(page) <= 0, f"the page scrolls sideways at {width} px"
    assert page.locator("table.matrix").is_visible()
    context.close()


def test_the_fleet_page_fits_an_a4_page_in_print(browser, fixture_copy, tmp_path):
    path = _fleet_page(fixture_copy, tmp_path)
    context = browser.new_context(viewport={"width": 718, "height": 1000})  # A4 minus 14 mm margins, at 96 dpi
    page = context.new_page()
    page.goto(f"file://{path}")
    page.emulate_media(media="print")
    assert _overflow(page) <= 0
    widths = page.evaluate("[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)")
    assert max(widths) <= 718 + 1, "no table is cut in print"
    context.close()


CONTRAST = """
() => {
  const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !c.startsWith("rgba(0, 0, 0, 0)") && c !== "transparent") return parse(c);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(".badge, .cell, .muted, .small, td, th, p, a, .means, .rules-passed")]
    .filter(el => el.textContent.trim() && el.getClientRects().length)
    .map(el => {
      const a = lum(parse(getComputedStyle(el).color)), b = lum(bg(el));
      return [el.className + " " + el.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    });
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_has_aa_contrast(browser, fixture_copy, tmp_path, scheme):
    path = _fleet_page(fixture_copy, tmp_path)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"file://{path}")
    ratios = page.evaluate(CONTRAST)
    assert len(ratios) > 100
    poor = [(what, round(r, 2)) for what, r in ratios if r < 4.5]
    assert poor == [], f"below 4.5:1 in the {scheme} scheme"
    badge = page.locator(".badge.st-not-adopted").first
    assert badge.is_visible()
    if scheme == "dark":
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(243, 244, 246)"
    context.close()


def test_no_script_no_network_nested_headings_isolated_names(browser, tmp_path):
    from modelw_lint.testing import write_files

    name = "\u202eevil\u202c-\u05e9\u05dc\u05d5\u05dd"
    root = tmp_path / name
    write_files(str(root), {"backend/manage.py": "import os\n", "backend/settings.py": 'SECRET_KEY = "x"\n'})
    out = tmp_path / "report.html"
    audit(str(root), "-o", str(out), "--no-cache")
    html = out.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    view = Page(browser, out)
    page = view.page
    assert all(url.startswith("file://") for url in view.requests)
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    isolated = page.evaluate("getComputedStyle(document.querySelector('h1 bdi')).unicodeBidi")
    assert isolated == "isolate"
    assert view.errors == [] and view.dialogs == []
    view.close()
