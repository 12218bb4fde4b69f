"""Makefile and CI entry point: targets exist and do what the README says."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from dumpscope.paths import REPO_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def _make(*args: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def test_help_lists_the_targets():
    out = _make("help")
    for target in ("report", "test", "lint", "format", "synthetic", "bench", "venv", "chromium"):
        assert f"make {target} " in out, target


def test_report_recipe():
    out = _make("-n", "report", "RUN_ID=x")
    assert ".venv/bin/dumpscope run data/synthetic/full/dump.csv --out reports/x" in out
    assert ".venv/bin/dumpscope verify reports/x" in out
    assert "reports/x/index.html" in out


def test_test_recipe_runs_pytest_nbval_and_lint():
    out = _make("-n", "test-unit", "test-notebooks", "lint")
    assert "pytest -n 2 --dist loadfile tests" in out
    assert "pytest --nbval-lax --nbval-current-env notebooks/" in out
    assert "ruff check ." in out and "ruff format --check ." in out


def test_venv_stamp_follows_pyproject():
    text = (REPO_ROOT / "Makefile").read_text("utf-8")
    assert "$(STAMP): pyproject.toml" in text
    assert "pip uninstall" in text and "rfc3987-syntax" in text


def test_ci_entry_point():
    path = REPO_ROOT / ".ci" / "run"
    text = path.read_text("utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text and "make test" in text
    assert os.access(path, os.X_OK)
