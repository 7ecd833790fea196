"""Shared fixtures: a small example registry, and real site builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def make_registry(target: Path) -> Path:
    """A copy of the example registry with the project's real schemas."""
    shutil.copytree(EXAMPLES / "registry", target)
    shutil.copytree(REPO / "schemas", target / "schemas")
    return target


def build_site(records_root: Path, site_dir: Path, *, check: bool = True) -> subprocess.CompletedProcess:
    """A real MkDocs build of the records in ``records_root`` with the project's config."""
    env = dict(os.environ, KEHTO_ROOT=str(records_root), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(site_dir)],
        env=env, capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_comms_registry(target: Path) -> Path:
    """The example registry plus known campaign, award, list and adoption records (tests/examples/comms)."""
    make_registry(target)
    shutil.copytree(EXAMPLES / "comms", target, dirs_exist_ok=True)
    return target


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "registry")


@pytest.fixture(scope="session")
def comms_site(tmp_path_factory) -> Path:
    """The comms corpus built once into a real site."""
    base = tmp_path_factory.mktemp("comms-site")
    build_site(make_comms_registry(base / "registry"), base / "site")
    return base / "site"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example registry built once into a real site (with its Pagefind index)."""
    base = tmp_path_factory.mktemp("example-site")
    root = make_registry(base / "registry")
    build_site(root, base / "site")
    return base / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The bundled real content built once into a real site."""
    site = tmp_path_factory.mktemp("real-site") / "site"
    build_site(REPO, site)
    return site
