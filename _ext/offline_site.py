"""Keep the built website self-contained: it must work with no network at all.

1. MathJax 3 is served by the site itself. Its files come from the PyPI package
   ``django-static-mathjax`` (the official MathJax 3.2.2 distribution, installed by
   requirements-dev.txt; used here as plain files, without Django). After an HTML build
   this extension copies the part the site can load into ``<outdir>/_static/mathjax/``,
   where ``mathjax_path`` in ``_config.yml`` points. Nothing goes into the book's source
   ``_static/`` folder, whose ``*.js`` files Jupyter Book would load on every page.
2. Live ipywidgets have no place on the static site (their outputs are removed with the
   ``remove-output`` tag; readers use the kernel-free players). ``nb_ipywidgets_js: {}``
   in ``_config.yml`` stops myst-nb from loading require.js and the widget manager from a
   CDN, and this extension drops the widget state that myst-nb would still embed in the
   page (executing a notebook stores it in the notebook's metadata).
3. No script runs twice. Sphinx 7.4 (the last series Jupyter Book 1 supports) lists an
   inline script that an extension adds after the builder starts twice, once with
   filename None and once with "" (sphinx-doc/sphinx#13402, fixed upstream in 2025). With
   sphinx-thebe that throws "Identifier 'THEBE_JS_URL' has already been declared" on
   every page; this extension drops the second copy.
"""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

# The combined TeX+MathML component, plus what it may load later: TeX extensions
# (autoload), MathML extras, the CHTML fonts, the menu and its accessibility tools.
MATHJAX_FILES = (
    "tex-mml-chtml.js",
    "input/tex/extensions",
    "input/mml",
    "output/chtml/fonts/woff-v2",
    "ui",
    "a11y",
    "sre",
)
MATHJAX_TARGET = "mathjax"  # under _static/: mathjax_path is "mathjax/tex-mml-chtml.js"
WIDGET_STATE_KEY = "ipywidgets_state"  # myst-nb's key for the embedded widget state


def mathjax_dir() -> Path:
    """The folder of the installed MathJax 3 browser components (es5/)."""
    spec = find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("offline_site: install django-static-mathjax (requirements-dev.txt)")
    es5 = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    if not (es5 / MATHJAX_FILES[0]).is_file():
        raise ExtensionError(f"offline_site: {es5 / MATHJAX_FILES[0]} not found")
    return es5


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Copy the MathJax components into the built site's _static/mathjax/."""
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_dir()
    target = Path(app.outdir) / "_static" / MATHJAX_TARGET
    target.mkdir(parents=True, exist_ok=True)
    for name in MATHJAX_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source / name, target / name)
    shutil.copy2(source.parent / "LICENSE", target / "LICENSE")


def drop_widget_state(app: Sphinx, doctree: nodes.document) -> None:
    """Forget the ipywidgets state myst-nb recorded for this page, so it is not embedded."""
    pages = getattr(app.env, "nb_metadata", {})
    pages.get(app.env.docname, {}).get("js_files", {}).pop(WIDGET_STATE_KEY, None)


def drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Keep one copy of each script in the page's script_files (see point 3 above)."""
    seen: set[tuple] = set()
    unique = []
    for script in context.get("script_files", []):
        key = (script.filename or "", script.priority, sorted(script.attributes.items()))
        if repr(key) not in seen:
            seen.add(repr(key))
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, object]:
    mathjax_dir()  # fail early, with a clear message, if the package is missing
    app.connect("doctree-read", drop_widget_state)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
