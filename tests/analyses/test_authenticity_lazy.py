"""The assessment gives the same section for an eager and a lazy working copy / view.

A lazy copy is what the pipeline passes (``RunContext.scan_working()``: a ``pl.scan_parquet``);
each indicator then reads only its columns on the streaming engine. These tests compare the two
inputs, and the per-column shortcuts with plain row-by-row references.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from test_authenticity import fabricated_view, genuine_view, recompiled_view

import dumpscope.pipeline
from dumpscope.analyses.authenticity import assess, indicator_table
from dumpscope.analyses.authenticity import indicators as ind

COLUMNS = [
    {"index": 0, "name": "nom", "original": "NOM"},
    {"index": 1, "name": "prenom", "original": "Prénom "},
    {"index": 2, "name": "date_prelevement", "original": "DATE_PRELEVEMENT"},
    {"index": 3, "name": "vide", "original": "VIDE"},
]
ROLES = pl.DataFrame(
    {
        "column": ["nom", "prenom", "date_prelevement", "vide"],
        "role": ["usage_name", "first_name", "sample_date", "other"],
    }
)


def _same(a: dict, b: dict) -> None:
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _working(n: int = 400, headers: int = 2, iso: int = 30) -> pl.DataFrame:
    """A working copy with ``headers`` repeated header lines (in other cases, padded) and
    ``iso`` dates written yyyy-mm-dd among dd/mm/yyyy ones."""
    rng = np.random.default_rng(n + headers + iso)
    names = list(rng.choice(["DUPONT", "MARTIN", "noms", "Durand", ""], size=n))
    first = list(rng.choice(["Zoé", "Loïc", "PRENOM", " ", ""], size=n))
    dates = [f"{d:02d}/03/2019" for d in rng.integers(1, 29, size=n)]
    for i in rng.choice(n, size=iso, replace=False):
        dates[i] = "2019-03-14"
    for i in rng.choice(n, size=headers, replace=False):
        names[i], first[i], dates[i] = " nom ", "prénom", "Date_Prelevement"
    return pl.DataFrame(
        {
            "nom": names,
            "prenom": first,
            "date_prelevement": dates,
            "vide": [""] * n,
            "_source_line": pl.Series(range(2, n + 2), dtype=pl.UInt64),
            "_line_count": pl.Series([1] * n, dtype=pl.UInt32),
        }
    )


@pytest.mark.parametrize("make", [genuine_view, fabricated_view, recompiled_view])
def test_view_eager_and_lazy_give_the_same_section(make):
    view = make()
    _same(assess(view, quarantined_lines=3), assess(view.lazy(), quarantined_lines=3))


@pytest.mark.parametrize(("headers", "iso"), [(0, 0), (2, 30), (5, 0)])
def test_working_eager_lazy_and_scanned_give_the_same_section(tmp_path, headers, iso):
    working = _working(headers=headers, iso=iso)
    path = tmp_path / "working.parquet"
    working.write_parquet(path, row_group_size=64)
    view = genuine_view(n=400)
    sections = [
        assess(view, working=w, columns=COLUMNS, roles=ROLES, quarantined_lines=3)
        for w in (working, working.lazy(), pl.scan_parquet(path))
    ]
    _same(sections[0], sections[1])
    _same(sections[0], sections[2])
    codes = {i["code"]: i for i in sections[0]["indicators"]}
    assert codes["repeated_headers"]["value"] == headers
    assert codes["format_mixture"]["value"] == (1.0 if iso else 0.0)
    assert indicator_table(sections[0]).equals(indicator_table(sections[2]))


def _headers_by_rows(working: pl.DataFrame, columns: list[dict]) -> int:
    """Row-by-row reference: at least half of the row's non-empty fields equal their header."""
    header = {c["name"]: str(c["original"]).strip().upper() for c in columns}
    hits = 0
    for row in working.select(list(header)).iter_rows(named=True):
        filled = [k for k, v in row.items() if v is not None and v.strip() != ""]
        equal = [k for k in filled if row[k].strip().upper() == header[k]]
        hits += bool(filled) and 2 * len(equal) >= len(filled)
    return hits


@pytest.mark.parametrize("seed", range(6))
def test_repeated_headers_match_a_row_by_row_count(seed):
    rng = np.random.default_rng(seed)
    values = ["nom", " NOM", "Nom  ", "prénom", "PRENOM", "x", "", " ", None, "DATE_prelevement"]
    n = 300
    working = pl.DataFrame(
        {
            c["name"]: pl.Series(list(rng.choice(np.array(values, dtype=object), size=n)))
            for c in COLUMNS
        },
        schema={c["name"]: pl.Utf8 for c in COLUMNS},
    )
    expected = _headers_by_rows(working, COLUMNS)
    for frame in (working, working.lazy()):
        result = ind.repeated_headers(frame, COLUMNS)
        assert result["value"] == expected
        assert result["basis"] == max(n, ind.MIN_BASIS)


def test_repeated_headers_ignore_columns_absent_from_the_copy():
    working = _working(headers=3).drop("vide")
    for frame in (working, working.lazy()):
        assert ind.repeated_headers(frame, COLUMNS)["value"] == 3
    none = working.select("_source_line")
    assert ind.repeated_headers(none.lazy(), COLUMNS)["status"] == "not_assessable"
    assert ind.format_mixture(none.lazy(), ["date_prelevement"])["status"] == "not_assessable"


@pytest.mark.parametrize("seed", range(4))
def test_duplicate_identities_match_distinct_rows(seed):
    """Same value as counting each NIR's distinct (nir, contents) rows, nulls included."""
    rng = np.random.default_rng(seed)
    n = 500

    def pick(options):
        return pl.Series(list(rng.choice(np.array(options, dtype=object), size=n)))

    view = pl.DataFrame(
        {
            "nir": pick([f"{i:015d}" for i in range(60)]),
            "nir_status": pick(["valid"] * 4 + ["invalid_key", None]),
            "usage_name": pick(["A", "B", None]),
            "first_name": pick(["X", None]),
            "birth_date": pick([None, "1990-01-01"]),
            "lab_code": pick(["L1", "L1", "L2"]),
            "sample_date": pick(["2019-01-01", None]),
        }
    ).with_columns(pl.col("birth_date", "sample_date").str.to_date())
    content = ["usage_name", "first_name", "birth_date", "lab_code", "sample_date"]
    per_nir = (
        view.filter(pl.col("nir_status") == "valid")
        .unique(subset=["nir", *content])
        .group_by("nir")
        .len("versions")
    )
    expected = round(float((per_nir["versions"] > 1).mean()), 4)
    for frame in (view, view.lazy()):
        result = ind.duplicate_identities(frame)
        assert result["value"] == expected
        assert result["basis"] == per_nir.height


def test_empty_lazy_inputs_are_not_assessable():
    view = genuine_view(n=5).clear()
    _same(assess(view, quarantined_lines=0), assess(view.lazy(), quarantined_lines=0))
    working = _working().clear()
    result = ind.format_mixture(working.lazy(), ["date_prelevement"])
    assert result["status"] == "not_assessable" and result["basis"] == 0
    assert ind.repeated_headers(working.lazy(), COLUMNS)["value"] == 0


def test_sample_eager_and_lazy_working_copy(sample_dump, tmp_path):
    ctx = dumpscope.pipeline.open_run(
        {"dump_path": str(sample_dump), "run_dir": str(tmp_path / "run"), "lang": "fr", "k": 10,
         "mapping_path": ""},
        notebook="40-assess-authenticity",
    )  # fmt: skip
    record = ctx.intake().record

    def run(view, working) -> dict:
        return assess(
            view,
            working=working,
            columns=record["columns"],
            roles=ctx.roles(),
            quarantined_lines=record["lines"]["quarantined_lines"],
        )

    eager = run(ctx.view(), ctx.working())
    _same(eager, run(ctx.view(), ctx.scan_working()))
    _same(eager, run(ctx.view().lazy(), ctx.scan_working()))
    codes = [i["code"] for i in eager["indicators"]]
    assert codes[-2:] == ["repeated_headers", "format_mixture"]
