"""Persons: the true state of each synthetic patient (civility, sex, age, birth place, NIR,
names, residence, contact channels), before any fault is injected."""

from __future__ import annotations

import numpy as np
import polars as pl

from dumpscope.synth import contact, labs, names, nir
from dumpscope.synth import rates as R
from dumpscope.synth.geography import Geography, residence_deps
from dumpscope.synth.series import fill_where, pick, when

DAYS_PER_YEAR = 365.25


def _civilities(rng: np.random.Generator, n: int) -> np.ndarray:
    civ = pick(rng, {**R.CIVILITY_P, "missing": 1 - sum(R.CIVILITY_P.values())}, n)
    for c, k in R.CIVILITY_MIN.items():
        short = k - int((civ == c).sum())
        pool = np.flatnonzero(civ == ("Mme" if c == "Sœur" else "missing"))
        if short > 0 and len(pool) >= short:
            civ[rng.choice(pool, short, replace=False)] = c
    return civ


def _ages(rng: np.random.Generator, civ: np.ndarray) -> np.ndarray:
    """Age in days at the first sample, by civility."""
    n = len(civ)
    w = np.asarray([b[2] for b in R.AGE_BANDS])
    band = rng.choice(len(R.AGE_BANDS), n, p=w / w.sum())
    lo = np.asarray([b[0] for b in R.AGE_BANDS])[band]
    hi = np.asarray([b[1] for b in R.AGE_BANDS])[band]
    age = ((lo + rng.random(n) * (hi - lo)) * DAYS_PER_YEAR).astype(np.int64)
    enf = civ == "Enfant"
    age[enf] = ((2 + rng.random(enf.sum()) * 13) * DAYS_PER_YEAR).astype(np.int64)
    bebe = civ == "Bébé"
    age[bebe] = rng.integers(2, 700, bebe.sum())
    soeur = civ == "Sœur"
    age[soeur] = ((45 + rng.random(soeur.sum()) * 50) * DAYS_PER_YEAR).astype(np.int64)
    return age


def _pick_dep(geo: Geography, rng: np.random.Generator, deps: list[str], n: int) -> np.ndarray:
    codes, cdf = geo.dep_population_cdf(deps)
    return codes[np.minimum(np.searchsorted(cdf, rng.random(n)), len(codes) - 1)]


def _birth_places(
    geo: Geography, rng: np.random.Generator, res_dep: np.ndarray
) -> tuple[np.ndarray, pl.Series, np.ndarray]:
    """Birth kind, 5-char NIR place code (INSEE commune or 99 + country), birth département."""
    n = len(res_dep)
    kind = pick(rng, {**R.P_BORN, "metro": 1 - sum(R.P_BORN.values())}, n)
    bdep = res_dep.astype(object).copy()
    metro = sorted(d for d in geo.by_dep if len(d) == 2 and d not in ("2A", "2B"))
    w = np.flatnonzero(kind == "metro")
    bdep[w] = _pick_dep(geo, rng, metro, len(w))
    w = np.flatnonzero(kind == "overseas")
    bdep[w] = _pick_dep(geo, rng, sorted(d for d in geo.by_dep if len(d) == 3), len(w))
    w = np.flatnonzero(kind == "corsica")
    bdep[w] = np.where(rng.random(len(w)) < 0.5, "2A", "2B")
    abroad = kind == "abroad"
    birth_c = geo.pick_in_deps(rng, bdep.astype(str))  # abroad rows: replaced below
    place = geo.communes["code_insee"].gather(birth_c).to_numpy().astype(object)
    countries = list(nir.COUNTRIES)
    cw = np.asarray([nir.COUNTRIES[c] for c in countries], dtype=np.float64)
    picked = np.asarray(countries)[rng.choice(len(countries), abroad.sum(), p=cw / cw.sum())]
    place[abroad] = np.char.add("99", picked)
    place_s = pl.Series(place.astype(str))
    birth_dep = (
        pl.DataFrame({"p": place_s})
        .select(
            pl.when(pl.col("p").str.starts_with("97"))
            .then(pl.col("p").str.slice(0, 3))
            .otherwise(pl.col("p").str.slice(0, 2))
        )
        .to_series()
        .to_numpy()
        .astype(str)
    )
    return kind, place_s, birth_dep


def draw_persons(
    streams: dict, geo: Geography, tables: names.NameTables, lab_t: labs.Labs, n_p: int
) -> dict:
    """True state of ``n_p`` persons.

    Returns
    -------
    dict of arrays/Series of length ``n_p``: ``civility, sex, age_days, lab, first_day,
    birth_day, res_dep, res_commune, birth_kind, birth_dep, nir`` (correct compact NIR),
    ``first, usage, own`` (own surname), ``birth_name, has_land, land, has_mob, mob, has_mail,
    mail, has_work, work`` (compact numbers / e-mails, null when absent).
    """
    rng = streams["persons"]
    civ = _civilities(rng, n_p)
    sex = np.where(rng.random(n_p) < R.P_FEMALE_UNKNOWN_CIVILITY, "F", "M").astype(object)
    sex[np.isin(civ, ["Mme", "Sœur"])] = "F"
    sex[civ == "M."] = "M"
    sex = sex.astype(str)
    age_days = _ages(rng, civ)
    lab_idx = labs.assign_labs(streams["labs"], lab_t, n_p)
    first_day = labs.sample_days(streams["labs"], lab_t, lab_idx)
    birth_day = first_day - age_days
    bdate = pl.Series(birth_day, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    by = bdate.dt.year().to_numpy().astype(np.int64)
    bm = bdate.dt.month().to_numpy().astype(np.int64)
    # residence and birth place
    prng = streams["places"]
    lab_dep = lab_t.table["dep"].to_numpy()[lab_idx]
    res_dep = residence_deps(
        geo, prng, lab_dep, p_neighbour=R.P_RESIDENCE_NEIGHBOUR, p_far=R.P_RESIDENCE_FAR
    )
    res_c = geo.pick_in_deps(prng, res_dep)
    kind, place, birth_dep = _birth_places(geo, prng, res_dep)
    true_nir, _, _ = nir.build_nirs(
        streams["nir"], sex, by, bm, place, p_fictitious_month=R.P_FICTITIOUS_MONTH
    )
    # names
    nrng = streams["names"]
    first = names.draw_first_names(tables, nrng, sex, by)
    own = names.draw_surnames(tables, nrng, n_p)
    spouse = names.draw_surnames(tables, nrng, n_p)
    married = (sex == "F") & (age_days >= 25 * 365) & (nrng.random(n_p) < R.P_MARRIED_NAME)
    usage = when(married, spouse, own)
    shown = nrng.random(n_p)
    birth_name = when(married & (shown < R.P_BIRTH_NAME_SHOWN), own)
    birth_name = when(~married & (shown < R.P_BIRTH_NAME_SAME), own, birth_name)
    # contact channels
    crng = streams["contact"]
    metro = geo.communes["zone"].to_numpy()[res_c] == "metro"
    res_reg = geo.communes["reg"].to_numpy()[res_c]
    old = age_days >= 50 * 365
    has_land = (crng.random(n_p) < np.where(old, R.P_LANDLINE_OLD, R.P_LANDLINE_YOUNG)) & metro
    has_mob = (crng.random(n_p) < np.where(old, R.P_MOBILE_OLD, R.P_MOBILE_YOUNG)) & (
        age_days >= 12 * 365
    )
    has_mail = (crng.random(n_p) < R.P_EMAIL) & (age_days >= 14 * 365)
    has_work = (crng.random(n_p) < R.P_WORK_PHONE) & metro
    land = fill_where(n_p, has_land, lambda i: contact.landlines(crng, res_dep[i], res_reg[i]))
    mob = fill_where(n_p, has_mob, lambda i: contact.mobiles(crng, len(i)))
    mail = fill_where(
        n_p, has_mail, lambda i: contact.emails(crng, first.gather(i), own.gather(i), by[i])
    )
    work = fill_where(n_p, has_work, lambda i: contact.landlines(crng, res_dep[i], res_reg[i]))
    return {
        "civility": civ, "sex": sex, "age_days": age_days, "lab": lab_idx,
        "first_day": first_day, "birth_day": birth_day, "res_dep": res_dep,
        "res_commune": res_c, "birth_kind": kind, "birth_dep": birth_dep, "nir": true_nir,
        "first": first, "usage": usage, "own": own, "birth_name": birth_name,
        "has_land": has_land, "land": land, "has_mob": has_mob, "mob": mob,
        "has_mail": has_mail, "mail": mail, "has_work": has_work, "work": work,
    }  # fmt: skip


def rows_of_persons(rng: np.random.Generator, n_rows: int, n_p: int) -> np.ndarray:
    """Person id of each row (every person has at least one row), ordered by person."""
    extra = rng.integers(0, n_p, n_rows - n_p)
    return np.sort(np.concatenate([np.arange(n_p), extra]))
