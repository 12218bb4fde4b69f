"""Orchestration: draw persons and rows, inject faults, write the dump, its truth and labels.

All randomness comes from ``numpy.random.SeedSequence(seed)``, one child stream per concern, so
the same seed gives the same bytes. Rates are module constants (documented in
data/synthetic/README.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from dumpscope.paths import REFERENCE_DIR
from dumpscope.synth import comments as cm
from dumpscope.synth import contact, credentials, faults, labs, names, nir
from dumpscope.synth.columns import ALL_COLUMNS, FILLED_TECHNICAL, PATIENT_COLUMNS
from dumpscope.synth.geography import (
    CASE_DEPS,
    load_geography,
    pick_postcode,
    residence_deps,
    street_addresses,
)
from dumpscope.synth.truth import build_truth
from dumpscope.synth.writer import write_dump

GENERATOR_VERSION = "1.0"

# --- person-level rates ----------------------------------------------------------------------
#: Civility of persons (press counts of the Feb 2021 file, % of rows); "missing" = empty.
CIVILITY_P = {"Mme": 0.547, "M.": 0.398, "Enfant": 0.027, "Bébé": 0.0009, "Sœur": 0.0005}
P_FEMALE_UNKNOWN_CIVILITY = 0.579
#: Age bands (years at the first sample) for persons whose civility says nothing about age.
AGE_BANDS = [
    (12, 20, 5.0),
    (20, 30, 10.0),
    (30, 40, 12.5),
    (40, 50, 12.5),
    (50, 60, 14.5),
    (60, 70, 16.5),
    (70, 80, 13.5),
    (80, 90, 8.5),
    (90, 101, 2.0),
]
P_BORN = {"abroad": 0.065, "overseas": 0.012, "corsica": 0.006, "same_dep": 0.55}  # rest: metro
P_RESIDENCE_NEIGHBOUR = 0.09
P_RESIDENCE_FAR = 0.03
P_MARRIED_NAME = 0.55  # women 25+ whose usage name is a spouse's
P_BIRTH_NAME_SHOWN = 0.75
P_BIRTH_NAME_SAME = 0.05
P_LANDLINE_YOUNG, P_LANDLINE_OLD = 0.42, 0.70  # under / over 50
P_MOBILE_YOUNG, P_MOBILE_OLD = 0.42, 0.22
P_EMAIL = 0.113
P_TREATING_DOCTOR = 0.82
P_MUTUELLE = 0.6
P_LOGIN = 0.031
P_PASSWORD_GIVEN_LOGIN = 0.97
BLOOD_P = {
    "A+": 0.38,
    "O+": 0.36,
    "B+": 0.08,
    "A-": 0.07,
    "O-": 0.06,
    "AB+": 0.03,
    "B-": 0.01,
    "AB-": 0.01,
}

# --- row-level rates -------------------------------------------------------------------------
P_OTHER_LAB = 0.08
P_PRESCRIBER = 0.97
P_BLOOD_FILLED = 0.22
P_SEX_MISSING = 0.03
P_SEX_FLIPPED = 0.002  # among rows with a valid NIR and a declared sex
P_USAGE_NAME_MISSING = 0.026
P_FIRST_NAME_MISSING = 0.004
P_MOJIBAKE = 0.12  # among rows whose first name has a lower-case accented letter
P_STRAY_SPACES = 0.015
NIR_RATES = {"invalid_key": 0.004, "key_missing": 0.003, "malformed": 0.004, "missing": 0.004}
P_NIR_SPACED = 0.18
P_FICTITIOUS_MONTH = 0.003
P_BIRTH_DATE_INVALID = 0.002
P_BIRTH_DATE_MISSING = 0.004
P_POSTCODE_INVALID = 0.005
P_POSTCODE_MISSING = 0.01
P_POSTCODE_SPACES = 0.005
P_PHONE_INVALID = 0.008
P_WORK_PHONE = 0.015
P_EMAIL_INVALID = 0.03
P_SAMPLE_DATE_INVALID = 0.001
P_SAMPLE_DATE_MISSING = 0.003
P_LAST_VISIT = 0.85
P_SAMPLER = 0.7
P_EXAMS = 0.92
P_DOCTOR_EMAIL = 0.0007
P_DUPLICATE = 0.003
HOSTILE_PER_MILLION = 4  # of each hostile value (at least one each)

INVALID_DATES = (
    "31/02/1985",
    "00/00/0000",
    "32/01/1970",
    "15/13/1990",
    "?",
    "29/02/2019",
    "31/04/2017",
)
MUTUELLES = [
    "MGEN",
    "Harmonie Mutuelle",
    "MAAF Santé",
    "AG2R La Mondiale",
    "Malakoff Humanis",
    "MNH",
    "Groupama",
    "CMU-C",
    "Ociane",
    "Mutuelle de Bretagne",
    "MACIF",
    "Mutuelle Générale",
    "Swiss Life",
    "Axa",
    "Pro BTP",
    "MSA",
    "Apréva",
    "Mutuelle des Pays de Vilaine",
    "CSS",
]
SAMPLERS = [
    "IDE",
    "IDE à domicile",
    "Laboratoire",
    "Préleveur labo",
    "Mme Le Gall IDE",
    "Cabinet infirmier",
    "Dr",
    "Biologiste",
    "Technicien",
    "AS",
    "MLC",
    "JPB",
    "CHR",
]
EXAMS = [
    "1104 NFS",
    "0996 EAL",
    "1139 Vitamine D",
    "0552 Glycémie",
    "0592 Créatinine",
    "Ionogramme",
    "TSH",
    "CRP",
    "Ferritine",
    "TP/INR",
    "ASAT/ALAT",
    "Gamma GT",
    "Bilan martial",
    "VS",
    "Acide urique",
    "Calcémie",
    "Magnésium",
    "Phosphatases alcalines",
    "Bilirubine",
    "Urée",
]


@dataclass(frozen=True)
class Plan:
    """Row counts: generated rows split into loaded base rows and malformed-line material."""

    rows: int
    malformed: dict[str, int]
    duplicates: int
    base_rows: int
    material_rows: int


def make_plan(rows: int) -> Plan:
    """Split ``rows`` data rows into loaded records (base + duplicates) and quarantined lines."""
    mal = faults.malformed_counts(rows)
    n_mal = sum(mal.values())
    loaded = rows - n_mal
    if loaded < 200:
        raise ValueError("rows must be at least ~300 to hold every kind of fault")
    dups = max(2, int(round(P_DUPLICATE * loaded)))
    base = loaded - dups
    material = 4 * (n_mal - mal["blank_line"]) + 20
    return Plan(rows=rows, malformed=mal, duplicates=dups, base_rows=base, material_rows=material)


def _streams(seed: int) -> dict[str, np.random.Generator]:
    keys = [
        "persons",
        "names",
        "places",
        "nir",
        "address",
        "contact",
        "labs",
        "doctors",
        "rows",
        "comments",
        "credentials",
        "faults",
        "layout",
        "tech",
        "blood",
    ]
    ss = np.random.SeedSequence(seed).spawn(len(keys))
    return {k: np.random.default_rng(s) for k, s in zip(keys, ss, strict=True)}


def _pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    keys = list(probs)
    p = np.asarray([probs[k] for k in keys], dtype=np.float64)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def _when(mask: np.ndarray, a: pl.Series, b: pl.Series | None = None) -> pl.Series:
    """Element-wise ``mask ? a : b`` (b null when None)."""
    df = pl.DataFrame({"a": a, "k": mask}, schema_overrides={"a": a.dtype})
    if b is None:
        return df.select(pl.when("k").then("a").otherwise(None).alias("a"))["a"]
    df = df.with_columns(b.alias("b"))
    return df.select(pl.when("k").then("a").otherwise("b").alias("a"))["a"]


def _draw_persons(st: dict, geo, nt, lab_t: labs.Labs, n_p: int) -> dict:
    """Person-level true state (arrays of length ``n_p``)."""
    rng = st["persons"]
    civ = _pick(rng, {**CIVILITY_P, "missing": 1 - sum(CIVILITY_P.values())}, n_p)
    sex = np.where(rng.random(n_p) < P_FEMALE_UNKNOWN_CIVILITY, "F", "M").astype(object)
    sex[civ == "Mme"] = "F"
    sex[civ == "Sœur"] = "F"
    sex[civ == "M."] = "M"
    bands = np.asarray([b[2] for b in AGE_BANDS])
    band = rng.choice(len(AGE_BANDS), n_p, p=bands / bands.sum())
    lo = np.asarray([b[0] for b in AGE_BANDS])[band]
    hi = np.asarray([b[1] for b in AGE_BANDS])[band]
    age_days = ((lo + rng.random(n_p) * (hi - lo)) * 365.25).astype(np.int64)
    enf = civ == "Enfant"
    age_days[enf] = ((2 + rng.random(enf.sum()) * 13) * 365.25).astype(np.int64)
    bebe = civ == "Bébé"
    age_days[bebe] = rng.integers(2, 700, bebe.sum())
    soeur = civ == "Sœur"
    age_days[soeur] = ((45 + rng.random(soeur.sum()) * 50) * 365.25).astype(np.int64)
    lab_idx = labs.assign_labs(st["labs"], lab_t, n_p)
    first_day = labs.sample_days(st["labs"], lab_t, lab_idx)
    birth_day = first_day - age_days
    bdate = pl.Series(birth_day, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    by = bdate.dt.year().to_numpy().astype(np.int64)
    bm = bdate.dt.month().to_numpy().astype(np.int64)
    # residence
    lab_dep = lab_t.table["dep"].to_numpy()[lab_idx]
    res_dep = residence_deps(
        geo, st["places"], lab_dep, p_neighbour=P_RESIDENCE_NEIGHBOUR, p_far=P_RESIDENCE_FAR
    )
    res_c = geo.pick_in_deps(st["places"], res_dep)
    # birth place
    prng = st["places"]
    kind = _pick(prng, {**P_BORN, "metro": 1 - sum(P_BORN.values())}, n_p)
    bdep = res_dep.astype(object).copy()
    comm = geo.communes
    zone = comm["zone"].to_numpy()
    metro_deps = sorted(d for d in geo.by_dep if len(d) == 2 and d not in ("2A", "2B"))
    md, mcdf = geo.dep_population_cdf(metro_deps)
    w = np.flatnonzero(kind == "metro")
    bdep[w] = md[np.minimum(np.searchsorted(mcdf, prng.random(len(w))), len(md) - 1)]
    od, ocdf = geo.dep_population_cdf(sorted(d for d in geo.by_dep if len(d) == 3))
    w = np.flatnonzero(kind == "overseas")
    bdep[w] = od[np.minimum(np.searchsorted(ocdf, prng.random(len(w))), len(od) - 1)]
    w = np.flatnonzero(kind == "corsica")
    bdep[w] = np.where(prng.random(len(w)) < 0.5, "2A", "2B")
    abroad = kind == "abroad"
    bdep[abroad] = res_dep[abroad]  # placeholder, replaced by a country below
    birth_c = geo.pick_in_deps(prng, bdep.astype(str))
    place = comm["code_insee"].gather(birth_c).to_numpy().astype(object)
    countries = list(nir.COUNTRIES)
    cw = np.asarray([nir.COUNTRIES[c] for c in countries], dtype=np.float64)
    place[abroad] = np.char.add(
        "99", np.asarray(countries)[prng.choice(len(countries), abroad.sum(), p=cw / cw.sum())]
    )
    birth_dep = np.asarray([p[:3] if p.startswith("97") else p[:2] for p in place], dtype=object)
    place_s = pl.Series(place.astype(str))
    true_nir, _, _ = nir.build_nirs(
        st["nir"], sex.astype(str), by, bm, place_s, p_fictitious_month=P_FICTITIOUS_MONTH
    )
    # names
    first = names.draw_first_names(nt, st["names"], sex.astype(str), by)
    own = names.draw_surnames(nt, st["names"], n_p)
    spouse = names.draw_surnames(nt, st["names"], n_p)
    married = (sex == "F") & (age_days >= 25 * 365) & (st["names"].random(n_p) < P_MARRIED_NAME)
    usage = _when(married, spouse, own)
    shown = st["names"].random(n_p)
    birth_name = _when(married & (shown < P_BIRTH_NAME_SHOWN), own)
    birth_name = _when(~married & (shown < P_BIRTH_NAME_SAME), own, birth_name)
    # contacts
    crng = st["contact"]
    old = age_days >= 50 * 365
    has_land = crng.random(n_p) < np.where(old, P_LANDLINE_OLD, P_LANDLINE_YOUNG)
    has_land &= zone[res_c] == "metro"
    has_mob = crng.random(n_p) < np.where(old, P_MOBILE_OLD, P_MOBILE_YOUNG)
    has_mob &= age_days >= 12 * 365
    res_reg = comm["reg"].gather(res_c).to_numpy()
    land = _subset(n_p, has_land, lambda i: contact.landlines(crng, res_dep[i], res_reg[i]))
    mob = _subset(n_p, has_mob, lambda i: contact.mobiles(crng, len(i)))
    has_mail = (crng.random(n_p) < P_EMAIL) & (age_days >= 14 * 365)
    mail = _subset(
        n_p, has_mail, lambda i: contact.emails(crng, first.gather(i), own.gather(i), by[i])
    )
    has_work = (crng.random(n_p) < P_WORK_PHONE) & (zone[res_c] == "metro")
    work = _subset(n_p, has_work, lambda i: contact.landlines(crng, res_dep[i], res_reg[i]))
    return {
        "civility": civ,
        "sex": sex.astype(str),
        "age_days": age_days,
        "lab": lab_idx,
        "first_day": first_day,
        "birth_day": birth_day,
        "birth_year": by,
        "birth_month": bm,
        "res_dep": res_dep,
        "res_commune": res_c,
        "birth_kind": kind,
        "birth_dep": birth_dep.astype(str),
        "nir": true_nir,
        "first": first,
        "usage": usage,
        "own": own,
        "birth_name": birth_name,
        "has_land": has_land,
        "land": land,
        "has_mob": has_mob,
        "mob": mob,
        "has_mail": has_mail,
        "mail": mail,
        "work": work,
        "has_work": has_work,
    }


def _rows_of_persons(rng: np.random.Generator, n_rows: int, n_p: int) -> np.ndarray:
    """Person id of each row (every person has at least one row), ordered by person."""
    extra = rng.integers(0, n_p, n_rows - n_p)
    return np.sort(np.concatenate([np.arange(n_p), extra]))


def generate_frame(rows: int, seed: int, rows_per_person: int, communes_path: Path) -> dict:
    """Generate all rows (loaded and material) and their state. Returns a dict of parts."""
    plan = make_plan(rows)
    st = _streams(seed)
    geo = load_geography(communes_path)
    nt = names.load_name_tables()
    lab_t = labs.build_labs(st["labs"])
    n_gen = plan.base_rows + plan.material_rows
    n_p = max(1, math.ceil(n_gen / max(1, rows_per_person)))
    P = _draw_persons(st, geo, nt, lab_t, n_p)
    pid = _rows_of_persons(st["rows"], n_gen, n_p)
    rr = st["rows"]
    first_row = np.r_[True, pid[1:] != pid[:-1]]
    # ---- labs and dates per row
    lab_idx = P["lab"][pid].copy()
    other = ~first_row & (rr.random(n_gen) < P_OTHER_LAB)
    if other.any():
        alt = labs.assign_labs(st["labs"], lab_t, int(other.sum()))
        lab_idx[other] = alt
    day = labs.sample_days(st["labs"], lab_t, lab_idx)
    day[first_row] = P["first_day"][pid[first_row]]
    lab_table = lab_t.table
    lab_code = lab_table["code"].gather(lab_idx)
    lab_name = labs.lab_names(lab_t, lab_idx, day)
    lab_dep = lab_table["dep"].to_numpy()[lab_idx]
    sex = P["sex"][pid]
    age_days = day - P["birth_day"][pid]
    age = age_days // 365.25
    # ---- hostile-value rows and material rows (blocked from comments)
    n_host = max(1, int(round(HOSTILE_PER_MILLION * rows / 1e6)))
    frng = st["faults"]
    base_ids = np.arange(plan.base_rows)
    hostile_rows = frng.choice(
        base_ids[10:-10],
        size=n_host * (len(faults.HTML_VALUES) + len(faults.FORMULA_VALUES) + 1),
        replace=False,
    )
    blocked = np.zeros(n_gen, dtype=bool)
    blocked[hostile_rows] = True
    blocked[plan.base_rows :] = True  # material rows: no comments (no quotes, no newlines)
    com = cm.build_comments(st["comments"], sex, age, blocked)
    # ---- identity columns with faults
    civ = P["civility"][pid]
    civ_out = pl.Series(np.where(civ == "missing", None, civ).tolist(), dtype=pl.String)
    nrng = st["names"]
    first = P["first"].gather(pid)
    usage = P["usage"].gather(pid)
    birth_name = P["birth_name"].gather(pid)
    up_first = nrng.random(n_gen) < 0.35
    first_out = _when(up_first, first.str.to_uppercase(), first)
    usage_out = usage.str.to_uppercase()
    birth_out = birth_name.str.to_uppercase()
    usage_missing = nrng.random(n_gen) < P_USAGE_NAME_MISSING
    usage_out = _when(~usage_missing, usage_out)
    first_out = _when(~(nrng.random(n_gen) < P_FIRST_NAME_MISSING), first_out)
    # mojibake: first names with lower-case accented letters only (``Hélène`` -> ``HÃ©lÃ¨ne``);
    # upper-case ones (``BENOÃŽT``) are ambiguous even for a careful repairer, so left alone
    eligible = (
        first_out.str.contains(r"[^\x00-\x7F]").fill_null(False)
        & ~first_out.str.contains(r"[À-ÖØ-ÞŒŠŽŸ]").fill_null(True)
    ).to_numpy()
    moji = eligible & (nrng.random(n_gen) < P_MOJIBAKE) & ~blocked
    f_m = faults.mojibake(first_out)
    moji_row = moji & (f_m != first_out).fill_null(False).to_numpy()
    first_out = _when(moji_row, f_m, first_out)
    sp = (nrng.random(n_gen) < P_STRAY_SPACES) & ~moji
    usage_out = _when(sp, faults.stray_spaces(nrng, usage_out), usage_out)
    sp2 = (nrng.random(n_gen) < P_STRAY_SPACES) & ~moji
    first_out = _when(sp2, faults.stray_spaces(nrng, first_out), first_out)
    # NIR
    nir_out, nir_status = nir.apply_nir_faults(
        st["nir"], P["nir"].gather(pid), _true_keys(P["nir"].gather(pid)), NIR_RATES, P_NIR_SPACED
    )
    # declared sex
    sex_decl = sex.astype(object).copy()
    sex_decl[rr.random(n_gen) < P_SEX_MISSING] = None
    flip = (rr.random(n_gen) < P_SEX_FLIPPED) & (nir_status == "valid") & (sex_decl != None)  # noqa: E711
    sex_decl[flip] = np.where(sex[flip] == "F", "M", "F")
    # birth date
    bd_str = labs.days_to_str(P["birth_day"][pid])
    u = rr.random(n_gen)
    bd_status = np.full(n_gen, "valid", dtype=object)
    bd_status[u < P_BIRTH_DATE_INVALID + P_BIRTH_DATE_MISSING] = "missing"
    bd_status[u < P_BIRTH_DATE_INVALID] = "invalid"
    inv_dates = pl.Series(list(faults_dates(rr, n_gen)))
    bd_out = _when(bd_status == "valid", bd_str, _when(bd_status == "invalid", inv_dates))
    # ---- address
    arng = st["address"]
    res_c = P["res_commune"][pid]
    a1p, a2p = street_addresses(arng, n_p)
    a1 = a1p.gather(pid)
    a2 = a2p.gather(pid)
    pc_p = pick_postcode(geo, arng, P["res_commune"])
    pc_true = pc_p.gather(pid)
    u = arng.random(n_gen)
    pc_status = np.full(n_gen, "valid", dtype=object)
    pc_status[u < P_POSTCODE_INVALID + P_POSTCODE_MISSING] = "missing"
    pc_status[u < P_POSTCODE_INVALID] = "invalid"
    inv_idx = np.flatnonzero(pc_status == "invalid")
    inv_pc = geo_invalid(geo, arng, P["res_dep"][pid][inv_idx])
    pc_out = _when(pc_status == "valid", pc_true)
    pc_out = _scatter(pc_out, inv_idx, inv_pc)
    pcs = (arng.random(n_gen) < P_POSTCODE_SPACES) & (pc_status == "valid")
    pc_out = _when(pcs, pc_out + " ", pc_out)
    city = geo.communes["nom"].gather(res_c)
    city_out = _when(arng.random(n_gen) < 0.7, city.str.to_uppercase(), city)
    country = _when(arng.random(n_gen) < 0.9, _const("FRANCE", n_gen))
    # ---- contacts
    crng = st["contact"]
    land_status = np.where(P["has_land"][pid], "valid", "missing").astype(object)
    mob_status = np.where(P["has_mob"][pid], "valid", "missing").astype(object)
    land_status[(land_status == "valid") & (crng.random(n_gen) < P_PHONE_INVALID)] = "invalid"
    mob_status[(mob_status == "valid") & (crng.random(n_gen) < P_PHONE_INVALID)] = "invalid"
    land_c = P["land"].gather(pid)
    mob_c = P["mob"].gather(pid)
    land_out = _rows(
        n_gen, land_status == "valid", lambda i: contact.format_phones(crng, land_c.gather(i))
    )
    land_out = _rows(
        n_gen,
        land_status == "invalid",
        lambda i: contact.invalid_phones(crng, land_c.gather(i)),
        land_out,
    )
    mob_out = _rows(
        n_gen, mob_status == "valid", lambda i: contact.format_phones(crng, mob_c.gather(i))
    )
    mob_out = _rows(
        n_gen,
        mob_status == "invalid",
        lambda i: contact.invalid_phones(crng, mob_c.gather(i)),
        mob_out,
    )
    has_work = P["has_work"][pid]
    work_c = P["work"].gather(pid)
    work_out = _rows(n_gen, has_work, lambda i: contact.format_phones(crng, work_c.gather(i)))
    # landline role = first non-empty of TEL_DOMICILE, TEL_TRAVAIL
    landline_role_status = land_status.copy()
    landline_role_status[(land_status == "missing") & has_work] = "valid"
    mail_status = np.where(P["has_mail"][pid], "valid", "missing").astype(object)
    mail_status[(mail_status == "valid") & (crng.random(n_gen) < P_EMAIL_INVALID)] = "invalid"
    mail_c = P["mail"].gather(pid)
    mail_out = _when(mail_status == "valid", mail_c)
    mail_out = _rows(
        n_gen,
        mail_status == "invalid",
        lambda i: contact.invalid_emails(crng, mail_c.gather(i)),
        mail_out,
    )
    # ---- blood group
    brng = st["blood"]
    bg_p = _pick(brng, BLOOD_P, n_p)[pid]
    bg_filled = brng.random(n_gen) < P_BLOOD_FILLED
    abo = np.asarray([g[:-1] for g in bg_p], dtype=object)
    abo = np.where((abo == "O") & (brng.random(n_gen) < 0.2), "0", abo)
    rh_pos = np.asarray([g.endswith("+") for g in bg_p])
    style = brng.integers(0, 10, n_gen)
    rh = np.where(
        style < 5,
        np.where(rh_pos, "+", "-"),
        np.where(style < 8, np.where(rh_pos, "POS", "NEG"), np.where(rh_pos, "RH+", "RH-")),
    )
    abo_out = pl.Series(np.where(bg_filled, abo, None).tolist(), dtype=pl.String)
    rh_out = pl.Series(np.where(bg_filled, rh, None).tolist(), dtype=pl.String)
    blood_key = np.where(bg_filled, bg_p, "missing")
    # ---- doctors
    drng = st["doctors"]
    all_deps = sorted(geo.by_dep)
    per_dep = {d: (max(40, n_gen // 150) if d in CASE_DEPS else 25) for d in all_deps}
    docs = labs.build_doctors(
        drng,
        geo,
        names.draw_surnames(nt, drng, sum(per_dep.values())),
        names.draw_first_names(
            nt,
            drng,
            np.where(drng.random(sum(per_dep.values())) < 0.5, "F", "M"),
            np.full(sum(per_dep.values()), 1965),
        ),
        per_dep,
    )
    has_presc = drng.random(n_gen) < P_PRESCRIBER
    local = drng.random(n_gen) < labs.P_PRESCRIBER_LOCAL
    others = [d for d in all_deps if d not in CASE_DEPS and len(d) == 2]
    od, ocdf = geo.dep_population_cdf(others)
    presc_dep = np.where(
        local, lab_dep, od[np.minimum(np.searchsorted(ocdf, drng.random(n_gen)), len(od) - 1)]
    )
    presc = labs.pick_doctors(drng, docs, presc_dep)
    presc_name = _when(has_presc, docs.table["name"].gather(presc))
    presc_pc = _when(has_presc, docs.table["postcode"].gather(presc))
    presc_dep_key = np.where(has_presc, presc_dep, None)
    treat_p = labs.pick_doctors(drng, docs, P["res_dep"])
    has_treat = (drng.random(n_p) < P_TREATING_DOCTOR)[pid]
    treat_name = _when(has_treat, docs.table["name"].gather(treat_p[pid]))
    treat_pc = _when(has_treat, docs.table["postcode"].gather(treat_p[pid]))
    doc_surname = contact.ascii_fold(names_only(docs.table["name"].gather(presc)))
    doc_mail = _when(drng.random(n_gen) < P_DOCTOR_EMAIL, "cabinet." + doc_surname + "@medecin.fr")
    # ---- misc
    mrng = st["rows"]
    mut_p = pl.Series(MUTUELLES).gather(mrng.integers(0, len(MUTUELLES), n_p))
    has_mut = (mrng.random(n_p) < P_MUTUELLE)[pid]
    mut_out = _when(has_mut, mut_p.gather(pid))
    adh_p = pl.Series(mrng.integers(10**7, 10**9, n_p)).cast(pl.String)
    adh_out = _when(has_mut & (mrng.random(n_gen) < 0.65), adh_p.gather(pid))
    sampler = _when(
        mrng.random(n_gen) < P_SAMPLER,
        pl.Series(SAMPLERS).gather(mrng.integers(0, len(SAMPLERS), n_gen)),
    )
    u = mrng.random(n_gen)
    sd_status = np.full(n_gen, "valid", dtype=object)
    sd_status[u < P_SAMPLE_DATE_INVALID + P_SAMPLE_DATE_MISSING] = "missing"
    sd_status[u < P_SAMPLE_DATE_INVALID] = "invalid"
    sd_out = _when(
        sd_status == "valid",
        labs.days_to_str(day),
        _when(sd_status == "invalid", pl.Series(list(faults_dates(mrng, n_gen)))),
    )
    end = labs._day(labs.PERIOD_END)
    last_visit = np.minimum(day + (mrng.random(n_gen) ** 3 * 500).astype(np.int64), end)
    lv_out = _when(mrng.random(n_gen) < P_LAST_VISIT, labs.days_to_str(last_visit))
    k_exams = mrng.integers(1, 6, n_gen)
    ex = [pl.Series(EXAMS).gather(mrng.integers(0, len(EXAMS), n_gen)) for _ in range(5)]
    ex = [_when(k_exams > i, e) for i, e in enumerate(ex)]
    exams = pl.DataFrame({f"e{i}": e for i, e in enumerate(ex)}).select(
        pl.concat_str([f"e{i}" for i in range(5)], separator=", ", ignore_nulls=True).alias("x")
    )["x"]
    exams = _when(mrng.random(n_gen) < P_EXAMS, exams)
    seq = st["layout"].permutation(n_gen) + 100000
    yy = pl.Series(day).cast(pl.Int32).cast(pl.Date).dt.strftime("%y%m")
    dossier = yy + pl.Series(seq).cast(pl.String).str.zfill(6)
    # ---- credentials (person level)
    crr = st["credentials"]
    has_login = crr.random(n_p) < P_LOGIN
    has_pw = has_login & (crr.random(n_p) < P_PASSWORD_GIVEN_LOGIN)
    li = np.flatnonzero(has_login)
    fa = contact.ascii_fold(P["first"].gather(li)).fill_null("").to_list()
    la = contact.ascii_fold(P["own"].gather(li)).fill_null("").to_list()
    bds = labs.days_to_str(P["birth_day"][li]).str.replace_all("/", "").to_list()
    mails = _when(P["has_mail"][li], P["mail"].gather(li)).to_list()
    logins = credentials.logins(crr, fa, la, mails)
    pws, strength, derived = credentials.build_passwords(crr, fa, la, bds)
    login_p = _scatter(
        pl.Series([None] * n_p, dtype=pl.String), li, pl.Series(logins, dtype=pl.String)
    )
    pw_p = _scatter(pl.Series([None] * n_p, dtype=pl.String), li, pl.Series(pws, dtype=pl.String))
    pw_p = _when(has_pw, pw_p)
    strength_p = np.full(n_p, None, dtype=object)
    strength_p[li] = strength
    derived_p = np.zeros(n_p, dtype=bool)
    derived_p[li] = derived
    login_out = login_p.gather(pid)
    pw_out = pw_p.gather(pid)
    # ---- assemble output columns
    out = {
        "NUM_DOSSIER": dossier,
        "CODE_LABO": lab_code,
        "NOM_LABO": lab_name,
        "CIVILITE": civ_out,
        "NOM_USAGE": usage_out,
        "NOM_NAISSANCE": birth_out,
        "PRENOM": first_out,
        "SEXE": pl.Series(sex_decl.tolist(), dtype=pl.String),
        "DATE_NAISSANCE": bd_out,
        "NUM_SS": nir_out,
        "ADRESSE1": a1,
        "ADRESSE2": a2,
        "CODE_POSTAL": pc_out,
        "VILLE": city_out,
        "PAYS": country,
        "TEL_DOMICILE": land_out,
        "TEL_PORTABLE": mob_out,
        "TEL_TRAVAIL": work_out,
        "EMAIL": mail_out,
        "GROUPE_SANGUIN": abo_out,
        "RHESUS": rh_out,
        "MEDECIN_TRAITANT": treat_name,
        "CP_MEDECIN_TRAITANT": treat_pc,
        "MEDECIN_PRESCRIPTEUR": presc_name,
        "CP_PRESCRIPTEUR": presc_pc,
        "EMAIL_MEDECIN": doc_mail,
        "MUTUELLE": mut_out,
        "NUM_ADHERENT": adh_out,
        "PRELEVEUR": sampler,
        "DATE_PRELEVEMENT": sd_out,
        "DATE_DERNIERE_VISITE": lv_out,
        "LISTE_EXAMENS": exams,
        "COMMENTAIRE_1": com.comment_1,
        "COMMENTAIRE_2": com.comment_2,
        "LOGIN_WEB": login_out,
        "MDP_WEB": pw_out,
    }
    out.update(_technical(st["tech"], n_gen, pid, lab_code, day))
    # hostile values
    hostile: dict[str, list[int]] = {"html": [], "formula": [], "long_field": []}
    k = 0
    host_cols = {0: "COMMENTAIRE_1", 1: "VILLE"}
    form_cols = {0: "COMMENTAIRE_2", 1: "ADRESSE2", 2: "NUM_ADHERENT", 3: "ADRESSE2"}
    patches: dict[str, tuple[list[int], list[str]]] = {}
    for j, v in enumerate(faults.HTML_VALUES):
        for _ in range(n_host):
            r = int(hostile_rows[k])
            k += 1
            patches.setdefault(host_cols[j], ([], []))
            patches[host_cols[j]][0].append(r)
            patches[host_cols[j]][1].append(v)
            hostile["html"].append(r)
    for j, v in enumerate(faults.FORMULA_VALUES):
        for _ in range(n_host):
            r = int(hostile_rows[k])
            k += 1
            patches.setdefault(form_cols[j], ([], []))
            patches[form_cols[j]][0].append(r)
            patches[form_cols[j]][1].append(v)
            hostile["formula"].append(r)
    for _ in range(n_host):
        r = int(hostile_rows[k])
        k += 1
        filler = ("Compte rendu transmis. " * (faults.LONG_FIELD_CHARS // 23 + 1))[
            : faults.LONG_FIELD_CHARS
        ]
        patches.setdefault("COMMENTAIRE_2", ([], []))
        patches["COMMENTAIRE_2"][0].append(r)
        patches["COMMENTAIRE_2"][1].append(filler)
        hostile["long_field"].append(r)
    for col, (idx, vals) in patches.items():
        out[col] = _scatter(out[col], np.asarray(idx), pl.Series(vals, dtype=pl.String))
    frame = pl.DataFrame({c: out[c].rename(c) for c in ALL_COLUMNS})
    state = {
        "pid": pid,
        "first_row": first_row,
        "civility": civ,
        "sex": sex,
        "sex_decl": sex_decl,
        "nir_status": nir_status,
        "bd_status": bd_status,
        "pc_status": pc_status,
        "email_status": mail_status,
        "landline_status": landline_role_status,
        "mobile_status": mob_status,
        "blood": blood_key,
        "res_dep": P["res_dep"][pid],
        "res_reg": geo.communes["reg"].to_numpy()[res_c],
        "presc_dep": presc_dep_key,
        "lab_code": lab_code.to_numpy(),
        "lab_name": lab_name.to_numpy(),
        "lab_dep": lab_dep,
        "day": day,
        "sd_status": sd_status,
        "age_days": age_days,
        "birth_kind": P["birth_kind"][pid],
        "birth_dep": P["birth_dep"][pid],
        "birth_day": P["birth_day"][pid],
        "labels": com.labels,
        "med_class": com.medication_class,
        "login": login_out.is_not_null().to_numpy(),
        "password": pw_out.is_not_null().to_numpy(),
        "pw_strength": strength_p[pid],
        "pw_derived": derived_p[pid],
        "mojibake": moji_row,
        "hostile": hostile,
    }
    return {
        "plan": plan,
        "frame": frame,
        "state": state,
        "seed": seed,
        "rows_per_person": rows_per_person,
    }


def faults_dates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Impossible or unreadable dates (never a valid dd/mm/yyyy)."""
    return np.asarray(INVALID_DATES, dtype=object)[rng.integers(0, len(INVALID_DATES), n)]


def geo_invalid(geo, rng, deps):
    from dumpscope.synth.geography import invalid_postcodes

    return invalid_postcodes(geo, rng, deps)


def names_only(s: pl.Series) -> pl.Series:
    """Doctor display names reduced to the surname (for cabinet e-mail addresses)."""
    return s.str.replace(r"^(Dr|DR|DOCTEUR) ", "").str.split(" ").list.first()


def _const(value: str | None, n: int) -> pl.Series:
    """A length-``n`` String Series holding ``value`` (or nulls)."""
    return pl.select(pl.repeat(value, n, dtype=pl.String).alias("c"))["c"]


def _subset(n: int, mask: np.ndarray, fn) -> pl.Series:
    """Length-``n`` String Series: ``fn(idx)`` at the positions ``idx`` where ``mask``, else null."""
    return _rows(n, mask, fn)


def _rows(n: int, mask: np.ndarray, fn, base: pl.Series | None = None) -> pl.Series:
    """``base`` (or nulls) with ``fn(idx)`` written at the positions ``idx`` where ``mask``."""
    idx = np.flatnonzero(mask)
    out = _const(None, n) if base is None else base
    if len(idx) == 0:
        return out
    return out.scatter(idx, fn(idx).cast(pl.String))


def _scatter(s: pl.Series, idx: np.ndarray, values: pl.Series) -> pl.Series:
    if len(idx) == 0:
        return s
    s = s.clone()
    return s.scatter(idx, values)


def _true_keys(nir_s: pl.Series) -> np.ndarray:
    return nir_s.str.slice(13, 2).cast(pl.Int64).to_numpy()


def _technical(
    rng: np.random.Generator, n: int, pid: np.ndarray, lab_code: pl.Series, day: np.ndarray
) -> dict:
    out: dict[str, pl.Series] = {}
    for col in ALL_COLUMNS:
        if col in PATIENT_COLUMNS:
            continue
        how = FILLED_TECHNICAL.get(col)
        if how is None:
            out[col] = _const(None, n)
        elif how == "sequence":
            out[col] = pl.Series(np.arange(1, n + 1)).cast(pl.String)
        elif how == "person":
            out[col] = pl.Series(pid + 7_000_001).cast(pl.String)
        elif how == "site":
            out[col] = lab_code.str.slice(1)
        elif how == "type":
            out[col] = pl.Series(["EXT", "EXT", "EXT", "URG", "INT"]).gather(rng.integers(0, 5, n))
        elif how == "sample_date":
            out[col] = labs.days_to_str(day - rng.integers(0, 2, n))
        elif how == "user":
            out[col] = pl.Series(["ADMIN", "SEC01", "SEC02", "ACCUEIL", "BIO1"]).gather(
                rng.integers(0, 5, n)
            )
        elif how == "status":
            out[col] = pl.Series(["V", "V", "V", "V", "C", "A"]).gather(rng.integers(0, 6, n))
        elif how == "rate":
            out[col] = _when(
                rng.random(n) < 0.5, pl.Series(["60", "100", "70"]).gather(rng.integers(0, 3, n))
            )
        elif how == "urgency":
            out[col] = _when(rng.random(n) < 0.05, _const("U", n))
        elif how == "zero":
            out[col] = _const("0", n)
        elif how == "source":
            out[col] = _const("DXLAB", n)
        elif how == "version":
            out[col] = _const("3.2.1", n)
        elif how == "nb_b":
            out[col] = pl.Series(rng.integers(20, 400, n)).cast(pl.String)
    return out


def generate(
    out_path: str | Path,
    *,
    rows: int = 491_840,
    seed: int = 20210223,
    rows_per_person: int = 1,
    labels: bool = True,
    communes_path: str | Path | None = None,
) -> dict:
    """Generate the synthetic dump and write it with its ground truth and per-row labels.

    Parameters
    ----------
    out_path : dump path ``PATH``; also writes ``PATH.truth.json`` and (``labels``)
        ``PATH.labels.csv``.
    rows : data rows in the file (loaded records + quarantined lines).
    seed : random seed (same seed, same bytes).
    rows_per_person : mean rows per person (1 = one row per patient, as in the real file).
    communes_path : reference commune table (default ``data/reference/communes.csv``).

    Returns
    -------
    The truth dict (docs/contracts.md §2).
    """
    out_path = Path(out_path)
    if rows_per_person < 1:
        raise ValueError("rows_per_person must be >= 1")
    cpath = Path(communes_path) if communes_path is not None else REFERENCE_DIR / "communes.csv"
    parts = generate_frame(rows, seed, rows_per_person, cpath)
    layout = write_dump(out_path, parts, _streams(seed)["layout"])
    truth, label_frame = build_truth(parts, layout, version=GENERATOR_VERSION)
    tmp = out_path.with_name(out_path.name + ".truth.json.tmp")
    tmp.write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=False) + "\n", "utf-8"
    )
    tmp.replace(out_path.with_name(out_path.name + ".truth.json"))
    if labels:
        tmp = out_path.with_name(out_path.name + ".labels.csv.tmp")
        label_frame.write_csv(tmp)
        tmp.replace(out_path.with_name(out_path.name + ".labels.csv"))
    return truth
