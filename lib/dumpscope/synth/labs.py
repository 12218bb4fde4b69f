"""Laboratories, doctors and dates.

27 laboratories in the six départements of the case, each with an activity window inside
2015-01-01 .. 2020-10-31; some were renamed at a date (``NOM_LABO`` changes). Prescribers follow
the shares reported by the press (56 36 %, 45 22 %, 27 21 %, 22 6 %, 35 6 %, 41 3.5 %, rest
elsewhere): a row's lab département is drawn so that, with 94.5 % of prescribers in the lab's
département, those shares come out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from dumpscope.synth.geography import Geography, group_indices

PERIOD_START = dt.date(2015, 1, 1)
PERIOD_END = dt.date(2020, 10, 31)
#: Prescriber shares by département (press, Libération 24 Feb 2021); the rest is elsewhere.
PRESCRIBER_SHARES = {"56": 0.36, "45": 0.22, "27": 0.21, "22": 0.06, "35": 0.06, "41": 0.035}
P_PRESCRIBER_LOCAL = sum(PRESCRIBER_SHARES.values())

# (dep, town, name, later name or None, weight)
_LABS = [
    ("56", "Vannes", "LABM OCEALAB VANNES", "OCEALAB - SITE DE VANNES", 9),
    ("56", "Lorient", "LABORATOIRE OCEALAB LORIENT", None, 8),
    ("56", "Auray", "LABM DU LOCH", "OCEALAB AURAY", 5),
    ("56", "Ploërmel", "LABORATOIRE BIOALLIANCE PLOERMEL", None, 4),
    ("56", "Pontivy", "LABM DE PONTIVY", None, 4),
    ("56", "Lanester", "BIOALLIANCE LANESTER", None, 4),
    ("56", "Hennebont", "LABORATOIRE DU BLAVET", "OCEALAB HENNEBONT", 3),
    ("56", "Questembert", "LABM DE QUESTEMBERT", None, 2),
    ("56", "Séné", "LABORATOIRE DU GOLFE", None, 3),
    ("56", "Guidel", "LABM DE GUIDEL", None, 2),
    ("45", "Orléans", "LABORIZON ORLEANS CENTRE", None, 8),
    ("45", "Montargis", "LABM DU GATINAIS", "LABORIZON MONTARGIS", 5),
    ("45", "Olivet", "LABORIZON OLIVET", None, 4),
    ("45", "Gien", "LABORATOIRE DE GIEN", None, 3),
    ("45", "Pithiviers", "LABM DE PITHIVIERS", None, 2),
    ("45", "Saint-Jean-de-Braye", "BIOPOLE SAINT-JEAN-DE-BRAYE", None, 3),
    ("27", "Évreux", "CERBALLIANCE EVREUX", None, 7),
    ("27", "Vernon", "LABM DE VERNON", "CERBALLIANCE VERNON", 5),
    ("27", "Louviers", "CERBALLIANCE LOUVIERS", None, 4),
    ("27", "Bernay", "LABORATOIRE DE BERNAY", None, 3),
    ("27", "Pont-Audemer", "LABM DE LA RISLE", None, 2),
    ("22", "Saint-Brieuc", "BIOALLIANCE SAINT-BRIEUC", None, 3),
    ("22", "Lannion", "LABM DU TREGOR", None, 2),
    ("35", "Rennes", "BIOPOLE RENNES", None, 3),
    ("35", "Saint-Malo", "LABORATOIRE DE LA COTE D'EMERAUDE", None, 2),
    ("41", "Blois", "LABM DE BLOIS", "LABORIZON BLOIS", 3),
    ("41", "Vendôme", "LABORATOIRE DU VENDOMOIS", None, 2),
]


@dataclass(frozen=True)
class Labs:
    """The lab table: ``code, dep, town, name, new_name, rename_day, start_day, end_day, weight``
    (days as int days since 1970-01-01)."""

    table: pl.DataFrame


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - dt.date(1970, 1, 1)).days


def build_labs(rng: np.random.Generator) -> Labs:
    """Lab codes ``L56-01``.., activity windows (most cover the whole period) and renamings."""
    rows = []
    count: dict[str, int] = {}
    p0, p1 = day_number(PERIOD_START), day_number(PERIOD_END)
    for dep, town, name, new_name, weight in _LABS:
        count[dep] = count.get(dep, 0) + 1
        start, end = p0, p1
        r = rng.random()
        if r < 0.25:
            start = p0 + int(rng.integers(60, 900))
        elif r < 0.4:
            end = p1 - int(rng.integers(90, 700))
        elif r < 0.5:
            start = p0 + int(rng.integers(30, 400))
            end = p1 - int(rng.integers(30, 400))
        rename = None
        if new_name is not None:
            rename = start + int((end - start) * rng.uniform(0.3, 0.8))
        rows.append(
            {
                "code": f"L{dep}-{count[dep]:02d}",
                "dep": dep,
                "town": town,
                "name": name,
                "new_name": new_name,
                "rename_day": rename,
                "start_day": start,
                "end_day": end,
                "weight": float(weight),
            }
        )
    return Labs(table=pl.DataFrame(rows, schema_overrides={"rename_day": pl.Int64}))


def lab_departement_probs() -> dict[str, float]:
    """P(lab département) so that the prescriber shares come out (normalized case shares)."""
    return {d: s / P_PRESCRIBER_LOCAL for d, s in PRESCRIBER_SHARES.items()}


def assign_labs(rng: np.random.Generator, labs: Labs, n: int) -> np.ndarray:
    """Lab index per person, département by ``lab_departement_probs`` then lab by weight."""
    probs = lab_departement_probs()
    deps = np.asarray(list(probs))
    dep = deps[rng.choice(len(deps), n, p=np.asarray(list(probs.values())))]
    t = labs.table
    out = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for d in deps:
        ids = np.flatnonzero(t["dep"].to_numpy() == d)
        w = t["weight"].to_numpy()[ids]
        cdf = np.cumsum(w) / w.sum()
        where = np.flatnonzero(dep == d)
        out[where] = ids[np.minimum(np.searchsorted(cdf, u[where]), len(ids) - 1)]
    return out


#: One sample in this many stays on a Sunday or a public holiday (on-call or hospital samples).
ON_CALL_ONE_IN = 200


def _open_days(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """For each day of ``first .. last + 7``: the next and the previous day a private lab samples
    (Monday to Saturday, French public holidays excluded)."""
    import holidays

    days = np.arange(first, last + 8)
    years = range(1970 + first // 366, 1970 + (last + 8) // 365 + 2)
    closed_dates = holidays.France(years=years)
    closed = np.isin(days, [day_number(d) for d in closed_dates]) | ((days + 3) % 7 == 6)
    idx = np.where(~closed, np.arange(days.size), -1)
    prev_open = np.maximum.accumulate(idx)
    nxt = np.where(~closed, np.arange(days.size), days.size)
    next_open = np.minimum.accumulate(nxt[::-1])[::-1]
    return days[0] + next_open.clip(max=days.size - 1), days[0] + prev_open.clip(min=0)


def sample_days(rng: np.random.Generator, labs: Labs, lab_idx: np.ndarray) -> np.ndarray:
    """Sample day (int days since epoch) inside the lab's activity window, on a day labs sample.

    Drawn uniformly in the window, then moved to the next open day (Monday to Saturday, not a
    public holiday), or the previous one at the end of the window; one in ``ON_CALL_ONE_IN``
    stays where it fell (on-call samples). No extra random draw: the rest of the dump is the same
    as with uniform days.
    """
    s = labs.table["start_day"].to_numpy()[lab_idx]
    e = labs.table["end_day"].to_numpy()[lab_idx]
    day = s + np.floor(rng.random(len(lab_idx)) * (e - s + 1)).astype(np.int64)
    if day.size == 0:
        return day
    first = int(s.min())
    next_open, prev_open = _open_days(first, int(e.max()))
    moved = next_open[day - first]
    moved = np.where(moved > e, prev_open[day - first], moved)
    on_call = (day * 7 + np.arange(day.size)) % ON_CALL_ONE_IN == 0
    return np.where(on_call | (moved < s), day, moved)


def lab_names(labs: Labs, lab_idx: np.ndarray, day: np.ndarray) -> pl.Series:
    """``NOM_LABO`` at the sample day (new name from the renaming day on)."""
    t = labs.table
    name = t["name"].gather(lab_idx)
    new = t["new_name"].gather(lab_idx)
    ren = t["rename_day"].gather(lab_idx)
    return pl.DataFrame({"n": name, "w": new, "r": ren, "d": day}).select(
        pl.when(pl.col("r").is_not_null() & (pl.col("d") >= pl.col("r")))
        .then(pl.col("w"))
        .otherwise(pl.col("n"))
        .alias("NOM_LABO")
    )["NOM_LABO"]


_DOCTOR_FORMATS = ("Dr {L} {F}", "DR {L}", "DOCTEUR {L} {F}", "{L} {F}", "Dr {L}", "{L} {f}")


@dataclass(frozen=True)
class Doctors:
    """A doctor pool: ``name, postcode, dep, email`` (frame); ``by_dep`` dep -> doctor ids."""

    table: pl.DataFrame
    by_dep: dict[str, np.ndarray]


def build_doctors(
    rng: np.random.Generator,
    geo: Geography,
    surnames: pl.Series,
    first: pl.Series,
    per_dep: dict[str, int],
) -> Doctors:
    """Doctors in each département of ``per_dep`` (count), in population-weighted communes.

    Only communes whose postcodes all start with the département code are used, so the
    doctor's postcode names its département unambiguously.
    """
    deps = np.repeat(np.asarray(list(per_dep)), list(per_dep.values()))
    cid = geo.pick_in_deps(rng, deps)
    c = geo.communes[cid]
    pcs = c["postcodes"]
    ok = (
        pl.DataFrame({"p": pcs, "d": deps})
        .select(
            pl.col("p").list.eval(pl.element().str.slice(0, 2)).list.unique().list.len().eq(1)
            & (pl.col("p").list.first().str.slice(0, 2) == pl.col("d").str.slice(0, 2))
        )["p"]
        .to_numpy()
    )
    # re-draw communes that fail the check from the département's chef-lieu-like biggest commune
    pc = pcs.list.first().to_numpy().astype(object)
    for d in np.unique(deps[~ok]):
        ids, _ = geo.by_dep[str(d)]
        biggest = ids[np.argmax(geo.communes["population"].to_numpy()[ids])]
        pc[(deps == d) & ~ok] = geo.communes["postcodes"][int(biggest)][0]
    n = len(deps)
    fmt = np.asarray(_DOCTOR_FORMATS)[rng.integers(0, len(_DOCTOR_FORMATS), n)]
    L = surnames.str.to_uppercase()
    df = pl.DataFrame({"fmt": fmt, "L": L, "F": first.str.to_uppercase(), "f": first})
    name = df.select(
        pl.col("fmt")
        .str.replace("{L}", pl.col("L"), literal=True)
        .str.replace("{F}", pl.col("F"), literal=True)
        .str.replace("{f}", pl.col("f"), literal=True)
        .alias("name")
    )["name"]
    table = pl.DataFrame({"name": name, "postcode": pc.astype(str), "dep": deps})
    by_dep = {str(d): np.flatnonzero(deps == d) for d in np.unique(deps)}
    return Doctors(table=table, by_dep=by_dep)


def pick_doctors(rng: np.random.Generator, doctors: Doctors, deps: np.ndarray) -> np.ndarray:
    """A doctor id per element of ``deps`` (uniform within the département's pool, with a
    few busy doctors: squared uniform favours low ids)."""
    out = np.empty(len(deps), dtype=np.int64)
    u = rng.random(len(deps)) ** 2
    for d, where in group_indices(deps).items():
        ids = doctors.by_dep[d]
        out[where] = ids[np.minimum((u[where] * len(ids)).astype(np.int64), len(ids) - 1)]
    return out


def days_to_str(days: np.ndarray) -> pl.Series:
    """Int days since 1970-01-01 to ``dd/mm/yyyy`` strings."""
    return pl.Series(days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date).dt.strftime("%d/%m/%Y")
