"""Manifest and verify: hashes of every file, tampering detection."""

from __future__ import annotations

import json

import pytest

from dumpscope.errors import DumpscopeError
from dumpscope.manifest import (
    MANIFEST_VERSION,
    build_manifest,
    hash_tree,
    load_manifest,
    verify,
    write_manifest,
)


@pytest.fixture
def run_dir(tmp_path):
    root = tmp_path / "run"
    (root / "work" / "sections").mkdir(parents=True)
    (root / "index.html").write_text("<html></html>", "utf-8")
    (root / "work" / "sections" / "a.json").write_text('{"a": 1}\n', "utf-8")
    manifest = build_manifest(
        root,
        inputs=[{"path": "/e.csv", "name": "e.csv", "bytes": 3, "sha256": "0" * 64}],
        parameters={"notebooks": {"00-x": {"k": 10}}},
        started_utc="2026-01-01T00:00:00Z",
        notebooks=[{"name": "00-x", "seconds": 1.0, "status": "ok"}],
    )
    write_manifest(root, manifest)
    return root


def test_manifest_content(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    assert manifest["manifest_version"] == MANIFEST_VERSION
    assert set(manifest["files"]) == {"index.html", "work/sections/a.json"}
    assert manifest["files"]["index.html"]["bytes"] == len("<html></html>")
    assert len(manifest["files"]["index.html"]["sha256"]) == 64
    assert manifest["packages"]["polars"] and manifest["packages"]["python"]
    assert set(manifest["git"]) == {"commit", "dirty"}
    assert manifest["inputs"][0]["name"] == "e.csv"
    assert manifest["started_utc"] <= manifest["finished_utc"]
    # deterministic layout: sorted keys
    text = (run_dir / "manifest.json").read_text("utf-8")
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_verify_ok(run_dir):
    result = verify(run_dir)
    assert result.ok and result.checked == 2
    assert "OK" in result.report()


def test_verify_detects_changed_same_size(run_dir):
    (run_dir / "work" / "sections" / "a.json").write_text('{"a": 2}\n', "utf-8")
    result = verify(run_dir)
    assert not result.ok
    assert result.changed == ["work/sections/a.json (SHA-256 differs)"]


def test_verify_detects_missing_extra_and_resized(run_dir):
    (run_dir / "index.html").unlink()
    (run_dir / "work" / "new.txt").write_text("x", "utf-8")
    (run_dir / "work" / "sections" / "a.json").write_text('{"a": 22}\n', "utf-8")
    result = verify(run_dir)
    assert not result.ok
    assert result.missing == ["index.html"]
    assert result.extra == ["work/new.txt"]
    assert result.changed[0].startswith("work/sections/a.json (size")
    report = result.report()
    assert "missing: index.html" in report and "extra:   work/new.txt" in report


def test_verify_errors(tmp_path):
    with pytest.raises(DumpscopeError, match="not a folder"):
        verify(tmp_path / "nope")
    with pytest.raises(DumpscopeError, match="no manifest.json"):
        verify(tmp_path)
    (tmp_path / "manifest.json").write_text("{", "utf-8")
    with pytest.raises(DumpscopeError, match="not valid JSON"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"manifest_version": 99}', "utf-8")
    with pytest.raises(DumpscopeError, match="unsupported manifest version"):
        load_manifest(tmp_path)


def test_hash_tree_excludes_manifest(run_dir):
    assert "manifest.json" not in hash_tree(run_dir)
