"""Precision and recall of :func:`~dumpscope.analyses.sensitive.detect.detect` against labels."""

from __future__ import annotations

import polars as pl

from dumpscope.analyses.sensitive import lexicon as lx


def read_labels(path) -> pl.DataFrame:
    """Read a generator label file ``<dump>.labels.csv`` (contracts §1) with every column as text.

    Returns
    -------
    pl.DataFrame
        ``source_line`` (UInt64), ``person_id``, one column per category, ``medication_class``;
        empty strings become null.
    """
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_columns(
        pl.col("source_line").cast(pl.UInt64),
        *[
            pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
            for c in frame.columns
            if c != "source_line"
        ],
    )


def labels_for(dump_path, labels_path: str = ""):
    """The per-row label file to measure the detector against, if there is one.

    ``labels_path`` when given; otherwise ``<dump>.labels.csv`` beside the dump when it exists
    (the synthetic generator writes it); otherwise ``None`` (a real dump has no labels).
    """
    from pathlib import Path

    if labels_path:
        return Path(labels_path)
    beside = Path(str(dump_path) + ".labels.csv")
    return beside if beside.is_file() else None


def evaluate(detections: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Per (category, qualifier) true/false positives and negatives, precision and recall.

    Parameters
    ----------
    detections : pl.DataFrame
        Output of ``detect`` (``_source_line`` and the category columns, ``medication_class``).
    labels : pl.DataFrame
        ``source_line`` (or ``_source_line``) and one column per category holding the expected
        qualifier or null; optional ``medication_class``. Rows are matched on the source line;
        rows absent from either side are ignored.

    Returns
    -------
    pl.DataFrame
        ``category``, ``qualifier`` (``*`` = any qualifier: mention detected at all;
        for ``medication_class`` the qualifier column holds the class), ``tp``, ``fp``, ``fn``,
        ``precision``, ``recall`` (null when undefined), ``support`` (= tp + fn).
    """
    key = "source_line" if "source_line" in labels.columns else "_source_line"
    lab = labels.select(
        pl.col(key).cast(pl.UInt64).alias("_source_line"),
        *[
            pl.col(c).alias(f"{c}__true")
            for c in (*lx.CATEGORIES, "medication_class")
            if c in labels.columns
        ],
    )
    joined = detections.join(lab, on="_source_line", how="inner")
    exprs: list[pl.Expr] = []
    keys: list[tuple[str, str]] = []

    def add(cat: str, qual: str, pred: pl.Expr, true: pl.Expr) -> None:
        pred, true = pred.fill_null(False), true.fill_null(False)
        name = f"{cat}|{qual}"
        keys.append((cat, qual))
        exprs.extend(
            [
                (pred & true).sum().alias(f"{name}|tp"),
                (pred & ~true).sum().alias(f"{name}|fp"),
                (~pred & true).sum().alias(f"{name}|fn"),
            ]
        )

    for cat in lx.CATEGORIES:
        if f"{cat}__true" not in joined.columns:
            continue
        p, t = pl.col(cat), pl.col(f"{cat}__true")
        for q in lx.QUALIFIERS:
            add(cat, q, p == q, t == q)
        add(cat, "*", p.is_not_null(), t.is_not_null())
    if "medication_class__true" in joined.columns:
        p, t = pl.col("medication_class"), pl.col("medication_class__true")
        for cls in lx.MEDICATION_CLASSES:
            add("medication_class", cls, p == cls, t == cls)
    row = joined.select(exprs).row(0, named=True) if exprs else {}
    records = []
    for cat, qual in keys:
        tp, fp, fn = (int(row[f"{cat}|{qual}|{k}"]) for k in ("tp", "fp", "fn"))
        records.append(
            {
                "category": cat,
                "qualifier": qual,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "precision": tp / (tp + fp) if tp + fp else None,
                "recall": tp / (tp + fn) if tp + fn else None,
                "support": tp + fn,
            }
        )
    schema = {
        "category": pl.Utf8,
        "qualifier": pl.Utf8,
        "tp": pl.Int64,
        "fp": pl.Int64,
        "fn": pl.Int64,
        "precision": pl.Float64,
        "recall": pl.Float64,
        "support": pl.Int64,
    }
    return pl.DataFrame(records, schema=schema)
