"""The built website works in a real browser, with no network: headless Chromium via DevTools.

Each page of the table of contents is loaded once over http://127.0.0.1 (a thread running
http.server on the freshly built site) and inspected: math typeset by the site's own MathJax,
every image decoded, no console error, nothing fetched from beyond this machine, every
kernel-free player redraws when its slider moves, every solution dropdown starts closed and
opens on click, and every internal link and anchor exists. One chapter is also read over
file://, in the light and the dark theme.

Chromium missing: these tests fail when CI is set (CI installs it) and are skipped elsewhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

try:
    import browser  # tests/browser.py, which needs websocket-client
except ImportError as error:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"the browser tests need websocket-client ({error})", allow_module_level=True)
from test_book import toc_files

# Text a reader should never see: TeX that MathJax did not typeset. Code, scripts and the
# typeset math itself are left out before looking.
RAW_TEX = re.compile(
    r"\\[()\[\]]|\$\$|\\(?:frac|sqrt|sigma|tanh|exp|log|max|min|alpha|beta|left|right)\b"
)

# The drawing of an svg: the coordinates and text of all its elements, as one string.
GEOMETRY = """svg => [...svg.querySelectorAll('*')].map(e =>
  ['points', 'd', 'cx', 'cy', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'transform']
    .map(a => e.getAttribute(a) || '').join(',') + e.textContent).join(';')"""

INSPECT = r"""
(() => {
  const tag = (el, name) => {  // a selector for el (two sliders may share one svg)
    el.dataset.bt = el.dataset.bt || name; return `[data-bt="${el.dataset.bt}"]`; };
  const shown = el => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const geometry = GEOMETRY;
  const prose = document.querySelector('main') || document.body;
  const copy = prose.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, textarea')
    .forEach(e => e.remove());
  const mathSource = [...document.querySelectorAll('span.math, div.math')];
  const players = [...document.querySelectorAll('input[type=range]')].map((input, i) => {
    let box = input.parentElement;
    while (box && !box.querySelector('svg')) box = box.parentElement;
    const svg = box && box.querySelector('svg');
    return {selector: tag(input, 'range-' + i), svg: svg ? tag(svg, 'svg-' + i) : null,
            svgShown: !!svg && shown(svg), geometry: svg ? geometry(svg) : ''};
  });
  const dropdowns = [...document.querySelectorAll('.admonition.dropdown')].map((d, i) => ({
    selector: tag(d, 'dropdown-' + i),
    title: (d.querySelector('.admonition-title') || d).textContent.trim().slice(0, 80),
    hasButton: !!d.querySelector('.toggle-button'),
    bodyShown: [...d.children].filter(c => !c.matches('.admonition-title')).some(shown),
  }));
  return {
    title: document.title,
    h1: (document.querySelector('main h1') || {}).textContent || '',
    theme: document.documentElement.dataset.theme,
    mathSource: mathSource.length,
    mathUntypeset: mathSource.filter(e => !e.querySelector('mjx-container'))
      .map(e => e.textContent.slice(0, 80)),
    mjx: document.querySelectorAll('mjx-container').length,
    mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
    rawTex: copy.textContent,
    images: [...document.images].map(img => ({src: img.currentSrc || img.src,
                                              ok: img.complete && img.naturalWidth > 0})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    players, dropdowns,
  };
})()
""".replace("GEOMETRY", GEOMETRY)


@pytest.fixture(scope="module")
def chromium():
    path = browser.find_chromium()
    if path is None:
        message = "Chromium not found (apt-get install chromium, or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the browser tests")
        pytest.skip(message)
    with browser.Browser(path) as chrome:
        yield chrome


@pytest.fixture(scope="module")
def site(built_site):
    """(html dir, base URL) of the built site served on 127.0.0.1."""
    html, _ = built_site
    with browser.serve(html) as url:
        yield html, url


def slide(page: browser.Page, player: dict) -> bool:
    """Move a player's slider one step with the keyboard; return whether its plot changed."""
    drawing = f"({GEOMETRY})(document.querySelector('{player['svg']}'))"
    before = page.evaluate(drawing)
    at_max = page.evaluate(
        f"(() => {{ const r = document.querySelector('{player['selector']}'); r.focus();"
        " return +r.value >= +r.max; })()"
    )
    page.press(*(("ArrowLeft", 37) if at_max else ("ArrowRight", 39)))
    # the players redraw in their input handler, synchronously: read the plot right away
    return page.evaluate(drawing) != before


def visit(chrome: browser.Browser, url: str) -> dict:
    """Load a page, inspect it, then move every slider and open every dropdown."""
    page = chrome.new_page()
    try:
        page.goto(url)
        report = page.evaluate(INSPECT)
        report["mathjax"] = page.mathjax
        for player in report["players"]:
            player["moved"] = player["svg"] is not None and slide(page, player)
        for dropdown in report["dropdowns"]:
            if dropdown["hasButton"]:
                page.click(f"{dropdown['selector']} .toggle-button")
            dropdown["opened"] = page.evaluate(
                f"""new Promise(done => setTimeout(() => done(
                    [...document.querySelector('{dropdown["selector"]}').children]
                    .filter(c => !c.matches('.admonition-title'))
                    .some(c => c.checkVisibility() && c.getBoundingClientRect().height > 0)),
                    300))"""
            )
        report["errors"], report["blocked"] = list(page.errors), list(page.blocked)
        return report
    finally:
        page.close()


@pytest.fixture(scope="module")
def reports(chromium, site, root) -> dict[str, dict]:
    """Every table-of-contents page, visited once over HTTP."""
    _, url = site
    return {name: visit(chromium, f"{url}{name}.html") for name in toc_files(root)}


def test_every_page_loads(reports):
    for name, report in reports.items():
        assert report["h1"].strip(), f"{name}: no heading (title {report['title']!r})"
        assert "Error response" not in report["title"], f"{name}: {report['title']}"


def source_text(root: Path, name: str) -> str:
    """The source (notebook or MyST file) of a table-of-contents page."""
    sources = [root / f"{name}{suffix}" for suffix in (".ipynb", ".md")]
    return next(p for p in sources if p.is_file()).read_text()


def page_errors(report: dict) -> list[str]:
    """A page's errors, less the browser's own request for /favicon.ico (the site has none)."""
    return [e for e in report["errors"] if not re.search(r"//[^/]+/favicon\.ico\)$", e)]


def test_no_console_errors(reports):
    problems = [f"{name}: {error}" for name, r in reports.items() for error in page_errors(r)]
    assert not problems, "\n".join(problems)


def test_nothing_is_fetched_from_the_internet(reports):
    blocked = [f"{name}: {url}" for name, r in reports.items() for url in r["blocked"]]
    assert not blocked, "pages tried to reach the network:\n" + "\n".join(blocked)


def test_math_is_typeset(reports, root):
    for name, report in reports.items():
        assert report["mathjax"] in ("typeset", "no math"), f"{name}: {report['mathjax']}"
        assert not report["mathUntypeset"], f"{name}: math not typeset: {report['mathUntypeset']}"
        assert not report["mathErrors"], f"{name}: MathJax errors: {report['mathErrors']}"
        assert report["mjx"] >= report["mathSource"], f"{name}: {report['mjx']} formulas typeset"
        leftover = RAW_TEX.findall(report["rawTex"])
        assert not leftover, f"{name}: raw TeX in the text: {leftover[:5]}"
    for name in reports:
        if "$" in source_text(root, name):
            assert reports[name]["mjx"] > 0, f"{name} has math in its source, none on the page"


def test_every_image_is_shown(reports):
    for name, report in reports.items():
        broken = [img["src"] for img in report["images"] if not img["ok"]]
        assert not broken, f"{name}: images not loaded: {broken}"


def test_players_redraw_when_the_slider_moves(reports, root):
    for name, report in reports.items():
        for player in report["players"]:
            assert player["svg"], f"{name}: a range input with no svg plot next to it"
            assert player["svgShown"] and player["geometry"], f"{name}: a player's plot is empty"
            assert player["moved"], f"{name}: moving a slider did not change its plot"
        if "explore.static_" in source_text(root, name):
            assert report["players"], f"{name} calls a kernel-free player but shows none"


def test_solutions_are_closed_until_clicked(reports, root):
    for name, report in reports.items():
        for dropdown in report["dropdowns"]:
            label = f"{name}: dropdown {dropdown['title']!r}"
            assert dropdown["hasButton"], f"{label} has no toggle button"
            assert not dropdown["bodyShown"], f"{label} is open before any click"
            assert dropdown["opened"], f"{label} did not open on click"
        expected = source_text(root, name).count("solution-start")
        found = sum("Solution" in d["title"] for d in report["dropdowns"])
        assert found == expected, f"{name}: {found} solution dropdowns, source has {expected}"


def test_internal_links_resolve(reports, site):
    html, url = site
    ids: dict[Path, set[str]] = {}
    broken = []
    for name, report in reports.items():
        for link in set(report["links"]):
            if not link.startswith(url):
                continue
            parts = urlsplit(link)
            target = html / unquote(parts.path[len(urlsplit(url).path) :])
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{name}: {link} (no such file)")
                continue
            anchor = unquote(parts.fragment)
            if not anchor or target.suffix != ".html":
                continue
            if target not in ids:
                ids[target] = set(re.findall(r'\b(?:id|name)="([^"]+)"', target.read_text()))
            if anchor not in ids[target]:
                broken.append(f"{name}: {link} (no anchor #{anchor})")
    assert not broken, "\n".join(sorted(broken))


def remote_assets(text: str) -> list[str]:
    """The tags of an HTML page that make the browser fetch something from another host."""
    tags = re.findall(r"<(?:script|img|iframe|source|link)\b[^>]*>", text)
    fetching = [
        t
        for t in tags
        if not t.startswith("<link")
        or re.search(r'rel="[^"]*(stylesheet|preload|icon|modulepreload)', t)
    ]
    return [t for t in fetching if re.search(r'\b(?:src|href)="(?:https?:)?//', t)]


def test_no_page_references_a_cdn_or_widget_state(built_site):
    html, _ = built_site
    offenders = []
    for page in sorted(html.rglob("*.html")):
        text = page.read_text()
        problems = remote_assets(text)
        if "application/vnd.jupyter.widget-state+json" in text:
            problems.append("embedded ipywidgets state")
        offenders += [f"{page.relative_to(html)}: {problem}" for problem in problems]
    assert not offenders, "\n".join(offenders)
    assert (html / "_static" / "mathjax" / "tex-mml-chtml.js").is_file(), "MathJax not copied"


def test_a_chapter_over_file_in_light_and_dark_theme(chromium, built_site, root, tmp_path):
    html, _ = built_site
    chapters = [n for n in toc_files(root) if n.startswith("chapters/")] or toc_files(root)
    url = (html / f"{chapters[0]}.html").as_uri()
    shots = browser.theme_screenshots(url, tmp_path / "page", browser=chromium, full_page=False)
    sizes = {theme: path.stat().st_size for theme, path in shots.items()}
    assert all(size > 10_000 for size in sizes.values()), sizes
    assert shots["light"].read_bytes() != shots["dark"].read_bytes()
    report = visit(chromium, url)
    assert not page_errors(report) and not report["blocked"], (report["errors"], report["blocked"])
    assert not report["mathUntypeset"] and report["mjx"] >= report["mathSource"]
    assert all(img["ok"] for img in report["images"]), report["images"]
