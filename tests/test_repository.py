"""The newcomer's contract: README commands, CI, pinned requirements, layout."""

from __future__ import annotations

import re
from pathlib import Path


def readme_commands(root: Path) -> list[str]:
    text = (root / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command(root):
    test_command = next(c for c in readme_commands(root) if "pytest" in c)
    ci_lines = (root / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_readme_build_command_builds_with_warnings_as_errors(root):
    build = next(c for c in readme_commands(root) if "jupyter-book build" in c)
    assert "-W" in build.split() and "-n" in build.split()


def test_requirements_are_exact_pins(root):
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (root / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith(("-r ", "-e ")):
                continue
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", line), (
                f"{name}: not pinned: {line}"
            )


def test_binder_files(root):
    assert (root / "runtime.txt").read_text().strip() == "python-3.11"
    req = (root / "requirements.txt").read_text()
    for pkg in ("numpy", "scipy", "matplotlib", "ipywidgets"):
        assert re.search(rf"^{pkg}==", req, re.M), pkg
    assert re.search(r"^-e \.$", req, re.M), "requirements.txt must install actlib itself"


def test_every_chapter_is_in_the_toc(root):
    toc = (root / "_toc.yml").read_text()
    for nb in (root / "chapters").glob("*.ipynb"):
        assert f"chapters/{nb.stem}" in toc, f"{nb.name} is not listed in _toc.yml"


def test_colab_cell_uses_the_repository_url_from_config(root):
    import nbformat
    import yaml

    url = yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"]
    for path in sorted((root / "chapters").glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "code", f"{path.name}: the first cell must be the Colab set-up"
        assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: hide the Colab cell"
        assert '"google.colab" in sys.modules' in first.source, path.name
        assert f"git+{url}" in first.source, f"{path.name}: Colab cell must install from {url}"


def test_chapter_citations_use_the_chapter_prefix(root):
    """Several chapters cite the same paper: each chapter's keys carry its own prefix, so the
    per-chapter reference lists never collide (sphinxcontrib-bibtex's keyprefix)."""
    import nbformat

    for path in sorted((root / "chapters").glob("*.ipynb")):
        prefix = f"{path.stem}-"
        text = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
        )
        keys = [
            k.strip()
            for group in re.findall(r"\{cite:?\w*\}`([^`]+)`", text)
            for k in group.split(",")
        ]
        assert keys, f"{path.name} cites nothing"
        assert all(k.startswith(prefix) for k in keys), f"{path.name}: unprefixed citations"
        assert f":keyprefix: {prefix}" in text, f"{path.name}: bibliography needs :keyprefix:"


def test_chapter_reference_labels_are_unique(root):
    """Each chapter's numbered reference list needs its own label prefix (S1, T1, ...)."""
    import nbformat

    owners: dict[str, str] = {}
    for path in sorted((root / "chapters").glob("*.ipynb")):
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        found = re.findall(r"^:labelprefix: (\S+)$", text, re.M)
        assert len(found) == 1, f"{path.name}: its bibliography needs one :labelprefix:"
        assert found[0] not in owners, f"{path.name} reuses {owners.get(found[0])}'s label prefix"
        owners[found[0]] = path.name
