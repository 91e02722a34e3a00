"""Time the book: cold build, each notebook, cached rebuild; weigh every page. Check budgets.

Usage::

    python benchmarks/bench_book.py

It measures, on this machine:

* the cold build: ``jupyter-book build . -W -n --keep-going`` into a fresh ``--path-output``
  (empty execution cache, so every notebook is executed);
* each notebook of the table of contents run top to bottom by nbclient in a fresh kernel,
  with ``chapters/`` as the working directory (as Binder and nbval run it);
* the cached rebuild: the same build again into the same output (nothing re-executed);
* each page's weight: its HTML plus the local images it shows.

It prints a table and exits 1, naming each budget that failed, if the cold build takes more
than 180 s, a notebook more than 20 s, the cached rebuild more than 30 s, or a page weighs
more than 2 MB (MathJax and the theme's files are shared by all pages and not counted).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
COLD_BUILD_S, NOTEBOOK_S, CACHED_BUILD_S, PAGE_BYTES = 180.0, 20.0, 30.0, 2_000_000


def toc_pages(root: Path = ROOT) -> list[str]:
    """The pages of _toc.yml, root first, as paths without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]


def build(output: Path) -> float:
    """Build the book into ``output`` with warnings as errors; return the wall time in s."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "--path-output", str(output), "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr)[-4000:]
        sys.exit(f"the build failed (exit {proc.returncode}):\n{log}")
    return elapsed


def run_notebook(path: Path) -> float:
    """Execute a notebook in a fresh kernel from its own folder; return the wall time in s."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def page_weight(html_dir: Path, page: str) -> int:
    """Bytes of a built page's HTML plus the local images it shows (each counted once)."""
    html = html_dir / f"{page}.html"
    text = html.read_text()
    images = {
        (html.parent / src).resolve()
        for src in re.findall(r'<img[^>]+src="([^"]+)"', text)
        if not src.startswith(("data:", "http:", "https:"))
    }
    return html.stat().st_size + sum(p.stat().st_size for p in images if p.is_file())


def main() -> int:
    pages = toc_pages()
    notebooks = [ROOT / f"{p}.ipynb" for p in pages if (ROOT / f"{p}.ipynb").is_file()]
    rows: list[tuple[str, str, float, float]] = []  # (what, unit, value, budget)
    with tempfile.TemporaryDirectory(prefix="bench-book-") as out:
        rows.append(("cold build (all notebooks executed)", "s", build(Path(out)), COLD_BUILD_S))
        rows.append(("cached rebuild", "s", build(Path(out)), CACHED_BUILD_S))
        html_dir = Path(out) / "_build" / "html"
        weights = [(p, page_weight(html_dir, p)) for p in pages]
    for nb in notebooks:
        rows.append((f"run {nb.relative_to(ROOT)}", "s", run_notebook(nb), NOTEBOOK_S))
    for page, weight in weights:
        rows.append((f"page {page}.html + images", "MB", weight / 1e6, PAGE_BYTES / 1e6))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>9}  {'budget':>9}  verdict")
    failed = []
    for what, unit, value, budget in rows:
        ok = value <= budget
        verdict = "ok" if ok else "OVER"
        print(f"{what:<{width}}  {value:>7.2f} {unit:<2} {budget:>6.1f} {unit:<2}  {verdict}")
        if not ok:
            failed.append(f"{what}: {value:.2f} {unit} > {budget:g} {unit}")
    if failed:
        print("\nbudgets failed:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    print("\nall budgets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
