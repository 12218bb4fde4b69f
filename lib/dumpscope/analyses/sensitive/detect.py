"""Detect sensitive health mentions per row and summarize them (contracts §6).

Pipeline: unique texts → sentences (polars) → typo repair (:mod:`.typos`) → prefilter (one Rust
regex) → qualifier engine on the unique candidate sentences only (:mod:`.qualify`) → ranks joined back and reduced per text, then
per row, with vectorized polars ``max`` over sentences and columns.

Row-level precedence when a category is mentioned with several qualifiers (in one text or across
the comment and exam-list columns): **positive > family > requested > negated**. The medication
class reported is the class of the winning medication qualifier, first in
:data:`~dumpscope.analyses.sensitive.lexicon.MEDICATION_CLASSES` order (antiretroviral first).
"""

from __future__ import annotations

import polars as pl

from dumpscope import frames
from dumpscope.analyses.sensitive import lexicon as lx
from dumpscope.analyses.sensitive.prefilter import candidates, sentences
from dumpscope.analyses.sensitive.qualify import QualifierEngine, default_engine, rank
from dumpscope.analyses.sensitive.typos import repair

_NCLS = len(lx.MEDICATION_CLASSES)
_CAT_COLS = list(lx.CATEGORIES)


def _qualify_frame(engine: QualifierEngine, sents: pl.Series, *, exam: bool) -> pl.DataFrame:
    """Codes per unique sentence: one Int8 rank per category, ``_med`` = rank * 16 + class."""
    rows: dict[str, list[int | None]] = {c: [] for c in _CAT_COLS}
    med: list[int | None] = []
    for s in sents.to_list():
        q = engine.qualify_text(s, exam=exam, repair_typos=False)
        for c in _CAT_COLS:
            rows[c].append(rank(q.get(c)) or None)
        if "medication_class" in q:
            cls = lx.MEDICATION_CLASSES.index(q["medication_class"])
            med.append(rank(q["medication"]) * 16 + (_NCLS - cls))
        else:
            med.append(None)
    schema = dict.fromkeys(_CAT_COLS, pl.Int8)
    return pl.DataFrame(
        {"sentence": sents, **rows, "_med": med},
        schema={"sentence": pl.Utf8, **schema, "_med": pl.Int16},
    )


def _codes_per_text(engine: QualifierEngine, texts: pl.Series, *, exam: bool) -> pl.DataFrame:
    sent = sentences(texts)
    fixed = repair(sent.get_column("sentence").unique())
    sent = sent.join(fixed, on="sentence", how="left").select(
        "text", pl.col("corrected").alias("sentence")
    )
    cand = candidates(sent)
    coded = _qualify_frame(engine, cand, exam=exam)
    return (
        sent.lazy()
        .join(coded.lazy(), on="sentence", how="inner")
        .group_by("text")
        .agg(pl.col(*_CAT_COLS, "_med").max())
        .collect()
    )


def detect(
    view: pl.DataFrame | pl.LazyFrame,
    *,
    columns: tuple[str, ...] = ("comment", "exam_list"),
    use_edsnlp: bool = False,
    engine: QualifierEngine | None = None,
) -> pl.DataFrame:
    """Sensitive health mentions per row of the normalized view.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view; needs ``_source_line`` and the text ``columns`` (missing ones are
        skipped). ``exam_list`` is read as a list of tests (every mention ``requested``).
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    columns : tuple of str
        Free-text columns to read.
    use_edsnlp : bool
        Let the edsnlp 0.23 qualifiers (``eds.negation``, ``eds.hypothesis``, ``eds.family``)
        decide the mentions the cue rules leave open. Off by default: measured on the
        generator's 20,000-row dump and on the hand-labelled corpora, every decision it changed
        was wrong ("terme prévu" read as a hypothesis, "enfant" as family), and loading the
        pipeline costs about 12 s.
    engine : QualifierEngine, optional
        A prepared engine (overrides ``use_edsnlp``).

    Returns
    -------
    pl.DataFrame
        One row per view row, same order: ``_source_line``, one Utf8 column per category of
        :data:`~dumpscope.analyses.sensitive.lexicon.CATEGORIES` (``positive`` / ``negated`` /
        ``requested`` / ``family`` or null), ``medication_class`` (Utf8 or null), ``any_health``
        (Boolean: any category mentioned, whatever the qualifier).
    """
    view = frames.select(
        view, [c for c in ("_source_line", *columns) if c in frames.column_names(view)]
    )
    engine = engine or default_engine(use_edsnlp)
    base = view.select(
        pl.col("_source_line"), *[pl.col(c).cast(pl.Utf8) for c in columns if c in view.columns]
    )
    per_col = []
    for i, col in enumerate(c for c in columns if c in view.columns):
        codes = _codes_per_text(engine, base.get_column(col), exam=col == "exam_list")
        codes = codes.rename({c: f"{c}__{i}" for c in [*_CAT_COLS, "_med"]})
        base = base.join(codes, left_on=col, right_on="text", how="left", maintain_order="left")
        per_col.append(i)
    qual = pl.Series(["", *reversed(lx.QUALIFIERS)])  # index = rank
    classes = pl.Series([None, *reversed(lx.MEDICATION_CLASSES)], dtype=pl.Utf8)
    exprs = []
    for c in _CAT_COLS:
        r = pl.max_horizontal([pl.col(f"{c}__{i}") for i in per_col]) if per_col else pl.lit(None)
        exprs.append(r.cast(pl.Int8).alias(c))
    med = pl.max_horizontal([pl.col(f"_med__{i}") for i in per_col]) if per_col else pl.lit(None)
    out = base.select(pl.col("_source_line"), *exprs, med.cast(pl.Int16).alias("_med"))
    return out.select(
        pl.col("_source_line"),
        *[
            pl.col(c).replace_strict(list(range(1, 5)), qual[1:].to_list(), default=None).alias(c)
            for c in _CAT_COLS
        ],
        (pl.col("_med") % 16)
        .replace_strict(list(range(1, _NCLS + 1)), classes[1:].to_list(), default=None)
        .cast(pl.Utf8)
        .alias("medication_class"),
        pl.any_horizontal([pl.col(c).is_not_null() for c in _CAT_COLS])
        .fill_null(False)
        .alias("any_health"),
    )


def summarize(detections: pl.DataFrame, links: pl.DataFrame | None = None) -> dict:
    """Counts per category and qualifier, at row and person level.

    Parameters
    ----------
    detections : pl.DataFrame
        Output of :func:`detect` (``_source_line``, category columns, ``medication_class``,
        ``any_health``).
    links : pl.DataFrame, optional
        ``[_source_line, person_id]`` from ``dumpscope.analyses.persons.link``; without it,
        ``persons`` counts are null.

    Returns
    -------
    dict
        ``sensitive {<category>: {<qualifier>: {rows, persons}}}``, ``categories {<category>:
        {rows, persons, qualifiers}}`` (rows / persons with any mention of the category; a person
        counted once whatever the qualifiers of their rows), ``medication_classes
        {<class>: {rows, persons}}``, ``any_health {rows, persons}``, ``precedence`` (list),
        ``person_level`` (bool). Counts are exact (suppression below k happens at rendering).
        A person counts once per (category, qualifier) pair whatever their number of rows.
    """
    frame = detections.lazy()
    has_persons = links is not None
    if has_persons:
        frame = frame.join(
            links.lazy().select("_source_line", "person_id"), on="_source_line", how="left"
        )

    def count(cond: pl.Expr, name: str) -> list[pl.Expr]:
        out = [cond.sum().alias(f"{name}|rows")]
        if has_persons:
            out.append(pl.col("person_id").filter(cond).n_unique().alias(f"{name}|persons"))
        return out

    exprs: list[pl.Expr] = []
    for c in lx.CATEGORIES:
        for q in lx.QUALIFIERS:
            exprs += count((pl.col(c) == q).fill_null(False), f"s|{c}|{q}")
    for cls in lx.MEDICATION_CLASSES:
        exprs += count((pl.col("medication_class") == cls).fill_null(False), f"m|{cls}")
    for c in lx.CATEGORIES:
        exprs += count(pl.col(c).is_not_null(), f"c|{c}")
    exprs += count(pl.col("any_health").fill_null(False), "a")
    row = frame.select(exprs).collect().row(0, named=True)

    def pair(name: str) -> dict:
        return {
            "rows": int(row[f"{name}|rows"]),
            "persons": int(row[f"{name}|persons"]) if has_persons else None,
        }

    sensitive = {c: {q: pair(f"s|{c}|{q}") for q in lx.QUALIFIERS} for c in lx.CATEGORIES}
    return {
        "sensitive": sensitive,
        "categories": {c: {**pair(f"c|{c}"), "qualifiers": sensitive[c]} for c in lx.CATEGORIES},
        "medication_classes": {cls: pair(f"m|{cls}") for cls in lx.MEDICATION_CLASSES},
        "any_health": pair("a"),
        "persons_any": pair("a")["persons"],
        "rows_any": pair("a")["rows"],
        "precedence": list(lx.QUALIFIERS),
        "person_level": has_persons,
    }
