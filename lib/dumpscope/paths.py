"""Repository paths, anchored on this file (the package is installed editable)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
REFERENCE_DIR = DATA_DIR / "reference"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

#: The small committed synthetic dump used by tests and notebook defaults.
SAMPLE_DUMP = SYNTHETIC_DIR / "sample.csv"
#: The default-size synthetic dump, generated on demand (git-ignored).
FULL_DUMP = SYNTHETIC_DIR / "full" / "dump.csv"
