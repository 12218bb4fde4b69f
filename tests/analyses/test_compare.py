"""Dump comparison: exact counts of unchanged, altered, removed and added rows."""

from __future__ import annotations

import polars as pl
import pytest

from dumpscope.analyses.compare import choose_key, compare_working

ROLES = pl.DataFrame(
    {
        "column": ["num_dossier", "num_ss", "nom", "prenom", "date_naissance", "tel"],
        "role": ["dossier", "nir", "usage_name", "first_name", "birth_date", "landline"],
    }
)


def working(n: int, start: int = 0) -> pl.DataFrame:
    ids = list(range(start, start + n))
    return pl.DataFrame(
        {
            "num_dossier": [f"D{i:07d}" for i in ids],
            "num_ss": [f"2850556260{i % 100000:05d}" for i in ids],
            "nom": [f"NOM{i % 97}" for i in ids],
            "prenom": [f"PRENOM{i % 13}" for i in ids],
            "date_naissance": [f"{1 + i % 28:02d}/0{1 + i % 9}/19{50 + i % 50}" for i in ids],
            "tel": [f"0297{i:06d}" for i in ids],
            "_source_line": pl.int_range(2, n + 2, eager=True).cast(pl.UInt64),
        }
    )


def test_removed_added_altered_counts_are_exact():
    a = working(2000)
    a = pl.concat([a, a.slice(5, 3)])  # three exact duplicate rows stay duplicates
    removed = a.slice(100, 20)  # 1 %
    kept = a.join(removed.select("num_dossier"), on="num_dossier", how="anti")
    altered_ids = kept.slice(400, 10)["num_dossier"]  # 0.5 %
    b = kept.with_columns(
        tel=pl.when(pl.col("num_dossier").is_in(altered_ids.implode()))
        .then(pl.lit("0600000000"))
        .otherwise(pl.col("tel"))
    )
    b = pl.concat([b, working(20, start=10_000)]).sample(fraction=1.0, shuffle=True, seed=3)
    result = compare_working(a, b, a_roles=ROLES, b_roles=ROLES)
    assert result["rows"] == {
        "a_total": 2003,
        "b_total": 2003,
        "unchanged": 2003 - 20 - 10,
        "altered": 10,
        "removed": 20,
        "added": 20,
    }
    assert result["changed_fields"] == {"tel": 10}
    assert result["key"]["method"] == "dossier"
    assert result["relationship"] == "modified_copy"
    assert result["order_preserved"] is False
    assert result["persons"]["nir_common"] == 1980


@pytest.mark.parametrize(
    ("make_b", "expected"),
    [
        (lambda a: a, "identical"),
        (lambda a: a.reverse(), "reordered"),
        (lambda a: a.head(800), "subset"),
        (lambda a: pl.concat([a, working(300, start=5000)]), "superset"),
        (lambda a: working(1000, start=50_000), "unrelated"),
        (lambda a: pl.concat([a.head(400), working(600, start=7000)]), "recompilation"),
    ],
)
def test_relationship(make_b, expected):
    a = working(1000)
    result = compare_working(a, make_b(a), a_roles=ROLES, b_roles=ROLES)
    assert result["relationship"] == expected, result["rows"]


def test_column_differences_and_fallback_key():
    a = working(200)
    b = a.drop("tel", "num_dossier").with_columns(mutuelle=pl.lit("MGEN"))
    roles_b = ROLES.filter(pl.col("column") != "num_dossier")
    key = choose_key(a, b, ROLES, roles_b)
    assert key["method"] == "nir"
    result = compare_working(a, b, a_roles=ROLES, b_roles=roles_b)
    assert result["columns"]["only_a"] == ["num_dossier", "tel"]
    assert result["columns"]["only_b"] == ["mutuelle"]
    # Rows agree on every shared column: unchanged, but the copy is not identical.
    assert result["rows"]["unchanged"] == 200
    assert result["relationship"] == "modified_copy"


def test_encoding_free_comparison_ignores_source_lines():
    a = working(50)
    b = a.with_columns((pl.col("_source_line") * 2).alias("_source_line"))
    assert compare_working(a, b, a_roles=ROLES, b_roles=ROLES)["relationship"] == "identical"
