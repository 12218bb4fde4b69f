"""ruff lint and format on every tracked Python file and notebook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dumpscope.paths import REPO_ROOT

RUFF = Path(sys.executable).with_name("ruff")


def _tracked() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git not available")
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "*.py", "*.ipynb"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [p for p in done.stdout.split() if (REPO_ROOT / p).is_file()]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(command):
    if not RUFF.exists():
        pytest.skip("ruff not installed in the venv")
    files = _tracked()
    done = subprocess.run(
        [str(RUFF), *command, "--no-cache", *files],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
