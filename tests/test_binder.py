"""Do what Binder does: a fresh environment from requirements.txt alone, then every chapter
notebook executed top to bottom with chapters/ as the working directory.

The kernel runs inside the fresh virtual environment (so only what requirements.txt installs
is importable there); this test process only drives it, as Binder's Jupyter server would.
"""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
KERNEL = "binder-emulation"


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("binder") / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    proc = subprocess.run(
        [*pip, "-r", "requirements.txt"], cwd=ROOT, capture_output=True, text=True, timeout=1200
    )
    assert proc.returncode == 0, f"pip install -r requirements.txt failed:\n{proc.stderr[-4000:]}"
    proc = subprocess.run(
        [str(python), "-m", "ipykernel", "install", "--prefix", str(env_dir), "--name", KERNEL],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return env_dir


def test_requirements_alone_give_the_teaching_stack(binder_env: Path) -> None:
    code = "import actlib, numpy, scipy, matplotlib, ipywidgets; print(actlib.__file__)"
    out = subprocess.run(
        [str(binder_env / "bin" / "python"), "-c", code], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).is_relative_to(ROOT), "actlib must be this repository's"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_in_the_binder_environment(
    binder_env: Path, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(binder_env / "share" / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=180, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{path.name}: {out.get('ename')}"
            if out.get("name") == "stderr":
                pytest.fail(f"{path.name} wrote to stderr: {out['text'][:500]}")
