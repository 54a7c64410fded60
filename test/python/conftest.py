"""Shared fixtures of the Python reference tests: where the built tools and the
repository live. Run through scripts/run-tests.sh (or `.venv/bin/python -m pytest
test/python`); BLEND_BUILD_DIR selects a build directory other than build/."""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BLEND_BUILD_DIR", ROOT / "build")).resolve()

sys.path.insert(0, str(ROOT / "models"))


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def tool():
    """Path of a built tool, e.g. tool("blendc"); fails clearly if it is missing."""

    def find(name: str) -> str:
        path = BUILD / "bin" / name
        if not path.exists():
            pytest.fail(f"{path} is missing: build first (scripts/bootstrap.sh)")
        return str(path)

    return find
