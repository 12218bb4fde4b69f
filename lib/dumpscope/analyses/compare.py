"""Compare two dumps: is the copy found on a forum the same file as the one sold elsewhere?

Works on two intake working copies (text exactly as decoded), so that encodings, line endings or
quoting styles that differ between copies do not count as differences of content.

Both working copies may be eager (``pl.DataFrame``) or lazy (``pl.LazyFrame``, e.g.
``RunContext.scan_working()``), with the same result: with lazy copies only a fingerprint per row
(two 64-bit hashes), the key columns and the rows of altered pairs are held, never a whole copy.

Matching, in plain words:

1. every row gets a content fingerprint over the columns both dumps share (``_source_line`` and
   ``_line_count`` excluded); rows whose fingerprint occurs in both are *unchanged* (as many times
   as it occurs in both: exact duplicate rows are counted, not collapsed);
2. the remaining rows are matched on a record key (the lab file number when both dumps have one,
   else the NIR, else surname + first name + birth date): a pair with the same key is *altered*,
   and the fields that differ are counted per column;
3. what is left is *removed* (only in A) or *added* (only in B).
"""

from __future__ import annotations

import polars as pl

from dumpscope import frames

#: Roles tried, in order, for the record key of step 2.
KEY_ROLES: tuple[tuple[str, ...], ...] = (
    ("dossier",),
    ("nir",),
    ("usage_name", "first_name", "birth_date"),
)

_SEP = "\x1f"

#: Columns compared per pass over the altered pairs (memory: this many columns of those rows).
_COLUMNS_PER_PASS = 16

Frame = pl.DataFrame | pl.LazyFrame


def _content_columns(frame: Frame) -> list[str]:
    return frames.data_columns(frame)


def _first_column(roles: pl.DataFrame, role: str, frame: Frame) -> str | None:
    present = set(frames.column_names(frame))
    cols = roles.filter(pl.col("role") == role)["column"].to_list()
    cols = [c for c in cols if c in present]
    return cols[0] if cols else None


def choose_key(a: Frame, b: Frame, a_roles: pl.DataFrame, b_roles: pl.DataFrame) -> dict:
    """Pick the record key used to pair rows that differ.

    Needs both working copies (eager or lazy; only A's key columns are read) and their role
    tables (``[column, role]``). A key is usable when both dumps have all its roles and the key
    is filled in at least 90 % of A's rows.

    Returns
    -------
    dict
        ``method`` (``dossier`` / ``nir`` / ``identity`` / ``none``), ``columns_a``,
        ``columns_b`` (lists of working-copy column names).
    """
    names = {("dossier",): "dossier", ("nir",): "nir"}
    for roles in KEY_ROLES:
        ca = [_first_column(a_roles, r, a) for r in roles]
        cb = [_first_column(b_roles, r, b) for r in roles]
        if None in ca or None in cb:
            continue
        filled = frames.collect(
            a.lazy().select(
                pl.all_horizontal(
                    [pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") for c in ca]
                ).mean()
            )
        ).item()
        if filled is not None and filled >= 0.9:
            return {"method": names.get(roles, "identity"), "columns_a": ca, "columns_b": cb}
    return {"method": "none", "columns_a": [], "columns_b": []}


def _fingerprint(columns: list[str]) -> pl.Expr:
    """128-bit content fingerprint: two seeded 64-bit hashes of the row's shared columns."""
    row = pl.struct([pl.col(c) for c in columns])
    return pl.struct(row.hash(seed=0).alias("h0"), row.hash(seed=1).alias("h1"))


def _with_occurrence(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return frame.with_columns(pl.int_range(pl.len()).over(by).alias("_occ"))


def _positions(frame: Frame, expr: pl.Expr, name: str) -> pl.DataFrame:
    """``_pos`` (UInt32, row position) and ``expr`` as ``name``: one streaming pass reading only
    the columns ``expr`` names."""
    return frames.collect(
        frame.lazy()
        .with_row_index("_pos")
        .select(pl.col("_pos").cast(pl.UInt32), expr.alias(name))
    )


def _rows_at(frame: Frame, columns: list[str], positions: pl.Series, name: str) -> pl.DataFrame:
    """``columns`` of the rows at ``positions`` (a few), with their position as ``name``."""
    wanted = pl.DataFrame({name: positions.cast(pl.UInt32)}).lazy()
    return frames.collect(
        frame.lazy()
        .select(columns)
        .with_row_index(name)
        .with_columns(pl.col(name).cast(pl.UInt32))
        .join(wanted, on=name, how="semi")
    )


def compare_working(
    a: Frame,
    b: Frame,
    *,
    a_roles: pl.DataFrame,
    b_roles: pl.DataFrame,
) -> dict:
    """Compare two working copies.

    Parameters
    ----------
    a, b
        Working copies (docs/contracts.md §4): Utf8 columns plus ``_source_line``. Eager or lazy
        (``pl.scan_parquet``), same result; a lazy copy is read in streaming passes that keep a
        fingerprint per row, the key columns and the rows of altered pairs only.
    a_roles, b_roles
        Role tables of each (``[column, role, ...]``, from :func:`dumpscope.roles.detect_roles`).

    Returns
    -------
    dict
        ``columns {only_a, only_b, common}``, ``rows {a_total, b_total, unchanged, altered,
        removed, added}``, ``key {method, columns_a, columns_b}``, ``changed_fields {column:
        pairs}``, ``persons {nir_a, nir_b, nir_common}`` (distinct NIR strings),
        ``order_preserved`` (bool: rows both dumps share appear in the same relative order),
        ``relationship`` (see :func:`relationship`), ``shares {of_a_in_b, of_b_from_a}``.
    """
    ca, cb = _content_columns(a), _content_columns(b)
    common = [c for c in ca if c in set(cb)]
    fa = _positions(a, _fingerprint(common), "_fp")
    fb = _positions(b, _fingerprint(common), "_fp")
    fa, fb = _with_occurrence(fa, "_fp"), _with_occurrence(fb, "_fp")
    pairs = fa.join(fb, on=["_fp", "_occ"], how="inner", suffix="_b")
    unchanged = pairs.height
    order_preserved = (
        bool(pairs.sort("_pos").select(pl.col("_pos_b").diff().fill_null(1).min() > 0).item())
        if unchanged > 1
        else True
    )

    rest_a = fa.join(pairs.select("_pos"), on="_pos", how="anti")
    rest_b = fb.join(pairs.select(pl.col("_pos_b").alias("_pos")), on="_pos", how="anti")

    key = choose_key(a, b, a_roles, b_roles)
    altered = 0
    changed_fields: dict[str, int] = {}
    if key["method"] != "none" and rest_a.height and rest_b.height:
        ka = _positions(
            a,
            pl.concat_str([pl.col(c).str.strip_chars() for c in key["columns_a"]], separator=_SEP),
            "_key",
        ).join(rest_a.select("_pos"), on="_pos", how="semi")
        kb = _positions(
            b,
            pl.concat_str([pl.col(c).str.strip_chars() for c in key["columns_b"]], separator=_SEP),
            "_key",
        ).join(rest_b.select("_pos"), on="_pos", how="semi")
        ka = _with_occurrence(
            ka.filter(pl.col("_key").is_not_null() & (pl.col("_key") != "")), "_key"
        )
        kb = _with_occurrence(
            kb.filter(pl.col("_key").is_not_null() & (pl.col("_key") != "")), "_key"
        )
        matched = ka.join(kb, on=["_key", "_occ"], how="inner", suffix="_b")
        altered = matched.height
        if altered:
            # A few columns at a time: memory holds the altered pairs' values of those columns.
            pairs_ab = matched.select("_pos", "_pos_b")
            diffs: dict[str, int] = {}
            for start in range(0, len(common), _COLUMNS_PER_PASS):
                batch = common[start : start + _COLUMNS_PER_PASS]
                left = _rows_at(a, batch, pairs_ab["_pos"], "_pos").join(
                    pairs_ab, on="_pos", how="inner"
                )
                right = _rows_at(b, batch, pairs_ab["_pos_b"], "_pos_b")
                both = left.join(right, on="_pos_b", how="inner", suffix="__b")
                diffs.update(
                    both.select(
                        [
                            (pl.col(c).fill_null("") != pl.col(f"{c}__b").fill_null(""))
                            .sum()
                            .alias(c)
                            for c in batch
                        ]
                    ).row(0, named=True)
                )
            changed_fields = {c: int(n) for c, n in sorted(diffs.items()) if n}
    removed = rest_a.height - altered
    added = rest_b.height - altered

    persons = _nir_overlap(a, b, a_roles, b_roles)
    rows = {
        "a_total": fa.height,
        "b_total": fb.height,
        "unchanged": unchanged,
        "altered": altered,
        "removed": removed,
        "added": added,
    }
    return {
        "columns": {
            "only_a": [c for c in ca if c not in set(cb)],
            "only_b": [c for c in cb if c not in set(ca)],
            "common": len(common),
        },
        "rows": rows,
        "key": key,
        "changed_fields": changed_fields,
        "persons": persons,
        "order_preserved": order_preserved,
        "relationship": relationship(
            rows, order_preserved, columns_differ=len(common) != len(ca) or len(common) != len(cb)
        ),
        "shares": {
            "of_a_in_b": round((unchanged + altered) / fa.height, 6) if fa.height else None,
            "of_b_from_a": round((unchanged + altered) / fb.height, 6) if fb.height else None,
        },
    }


def _nir_overlap(a: Frame, b: Frame, a_roles: pl.DataFrame, b_roles: pl.DataFrame) -> dict:
    col_a, col_b = _first_column(a_roles, "nir", a), _first_column(b_roles, "nir", b)
    if col_a is None or col_b is None:
        return {"nir_a": None, "nir_b": None, "nir_common": None}

    def distinct(frame: Frame, col: str) -> pl.DataFrame:
        compact = pl.col(col).str.replace_all(r"[\s.]", "").str.to_uppercase()
        return frames.collect(
            frame.lazy()
            .select(compact.alias("nir"))
            .filter(pl.col("nir").str.contains(r"^[0-9]{5}[0-9AB][0-9]{9}$"))
            .unique()
        )

    da, db = distinct(a, col_a), distinct(b, col_b)
    return {
        "nir_a": da.height,
        "nir_b": db.height,
        "nir_common": da.join(db, on="nir", how="semi").height,
    }


def relationship(rows: dict, order_preserved: bool, *, columns_differ: bool) -> str:
    """Name the relationship of B to A from the row counts.

    Returns one of ``identical`` (same rows, same order, same columns), ``reordered`` (same rows,
    other order), ``subset`` (B = A minus rows), ``superset`` (B = A plus rows),
    ``modified_copy`` (the same extract with rows altered, or a few rows removed and added:
    each at most 5 % of A), ``recompilation`` (B takes at least 20 % of A's rows and at least
    20 % of B comes from elsewhere), ``unrelated`` (less than 1 % of A in B) or ``overlapping``.
    """
    a_total = max(rows["a_total"], 1)
    b_total = max(rows["b_total"], 1)
    shared = rows["unchanged"] + rows["altered"]
    if rows["altered"] == rows["removed"] == rows["added"] == 0:
        if columns_differ:
            return "modified_copy"
        return "identical" if order_preserved else "reordered"
    if rows["altered"] == 0 and rows["added"] == 0:
        return "subset"
    if rows["altered"] == 0 and rows["removed"] == 0:
        return "superset"
    if shared < 0.01 * a_total:
        return "unrelated"
    if rows["removed"] <= 0.05 * a_total and rows["added"] <= 0.05 * a_total:
        return "modified_copy"
    if shared >= 0.2 * a_total and rows["added"] >= 0.2 * b_total:
        return "recompilation"
    return "overlapping"


RELATIONSHIP_TEXT: dict[str, dict[str, str]] = {
    "identical": {
        "fr": "B contient exactement les mêmes lignes que A, dans le même ordre.",
        "en": "B holds exactly the same rows as A, in the same order.",
    },
    "reordered": {
        "fr": "B contient exactement les mêmes lignes que A, dans un autre ordre.",
        "en": "B holds exactly the same rows as A, in another order.",
    },
    "subset": {
        "fr": "B est un sous-ensemble de A : des lignes ont été retirées, aucune ajoutée ni "
        "modifiée.",
        "en": "B is a subset of A: rows were removed, none added or altered.",
    },
    "superset": {
        "fr": "B contient toutes les lignes de A et des lignes supplémentaires.",
        "en": "B holds every row of A plus additional rows.",
    },
    "modified_copy": {
        "fr": "B est une copie de A avec des modifications limitées (lignes modifiées, retirées "
        "ou ajoutées, ou colonnes différentes).",
        "en": "B is a copy of A with limited changes (rows altered, removed or added, or "
        "different columns).",
    },
    "recompilation": {
        "fr": "B reprend une part importante de A mais y mêle une part importante de lignes "
        "d'autres sources : une recompilation.",
        "en": "B takes a large part of A but mixes in a large share of rows from elsewhere: a "
        "re-compilation.",
    },
    "unrelated": {
        "fr": "B et A n'ont presque aucune ligne en commun.",
        "en": "B and A have almost no row in common.",
    },
    "overlapping": {
        "fr": "B et A se recouvrent en partie, sans relation simple.",
        "en": "B and A overlap in part, with no simple relationship.",
    },
}


def row_table(section: dict, lang: str = "fr") -> pl.DataFrame:
    """The row counts of a comparison as a two-column table (``what``, ``rows``)."""
    labels = {
        "fr": {
            "a_total": "Lignes de A",
            "b_total": "Lignes de B",
            "unchanged": "Identiques dans A et B",
            "altered": "Modifiées (même clé, contenu différent)",
            "removed": "Seulement dans A (retirées)",
            "added": "Seulement dans B (ajoutées)",
        },
        "en": {
            "a_total": "Rows of A",
            "b_total": "Rows of B",
            "unchanged": "Identical in A and B",
            "altered": "Altered (same key, other content)",
            "removed": "Only in A (removed)",
            "added": "Only in B (added)",
        },
    }["en" if lang == "en" else "fr"]
    rows = section["rows"]
    return pl.DataFrame(
        {"what": [labels[k] for k in labels], "rows": [int(rows[k]) for k in labels]},
        schema={"what": pl.Utf8, "rows": pl.Int64},
    )


def changed_fields_table(section: dict) -> pl.DataFrame:
    """Columns that differ between altered pairs (``column``, ``pairs``), most changed first."""
    items = sorted(section["changed_fields"].items(), key=lambda kv: (-kv[1], kv[0]))
    return pl.DataFrame(
        {"column": [c for c, _ in items], "pairs": [n for _, n in items]},
        schema={"column": pl.Utf8, "pairs": pl.Int64},
    )


def evidence_table(record_a: dict, record_b: dict) -> pl.DataFrame:
    """The two evidence files (``file``, ``name``, ``bytes``, ``sha256``, ``rows``) from their
    intake records."""
    rows = []
    for label, rec in (("A", record_a), ("B", record_b)):
        ev = rec.get("evidence", {})
        rows.append(
            {
                "file": label,
                "name": str(ev.get("name", "")),
                "bytes": int(ev.get("bytes", 0)),
                "sha256": str(ev.get("sha256", "")),
                "rows": int(rec.get("lines", {}).get("loaded_records", 0)),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "file": pl.Utf8,
            "name": pl.Utf8,
            "bytes": pl.Int64,
            "sha256": pl.Utf8,
            "rows": pl.Int64,
        },
    )


def column_table(section: dict, lang: str = "fr") -> pl.DataFrame:
    """Columns found in only one file (``file``, ``column``)."""
    only = "seulement dans" if lang != "en" else "only in"
    rows = [(f"{only} A", c) for c in section["columns"]["only_a"]] + [
        (f"{only} B", c) for c in section["columns"]["only_b"]
    ]
    return pl.DataFrame(
        {"file": [r[0] for r in rows], "column": [r[1] for r in rows]},
        schema={"file": pl.Utf8, "column": pl.Utf8},
    )
