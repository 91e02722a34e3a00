"""The website builds without a warning and has every page, figure and citation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def toc_files(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_build_has_no_warnings(built_site):
    _, log = built_site
    problems = [
        line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)
    ]
    assert not problems, "\n".join(problems)


def test_every_toc_page_is_built(built_site, root):
    html, _ = built_site
    for name in toc_files(root):
        assert (html / f"{name}.html").is_file(), f"{name}.html missing from the built site"


def test_every_image_on_every_page_exists(built_site, root):
    html, _ = built_site
    for name in toc_files(root):
        page = html / f"{name}.html"
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page.read_text()):
            if src.startswith("data:") or src.startswith("http"):
                continue
            assert (page.parent / src).resolve().is_file(), f"{name}: missing image {src}"


def test_chapter_pages_have_figures_with_alt_text(built_site, root):
    html, _ = built_site
    for name in toc_files(root):
        if not name.startswith("chapters/"):
            continue
        text = (html / f"{name}.html").read_text()
        imgs = re.findall(r"<img[^>]*>", text)
        assert imgs, f"{name} has no figure"
        for img in imgs:
            if "logo" in img:
                continue
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 10, (
                f"{name}: figure without real alt text: {img[:120]}"
            )


def test_citations_resolve(built_site, root):
    html, _ = built_site
    for name in toc_files(root):
        text = (html / f"{name}.html").read_text()
        assert "??" not in re.sub(r"<[^>]+>", "", text), f"{name} has an unresolved reference"
