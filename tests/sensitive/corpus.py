"""Load the hand-labelled French corpus as a view-shaped frame and a labels frame."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dumpscope.analyses.sensitive.lexicon import CATEGORIES

CORPUS = Path(__file__).with_name("corpus_fr.tsv")
HOLDOUT = Path(__file__).with_name("holdout_fr.tsv")


def load_corpus(path: Path = CORPUS) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return ``(view, labels)``: view ``[_source_line, comment, exam_list]``, labels per contract."""
    rows, labels = [], []
    for i, line in enumerate(path.read_text("utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        column, text, expected = line.split("\t")
        n = i + 1
        rows.append(
            {
                "_source_line": n,
                "comment": text if column == "comment" else None,
                "exam_list": text if column == "exam_list" else None,
            }
        )
        lab: dict = {"source_line": n, **dict.fromkeys(CATEGORIES), "medication_class": None}
        if expected != "-":
            for item in expected.split(","):
                key, value = item.split("=")
                lab[key] = value
        labels.append(lab)
    view = pl.DataFrame(
        rows, schema={"_source_line": pl.UInt64, "comment": pl.Utf8, "exam_list": pl.Utf8}
    )
    labs = pl.DataFrame(
        labels,
        schema={
            "source_line": pl.UInt64,
            **dict.fromkeys(CATEGORIES, pl.Utf8),
            "medication_class": pl.Utf8,
        },
    )
    return view, labs
