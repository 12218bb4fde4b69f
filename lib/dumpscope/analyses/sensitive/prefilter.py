"""Vectorized prefilter: cut texts into sentences and keep the unique sentences worth qualifying.

Lab comments repeat a lot, and one comment field often joins several stock sentences
(``COMMENTAIRE_1 | COMMENTAIRE_2``). Working on **unique sentences** keeps the Python qualifier
engine off the hot path: polars splits, normalizes (lower case, accents stripped) and matches the
union of every lexicon term with one Rust regex; only matching unique sentences go further.
"""

from __future__ import annotations

import polars as pl

from dumpscope.analyses.sensitive import lexicon as lx
from dumpscope.analyses.sensitive.qualify import SENTENCE_BREAKS

#: Sentence breaks, identical to :func:`dumpscope.analyses.sensitive.qualify.split_sentences`.
_BREAKS = SENTENCE_BREAKS


def candidate_pattern() -> str:
    """One regex (Rust/polars flavour) matching any term of any category.

    Word boundaries and word classes are made ASCII (``(?-u:\\b)``): the text is already
    accent-free, and Unicode boundaries keep the Rust engine off its fast DFA path.
    """
    pattern = "|".join(lx.all_term_patterns().values())
    return pattern.replace(r"\b", r"(?-u:\b)").replace(r"\w", r"(?-u:\w)")


def sentences(texts: pl.Series) -> pl.DataFrame:
    """Unique texts exploded into their normalized sentences.

    Parameters
    ----------
    texts : pl.Series
        Utf8 texts (nulls and blanks are dropped; duplicates are collapsed).

    Returns
    -------
    pl.DataFrame
        ``text`` (the original unique text), ``sentence`` (normalized, stripped), one row per
        non-blank sentence.
    """
    frame = pl.DataFrame({"text": texts.cast(pl.Utf8).unique()}).lazy()  # dedupe first: cheap
    return (
        frame.filter(pl.col("text").str.strip_chars().str.len_chars() > 0)
        .with_columns(
            sentence=lx.normalize_expr(pl.col("text"))
            .str.replace_all(lx.CLOSING_DASH, "-$1")
            .str.replace_all(lx.PATHOLOGY_K, "${1}cancer")
            .str.replace_all(lx.ELISION_SLIP, "${1}'${2}${3}")
            .str.replace_all(_BREAKS, "\x00")
        )
        .with_columns(pl.col("sentence").str.split("\x00"))
        .explode("sentence")
        .with_columns(pl.col("sentence").str.strip_chars())
        .filter(pl.col("sentence").str.len_chars() > 0)
        .collect()
    )


def candidates(sent: pl.DataFrame) -> pl.Series:
    """Unique normalized sentences that mention at least one lexicon term.

    Parameters
    ----------
    sent : pl.DataFrame
        Output of :func:`sentences` (needs ``sentence``).

    Returns
    -------
    pl.Series
        ``sentence`` values (unique, sorted for reproducibility).
    """
    return (
        sent.lazy()
        .select(pl.col("sentence").unique())
        .filter(pl.col("sentence").str.contains(candidate_pattern()))
        .sort("sentence")
        .collect()
        .get_column("sentence")
    )
