"""Distinct persons: record linkage of the normalized view and the person count with bounds.

Method (plain words, also returned in the section):

1. A valid NIR (key checked) identifies a person: rows sharing a valid NIR are one person,
   unless their first names, surnames and birth dates all differ (a number typed on another
   patient's record, or duplicated): those rows are another person.
2. A row without a valid NIR is compared with the other rows that share its birth date, its
   exact normalized first + last name (to catch a mistyped or missing birth date), or the first
   13 characters of its NIR (same number, wrong or missing key). Names are compared after
   upper-casing and removing accents and punctuation, with the Jaro-Winkler similarity
   (``rapidfuzz``), which tolerates typos and left-over mojibake (repaired with ``ftfy``); usage
   and birth names are compared crosswise (a married woman may appear under either). A pair is
   refused when the sexes contradict, when both NIR numbers differ by more than two characters,
   or when a birth date contradicts the birth year or month coded in the other row's NIR.
   Identical names and postcode with a missing birth date are accepted only when no namesake
   with another birth date lives at that postcode. A row missing its surname (or first name)
   is accepted on the same birth date and postcode when the other name matches; a malformed
   NIR that keeps its first 10 digits or more (truncated, or mangled by a spreadsheet into
   ``2921174E+14``) supports a match on the same birth date with one matching name.
3. Accepted pairs are grouped (connected components); each group is attached to the NIR person it
   matches best, if any. Two different valid NIRs are never merged.

Why not splink (the reference tool for probabilistic linkage): the NIR already identifies
most rows, so the fuzzy part only concerns the few rows without a valid NIR, and a blocked,
deterministic comparison of those rows has no trained parameters (exactly reproducible, and
explainable to a court without match weights). Measured with ``bench/bench_persons.py --splink``
(splink 5.0 on DuckDB, blocking on NIR / birth date / first + last name, EM training, fixed
seed), on a shared 2-core machine:

- full synthetic dump (491,787 rows, one row per person): ``link`` 6 s, 490,307 persons for
  490,312 true (5 groups mixing two persons); splink 43 s, 490,312 (none mixed);
- test factory frame (491,840 rows, 1.3 rows per person, many typos): ``link`` +0.01 % error
  (51 groups mixing persons), splink +0.09 % (6 mixing) in 83 s.

Both meet the 0.5 % target; only ``link`` fits the 10-second budget.

Scale: the rows sharing a birth date (or a common name) grow with the dump, so comparing a row
with all of them costs the square of the rows (4x dump: 16x the pairs). Only the pairs that
some accept rule could accept are formed (see :func:`_candidate_pairs`: similar first names,
same postcode, NIR prefix or NIR one character apart, each an exact join key), which gives the
same links: 122,513 -> 2,196 candidate pairs at 1x, 2.0 M -> 36 k at 4x, 221 k at 10x (4.9 M
rows); ``link`` 1.1 / 4.6 / 12 CPU s at 1x / 4x / 10x.
"""

from __future__ import annotations

import ftfy
import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from dumpscope import frames

#: Link methods written in the ``link_method`` column.
LINK_METHODS = ("nir", "nir+names", "names", "single")

_SIM = JaroWinkler.normalized_similarity

#: Thresholds for accepting a pair of rows as the same person.
FIRST_NAME_MIN = 0.90
LAST_NAME_MIN = 0.88
WEAK_NAME_MIN = 0.82  # both names, when the postcode also agrees
#: Below this similarity of both names (and with another birth date), rows sharing a valid NIR
#: are different persons.
SHARED_NIR_NAME_MAX = 0.80
#: Cells of one block of the first-name similarity matrix (float32: 4 bytes each).
_SIM_CELLS = 4_000_000


_MOJIBAKE = r"[ÃÂÅÐÑ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ ¡-¿]"


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "birth_date",
    "birth_name",
    "first_name",
    "lab_code",
    "nir",
    "nir_sex",
    "nir_status",
    "postcode",
    "sex",
    "usage_name",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _repair(values: pl.Series) -> pl.Series:
    """Repair left-over mojibake with ftfy, once per distinct value that looks like it."""
    values = values.cast(pl.Utf8)
    suspects = values.filter(values.str.contains(_MOJIBAKE).fill_null(False)).unique()
    if suspects.is_empty():
        return values
    fixed = {value: ftfy.fix_text(value) for value in suspects.to_list()}
    return values.replace(fixed)


def _norm_name(values: pl.Series) -> pl.Series:
    """Upper case, accents removed, letters only (null when nothing is left)."""
    out = _repair(values).str.normalize("NFKD").str.to_uppercase().str.replace_all(r"[^A-Z]", "")
    return out.set(out.str.len_chars() == 0, None) if out.len() else out


def _prepare(view: pl.DataFrame) -> pl.DataFrame:
    """Row index and the comparison keys."""
    cols = view.columns

    def col_or_null(name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
        return pl.col(name) if name in cols else pl.lit(None, dtype=dtype).alias(name)

    frame = view.select(
        pl.col("_source_line"),
        col_or_null("usage_name"),
        col_or_null("birth_name"),
        col_or_null("first_name"),
        col_or_null("birth_date", pl.Date),
        col_or_null("postcode"),
        col_or_null("nir"),
        col_or_null("nir_status"),
        col_or_null("sex"),
        col_or_null("nir_sex"),
    ).with_row_index("_i")
    frame = frame.with_columns(
        ln=_norm_name(frame["usage_name"]),
        bn=_norm_name(frame["birth_name"]),
        fn=_norm_name(frame["first_name"]),
        pc=pl.col("postcode").cast(pl.Utf8).str.strip_chars(),
        sx=pl.coalesce(pl.col("sex"), pl.col("nir_sex")),
        valid_nir=(pl.col("nir_status") == "valid") & pl.col("nir").is_not_null(),
        nir13=pl.when(pl.col("nir").cast(pl.Utf8).str.len_chars() >= 13).then(
            pl.col("nir").cast(pl.Utf8).str.slice(0, 13).str.to_uppercase()
        ),
        # a malformed NIR often keeps its beginning (truncated, or "2921174E+14" from a
        # spreadsheet): its leading digits, when there are at least 10 of them (the first 7
        # only repeat the sex, birth month and département)
        nir_head=pl.when(pl.col("nir_status") == "malformed").then(
            pl.col("nir").cast(pl.Utf8).str.to_uppercase().str.extract(r"^([0-9]{10,})", 1)
        ),
    ).with_columns(bn=pl.coalesce("bn", "ln"))
    # namesakes: distinct birth dates among the rows with the same names and postcode
    frame = frame.with_columns(
        namesake_dates=pl.col("birth_date").drop_nulls().n_unique().over(["fn", "ln", "pc"])
    )
    return frame


def _similar_names(queries: pl.Series, choices: pl.Series, cutoff: float) -> pl.DataFrame:
    """Pairs of distinct names (``fn``, ``fn_c``): every pair whose Jaro-Winkler similarity
    reaches ``cutoff``, and possibly a few just below (``rapidfuzz`` is given ``cutoff - 0.01``,
    so that no pair is lost to rounding; the accept rule checks the exact similarity later)."""
    q = queries.drop_nulls().unique().sort()
    c = choices.drop_nulls().unique().sort()
    if q.is_empty() or c.is_empty():
        return pl.DataFrame(schema={"fn": pl.Utf8, "fn_c": pl.Utf8})
    q_list, c_list = q.to_list(), c.to_list()
    found_q: list[np.ndarray] = []
    found_c: list[np.ndarray] = []
    step = max(1, _SIM_CELLS // len(c_list))
    for start in range(0, len(q_list), step):
        sim = process.cdist(
            q_list[start : start + step],
            c_list,
            scorer=_SIM,
            score_cutoff=cutoff - 0.01,
            dtype=np.float32,
            workers=-1,
        )
        qi, ci = np.nonzero(sim)
        found_q.append(qi + start)
        found_c.append(ci)
    return pl.DataFrame(
        {"fn": q.gather(np.concatenate(found_q)), "fn_c": c.gather(np.concatenate(found_c))}
    )


def _block(left: pl.LazyFrame, right: pl.LazyFrame, on: list[str]) -> pl.LazyFrame:
    """Row pairs (``_i``, ``_i_c``) of distinct ``left`` and ``right`` rows sharing the key
    ``on`` (null keys never match)."""
    left = left.select("_i", *on).drop_nulls(on)
    right = right.select(pl.col("_i").alias("_i_c"), *on).drop_nulls(on)
    pairs = left.join(right, on=on).select("_i", "_i_c")
    return pairs.filter(pl.col("_i") != pl.col("_i_c"))


def _candidate_pairs(frame: pl.DataFrame) -> pl.DataFrame:
    """Pairs (u = row without valid NIR, c = any other row) that the accept rule of
    :func:`_score_pairs` could accept.

    The rows compared with u are those sharing its birth date, its normalized first + last
    name, or the first 13 characters of its NIR (number without its key, to catch a wrong or
    missing key). Rows sharing a birth date, or a common name, are many (their pairs grow with
    the square of the rows), so these two blocks are narrowed to the pairs that some rule of
    :func:`_score_pairs` could accept — exactly these, none lost. Same birth date and:

    - first names similar enough for the weakest name rule (Jaro-Winkler >= 0.82, computed
      once on the distinct first names; both names must reach it);
    - or the same postcode, a name missing on one side (the other name matching);
    - or a malformed NIR whose first 10 digits are those of the other row's NIR;
    - or NIR bodies differing by at most one character.

    Same first + last name and: the same postcode (birth date missing or mistyped), or NIR
    bodies differing by at most one character (otherwise the birth date must be the same,
    which the first item covers). Two 13-character NIR bodies differing by at most one
    character are equal outside one of the segments 1-7 (sex, birth year and month,
    département), 8-10 (commune) and 11-13 (order number), so three keys catch them all.
    """
    keep = ["_i", "ln", "bn", "fn", "birth_date", "pc", "sx", "valid_nir", "nir13"]
    keep += ["namesake_dates", "nir_head"]
    nir = pl.col("nir13")
    keyed = frame.lazy().select(
        "_i",
        "valid_nir",
        "fn",
        "ln",
        "birth_date",
        "pc",
        "nir13",
        name_missing=pl.col("fn").is_null() | pl.col("ln").is_null(),
        head10=pl.col("nir_head").str.slice(0, 10),
        nir10=nir.str.slice(0, 10),
        # the NIR body without one of its three segments
        nir_k1=nir.str.slice(7, 6),
        nir_k2=nir.str.slice(0, 7) + nir.str.slice(10, 3),
        nir_k3=nir.str.slice(0, 10),
    )
    unresolved = keyed.filter(~pl.col("valid_nir")).collect().lazy()
    dated = unresolved.filter(pl.col("birth_date").is_not_null())
    similar = _similar_names(
        dated.select("fn").collect()["fn"],
        frame["fn"],
        min(WEAK_NAME_MIN, FIRST_NAME_MIN),
    )
    by_first = (
        dated.select("_i", "birth_date", "fn")
        .drop_nulls("fn")
        .join(similar.lazy(), on="fn")
        .join(
            keyed.select(
                pl.col("_i").alias("_i_c"), "birth_date", pl.col("fn").alias("fn_c")
            ).drop_nulls(["birth_date", "fn_c"]),
            on=["birth_date", "fn_c"],
        )
        .select("_i", "_i_c")
        .filter(pl.col("_i") != pl.col("_i_c"))
    )
    missing = keyed.filter(pl.col("name_missing"))
    head_c = keyed.select("_i", "birth_date", pl.col("head10").alias("nir10"))
    blocks = [
        _block(unresolved, keyed, ["nir13"]),
        by_first,
        _block(dated.filter(pl.col("name_missing")), keyed, ["birth_date", "pc"]),
        _block(dated, missing, ["birth_date", "pc"]),
        _block(
            dated.select("_i", "birth_date", pl.col("head10").alias("nir10")),
            keyed,
            ["birth_date", "nir10"],
        ),
        _block(dated, head_c, ["birth_date", "nir10"]),
        _block(unresolved, keyed, ["fn", "ln", "pc"]),
    ]
    for key in ("nir_k1", "nir_k2", "nir_k3"):
        blocks.append(_block(dated, keyed, ["birth_date", key]))
        blocks.append(_block(unresolved, keyed, ["fn", "ln", key]))
    index = pl.concat(blocks, how="vertical").unique().sort(["_i", "_i_c"]).collect()
    rows = frame.select(keep)
    left = rows.gather(index["_i"])
    right = rows.gather(index["_i_c"]).rename({c: f"{c}_c" for c in keep})
    return pl.concat([left, right], how="horizontal")


def _sim(a: pl.Series, b: pl.Series) -> np.ndarray:
    """Element-wise Jaro-Winkler similarity, 0 where either side is null."""
    if a.len() == 0:
        return np.zeros(0)
    sim = process.cpdist(a.fill_null("").to_list(), b.fill_null("").to_list(), scorer=_SIM)
    missing = (a.is_null() | b.is_null()).to_numpy()
    return np.where(missing, 0.0, sim)


def _dob_close(a: str, b: str) -> pl.Expr:
    """Either birth date missing, or one digit differs, or day and month swapped."""
    da, db = pl.col(a).dt.strftime("%Y%m%d"), pl.col(b).dt.strftime("%Y%m%d")
    differing = pl.sum_horizontal(
        [(da.str.slice(i, 1) != db.str.slice(i, 1)).cast(pl.Int8) for i in range(8)]
    )
    swapped = (
        (pl.col(a).dt.day() == pl.col(b).dt.month())
        & (pl.col(a).dt.month() == pl.col(b).dt.day())
        & (pl.col(a).dt.year() == pl.col(b).dt.year())
    )
    return (pl.col(a).is_null() | pl.col(b).is_null() | (differing <= 1) | swapped).fill_null(
        False
    )


def _nir_distance(a: str, b: str) -> pl.Expr:
    """Number of differing characters between two 13-character NIR bodies (null if either is
    missing)."""
    return pl.sum_horizontal(
        [(pl.col(a).str.slice(i, 1) != pl.col(b).str.slice(i, 1)).cast(pl.Int8) for i in range(13)]
    ).cast(pl.Int16) + pl.when(pl.col(a).is_null() | pl.col(b).is_null()).then(None).otherwise(0)


def _dob_nir_conflict(birth: str, nir13: str) -> pl.Expr:
    """The birth date on one row contradicts the birth year or month coded in the other's NIR
    (fictitious NIR months, outside 01-12, are not compared)."""
    yy = pl.col(nir13).str.slice(1, 2).cast(pl.Int32, strict=False)
    mm = pl.col(nir13).str.slice(3, 2).cast(pl.Int32, strict=False)
    year_differs = (pl.col(birth).dt.year() % 100) != yy
    month_differs = mm.is_between(1, 12) & (pl.col(birth).dt.month().cast(pl.Int32) != mm)
    return (year_differs | month_differs).fill_null(False)


def _score_pairs(pairs: pl.DataFrame) -> pl.DataFrame:
    """Name similarities and the accept rule; returns accepted pairs with a score."""
    if pairs.height == 0:
        return pairs.with_columns(score=pl.lit(0.0)).head(0)
    s_first = _sim(pairs["fn"], pairs["fn_c"])
    s_last = np.maximum.reduce(
        [
            _sim(pairs["ln"], pairs["ln_c"]),
            _sim(pairs["bn"], pairs["bn_c"]),
            _sim(pairs["ln"], pairs["bn_c"]),
            _sim(pairs["bn"], pairs["ln_c"]),
        ]
    )
    scored = (
        pairs.with_columns(s_first=pl.Series(s_first), s_last=pl.Series(s_last))
        .with_columns(
            same_dob=(pl.col("birth_date") == pl.col("birth_date_c")).fill_null(False),
            same_pc=(pl.col("pc") == pl.col("pc_c")).fill_null(False),
            dob_close=_dob_close("birth_date", "birth_date_c"),
            sex_conflict=(pl.col("sx") != pl.col("sx_c")).fill_null(False),
            nir_dist=_nir_distance("nir13", "nir13_c"),
        )
        .with_columns(
            # two NIR bodies differing by more than a typo: two different persons
            nir_conflict=(pl.col("nir_dist") > 2).fill_null(False),
            nir_agree=(pl.col("nir_dist") <= 1).fill_null(False),
            dob_nir_conflict=_dob_nir_conflict("birth_date", "nir13_c")
            | _dob_nir_conflict("birth_date_c", "nir13"),
            unique_namesake=(pl.col("namesake_dates") <= 1) & (pl.col("namesake_dates_c") <= 1),
        )
    )
    strong_names = (pl.col("s_first") >= FIRST_NAME_MIN) & (pl.col("s_last") >= LAST_NAME_MIN)
    weak_names = (pl.col("s_first") >= WEAK_NAME_MIN) & (pl.col("s_last") >= WEAK_NAME_MIN)
    exact_names = (pl.col("s_first") == 1.0) & (pl.col("s_last") == 1.0)
    some_names = (pl.col("s_first") >= 0.7) | (pl.col("s_last") >= 0.7)
    # one name missing on either side, the other one matching
    last_missing = pl.col("ln").is_null() | pl.col("ln_c").is_null()
    first_missing = pl.col("fn").is_null() | pl.col("fn_c").is_null()
    partial_names = ((pl.col("s_first") >= FIRST_NAME_MIN) & last_missing) | (
        (pl.col("s_last") >= LAST_NAME_MIN) & first_missing
    )
    one_name = (pl.col("s_first") >= FIRST_NAME_MIN) | (pl.col("s_last") >= LAST_NAME_MIN)
    head_agree = pl.col("nir13_c").str.starts_with(pl.col("nir_head")).fill_null(False) | pl.col(
        "nir13"
    ).str.starts_with(pl.col("nir_head_c")).fill_null(False)
    accept = (
        ~pl.col("sex_conflict")
        & ~pl.col("nir_conflict")
        & ~pl.col("dob_nir_conflict")
        & (
            (pl.col("same_dob") & (strong_names | (weak_names & pl.col("same_pc"))))
            # a name missing: same birth date and postcode, the other name matching
            | (pl.col("same_dob") & pl.col("same_pc") & partial_names)
            # a malformed NIR whose leading digits are those of the other row's NIR
            | (pl.col("same_dob") & head_agree & one_name)
            # birth date missing or mistyped: exact names, same postcode, no namesake
            | (
                ~pl.col("same_dob")
                & pl.col("dob_close")
                & exact_names
                & pl.col("same_pc")
                & (pl.col("unique_namesake") | pl.col("nir_agree"))
            )
            # same NIR but its key: the names need only roughly agree
            | (pl.col("nir_agree") & some_names)
        )
    )
    return scored.filter(accept).with_columns(
        score=pl.col("s_first")
        + pl.col("s_last")
        + 0.3 * pl.col("same_dob").cast(pl.Float64)
        + 0.2 * pl.col("same_pc").cast(pl.Float64)
        + 0.5 * pl.col("nir_agree").cast(pl.Float64)
        + 0.3 * head_agree.cast(pl.Float64)
    )


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of an undirected graph on ``n`` nodes (label = smallest node)."""
    labels = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return labels
    while True:
        before = labels.copy()
        la, lb = labels[a], labels[b]
        low = np.minimum(la, lb)
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        np.minimum.at(labels, la, low)
        np.minimum.at(labels, lb, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


def _split_shared_nirs(frame: pl.DataFrame, root: np.ndarray) -> np.ndarray:
    """Split a valid NIR carried by rows of clearly different persons.

    A row whose first name and surname both differ from those of the NIR's first row
    (Jaro-Winkler below :data:`SHARED_NIR_NAME_MAX`, usage and birth names compared crosswise)
    and whose birth date differs too is another person who shares the number (a data-entry
    error or a duplicated number); such rows are grouped by names and birth date.
    """
    n = root.size
    carried = root >= 0
    rows_per_root = np.bincount(root[carried], minlength=n)
    shared = np.zeros(n, dtype=bool)
    shared[carried] = rows_per_root[root[carried]] > 1
    index = np.flatnonzero(shared & (root != np.arange(n)))
    if index.size == 0:
        return root
    names = frame.select("fn", "ln", "bn", "birth_date")
    pairs = pl.concat(
        [
            names.gather(index).with_columns(
                _i=pl.Series(index, dtype=pl.Int64), root=pl.Series(root[index], dtype=pl.Int64)
            ),
            names.gather(root[index]).rename(
                {"fn": "fn_r", "ln": "ln_r", "bn": "bn_r", "birth_date": "bd_r"}
            ),
        ],
        how="horizontal",
    )
    s_first = _sim(pairs["fn"], pairs["fn_r"])
    s_last = np.maximum.reduce(
        [
            _sim(pairs["ln"], pairs["ln_r"]),
            _sim(pairs["bn"], pairs["bn_r"]),
            _sim(pairs["ln"], pairs["bn_r"]),
            _sim(pairs["bn"], pairs["ln_r"]),
        ]
    )
    both_known = (pairs["fn"].is_not_null() & pairs["fn_r"].is_not_null()).to_numpy()
    other_dob = (pairs["birth_date"] != pairs["bd_r"]).fill_null(True).to_numpy()
    conflict = (
        both_known & (s_first < SHARED_NIR_NAME_MAX) & (s_last < SHARED_NIR_NAME_MAX) & other_dob
    )
    split = pairs.filter(pl.Series(conflict))
    if split.is_empty():
        return root
    new_root = split.with_columns(
        new=pl.col("_i").min().over(["root", "fn", "ln", "birth_date"]).cast(pl.Int64)
    )
    out = root.copy()
    out[new_root["_i"].to_numpy()] = new_root["new"].to_numpy()
    return out


def _cluster(frame: pl.DataFrame, accepted: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Person root (row index) and link method (index into :data:`LINK_METHODS`) per row."""
    n = frame.height
    valid = frame["valid_nir"].to_numpy()
    # NIR persons: root = first row of each valid NIR
    nir_rows = (
        frame.lazy()
        .filter(pl.col("valid_nir"))
        .select("_i", first=pl.col("_i").min().over("nir"))
        .collect()
    )
    root = np.full(n, -1, dtype=np.int64)
    root[nir_rows["_i"].to_numpy()] = nir_rows["first"].to_numpy()
    root = _split_shared_nirs(frame, root)

    un_un = accepted.filter(~pl.col("valid_nir_c"))
    comp = _components(n, un_un["_i"].to_numpy(), un_un["_i_c"].to_numpy())

    # best NIR person for each row (direct edge), then for each component
    to_nir = accepted.filter(pl.col("valid_nir_c"))
    to_nir = to_nir.with_columns(nir_root=pl.Series(root[to_nir["_i_c"].to_numpy()]))
    best_row = (
        to_nir.sort(["_i", "score", "nir_root"], descending=[False, True, False])
        .group_by("_i", maintain_order=True)
        .first()
        .select("_i", "nir_root", "score")
    )
    best_row = best_row.with_columns(comp=pl.Series(comp[best_row["_i"].to_numpy()]))
    best_comp = (
        best_row.sort(["comp", "score", "nir_root"], descending=[False, True, False])
        .group_by("comp", maintain_order=True)
        .first()
    )
    row_root = np.full(n, -1, dtype=np.int64)
    row_root[best_row["_i"].to_numpy()] = best_row["nir_root"].to_numpy()
    root_of_comp = np.full(n, -1, dtype=np.int64)
    root_of_comp[best_comp["comp"].to_numpy()] = best_comp["nir_root"].to_numpy()
    comp_root = root_of_comp[comp]
    comp_size = np.bincount(comp, minlength=n)[comp]
    attached = (row_root >= 0) | (comp_root >= 0)
    out_root = np.where(
        valid, root, np.where(row_root >= 0, row_root, np.where(comp_root >= 0, comp_root, comp))
    )
    method = np.select(
        [valid, attached, comp_size > 1],
        [LINK_METHODS.index("nir"), LINK_METHODS.index("nir+names"), LINK_METHODS.index("names")],
        default=LINK_METHODS.index("single"),
    )
    return out_root, method


def link(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Assign a person identifier to every row of the normalized view.

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view (contracts §5). Columns used: ``_source_line``, ``usage_name``,
        ``birth_name``, ``first_name``, ``birth_date``, ``postcode``, ``nir``, ``nir_status``,
        ``sex``, ``nir_sex`` (missing columns are treated as empty).
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.

    Returns
    -------
    pl.DataFrame
        One row per view row, same order: ``_source_line`` (UInt64), ``person_id`` (Utf8,
        ``"p<first source line of the person>"``, never derived from identifying values) and
        ``link_method`` (Utf8): ``nir`` (valid NIR), ``nir+names`` (no valid NIR, attached to a
        NIR person by names and birth date), ``names`` (no valid NIR, grouped with other such
        rows), ``single`` (no valid NIR, matched nothing).
    """
    view = _view(view)
    frame = _prepare(view)
    accepted = _score_pairs(_candidate_pairs(frame))
    root, method = _cluster(frame, accepted)
    lines = frame["_source_line"].cast(pl.UInt64)
    out = pl.DataFrame(
        {"_source_line": lines, "root": root, "method": method.astype(np.uint8)}
    ).with_columns(first_line=pl.col("_source_line").min().over("root"))
    methods = pl.Series(LINK_METHODS, dtype=pl.Utf8)
    return out.select(
        "_source_line",
        ("p" + pl.col("first_line").cast(pl.Utf8)).alias("person_id"),
        link_method=methods.gather(out["method"]),
    )


def _histogram(counts: pl.Series, top: int = 10) -> dict[str, int]:
    """Histogram of rows per person, ``"10+"`` for the tail."""
    clipped = counts.clip(upper_bound=top)
    vc = clipped.value_counts().sort(clipped.name)
    out: dict[str, int] = {}
    for value, n in vc.iter_rows():
        key = f"{top}+" if value >= top else str(value)
        out[key] = int(n)
    return out


def summarize(view: pl.DataFrame | pl.LazyFrame, links: pl.DataFrame) -> dict:
    """Distinct persons with bounds (GDPR Art. 33(3)(a) "approximate number of data subjects").

    Parameters
    ----------
    view : pl.DataFrame or pl.LazyFrame
        Normalized view. Columns used: ``_source_line``, ``nir``, ``nir_status``, ``birth_date``,
        ``lab_code``.
        A lazy view (``pl.scan_parquet``) reads only these columns; same result.
    links : pl.DataFrame
        Output of :func:`link` (``_source_line``, ``person_id``, ``link_method``).

    Returns
    -------
    dict
        ``distinct`` (estimate), ``distinct_low``, ``distinct_high``, ``rows``, ``valid_nirs``
        (distinct valid NIRs), ``valid_nirs_shared`` (valid NIRs carried by rows of two or more
        clearly different persons), ``method``
        (plain words), ``rows_by_link_method``, ``rows_per_person`` (histogram ``{"1": n, ...,
        "10+": n}``), ``persons_per_lab`` ``{lab_code: persons}``, ``persons_in_several_labs``.
    """
    view = _view(view)
    cols = ["_source_line", "nir", "nir_status", "birth_date", "lab_code"]
    base = view.select([c for c in cols if c in view.columns])
    frame = base.with_columns(pl.col("_source_line").cast(pl.UInt64)).join(
        links, on="_source_line", how="left"
    )
    distinct = frame["person_id"].n_unique()
    valid = frame.filter(pl.col("nir_status") == "valid") if "nir" in frame.columns else None
    n_nir = valid["nir"].n_unique() if valid is not None else 0
    nir_rows = frame.filter(pl.col("link_method") == "nir")
    n_nir_persons = nir_rows["person_id"].n_unique()
    shared = 0
    if valid is not None and not nir_rows.is_empty():
        per_nir = nir_rows.group_by("nir").agg(pl.col("person_id").n_unique().alias("n"))
        shared = int((per_nir["n"] > 1).sum())
    no_nir = frame.filter(pl.col("link_method") != "nir")
    high = n_nir_persons + no_nir.height
    # lower bound: rows without a valid NIR belong to an already counted person whenever their
    # birth date is missing or shared with a NIR person; otherwise one person per birth date
    if "birth_date" in frame.columns and valid is not None:
        nir_dates = valid.select("birth_date").drop_nulls().unique()
        unattached = no_nir.filter(pl.col("link_method").is_in(["names", "single"]))
        new_dates = (
            unattached.select("birth_date")
            .drop_nulls()
            .unique()
            .join(nir_dates, on="birth_date", how="anti")
        )
        low = n_nir + new_dates.height
    else:
        low = n_nir
    low = min(low, distinct)
    per_person = frame.group_by("person_id").len("rows")["rows"]
    section: dict = {
        "distinct": int(distinct),
        "distinct_low": int(low),
        "distinct_high": int(max(high, distinct)),
        "rows": int(frame.height),
        "valid_nirs": int(n_nir),
        "valid_nirs_shared": shared,
        "method": (
            "A valid social-security number (NIR) identifies a person, unless rows carrying it "
            "have different first names, surnames and birth dates (a number shared by two "
            "persons, counted apart). Rows without a valid NIR are matched to other rows with the same birth date and similar names "
            "(typos and encoding errors tolerated), or with identical names and postcode. "
            "Upper bound: every row without a valid NIR is a different person. Lower bound: "
            "rows without a valid NIR are assumed to belong to persons already counted, unless "
            "their birth date occurs for no NIR-identified person (then one person per such "
            "birth date)."
        ),
        "rows_by_link_method": {
            m: int(n)
            for m, n in frame.group_by("link_method").len().sort("link_method").iter_rows()
            if m is not None
        },
        "rows_per_person": _histogram(per_person),
    }
    if "lab_code" in frame.columns:
        labs = frame.filter(pl.col("lab_code").is_not_null() & (pl.col("lab_code") != ""))
        per_lab = labs.group_by("lab_code").agg(pl.col("person_id").n_unique().alias("p"))
        section["persons_per_lab"] = {
            lab: int(p) for lab, p in per_lab.sort("lab_code").iter_rows()
        }
        several = labs.group_by("person_id").agg(pl.col("lab_code").n_unique().alias("n"))
        section["persons_in_several_labs"] = int((several["n"] > 1).sum())
    else:
        section["persons_per_lab"] = {}
        section["persons_in_several_labs"] = 0
    return section
