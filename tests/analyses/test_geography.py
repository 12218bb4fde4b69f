"""geography.summarize and the map builders (report/maps.py)."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
from geo_factory import make_view

from dumpscope.analyses import geography
from dumpscope.reference import load_reference
from dumpscope.report import maps
from dumpscope.report.charts import render_svg


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def built():
    return make_view()


@pytest.fixture(scope="module")
def section(built, ref):
    view, links, _ = built
    return geography.summarize(view, links, ref, k=10)


def test_counts_per_departement_and_region_equal_truth(section, built):
    truth = built[2]
    assert section["departements"] == truth["departements"]
    assert section["regions"] == truth["regions"]
    json.dumps(section)  # JSON-serializable


def test_rows_only_without_links(built, ref):
    view, _, truth = built
    out = geography.summarize(view, None, ref, k=10)
    assert {c: v["rows"] for c, v in out["departements"].items()} == {
        c: v["rows"] for c, v in truth["departements"].items()
    }
    assert all(v["persons"] is None for v in out["departements"].values())
    assert out["north_west_share"]["departements"]["share_persons"] is None


def test_located_and_outliers(section, built):
    view, _, truth = built
    assert section["rows"] == view.height
    assert section["located_rows"] + section["unlocated_rows"] == view.height
    assert section["unlocated_rows"] == view.filter(pl.col("residence_dep").is_null()).height
    assert section["postcode_status"]["invalid"] == section["outliers"]["invalid_postcode_rows"]
    assert section["outliers"]["far"]["rows"] == truth["far_rows"] + truth["overseas_rows"]
    assert set(section["outliers"]["far"]["departements"]) == {"13", "974"}
    assert section["outliers"]["overseas"]["rows"] == truth["overseas_rows"]


def test_north_west_share(section, built):
    truth = built[2]["departements"]
    case = {"22", "27", "35", "41", "45", "56"}
    rows_in = sum(v["rows"] for c, v in truth.items() if c in case)
    located = sum(v["rows"] for v in truth.values())
    nw = section["north_west_share"]["departements"]
    assert nw["rows"] == rows_in
    assert nw["share_rows"] == pytest.approx(rows_in / located, abs=1e-4)
    # 29 is in Bretagne: counted in the regions' share but not in the 6 départements'
    assert section["north_west_share"]["regions"]["rows"] > nw["rows"]


def test_derives_departement_from_postcode_when_view_lacks_it(built, ref):
    view, links, truth = built
    bare = view.drop("residence_dep", "residence_region", "postcode_status")
    out = geography.summarize(bare, links, ref, k=10)
    assert out["departements"] == truth["departements"]
    assert out["regions"] == truth["regions"]


def _records(spec: dict) -> list[dict]:
    """Every non-geometry record of a chart spec's inline datasets (GeoJSON properties too)."""
    out = []
    for data in spec.get("datasets", {}).values():
        items = data if isinstance(data, list) else data.get("features", [])
        for item in items:
            if isinstance(item, dict):
                props = item.get("properties", item)
                out.append({k: v for k, v in props.items() if k not in ("geometry", "type")})
    return out


def _class_labels_ok(texts: list[str], k: int) -> None:
    """No number below k (other than 0) appears as a standalone count."""
    for text in texts:
        for number in re.findall(r"(?<![\d.,\u202f])\d[\d\u202f]*(?![\d.])", text):
            value = int(number.replace("\u202f", ""))
            assert value == 0 or value >= k, f"count {value} < {k} in {text!r}"


def test_choropleth_hides_small_counts(ref):
    geo = ref.departements_geo()
    counts = pl.DataFrame(
        {"code": ["56", "45", "27", "29", "44", "75"], "count": [5000, 420, 37, 3, 9, 0]}
    )
    chart = maps.departement_choropleth(counts, geo, 10, title="Test", scope="metro")
    records = _records(chart.to_dict())
    svg = render_svg(chart)
    # no raw counts in the spec: only codes, names and class labels
    assert records and all(set(r) <= {"code", "nom", "classe"} for r in records)
    classes = {r["code"]: r["classe"] for r in records}
    assert classes["29"] == "< 10" and classes["44"] == "< 10" and classes["75"] == "0"
    assert classes["56"] == "≥ 1\u202f000" and classes["45"] == "100–999"
    _class_labels_ok([r["classe"] for r in records], 10)
    # one geoshape path per metropolitan département
    assert len(re.findall(r'aria-roledescription="geoshape"', svg)) == 96
    assert "&lt; 10" in svg  # the legend says so


def test_zoom_labels_suppress_small_counts(ref):
    geo = ref.departements_geo()
    counts = pl.DataFrame({"code": ["56", "29", "22"], "count": [1234, 3, 0]})
    codes = ["56", "29", "22", "35"]
    chart = maps.departement_choropleth(counts, geo, 10, scope="zoom", codes=codes, labels=True)
    spec = chart.to_dict()
    texts = [
        r["text"]
        for d in spec["datasets"].values()
        for r in d
        if isinstance(r, dict) and "text" in r
    ]
    assert sorted(texts) == ["22 · 0", "29 · < 10", "35 · 0", "56 · 1\u202f234"]
    svg = render_svg(chart)
    assert len(re.findall(r'aria-roledescription="geoshape"', svg)) == 4
    assert "29 · 3" not in svg and "29 · &lt; 10" in svg


def test_commune_points_drop_small_cells(built, ref):
    view, links, _ = built
    frame = geography.commune_frame(view, links, ref, k=10)
    assert frame["count"].min() >= 10
    small = pl.DataFrame({"lat": [47.6, 48.1], "lon": [-2.7, -1.7], "count": [4, 250]})
    chart = maps.commune_points(small, ref.departements_geo(), 10, codes=["56", "35"])
    points = [r for r in _records(chart.to_dict()) if "lat" in r]
    assert points == [{"lat": 48.1, "lon": -1.7, "classe": "≥ 100"}]  # 4 persons: not placed
    svg = render_svg(chart)
    assert (
        svg.count('aria-roledescription="circle"') + svg.count('aria-roledescription="symbol"')
        >= 1
    )


def test_count_classes():
    classes = maps.count_classes(10, 25000)
    labels = [c[2] for c in classes]
    assert labels[:3] == ["0", "< 10", "10–99"]
    assert labels[-1].startswith("≥")
    assert maps.count_classes(5, 3)[-1][2] == "≥ 5"


# ----------------------------------------------------------------- on the committed sample


@pytest.fixture(scope="module")
def sample(sample_dump, tmp_path_factory):
    from geo_factory import sample_pipeline

    return sample_pipeline(sample_dump, tmp_path_factory.mktemp("geo_sample"))


def test_sample_departements_and_regions_match_truth(sample, sample_truth):
    view, links, reference = sample
    out = geography.summarize(view, links, reference, k=10)
    for key in ("departements", "regions"):
        # exactly the rows the file lets one place: those whose written postcode is valid
        assert out[key] == sample_truth[f"{key}_located"], key
        truth = sample_truth[key]
        # the truth places every row by its true commune: the difference is the unlocated rows
        missing = sum(v["rows"] for v in truth.values()) - sum(
            v["rows"] for v in out[key].values()
        )
        assert missing == out["unlocated_rows"]
    assert out["postcode_status"] == sample_truth["postcode"]


def test_no_svg_text_shows_a_count_below_k(built, ref):
    view, links, _ = built
    section = geography.summarize(view, links, ref, k=50)
    counts = geography.departement_frame(section["departements"], ref)
    small = counts.filter((pl.col("count") > 0) & (pl.col("count") < 50))
    assert small.height  # the factory has départements below k=50
    codes = ["22", "27", "29", "35", "41", "45", "56", "44", "14", "28"]
    chart = maps.departement_choropleth(
        counts, ref.departements_geo(), 50, scope="zoom", codes=codes, labels=True
    )
    svg = render_svg(chart)
    texts = [re.sub(r"&lt;", "<", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert texts
    _class_labels_ok([t.split(" · ", 1)[-1] for t in texts], 50)
    for code in small["code"].to_list():
        if code in codes:
            assert f"{code} · < 50" in texts


def test_focus_departements(ref):
    section = {
        "departements": {
            "56": {"rows": 500},
            "45": {"rows": 300},
            "27": {"rows": 200},
            "13": {"rows": 5},
            "974": {"rows": 100},
        }
    }
    focus = geography.focus_departements(section, ref)
    assert {"56", "45", "27", "35", "22", "41", "72", "53"} <= set(focus)
    assert not {"13", "974", "06", "2A", "67"} & set(focus)
    assert geography.focus_departements({"departements": {"974": {"rows": 3}}}, ref) == []


def test_count_classes_125_and_ramp():
    labels = [c[2] for c in maps.count_classes(10, 700, (1, 2, 5))]
    assert labels == ["0", "< 10", "10–19", "20–49", "50–99", "100–199", "200–499", "≥ 500"]
    assert len(maps.ramp(3)) == 3 and maps.ramp(3)[0] != maps.ramp(3)[-1]
    assert maps.ramp(0) == []


def test_plausible_invalid_postcodes(section):
    # the factory's invalid postcode is "99999": 5 digits but no département starts with 99
    assert section["outliers"]["invalid_postcode_rows"] > 0
    assert section["outliers"]["invalid_postcode_plausible_rows"] == 0
