"""detect / summarize / evaluate on view-shaped frames and on the hand-labelled corpora."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from dumpscope.analyses.sensitive import (
    CATEGORIES,
    QUALIFIERS,
    detect,
    evaluate,
    read_labels,
    summarize,
)

sys.path.insert(0, str(Path(__file__).parent))
from corpus import CORPUS, HOLDOUT, load_corpus  # noqa: E402


def _view(comments, exams=None):
    n = len(comments)
    return pl.DataFrame(
        {
            "_source_line": pl.Series(range(2, n + 2), dtype=pl.UInt64),
            "comment": comments,
            "exam_list": exams or [None] * n,
        }
    )


def test_detect_shape_and_order():
    view = _view(
        ["RAS", "Patiente enceinte | VIH neg", None, "sous Biktarvy", "RAS"],
        ["NFS", "NFS", "SEROLOGIE VIH", None, ""],
    )
    out = detect(view)
    assert out.columns == ["_source_line", *CATEGORIES, "medication_class", "any_health"]
    assert out["_source_line"].to_list() == view["_source_line"].to_list()
    assert out["pregnancy"].to_list() == [None, "positive", None, None, None]
    assert out["hiv"].to_list() == [None, "negated", "requested", "positive", None]
    assert out["medication_class"].to_list() == [None, None, None, "antiretroviral", None]
    assert out["any_health"].to_list() == [False, True, True, True, False]


def test_columns_combined_by_precedence():
    view = _view(["VIH négatif"], ["SEROLOGIE VIH"])
    assert detect(view)["hiv"].item() == "requested"
    assert detect(view, columns=("comment",))["hiv"].item() == "negated"


def test_missing_column_is_skipped():
    view = _view(["Patiente enceinte"]).drop("exam_list")
    assert detect(view)["pregnancy"].item() == "positive"


def test_summarize_rows_and_persons():
    view = _view(["VIH+", "VIH+", "pas de grossesse", "Levothyrox", "RAS"])
    det = detect(view)
    links = pl.DataFrame({"_source_line": view["_source_line"], "person_id": list("aabcd")})
    sec = summarize(det, links)
    assert sec["sensitive"]["hiv"]["positive"] == {"rows": 2, "persons": 1}
    assert sec["sensitive"]["pregnancy"]["negated"] == {"rows": 1, "persons": 1}
    assert sec["medication_classes"]["thyroid"] == {"rows": 1, "persons": 1}
    assert sec["any_health"] == {"rows": 4, "persons": 3}
    assert sec["categories"]["hiv"]["persons"] == 1
    assert set(sec["sensitive"]) == set(CATEGORIES)
    assert all(set(v) == set(QUALIFIERS) for v in sec["sensitive"].values())
    rows_only = summarize(det)
    assert rows_only["sensitive"]["hiv"]["positive"] == {"rows": 2, "persons": None}
    assert rows_only["person_level"] is False


def test_evaluate_counts():
    det = detect(_view(["VIH+", "VIH neg", "RAS"]))
    labels = pl.DataFrame(
        {"source_line": [2, 3, 4], "hiv": ["positive", "requested", None]},
        schema={"source_line": pl.UInt64, "hiv": pl.Utf8},
    )
    ev = evaluate(det, labels)
    pos = ev.filter(category="hiv", qualifier="positive").row(0, named=True)
    assert (pos["tp"], pos["fp"], pos["fn"], pos["precision"]) == (1, 0, 0, 1.0)
    neg = ev.filter(category="hiv", qualifier="negated").row(0, named=True)
    assert (neg["tp"], neg["fp"], neg["fn"]) == (0, 1, 0)
    req = ev.filter(category="hiv", qualifier="requested").row(0, named=True)
    assert (req["fn"], req["recall"]) == (1, 0.0)


@pytest.mark.parametrize("path", [CORPUS, HOLDOUT], ids=["corpus", "holdout"])
def test_hand_labelled_corpus(path):
    view, labels = load_corpus(path)
    assert len(view) >= 90
    ev = evaluate(detect(view), labels)
    scored = ev.filter(pl.col("support") > 0)
    # every category × qualifier of the corpus is present at least once
    if path == CORPUS:
        assert len(view) >= 150
        cells = set(zip(scored["category"], scored["qualifier"], strict=True))
        for cat in CATEGORIES:
            for q in QUALIFIERS:
                assert (cat, q) in cells, (cat, q)
    bad = ev.filter((pl.col("precision") < 0.98) | (pl.col("recall") < 0.98))
    assert bad.is_empty(), bad


@pytest.fixture(scope="module")
def sample_view(sample_dump, tmp_path_factory):
    """The committed sample through intake, roles and normalize (the real view)."""
    from dumpscope.intake import run_intake
    from dumpscope.reference import load_reference
    from dumpscope.roles import detect_roles, normalize

    res = run_intake(sample_dump, tmp_path_factory.mktemp("work"))
    working = pl.read_parquet(res.working_path)
    roles = detect_roles(working, res.record["columns"], None)
    return normalize(working, roles, load_reference())


def test_sample_dump_against_generator_labels(sample_dump, sample_view):
    labels = read_labels(sample_dump.with_name(sample_dump.name + ".labels.csv"))
    det = detect(sample_view)
    assert det.height == sample_view.height
    ev = evaluate(det, labels)
    cells = ev.filter((pl.col("qualifier") != "*") & (pl.col("category") != "medication_class"))
    tp, fp, fn = (int(cells[c].sum()) for c in ("tp", "fp", "fn"))
    # micro precision / recall over every category x qualifier cell
    assert tp / (tp + fp) >= 0.98, ev
    assert tp / (tp + fn) >= 0.95, ev
    # the mention itself (any qualifier) is found with high recall in every common category
    anyq = ev.filter((pl.col("qualifier") == "*") & (pl.col("support") >= 30))
    assert (anyq["recall"] >= 0.9).all(), anyq
