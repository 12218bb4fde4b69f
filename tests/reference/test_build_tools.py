"""Helpers of tools/build_reference.py (deterministic writing, hole filling, orientation)."""

from __future__ import annotations

import importlib.util
import json

import pytest
import shapely
from shapely.geometry import Polygon, box

from dumpscope.paths import REFERENCE_DIR, REPO_ROOT


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location(
        "build_reference", REPO_ROOT / "tools" / "build_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_write_geojson_is_deterministic_clockwise_and_rounded(build, tmp_path):
    ccw = Polygon([(0, 0), (1.123456, 0), (1.123456, 1), (0, 1)])
    assert ccw.exterior.is_ccw
    geom = build.clockwise(ccw)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "x.geojson", tmp_path / "b" / "x.geojson"
    build.write_geojson(a, [({"code": "29"}, geom)])
    build.write_geojson(b, [({"code": "29"}, geom)])
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text("utf-8"))
    ring = data["features"][0]["geometry"]["coordinates"][0]
    assert [1.1235, 0.0] in ring
    assert not shapely.geometry.shape(data["features"][0]["geometry"]).exterior.is_ccw


def test_fill_small_holes_keeps_covered_enclaves(build):
    outer = box(0, 0, 1, 1)  # about 12,000 km² at the equator
    tiny = box(0.5, 0.5, 0.501, 0.501)  # about 0.012 km²
    enclave = box(0.2, 0.2, 0.201, 0.201)
    poly = Polygon(outer.exterior, [tiny.exterior, enclave.exterior])
    filled = build.fill_small_holes(poly, enclave, 1.0)
    assert len(filled.interiors) == 1  # the artefact is filled, the enclave stays
    assert filled.interiors[0].bounds[0] == pytest.approx(0.2)


def test_committed_reference_is_compact():
    total = sum(p.stat().st_size for p in REFERENCE_DIR.iterdir() if p.is_file())
    assert total < 6_000_000
