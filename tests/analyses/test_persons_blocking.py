"""persons.link's narrowed birth-date block accepts exactly the pairs of the full block."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from test_persons_factory import make_view

from dumpscope.analyses import persons


def _all_pairs(frame: pl.DataFrame) -> pl.DataFrame:
    """The unnarrowed candidate pairs: every row sharing a birth date, a first + last name or
    a 13-character NIR body with a row without a valid NIR (the method before narrowing)."""
    keep = ["_i", "ln", "bn", "fn", "birth_date", "pc", "sx", "valid_nir", "nir13"]
    keep += ["namesake_dates", "nir_head"]
    unresolved = frame.filter(~pl.col("valid_nir")).select(keep)
    rows = frame.select(keep)
    blocks = []
    for on in (["birth_date"], ["fn", "ln"], ["nir13"]):
        joined = unresolved.drop_nulls(on).join(rows, on=on, suffix="_c")
        blocks.append(joined.with_columns(pl.col(c).alias(f"{c}_c") for c in on))
    cols = keep + [f"{c}_c" for c in keep]
    pairs = pl.concat([b.select(cols) for b in blocks], how="vertical")
    pairs = pairs.filter(pl.col("_i") != pl.col("_i_c")).unique(["_i", "_i_c"], keep="first")
    return pairs.sort(["_i", "_i_c"])


def _crowded_view(seed: int, crowded: bool) -> pl.DataFrame:
    """A factory view squeezed onto a few birth dates and postcodes, with NIRs that differ by
    one character, keep only their first 10-12 digits, or lose their key (``crowded`` False:
    the factory's own birth dates, which agree with the NIRs)."""
    rng = random.Random(seed)
    view, _ = make_view(n_persons=1500, rows_per_person=1.4, seed=seed)
    dates = [dt.date(1950 + i, 1 + i % 12, 1 + i) for i in range(12)]
    # the same person keeps one (new) birth date and postcode
    new_date = {d: rng.choice(dates) for d in view["birth_date"].drop_nulls().unique().sort()}
    births = [None if rng.random() < 0.03 else new_date.get(d) for d in view["birth_date"]]
    if not crowded:
        births = view["birth_date"].to_list()
    codes = [f"56{i:03d}" for i in range(30)] + ["", None]
    new_code = {c: rng.choice(codes) for c in view["postcode"].unique().sort().to_list()}
    postcodes = [new_code[c] for c in view["postcode"]]
    nirs, statuses = [], []
    for nir, status in zip(view["nir"].to_list(), view["nir_status"].to_list(), strict=True):
        roll = rng.random()
        if nir is not None and roll < 0.15:
            pos = rng.randrange(13)
            digit = str((int(nir[pos]) + 1) % 10) if nir[pos].isdigit() else "1"
            nir, status = nir[:pos] + digit + nir[pos + 1 :], "invalid_key"
        elif nir is not None and roll < 0.25:
            nir, status = nir[: rng.choice([10, 11, 12])], "malformed"
        elif nir is not None and roll < 0.3:
            nir, status = nir[:13], "key_missing"
        nirs.append(nir)
        statuses.append(status)
    first = [None if rng.random() < 0.03 else value for value in view["first_name"].to_list()]
    return view.with_columns(
        birth_date=pl.Series(births, dtype=pl.Date),
        postcode=pl.Series(postcodes, dtype=pl.Utf8),
        nir=pl.Series(nirs, dtype=pl.Utf8),
        nir_status=pl.Series(statuses, dtype=pl.Utf8),
        first_name=pl.Series(first, dtype=pl.Utf8),
    )


@pytest.mark.parametrize(("seed", "crowded"), [(11, True), (12, True), (13, False)])
def test_narrowed_blocks_accept_the_same_pairs(seed, crowded):
    frame = persons._prepare(_crowded_view(seed, crowded))
    narrowed = persons._candidate_pairs(frame)
    full = _all_pairs(frame)
    if crowded:  # the birth-date block really is narrowed
        assert narrowed.height < full.height / 2
    assert narrowed.columns == full.columns
    # every narrowed pair is a pair of the full method, with the same values
    assert narrowed.join(full, on=narrowed.columns, how="anti", nulls_equal=True).is_empty()
    accepted = persons._score_pairs(narrowed)
    expected = persons._score_pairs(full)
    assert accepted.height > 20  # the rules do accept pairs here
    assert accepted.equals(expected)


def test_similar_names_keeps_every_pair_at_the_cutoff():
    names = pl.Series(["MARIE", "MARIA", "MARINE", "ANNE", "ANN", "JEAN", "JOHANNE", None])
    pairs = persons._similar_names(names, names, 0.82)
    found = set(pairs.iter_rows())
    for a in names.drop_nulls():
        for b in names.drop_nulls():
            if persons._SIM(a, b) >= 0.82:
                assert (a, b) in found
    assert ("MARIE", "JEAN") not in found
    empty = persons._similar_names(pl.Series([None], dtype=pl.Utf8), names, 0.82)
    assert empty.is_empty() and empty.columns == ["fn", "fn_c"]
