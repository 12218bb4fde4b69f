"""compare_working gives the same section for eager, lazy and scanned (Parquet) working copies."""

from __future__ import annotations

import json

import polars as pl
import pytest
from test_compare import ROLES, working

from dumpscope.analyses.compare import choose_key, compare_working


def _derived(a: pl.DataFrame) -> pl.DataFrame:
    """A copy with rows removed, altered (two columns), added, duplicated, and shuffled."""
    kept = a.join(a.slice(100, 20).select("num_dossier"), on="num_dossier", how="anti")
    altered = kept.slice(400, 10)["num_dossier"].implode()
    b = kept.with_columns(
        tel=pl.when(pl.col("num_dossier").is_in(altered))
        .then(pl.lit("0600000000"))
        .otherwise(pl.col("tel")),
        nom=pl.when(pl.col("num_dossier").is_in(altered))
        .then(pl.col("nom") + "E")
        .otherwise(pl.col("nom")),
    )
    extra = working(20, start=10_000)
    return pl.concat([b, extra, b.slice(7, 2)]).sample(fraction=1.0, shuffle=True, seed=3)


def _sections(a: pl.DataFrame, b: pl.DataFrame, tmp_path, roles_b=ROLES) -> list[str]:
    pa, pb = tmp_path / "a.parquet", tmp_path / "b.parquet"
    a.write_parquet(pa, row_group_size=128)
    b.write_parquet(pb, row_group_size=100)
    pairs = [
        (a, b),
        (a.lazy(), b.lazy()),
        (pl.scan_parquet(pa), pl.scan_parquet(pb)),
        (a, b.lazy()),
    ]
    return [
        json.dumps(compare_working(x, y, a_roles=ROLES, b_roles=roles_b), sort_keys=True)
        for x, y in pairs
    ]


def test_derived_copy_eager_and_lazy(tmp_path):
    a = working(2000)
    a = pl.concat([a, a.slice(5, 3)])
    sections = _sections(a, _derived(a), tmp_path)
    assert len(set(sections)) == 1
    result = json.loads(sections[0])
    assert result["rows"]["altered"] == 10 and result["rows"]["removed"] == 20
    assert result["changed_fields"] == {"nom": 10, "tel": 10}


@pytest.mark.parametrize(
    "make_b",
    [
        lambda a: a,
        lambda a: a.reverse(),
        lambda a: a.head(800),
        lambda a: working(1000, start=50_000),
        lambda a: pl.concat([a.head(400), working(600, start=7000)]),
        lambda a: a.clear(),
    ],
)
def test_relationships_eager_and_lazy(make_b, tmp_path):
    a = working(1000)
    assert len(set(_sections(a, make_b(a), tmp_path))) == 1


def test_fallback_key_and_other_columns_eager_and_lazy(tmp_path):
    a = working(200)
    b = a.drop("tel", "num_dossier").with_columns(
        mutuelle=pl.lit("MGEN"), nom=pl.col("nom").str.replace("NOM1", "NOM-1")
    )
    roles_b = ROLES.filter(pl.col("column") != "num_dossier")
    assert choose_key(a.lazy(), b.lazy(), ROLES, roles_b) == choose_key(a, b, ROLES, roles_b)
    sections = _sections(a, b, tmp_path, roles_b)
    assert len(set(sections)) == 1
    assert json.loads(sections[0])["key"]["method"] == "nir"
